from django.urls import path

from expertise import views

app_name = "expertise"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.edit_mine, name="edit_mine"),
    # str, not slug: taggit keeps non-ASCII letters in slugs ("Français" -> "français").
    path("<str:slug>/", views.skill, name="skill"),
]
