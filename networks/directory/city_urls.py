from django.urls import path

from networks.directory import city_views as views

app_name = "cities"
urlpatterns = [
    path("<slug:slug>/", views.city_detail, name="detail"),
    path("<slug:slug>/edit/", views.city_edit, name="edit"),
]
