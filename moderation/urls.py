from django.urls import path

from moderation import views

app_name = "moderation"
urlpatterns = [
    path("", views.queue, name="queue"),
    path("flag/<int:content_type_id>/<int:object_id>/", views.flag, name="flag"),
    path("cases/<int:case_id>/decide/", views.decide, name="decide"),
]
