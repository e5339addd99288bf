"""Giving kudos, and every movement of points (the ledger): kudos, boosts and the allowance reset."""

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Sum
from django.urls import reverse
from django.utils import timezone

from feed.models import Post
from feed.services import post_create, post_remove_by_moderator, post_restore_by_moderator
from moderation import rules
from moderation.services import audit_record
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Profile
from profiles.selectors import active_profiles
from recognition.defaults import DEFAULT_VALUES
from recognition.models import (
    AllowanceRule,
    CompanyValue,
    Kudos,
    KudosRecipient,
    PointsAccount,
    PointsEntry,
    RecognitionPreference,
    RecognitionSettings,
    Redemption,
    Reward,
)
from recognition.selectors import recognition_settings

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
    *,
    giver: Profile,
    people: list[Profile],
    values: list[CompanyValue],
    message: str,
    points_each: int,
    config: RecognitionSettings,
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
    if not values and config.value_required:
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
    config = recognition_settings()
    _kudos_check(
        giver=giver, people=people, values=chosen, message=message, points_each=points_each, config=config
    )
    # The giver's account is locked even without points: their caps are then counted one kudos at a time.
    accounts = _accounts_lock(profile_ids=[giver.pk, *(p.pk for p in people)] if points_each else [giver.pk])
    _daily_cap_check(giver=giver, config=config)
    if points_each:
        total = points_each * len(people)
        left = accounts[giver.pk].allowance
        if left < total:
            spend = f"{len(people)} × {points_each} = {total}" if len(people) > 1 else f"{total}"
            raise ValidationError(
                f"You have {left} points left to give this month; this kudos needs {spend}."
            )
        _recipient_cap_check(giver=giver, people=people, points_each=points_each, config=config)

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


def _company_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_current_timezone())


def _daily_cap_check(*, giver: Profile, config: RecognitionSettings) -> None:
    if not config.daily_kudos_cap:
        return
    today = _company_midnight(timezone.localdate())
    given = Kudos.objects.filter(giver=giver, created_at__gte=today).count()
    if given >= config.daily_kudos_cap:
        raise ValidationError(
            f"You have given {given} kudos today, the most anyone may give in a day; try again tomorrow."
        )


def _recipient_cap_check(
    *, giver: Profile, people: list[Profile], points_each: int, config: RecognitionSettings
) -> None:
    """No more than the cap from one person to another per period (called with the giver's account locked,
    so two concurrent kudos cannot both fit under it)."""
    cap = config.cap_per_recipient
    if not cap:
        return
    start = _company_midnight(allowance_period_start(day=timezone.localdate(), reset_day=config.reset_day))
    already = dict(
        KudosRecipient.objects.filter(
            giver=giver, recipient__in=[p.pk for p in people], created_at__gte=start
        )
        .values("recipient")
        .annotate(total=Sum("points"))
        .values_list("recipient", "total")
    )
    over = [p for p in people if already.get(p.pk, 0) + points_each > cap]
    if over:
        person = over[0]
        room = max(cap - already.get(person.pk, 0), 0)
        raise ValidationError(
            f"You can give {person.display_name} at most {cap} points a month: "
            f"{room} more this month, and this kudos gives {points_each}."
        )


def allowance_period_start(*, day: date, reset_day: int) -> date:
    """The first day of the allowance period `day` falls in: the last `reset_day` on or before it."""
    if day.day >= reset_day:
        return day.replace(day=reset_day)
    return (day.replace(day=1) - timedelta(days=1)).replace(day=reset_day)


