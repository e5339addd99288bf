from django.apps import AppConfig


class FeedConfig(AppConfig):
    name = "feed"

    def ready(self) -> None:
        from common.similar_text import kind_register
        from communities.page_parts import group_page_part_register
        from feed import holds, selectors, services
        from feed.already_answered import QUESTION_VECTORS
        from feed.group_feed import group_feed
        from feed.models import Comment, Post
        from moderation.holds import holdable_register
        from moderation.protocol import moderatable_register

        moderatable_register(
            Post,
            remove=services.post_remove_by_moderator,
            readable=selectors.post_readable,
            restore=services.post_restore_by_moderator,
            history=selectors.post_history,
            edit=services.post_edit_by_moderator,
            text=lambda post: post.body,
            reach=selectors.post_moderation_reach,
        )
        moderatable_register(
            Comment,
            remove=services.comment_remove_by_moderator,
            readable=selectors.comment_readable,
            restore=services.comment_restore_by_moderator,
            edit=services.comment_edit_by_moderator,
            text=lambda comment: comment.body,
            reach=selectors.comment_moderation_reach,
        )
        holdable_register(Post, hold=holds.post_hold, release=holds.post_release)
        holdable_register(Comment, hold=holds.comment_hold, release=holds.comment_release)
        group_page_part_register(group_feed)
        kind_register(QUESTION_VECTORS)
