from django.urls import path

from feed import acknowledgement_views, newcomer_views, scheduling_views, views

app_name = "feed"
urlpatterns = [
    path("", views.home, name="home"),
    path("all/", views.all_company, name="all"),
    path("questions/", views.questions, name="questions"),
    path("polls/new/", views.poll_new, name="poll_new"),
    path("posts/<int:post_id>/vote/", views.poll_vote, name="poll_vote"),
    path("posts/<int:post_id>/answer/", views.answer_mark, name="answer_mark"),
    path("tags/<str:name>/", views.tag, name="tag"),
    path("tags/<str:name>/follow/", views.tag_follow, name="tag_follow"),
    path("follow/people/<int:profile_id>/", views.person_follow, name="person_follow"),
    path("mention/<str:handle>/", views.mention, name="mention"),
    path("mentions/suggest/", views.mention_suggest, name="mention_suggest"),
    path("questions/already-answered/", views.already_answered, name="already_answered"),
    # A newcomer's first weeks (feed/newcomers.py).
    path("newcomers/checklist/hide/", newcomer_views.checklist_dismiss, name="newcomer_dismiss"),
    path("newcomers/figures/", newcomer_views.newcomer_figures, name="newcomer_figures"),
    path("new-posts/", views.new_posts, name="new_posts"),
    path("live/", views.live, name="live"),
    path("posts/<int:post_id>/", views.post_detail, name="post"),
    path("posts/<int:post_id>/edit/", views.post_edit, name="post_edit"),
    path("posts/<int:post_id>/delete/", views.post_delete, name="post_delete"),
    path("posts/<int:post_id>/react/", views.react, name="react"),
    path("posts/<int:post_id>/images/<int:image_id>/", views.post_image, name="post_image"),
    # Must-read announcements (feed/acknowledgements.py).
    path("posts/<int:post_id>/acknowledge/", acknowledgement_views.acknowledge, name="acknowledge"),
    path(
        "posts/<int:post_id>/acknowledgements/",
        acknowledgement_views.acknowledgement_figures,
        name="acknowledgements",
    ),
    path(
        "posts/<int:post_id>/acknowledgements/not-acknowledged.csv",
        acknowledgement_views.not_acknowledged_csv,
        name="not_acknowledged_csv",
    ),
    # Scheduled posts (feed/scheduling.py).
    path("posts/scheduled/", scheduling_views.scheduled_list, name="scheduled"),
    path("posts/scheduled/<int:scheduled_id>/", scheduling_views.scheduled_edit, name="scheduled_edit"),
    path(
        "posts/scheduled/<int:scheduled_id>/cancel/",
        scheduling_views.scheduled_cancel,
        name="scheduled_cancel",
    ),
    path("comments/<int:comment_id>/delete/", views.comment_delete, name="comment_delete"),
]
