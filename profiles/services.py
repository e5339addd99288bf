"""Every change to a profile."""

import secrets

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from common import live
from common.images import PreparedImage, image_prepare
from common.screening import text_check, text_saved
from profiles.models import Profile, User
from profiles.validators import validate_languages, validate_links, validate_phone

PHOTO_SIDE = 400

# What the owner may change on their own profile; start_date is the company's record (admins only).
OWNER_FIELDS = {
    "display_name",
    "pronouns",
    "job_title",
    "department",
    "location",
    "bio",
    "languages",
    "phone",
    "links",
}
ADMIN_FIELDS = OWNER_FIELDS | {"start_date"}


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


def _check_editor(*, profile: Profile, editor: User) -> None:
    if editor.pk != profile.user_id and not editor.is_superuser:
        raise PermissionDenied("You can only edit your own profile.")


@transaction.atomic
def profile_update(*, profile: Profile, editor: User, **fields) -> Profile:
    """Only the owner or an admin edits a profile; links must be http(s), start date is for admins."""
    _check_editor(profile=profile, editor=editor)
    allowed = ADMIN_FIELDS if editor.is_superuser else OWNER_FIELDS
    for name in fields:
        if name not in allowed:
            raise ValueError(f"{name} is not an editable profile field.")
    if "links" in fields:
        fields["links"] = _field_clean("links", validate_links, fields["links"])
    if "languages" in fields:
        fields["languages"] = _field_clean("languages", validate_languages, fields["languages"])
    if "phone" in fields:
        fields["phone"] = _field_clean("phone", validate_phone, fields["phone"])
    for name in SCREENED:  # moderation's rules may refuse it
        if fields.get(name):
            _field_clean(name, lambda text: text_check(text=text, where="profiles"), fields[name])
    if "bio" in fields and fields["bio"] != profile.bio and profile.bio_removed_at is not None:
        # A new bio is the owner's new text (the rules read it above): shown, no longer the one removed.
        fields |= {"bio_removed_at": None, "bio_removed_by": None}
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.full_clean(exclude=["photo"])
    if fields:
        profile.save(update_fields=list(fields))
    written = [fields[name] for name in SCREENED if fields.get(name)]
    if written:  # the rules that hold or flag rather than refuse see it now, saved
        text_saved(content=profile, text="\n".join(written), where="profiles")
    return profile


SCREENED = ("display_name", "pronouns", "job_title", "bio")


# Moderation (registered in ModerationConfig.ready: profiles sits below it): a decision on a flagged
# profile acts on its bio; the person's name, title and account stay.


@transaction.atomic
def profile_bio_remove_by_moderator(*, object_id: int, moderator: Profile, at) -> None:
    Profile.objects.filter(pk=object_id, bio_removed_at__isnull=True).update(
        bio_removed_at=at, bio_removed_by=moderator
    )


@transaction.atomic
def profile_bio_hold(*, object_id: int) -> None:
    """An automatic rule holds the bio until a moderator approves it (moderation's holds)."""
    Profile.objects.filter(pk=object_id, bio_held_at__isnull=True).update(bio_held_at=timezone.now())


@transaction.atomic
def profile_bio_release(*, object_id: int, moderator: Profile, announce: bool = True) -> None:
    Profile.objects.filter(pk=object_id).update(bio_held_at=None)


@transaction.atomic
def profile_bio_restore_by_moderator(*, object_id: int, moderator: Profile) -> None:
    Profile.objects.filter(pk=object_id).update(bio_removed_at=None, bio_removed_by=None)


@transaction.atomic
def profile_bio_edit_by_moderator(*, object_id: int, moderator: Profile, text: str) -> str:
    """A moderator rewrites the bio; returns the text it replaced (the case keeps it)."""
    profile = Profile.objects.select_for_update().filter(pk=object_id).first()
    if profile is None:
        raise ValidationError("That profile no longer exists.")
    text = (text or "").strip()
    if len(text) > 2000:
        raise ValidationError(f"A bio is at most 2,000 characters; this is {len(text)}.")
    if text == profile.bio:
        raise ValidationError("The text is unchanged: edit it, or choose another decision.")
    before = profile.bio
    profile.bio = text
    profile.save(update_fields=["bio"])
    return before


