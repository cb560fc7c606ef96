from django.urls import path

from networks.applications import views

app_name = "applications"
urlpatterns = [
    path("", views.application_list, name="list"),
    path("<int:pk>/", views.application_detail, name="detail"),
    path("<int:pk>/submitted/", views.application_submitted, name="submitted"),
    path("<int:pk>/edit/", views.application_edit, name="edit"),
]
