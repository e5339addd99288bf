from django.urls import path

from expertise import views

app_name = "expertise"
urlpatterns = [
    path("", views.index, name="index"),
    path("mine/", views.edit_mine, name="edit_mine"),
    path("<slug:slug>/", views.skill, name="skill"),
]