def _field_clean(name: str, check, value):
    try:
        return check(value)
    except ValidationError as exc:
        raise ValidationError({name: exc.messages}) from exc


def profile_photo_prepare(*, upload) -> PreparedImage:
    """The upload checked and cropped to a square of at most PHOTO_SIDE pixels (common.images)."""
    try:
        return image_prepare(
            upload, max_bytes=settings.HIVE_PHOTO_MAX_BYTES, max_side=PHOTO_SIDE, square=True
        )
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages}) from exc


def _photo_delete_later(name: str) -> None:
    if name:
        storage = Profile._meta.get_field("photo").storage
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def profile_photo_set(
    *, profile: Profile, editor: User, upload=None, prepared: PreparedImage | None = None
) -> Profile:
    """Replaces the photo; the old file is deleted once the change is committed."""
    _check_editor(profile=profile, editor=editor)
    if prepared is None:
        prepared = profile_photo_prepare(upload=upload)
    old_name = profile.photo.name
    # A random part in the name: a new photo gets a new URL (no stale caches) that nobody can guess.
    filename = f"{profile.pk}-{secrets.token_urlsafe(8)}.{prepared.extension}"
    profile.photo.save(filename, ContentFile(prepared.content), save=False)
    new_name = profile.photo.name
    try:
        profile.save(update_fields=["photo"])
    except Exception:
        profile.photo.storage.delete(new_name)
        raise
    _photo_delete_later(old_name)
    return profile


@transaction.atomic
def profile_photo_remove(*, profile: Profile, editor: User) -> Profile:
    """Back to the initials avatar; the file is deleted once the change is committed."""
    _check_editor(profile=profile, editor=editor)
    old_name = profile.photo.name
    if old_name:
        profile.photo = ""
        profile.save(update_fields=["photo"])
        _photo_delete_later(old_name)
    return profile


def profile_edit(
    *, profile: Profile, editor: User, fields: dict, photo=None, photo_remove: bool = False
) -> Profile:
    """The edit page's save: fields and photo together, or nothing at all.

    The photo is checked before anything is written, and the fields and photo are saved in one
    transaction, so a bad photo or a bad field leaves the profile exactly as it was.
    """
    _check_editor(profile=profile, editor=editor)
    prepared = profile_photo_prepare(upload=photo) if photo is not None else None
    written: list[str] = []
    try:
        with transaction.atomic():
            profile_update(profile=profile, editor=editor, **fields)
            if prepared is not None:
                profile_photo_set(profile=profile, editor=editor, prepared=prepared)
                written.append(profile.photo.name)
            elif photo_remove:
                profile_photo_remove(profile=profile, editor=editor)
    except Exception:
        # The database rolled back; take the new file with it.
        for name in written:
            Profile._meta.get_field("photo").storage.delete(name)
        raise
    return profile


def company_addresses_verify(*, users: list[User]) -> None:
    """Records each new account's address as verified and primary: the company gave it to them.

    For accounts the company creates (HR import, seed_demo), never for addresses people typed in.
    Single sign-on joins a provider account to a Hive account only through a verified address
    (profiles/sso.py), so without this record an imported person's SSO sign-in would be refused.
    """
    EmailAddress.objects.bulk_create(
        [EmailAddress(user=user, email=user.email.lower(), verified=True, primary=True) for user in users],
        batch_size=1000,
    )


def user_sessions_end(*, user: User) -> None:
    """Ends every Hive session of this person, on every device, at their next request (and their
    open tabs' poll tokens: common.live)."""
    User.objects.filter(pk=user.pk).update(session_generation=F("session_generation") + 1)
    live.audience_forget(user_id=user.pk)
