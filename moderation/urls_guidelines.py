from django.urls import path

from moderation import views

app_name = "guidelines"
urlpatterns = [
    path("", views.guidelines, name="current"),
    path("edit/", views.guidelines_edit, name="edit"),
    path("v<int:number>/", views.guidelines_version, name="version"),
]
