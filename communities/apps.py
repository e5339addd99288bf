from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    """Groups: communities of interest, for work and for fun, public or private."""

    name = "communities"
    verbose_name = "Groups"

    def ready(self) -> None:
        from common.similar_text import Kind, kind_register
        from communities import selectors

        # Groups' names and descriptions as sentence vectors, for "a similar group exists".
        kind_register(
            Kind(name=selectors.GROUP_KIND, texts=selectors.group_texts, all_ids=selectors.group_ids)
        )
