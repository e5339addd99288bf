from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"

    def ready(self) -> None:
        from common.screening import text_check_register, text_saved_register
        from moderation.holds import holdable_register
        from moderation.rules import profile_text_check, profile_text_saved

        # Profile text (profiles sits below moderation) goes through the rules by this seam: blocked
        # before it is saved, held or flagged once it is.
        text_check_register(profile_text_check)
        text_saved_register(profile_text_saved)

        from moderation.protocol import moderatable_register
        from profiles import services as profile_services
        from profiles.models import Profile

        # A profile's text can be flagged (profiles sits below moderation, so moderation registers it):
        # a moderator's removal or edit acts on the bio, which only its owner wrote.
        moderatable_register(
            Profile,
            remove=profile_services.profile_bio_remove_by_moderator,
            readable=_profile_readable,
            restore=profile_services.profile_bio_restore_by_moderator,
            edit=profile_services.profile_bio_edit_by_moderator,
            text=lambda profile: profile.bio,
            author_field="pk",
            removed_field="bio_removed_at",
            noun="profile bio",
        )
        holdable_register(
            Profile, hold=profile_services.profile_bio_hold, release=profile_services.profile_bio_release
        )


def _profile_readable(*, object_id: int, viewer) -> bool:
    """Everyone signed in reads everyone's profile."""
    from profiles.selectors import profile_by_id

    return viewer is not None and profile_by_id(profile_id=object_id) is not None