def allowance_amounts(*, profile_ids: Sequence[int], config: RecognitionSettings) -> dict[int, int]:
    """Each person's allowance per period from the rules: their own rule, else the highest of their roles',
    else their department's, else the default; plus the manager boost for people with direct reports.
    A fixed number of queries whatever the number of people."""
    people = list(Profile.objects.filter(pk__in=profile_ids).values_list("pk", "user_id", "department_id"))
    rules = list(AllowanceRule.objects.values_list("profile_id", "group_id", "department_id", "amount"))
    by_person = {p: amount for p, _, _, amount in rules if p is not None}
    by_group = {g: amount for _, g, _, amount in rules if g is not None}
    by_department = {d: amount for _, _, d, amount in rules if d is not None}
    by_user: dict[int, int] = {}
    if by_group:
        memberships = Group.user_set.through.objects.filter(
            user_id__in=[user_id for _, user_id, _ in people], group_id__in=list(by_group)
        ).values_list("user_id", "group_id")
        for user_id, group_id in memberships:
            by_user[user_id] = max(by_user.get(user_id, 0), by_group[group_id])
    managers: set[int] = set()
    if config.manager_boost:
        managers = set(
            Profile.objects.filter(manager_id__in=list(profile_ids), user__is_active=True)
            .values_list("manager_id", flat=True)
            .distinct()
        )
    amounts = {}
    for pk, user_id, department_id in people:
        if pk in by_person:
            amount = by_person[pk]
        elif user_id in by_user:
            amount = by_user[user_id]
        else:
            amount = by_department.get(department_id, config.monthly_allowance)
        amounts[pk] = amount + (config.manager_boost if pk in managers else 0)
    return amounts


RESET_BATCH = 1000


def allowance_reset(*, today: date | None = None, batch_size: int = RESET_BATCH) -> int:
    """Starts the current allowance period for everyone who works here and has not had it yet: their unused
    allowance expires and the new one is granted, with a ledger row each. Returns how many accounts it reset.

    Idempotent and safe to crash: each batch commits with the period it reached on every account, so a
    rerun (or a second worker at the same time) skips what is done and finishes the rest."""
    config = recognition_settings()
    period = allowance_period_start(day=today or timezone.localdate(), reset_day=config.reset_day)
    reset = 0
    last = 0
    while True:
        ids = list(
            active_profiles().filter(pk__gt=last).order_by("pk").values_list("pk", flat=True)[:batch_size]
        )
        if not ids:
            return reset
        reset += _allowance_reset_batch(profile_ids=ids, period=period, config=config)
        last = ids[-1]


@transaction.atomic
def _allowance_reset_batch(*, profile_ids: list[int], period: date, config: RecognitionSettings) -> int:
    accounts = _accounts_lock(profile_ids=profile_ids)
    # Checked under the lock: a concurrent run that got here first has moved these accounts on.
    due = [a for a in accounts.values() if a.allowance_period is None or a.allowance_period < period]
    if not due:
        return 0
    amounts = allowance_amounts(profile_ids=[a.pk for a in due], config=config)
    now = timezone.now()
    entries = []
    for account in due:
        if account.allowance:
            entries.append(
                PointsEntry(
                    account=account,
                    kind=PointsEntry.Kind.EXPIRE,
                    amount=-account.allowance,
                    period=period,
                    created_at=now,
                )
            )
        if amounts[account.pk]:
            entries.append(
                PointsEntry(
                    account=account,
                    kind=PointsEntry.Kind.GRANT,
                    amount=amounts[account.pk],
                    period=period,
                    created_at=now,
                )
            )
    PointsEntry.objects.bulk_create(entries)
    by_amount: dict[int, list[int]] = defaultdict(list)
    for account in due:
        by_amount[amounts[account.pk]].append(account.pk)
    for amount, ids in by_amount.items():  # a handful of distinct amounts, not one update per person
        PointsAccount.objects.filter(pk__in=ids).update(
            allowance=amount, allowance_period=period, updated_at=now
        )
    return len(due)


# --- Rewards -----------------------------------------------------------------------------------


@transaction.atomic
def reward_redeem(*, profile: Profile, reward_id: int) -> Redemption:
    """Asks for a reward: its points leave the balance and one item leaves the stock now, so two requests
    can never spend the same points or the last item; an admin then approves or rejects (and refunds)."""
    account = _accounts_lock(profile_ids=[profile.pk])[profile.pk]  # accounts before rewards, always
    reward = Reward.objects.select_for_update().filter(pk=reward_id, is_active=True).first()
    if reward is None:
        raise ValidationError("That reward is no longer offered.")
    if reward.stock is not None and reward.stock < 1:
        raise ValidationError(f"{reward.name} is out of stock.")
    if account.balance < reward.cost:
        raise ValidationError(
            f"{reward.name} costs {reward.cost} points and you have {account.balance}; "
            "you can't redeem it yet."
        )
    now = timezone.now()
    redemption = Redemption.objects.create(profile=profile, reward=reward, cost=reward.cost, requested_at=now)
    PointsEntry.objects.create(
        account=account,
        kind=PointsEntry.Kind.REDEEM,
        amount=-reward.cost,
        redemption=redemption,
        created_at=now,
    )
    PointsAccount.objects.filter(pk=account.pk).update(balance=F("balance") - reward.cost, updated_at=now)
    if reward.stock is not None:
        Reward.objects.filter(pk=reward.pk).update(stock=F("stock") - 1)
    audit_record(actor=profile, action="reward.redeem", target=redemption, reward=reward.pk, cost=reward.cost)
    return redemption


