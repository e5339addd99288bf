"""Reads for kudos and points: what a viewer may see of whose kudos, and balances."""

from collections.abc import Collection
from datetime import datetime

from django.db.models import Q, QuerySet

from common.pagination import Page, keyset_page
from profiles.models import Profile
from recognition.models import (
    CompanyValue,
    Kudos,
    KudosRecipient,
    PointsAccount,
    PointsEntry,
    RecognitionSettings,
    Redemption,
    Reward,
)


def active_values() -> list[CompanyValue]:
    return list(CompanyValue.objects.filter(is_active=True))


def _received_visible(*, profile: Profile, viewer: Profile | None) -> QuerySet[KudosRecipient]:
    """Kudos this person received that this viewer may see: public ones whose post is still up; private
    ones only for the person, their manager and the giver."""
    seen = Q(kudos__is_private=False, kudos__post__removed_at__isnull=True)
    if viewer is not None and viewer.pk in (profile.pk, profile.manager_id):
        seen |= Q(kudos__is_private=True)
    elif viewer is not None:
        seen |= Q(kudos__is_private=True, giver=viewer)
    return KudosRecipient.objects.filter(seen, recipient=profile)


def kudos_received(*, profile: Profile, viewer: Profile | None = None, limit: int = 10) -> list[Kudos]:
    rows = (
        _received_visible(profile=profile, viewer=viewer)
        .select_related("kudos__giver")
        .prefetch_related("kudos__values")  # one query for the page's values, whatever the number of kudos
        .order_by("-created_at")[:limit]
    )
    return [row.kudos for row in rows]


def kudos_received_count(*, profile: Profile, viewer: Profile | None = None) -> int:
    return _received_visible(profile=profile, viewer=viewer).count()


def kudos_visible(*, kudos_id: int, viewer: Profile) -> Kudos | None:
    """One kudos with its recipients and values, if this viewer may see it: anyone when public (and its
    post not removed); the giver, the recipients and the recipients' managers when private."""
    kudos = (
        Kudos.objects.select_related("giver", "post")
        .prefetch_related("recipients", "values")
        .filter(pk=kudos_id)
        .first()
    )
    if kudos is None:
        return None
    if not kudos.is_private:
        return kudos if kudos.post is not None and kudos.post.removed_at is None else None
    people = list(kudos.recipients.all())
    allowed = {kudos.giver_id, *(p.pk for p in people), *(p.manager_id for p in people if p.manager_id)}
    return kudos if viewer.pk in allowed else None


def points_allowance_left(*, profile: Profile) -> int:
    """Points this person may still give in the current period (0 without an account)."""
    return PointsAccount.objects.filter(pk=profile.pk).values_list("allowance", flat=True).first() or 0


def recognition_settings() -> RecognitionSettings:
    """The company's recognition rules: the row admins edit, or the defaults until they first save it."""
    return RecognitionSettings.objects.filter(pk=1).first() or RecognitionSettings(pk=1)


def kudos_received_between(
    *, recipient_ids: Collection[int], start: datetime, end: datetime
) -> list[KudosRecipient]:
    """Kudos these people received in [start, end), public or private (a recipient sees both), with
    the giver and values: two queries for a batch of people (the digest)."""
    if not recipient_ids:
        return []
    return list(
        KudosRecipient.objects.filter(
            Q(kudos__is_private=True) | Q(kudos__post__removed_at__isnull=True),
            recipient_id__in=recipient_ids,
            created_at__gte=start,
            created_at__lt=end,
        )
        .select_related("kudos__giver")
        .prefetch_related("kudos__values")
        .order_by("-created_at", "-id")
    )


# --- Rewards -----------------------------------------------------------------------------------

REQUESTS_PAGE_SIZE = 30


def rewards_offered() -> list[Reward]:
    return list(Reward.objects.filter(is_active=True))


def points_account(*, profile: Profile) -> PointsAccount:
    """Their balances (an unsaved empty account for someone who never had points)."""
    return PointsAccount.objects.filter(pk=profile.pk).first() or PointsAccount(profile=profile)


def points_history(*, profile: Profile, limit: int = 20) -> list[PointsEntry]:
    return list(
        PointsEntry.objects.filter(account_id=profile.pk)
        .select_related("redemption__reward")
        .order_by("-created_at", "-id")[:limit]
    )


def redemptions_of(*, profile: Profile, limit: int = 20) -> list[Redemption]:
    return list(
        Redemption.objects.filter(profile=profile).select_related("reward").order_by("-requested_at")[:limit]
    )


def redemptions_waiting(*, cursor: str | None = None) -> Page:
    """Requests waiting for an admin, oldest first (the partial index on pending requests)."""
    return keyset_page(
        Redemption.objects.filter(status=Redemption.Status.PENDING).select_related("reward", "profile__user"),
        keys=("requested_at", "id"),
        cursor=cursor,
        size=REQUESTS_PAGE_SIZE,
        descending=False,
    )
