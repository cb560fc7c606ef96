from django.urls import path

from networks import views
from networks.meetings import views as meeting_views

app_name = "networks"
urlpatterns = [
    path("", views.network_list, name="list"),
    path("<slug:slug>/", views.network_detail, name="detail"),
    path("<slug:slug>/calendar.ics", meeting_views.network_calendar, name="calendar"),
    path("<slug:slug>/calendar-link/", meeting_views.calendar_link, name="calendar_link"),
]
