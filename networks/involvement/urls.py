from django.urls import path

from networks.involvement import views

app_name = "involvement"
urlpatterns = [
    path("get-involved/", views.get_involved, name="get_involved"),
    path("get-involved/pledge/", views.pledge, name="pledge"),
    path("get-involved/pledge/sent/", views.pledge_sent, name="pledge_sent"),
    path("get-involved/pledge/confirm/<str:token>/", views.pledge_confirm, name="pledge_confirm"),
    path("get-involved/pledge/city/<slug:slug>/", views.city_pledge, name="city_pledge"),
    path("get-involved/partner/", views.partner_enquiry, name="partner"),
    path("get-involved/partner/sent/", views.partner_sent, name="partner_sent"),
    path("supporters/", views.supporters, name="supporters"),
]
