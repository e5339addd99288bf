"""Giving kudos, and every movement of points (the ledger)."""

from collections.abc import Sequence
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from feed.models import Post
from feed.services import post_create
from moderation import rules
from moderation.services import audit_record
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Profile
from recognition.defaults import DEFAULT_VALUES
from recognition.models import CompanyValue, Kudos, KudosRecipient, PointsAccount, PointsEntry

MESSAGE_MAX = 500
RECIPIENTS_MAX = 20
VALUES_MAX = 3
POINTS_EACH_MAX = 1000

T = TypeVar("T", Profile, CompanyValue)


def company_values_ensure() -> int:
    """Creates the starting company values when there are none (a fresh or emptied database); returns
    how many it created. seed_demo calls it: a demo company without values cannot give kudos."""
    if CompanyValue.objects.exists():
        return 0
    CompanyValue.objects.bulk_create(
        CompanyValue(name=name, emoji=emoji, description=description, position=position)
        for position, (name, emoji, description) in enumerate(DEFAULT_VALUES)
    )
    return len(DEFAULT_VALUES)


def _unique_by_pk(items: Sequence[T]) -> list[T]:
    seen: dict[int, T] = {}
    for item in items:
        seen.setdefault(item.pk, item)
    return list(seen.values())


def _names(people: Sequence[Profile]) -> str:
    names = [p.display_name for p in people]
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def _kudos_check(
    *, giver: Profile, people: list[Profile], values: list[CompanyValue], message: str, points_each: int
) -> None:
    if not people:
        raise ValidationError("Pick at least one colleague to recognise.")
    if len(people) > RECIPIENTS_MAX:
        raise ValidationError(
            f"Kudos can go to at most {RECIPIENTS_MAX} people at once; you picked {len(people)}."
        )
    if any(p.pk == giver.pk for p in people):
        raise ValidationError("You can't give kudos to yourself; recognise a colleague instead.")
    # One query whatever the number of recipients.
    left = list(
        Profile.objects.filter(pk__in=[p.pk for p in people], user__is_active=False).order_by("display_name")
    )
    if left:
        raise ValidationError(f"{_names(left)} no longer {'works' if len(left) == 1 else 'work'} here.")
    if not values:
        raise ValidationError("Pick the company value they lived.")
    if len(values) > VALUES_MAX:
        raise ValidationError(f"Pick at most {VALUES_MAX} company values.")
    retired = [v for v in values if not v.is_active]
    if retired:
        raise ValidationError(f"“{retired[0].name}” is no longer in use; pick another company value.")
    if not message:
        raise ValidationError("Say what they did: the message is empty.")
    if len(message) > MESSAGE_MAX:
        raise ValidationError(f"Your message is {len(message)} characters long; the limit is {MESSAGE_MAX}.")
    if points_each < 0:
        raise ValidationError("Points can't be negative.")
    if points_each > POINTS_EACH_MAX:
        raise ValidationError(f"Give at most {POINTS_EACH_MAX} points to each person.")


@transaction.atomic
def kudos_give(
    *,
    giver: Profile,
    recipients: Sequence[Profile],
    values: Sequence[CompanyValue],
    message: str,
    points_each: int = 0,
    is_private: bool = False,
) -> Kudos:
    """Records the kudos, its recipients, its feed post (unless private) and the points it moves from the
    giver's allowance to each recipient: all together or nothing."""
    message = (message or "").strip()
    people = _unique_by_pk(recipients)
    chosen = _unique_by_pk(values)
    _kudos_check(giver=giver, people=people, values=chosen, message=message, points_each=points_each)

    if points_each:
        accounts = _accounts_lock(profile_ids=[giver.pk, *(p.pk for p in people)])
        total = points_each * len(people)
        left = accounts[giver.pk].allowance
        if left < total:
            spend = f"{len(people)} × {points_each} = {total}" if len(people) > 1 else f"{total}"
            raise ValidationError(
                f"You have {left} points left to give this month; this kudos needs {spend}."
            )

    if is_private:  # no feed post to hold or flag: the automatic rules' blocks still apply
        rules.text_check(text=message, where="kudos")
    post = None if is_private else post_create(author=giver, body=message, kind=Post.Kind.KUDOS)
    now = timezone.now()
    kudos = Kudos.objects.create(
        giver=giver,
        message=message,
        points_each=points_each,
        is_private=is_private,
        post=post,
        created_at=now,
    )
    KudosRecipient.objects.bulk_create(
        KudosRecipient(kudos=kudos, recipient=p, giver=giver, points=points_each, created_at=now)
        for p in people
    )
    kudos.values.set(chosen)
    if points_each:
        _points_move(kudos=kudos, giver=giver, people=people, points_each=points_each, at=now)

    audit_record(
        actor=giver,
        action="kudos.give",
        target=kudos,
        recipients=[p.pk for p in people],
        values=[v.pk for v in chosen],
        points_each=points_each,
        private=is_private,
    )
    if post is None or post.held_at is None:  # a held kudos is announced once a moderator publishes it
        _kudos_announce(kudos=kudos, people=people, values=chosen)
    return kudos


