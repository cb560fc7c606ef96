from django.urls import path

from networks.policies import roadmap_views, views

app_name = "policies"
urlpatterns = [
    path("policies/", views.library, name="library"),
    path("policies/submit/", views.submit, name="submit"),
    path("policies/submit/sent/", views.sent, name="sent"),
    path("policies/mine/", views.mine, name="mine"),
    path("policies/edit/<str:token>/", views.edit, name="edit"),
    path("policies/<int:pk>/", views.detail, name="detail"),
    path("policies/<int:pk>/policy.pdf", views.download, name="download"),
    path("roadmap/", roadmap_views.roadmap, name="roadmap"),
    path("cities/<slug:slug>/roadmap/", roadmap_views.city_roadmap, name="city_roadmap"),
]
