"""Reads of what the delivery path sent."""

from collections.abc import Collection

from django.db.models import Max

from delivery.models import DeliveryMessage


def last_sent_periods(*, kind: str, profile_ids: Collection[int], before: str) -> dict[int, str]:
    """Per person, the latest period of `kind` sent to them before `before` (the digest's "since your
    last digest"): one query for a batch, served by the messages' profile index."""
    rows = (
        DeliveryMessage.objects.filter(
            profile_id__in=profile_ids,
            run__kind=kind,
            run__period__lt=before,
            state=DeliveryMessage.State.SENT,
        )
        .values("profile_id")
        .annotate(last=Max("run__period"))
    )
    return {row["profile_id"]: row["last"] for row in rows}
