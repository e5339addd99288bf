from django.apps import AppConfig


class WikiConfig(AppConfig):
    """Wiki pages: the company's policies and how-tos, and each group's own pages."""

    name = "wiki"

    def ready(self) -> None:
        from communities.page_parts import group_page_part_register
        from moderation.protocol import moderatable_register
        from wiki import selectors, services
        from wiki.group_part import group_wiki_part
        from wiki.models import Page

        moderatable_register(Page, remove=services.page_remove_by_moderator, readable=selectors.page_readable)
        group_page_part_register(group_wiki_part)
