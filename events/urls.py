from django.urls import path

from events import views

app_name = "events"
urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_new, name="new"),
    path("<int:event_id>/", views.event_page, name="event"),
    path("<int:event_id>/edit/", views.event_edit, name="edit"),
    path("<int:event_id>/cancel/", views.event_cancel, name="cancel"),
    path("<int:event_id>/questions/", views.event_questions, name="questions"),
    path("<int:event_id>/polls/", views.poll_new, name="poll_new"),
    path("<int:event_id>/questions/<int:question_id>/vote/", views.question_vote, name="vote"),
    path("<int:event_id>/questions/<int:question_id>/answer/", views.question_answer, name="answer"),
]
