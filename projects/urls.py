from django.urls import path

from projects import views

app_name = "projects"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("similar/", views.similar, name="similar"),
    path("<int:project_id>/", views.detail, name="detail"),
    path("<int:project_id>/edit/", views.edit, name="edit"),
    path("<int:project_id>/join/", views.join, name="join"),
    path("<int:project_id>/leave/", views.leave, name="leave"),
    path("<int:project_id>/updates/", views.update_create, name="update_create"),
    path("<int:project_id>/members/", views.member_add, name="member_add"),
    path("<int:project_id>/members/<int:profile_id>/role/", views.member_role, name="member_role"),
    path("<int:project_id>/members/<int:profile_id>/remove/", views.member_remove, name="member_remove"),
]
