from django.apps import AppConfig


class RecognitionConfig(AppConfig):
    name = "recognition"

    def ready(self) -> None:
        from feed.holds import post_published_register
        from feed.kinds import (
            answer_thanks_link_register,
            compose_link_register,
            post_kind_card_register,
            post_shown_change_register,
        )
        from feed.models import Post
        from moderation.protocol import moderatable_register
        from recognition import selectors, services
        from recognition.counts import kudos_post_shown_changed
        from recognition.models import Kudos
        from recognition.services import kudos_post_published

        # A kudos post shows whom it thanks and for which values, above the giver's message.
        post_kind_card_register(
            kind=Post.Kind.KUDOS,
            template="recognition/_kudos_in_feed.html",
            select_related=("kudos__project",),
            prefetch_related=("kudos__recipients", "kudos__values"),
        )
        # A birthday or work anniversary Hive posted: one click congratulates (a "celebrate" reaction).
        post_kind_card_register(kind=Post.Kind.CELEBRATION, template="recognition/_celebration_in_feed.html")
        compose_link_register(prompt="Recognise someone?", label="Give kudos", url_name="recognition:give")
        # Suggested at the moment: the asker of a question, under the answer they chose.
        answer_thanks_link_register(label="Thank them with kudos", url_name="recognition:give")
        # A kudos post taken down or restored leaves or rejoins the counts, in that transaction.
        post_shown_change_register(kind=Post.Kind.KUDOS, hook=kudos_post_shown_changed)
        # A kudos post held for review tells its recipients once a moderator publishes it.
        post_published_register(kind=Post.Kind.KUDOS, hook=kudos_post_published)

        # A kudos message can be flagged: a public one as its feed post (feed registers posts), a private
        # one here, by those who may see it.
        moderatable_register(
            Kudos,
            remove=services.kudos_remove_by_moderator,
            readable=selectors.kudos_moderation_readable,
            restore=services.kudos_restore_by_moderator,
            reach=selectors.kudos_moderation_reach,
            author_field="giver_id",
        )
