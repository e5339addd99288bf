from django.urls import path

from events import corner_views

urlpatterns = [
    path("", corner_views.leadership_corner, name="leadership"),
    path("follow/", corner_views.leadership_follow, name="leadership_follow"),
]
