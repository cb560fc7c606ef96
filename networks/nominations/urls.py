from django.urls import path

from networks.nominations import views

app_name = "nominations"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("<int:pk>/nominate/", views.nominate, name="nominate"),
    path("nominated/", views.nomination_sent, name="sent"),
    path("decline/<str:token>/", views.decline, name="decline"),
    path("invitation/<str:token>/meeting.ics", views.invitation_ics, name="invitation_ics"),
]
