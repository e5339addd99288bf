from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    """Groups: communities of interest, for work and for fun, public or private."""

    name = "communities"
    verbose_name = "Groups"

    def ready(self) -> None:
        from common.similar_text import Kind, kind_register
        from communities import selectors, services
        from communities.models import Community
        from moderation.protocol import moderatable_register

        # Groups' names and descriptions as sentence vectors, for "a similar group exists".
        kind_register(
            Kind(name=selectors.GROUP_KIND, texts=selectors.group_texts, all_ids=selectors.group_ids)
        )
        # A group's name and description can be flagged; a moderator's removal or edit acts on the
        # description (the group, its members and posts stay).
        moderatable_register(
            Community,
            remove=services.community_description_remove_by_moderator,
            readable=selectors.community_moderation_readable,
            restore=services.community_description_restore_by_moderator,
            edit=services.community_description_edit_by_moderator,
            text=lambda community: community.description,
            reach=selectors.community_moderation_reach,
            author_field="created_by_id",
            removed_field="description_removed_at",
            noun="group description",
        )
