from django.urls import path

from profiles import views

app_name = "profiles"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("suggest/", views.suggest, name="suggest"),
    path("<int:profile_id>/", views.detail, name="detail"),
    path("<int:profile_id>/edit/", views.edit, name="edit"),
    path("<int:profile_id>/org/", views.org_chart, name="org_chart"),
]
