from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "feed"

    def ready(self) -> None:
        from feed import services
        from feed.models import Comment, Post
        from moderation.protocol import moderatable_register

        moderatable_register(Post, remove=services.post_remove_by_moderator)
        moderatable_register(Comment, remove=services.comment_remove_by_moderator)
