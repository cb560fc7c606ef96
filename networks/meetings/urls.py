from django.urls import path

from networks.meetings import views

app_name = "meetings"
urlpatterns = [
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>.ics", views.meeting_calendar_file, name="ics"),
]
