from django.urls import path

from communities import views

app_name = "communities"
urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.create, name="create"),
    path("new/similar/", views.similar, name="similar"),
    path("<str:slug>/", views.detail, name="detail"),
    path("<str:slug>/join/", views.join, name="join"),
    path("<str:slug>/leave/", views.leave, name="leave"),
    path("<str:slug>/members/", views.members, name="members"),
    path("<str:slug>/requests/<int:request_id>/", views.decide, name="decide"),
    path("<str:slug>/invite/", views.invite, name="invite"),
    path("<str:slug>/invitations/<int:invitation_id>/", views.answer_invitation, name="answer_invitation"),
]
