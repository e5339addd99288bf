from django.urls import path

from notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.index, name="index"),
    path("badge/", views.badge, name="badge"),
    path("read-all/", views.mark_all_read, name="read_all"),
    path("settings/", views.preferences, name="preferences"),
    path("<int:notification_id>/open/", views.open_one, name="open"),
]