def _kudos_announce(*, kudos: Kudos, people: Sequence[Profile], values: Sequence[CompanyValue]) -> None:
    giver, post, points_each = kudos.giver, kudos.post, kudos.points_each
    value_names = ", ".join(v.name for v in values)
    points = f" and {points_each} points" if points_each else ""
    notify(
        recipients=list(people),
        kind=Kind.KUDOS,
        actor=giver,
        summary=f"{giver.display_name} gave you kudos{points} for {value_names}: “{kudos.message[:80]}”",
        url=post.get_absolute_url() if post else reverse("recognition:detail", args=[kudos.pk]),
    )


def kudos_post_published(*, post: Post) -> None:
    """A moderator published a held kudos post (feed/holds.py): its recipients are told now."""
    kudos = Kudos.objects.select_related("giver", "post").filter(post=post).first()
    if kudos is not None:
        people = [r.recipient for r in kudos.recipient_rows.select_related("recipient")]
        _kudos_announce(kudos=kudos, people=people, values=list(kudos.values.all()))


def _accounts_lock(*, profile_ids: Sequence[int]) -> dict[int, PointsAccount]:
    """These people's accounts, created if new, locked until the transaction ends.

    Always created and locked in the order of their ids, so two concurrent kudos between the same people
    (A to B while B gives to A) wait for each other rather than deadlock."""
    ids = sorted(set(profile_ids))
    PointsAccount.objects.bulk_create([PointsAccount(profile_id=pk) for pk in ids], ignore_conflicts=True)
    locked = PointsAccount.objects.select_for_update().filter(pk__in=ids).order_by("pk")
    return {account.pk: account for account in locked}


def _points_move(*, kudos: Kudos, giver: Profile, people: list[Profile], points_each: int, at) -> None:
    """Called with the accounts locked. The database's CHECK constraints refuse a negative balance even
    if a caller forgot the lock."""
    total = points_each * len(people)
    PointsEntry.objects.bulk_create(
        [
            PointsEntry(
                account_id=giver.pk, kind=PointsEntry.Kind.GIVE, amount=-total, kudos=kudos, created_at=at
            )
        ]
        + [
            PointsEntry(
                account_id=p.pk, kind=PointsEntry.Kind.RECEIVE, amount=points_each, kudos=kudos, created_at=at
            )
            for p in people
        ]
    )
    PointsAccount.objects.filter(pk=giver.pk).update(allowance=F("allowance") - total, updated_at=at)
    PointsAccount.objects.filter(pk__in=[p.pk for p in people]).update(
        balance=F("balance") + points_each, updated_at=at
    )


@transaction.atomic
def points_grant(*, profile: Profile, amount: int, actor: Profile | None, note: str = "") -> PointsEntry:
    """Adds to someone's allowance to give outside the monthly reset (a boost for a manager, a correction)."""
    if amount <= 0:
        raise ValidationError("Grant a positive number of points.")
    account = _accounts_lock(profile_ids=[profile.pk])[profile.pk]
    entry = PointsEntry.objects.create(
        account=account, kind=PointsEntry.Kind.GRANT, amount=amount, note=note[:200]
    )
    PointsAccount.objects.filter(pk=account.pk).update(
        allowance=F("allowance") + amount, updated_at=timezone.now()
    )
    audit_record(actor=actor, action="points.grant", target=account, amount=amount, note=note[:200])
    return entry
