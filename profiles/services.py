"""Every change to a profile."""

from django.db import transaction

from profiles.models import Profile, User


def _name_from_email(email: str) -> str:
    local = email.split("@", 1)[0]
    return " ".join(part.capitalize() for part in local.replace("_", ".").split(".") if part) or email


@transaction.atomic
def profile_ensure(*, user: User) -> Profile:
    """The user's profile, created with a name taken from the email if the account has none yet."""
    profile, _ = Profile.objects.get_or_create(
        user=user, defaults={"display_name": _name_from_email(user.email)}
    )
    return profile


@transaction.atomic
def profile_update(*, profile: Profile, editor: User, **fields) -> Profile:
    """Only the owner or an admin edits a profile."""
    from django.core.exceptions import PermissionDenied

    if editor.pk != profile.user_id and not editor.is_superuser:
        raise PermissionDenied("You can only edit your own profile.")
    allowed = {"display_name", "job_title", "department", "location", "bio", "digest_opt_in"}
    for name, value in fields.items():
        if name not in allowed:
            raise ValueError(f"{name} is not an editable profile field.")
        setattr(profile, name, value)
    profile.full_clean()
    profile.save(update_fields=list(fields))
    return profile