NOTE_MAX = 500


@transaction.atomic
def redemption_decide(*, redemption_id: int, admin: Profile, approve: bool, note: str = "") -> Redemption:
    """Approves or rejects a waiting request; a rejection gives back the points and the item. Deciding
    twice (two admins at once, a double click) changes nothing the second time: it is refused."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(f"The note is {len(note)} characters long; the limit is {NOTE_MAX}.")
    found = Redemption.objects.filter(pk=redemption_id).values_list("profile_id", flat=True).first()
    if found is None:
        raise ValidationError("No such request.")
    account = _accounts_lock(profile_ids=[found])[found]  # accounts before rewards, as in reward_redeem
    redemption = Redemption.objects.select_for_update().select_related("reward").get(pk=redemption_id)
    if redemption.status != Redemption.Status.PENDING:
        raise ValidationError(f"This request was already {redemption.get_status_display().lower()}.")
    if not approve and not note:
        raise ValidationError("Say why the request is rejected: the note is empty.")
    now = timezone.now()
    redemption.status = Redemption.Status.APPROVED if approve else Redemption.Status.REJECTED
    redemption.note, redemption.decided_at, redemption.decided_by = note, now, admin
    redemption.save(update_fields=["status", "note", "decided_at", "decided_by"])
    if not approve:
        PointsEntry.objects.create(
            account=account, kind=PointsEntry.Kind.REFUND, amount=redemption.cost, redemption=redemption,
            created_at=now,
        )  # fmt: skip
        PointsAccount.objects.filter(pk=account.pk).update(
            balance=F("balance") + redemption.cost, updated_at=now
        )
        Reward.objects.filter(pk=redemption.reward_id, stock__isnull=False).update(stock=F("stock") + 1)
    audit_record(actor=admin, action=f"reward.{redemption.status}", target=redemption, note=note)
    verdict = "approved" if approve else "rejected"
    notify(
        recipients=[redemption.profile],
        kind=Kind.KUDOS,  # about their points: told as kudos are, per their preference
        actor=admin,
        summary=f"Your request for {redemption.reward.name} was {verdict}"
        + (f": “{note[:120]}”" if note else "."),
        url=reverse("recognition:rewards"),
    )
    return redemption


def recognition_preference_set(*, profile: Profile, leaderboard_opt_out: bool) -> RecognitionPreference:
    preference, _ = RecognitionPreference.objects.update_or_create(
        profile=profile, defaults={"leaderboard_opt_out": leaderboard_opt_out, "updated_at": timezone.now()}
    )
    return preference


# Moderation (registered in RecognitionConfig.ready): a moderator removes a flagged kudos. A public one
# goes with its feed post; the points stay where they went (the ledger is never rewritten).


@transaction.atomic
def kudos_remove_by_moderator(*, object_id: int, moderator: Profile, at) -> None:
    kudos = Kudos.objects.select_for_update().filter(pk=object_id, removed_at__isnull=True).first()
    if kudos is None:
        return
    kudos.removed_at = at
    kudos.removed_by = moderator
    kudos.save(update_fields=["removed_at", "removed_by"])
    if kudos.post_id is not None:
        post_remove_by_moderator(object_id=kudos.post_id, moderator=moderator, at=at)


@transaction.atomic
def kudos_restore_by_moderator(*, object_id: int, moderator: Profile) -> None:
    kudos = Kudos.objects.select_for_update().filter(pk=object_id, removed_at__isnull=False).first()
    if kudos is None:
        return
    kudos.removed_at = None
    kudos.removed_by = None
    kudos.save(update_fields=["removed_at", "removed_by"])
    if kudos.post_id is not None:
        post_restore_by_moderator(object_id=kudos.post_id, moderator=moderator)
