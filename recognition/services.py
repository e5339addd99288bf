"""Giving kudos, and every movement of points (the ledger): kudos, boosts and the allowance reset."""

import calendar
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from typing import TypeVar

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import Count, F, Min, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from common.outbox import enqueue_on_commit
from feed.contribution import (
    best_answer_tag_counts,
    interaction_month_sql,
    interactions_sql,
    newcomer_first_repliers,
)
from feed.models import Post
from feed.selectors import (
    best_answer_counts_among,
    best_answer_counts_of,
    followers_of,
    post_counts_among,
    post_counts_of,
)
from feed.services import (
    post_create,
    post_remove_by_moderator,
    post_restore_by_moderator,
    system_posts_create,
)
from moderation import rules
from moderation.services import audit_record
from notifications.models import Kind
from notifications.services import notify, notify_each
from profiles.models import Profile
from profiles.selectors import active_profiles
from projects.models import Project
from projects.selectors import project_member_profiles
from recognition.counts import kudos_counts_add, private_kudos_shown_changed
from recognition.defaults import DEFAULT_BADGES, DEFAULT_VALUES, TAG_BADGE_THRESHOLD, VALUE_BADGE_THRESHOLD
from recognition.models import (
    AllowanceRule,
    Badge,
    BadgeAward,
    Celebration,
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
    project: Project | None = None,
) -> Kudos:
    """Records the kudos, its recipients, its feed post (unless private) and the points it moves from the
    giver's allowance to each recipient: all together or nothing.

    With a project, its members who work here (but the giver) join the recipients, each once."""
    message = (message or "").strip()
    people = _unique_by_pk([*recipients, *_team_of(project=project, giver=giver)])
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
        project=project,
        created_at=now,
    )
    KudosRecipient.objects.bulk_create(
        KudosRecipient(kudos=kudos, recipient=p, giver=giver, points=points_each, created_at=now)
        for p in people
    )
    kudos.values.set(chosen)
    kudos_counts_add(kudos=kudos, recipient_ids=[p.pk for p in people], value_ids=[v.pk for v in chosen])
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
    # The giver may have earned a badge for giving, the recipients one for what they received.
    from recognition.tasks import badges_award as badges_award_task  # tasks import this module

    enqueue_on_commit(badges_award_task, [giver.pk, *(p.pk for p in people)])
    return kudos


def _team_of(*, project: Project | None, giver: Profile) -> list[Profile]:
    """The project's members who work here, but the giver; refused when they are more than kudos can go to."""
    if project is None:
        return []
    team = [p for p in project_member_profiles(project_id=project.pk, limit=RECIPIENTS_MAX + 2) if p != giver]
    if len(team) > RECIPIENTS_MAX:
        raise ValidationError(
            f"The {project.name} team has more than {RECIPIENTS_MAX} people; kudos can go to at most "
            f"{RECIPIENTS_MAX} at once, so name the people you want to recognise instead."
        )
    if not team:
        raise ValidationError(f"The {project.name} team has nobody else to recognise.")
    return team


def _kudos_announce(*, kudos: Kudos, people: Sequence[Profile], values: Sequence[CompanyValue]) -> None:
    """Tells the recipients, and each recipient's manager once (about all their reports in this kudos).
    Private kudos too: their managers may read them. Two queries for the managers whatever their number."""
    giver, post, points_each = kudos.giver, kudos.post, kudos.points_each
    value_names = ", ".join(v.name for v in values)
    points = f" and {points_each} points" if points_each else ""
    url = post.get_absolute_url() if post else reverse("recognition:detail", args=[kudos.pk])
    notify(
        recipients=list(people),
        kind=Kind.KUDOS,
        actor=giver,
        summary=f"{giver.display_name} gave you kudos{points} for {value_names}: “{kudos.message[:80]}”",
        url=url,
    )
    told = {p.pk for p in people} | {giver.pk}
    reports_of: dict[int, list[Profile]] = defaultdict(list)
    for person in people:
        if person.manager_id and person.manager_id not in told:
            reports_of[person.manager_id].append(person)
    if not reports_of:
        return
    managers = active_profiles().in_bulk(list(reports_of))
    private = " privately" if kudos.is_private else ""
    notify_each(
        messages=[
            (
                managers[pk],
                f"{giver.display_name}{private} recognised {_names(reports)}, "
                f"{'who reports' if len(reports) == 1 else 'who report'} to you, for {value_names}: "
                f"“{kudos.message[:80]}”",
                url,
            )
            for pk, reports in reports_of.items()
            if pk in managers
        ],
        kind=Kind.TEAM_KUDOS,
        actor=giver,
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


def recognition_preference_set(
    *, profile: Profile, leaderboard_opt_out: bool, birthday: tuple[int, int] | None = None
) -> RecognitionPreference:
    """Saves their choices; a birthday (month, day) is celebrated in the feed, None: not celebrated."""
    if birthday is not None:
        month, day = birthday
        try:
            date(2024, month, day)  # a leap year: 29 February is a birthday
        except (TypeError, ValueError) as exc:
            raise ValidationError("That is not a day of the year; pick a month and a day in it.") from exc
    preference, _ = RecognitionPreference.objects.update_or_create(
        profile=profile,
        defaults={
            "leaderboard_opt_out": leaderboard_opt_out,
            "birthday_month": birthday[0] if birthday else None,
            "birthday_day": birthday[1] if birthday else None,
            "updated_at": timezone.now(),
        },
    )
    return preference


# --- Badges ------------------------------------------------------------------------------------


def badges_ensure() -> int:
    """Creates the starting badges, and a "Champion" badge for each active company value without one;
    returns how many it created. Two queries when there is nothing to create."""
    have = set(Badge.objects.values_list("slug", flat=True))
    new = [
        Badge(slug=slug, emoji=emoji, name=name, description=description, rule=rule, threshold=n, position=i)
        for i, (slug, emoji, name, description, rule, n) in enumerate(DEFAULT_BADGES)
        if slug not in have
    ]
    for value in CompanyValue.objects.filter(is_active=True):
        slug = f"value-{value.pk}"
        if slug not in have:
            new.append(
                Badge(
                    slug=slug,
                    emoji=value.emoji,
                    name=f"Champion of {value.name}"[:80],
                    description=f"Thanked in {VALUE_BADGE_THRESHOLD} public kudos for {value.name}."[:200],
                    rule=Badge.Rule.VALUE_KUDOS,
                    threshold=VALUE_BADGE_THRESHOLD,
                    value=value,
                    position=100 + value.position,
                )
            )
    Badge.objects.bulk_create(new, ignore_conflicts=True)  # a concurrent run may have made them first
    return len(new)


def _public_received() -> QuerySet[KudosRecipient]:
    # Badges are shown to everyone: only kudos everyone may see count towards them.
    return KudosRecipient.objects.filter(kudos__is_private=False, kudos__post__removed_at__isnull=True)


def badge_qualifiers(*, badge: Badge, profile_ids: list[int] | None) -> set[int]:
    """People (among these, or anyone) whose contribution meets the badge's rule. One aggregate query."""
    n = badge.threshold
    if badge.rule == Badge.Rule.KUDOS_GIVEN:
        given = Kudos.objects.all() if profile_ids is None else Kudos.objects.filter(giver_id__in=profile_ids)
        return set(
            given.values("giver_id")
            .annotate(n=Count("id"))
            .filter(n__gte=n)
            .values_list("giver_id", flat=True)
        )
    if badge.rule in (Badge.Rule.KUDOS_RECEIVED, Badge.Rule.VALUE_KUDOS):
        rows = _public_received()
        if badge.rule == Badge.Rule.VALUE_KUDOS:
            rows = rows.filter(kudos__values=badge.value_id)
        if profile_ids is not None:
            rows = rows.filter(recipient_id__in=profile_ids)
        return set(
            rows.values("recipient_id")
            .annotate(n=Count("id"))
            .filter(n__gte=n)
            .values_list("recipient_id", flat=True)
        )
    if badge.rule == Badge.Rule.POSTS:
        return post_counts_among(profile_ids=profile_ids, minimum=n)
    if badge.rule == Badge.Rule.BEST_ANSWERS:
        return best_answer_counts_among(profile_ids=profile_ids, minimum=n)
    if badge.rule == Badge.Rule.CONNECTOR:
        return connectors_among(profile_ids=profile_ids, minimum=n)
    if badge.rule == Badge.Rule.WELCOMER:
        found = newcomer_first_repliers(minimum=n, days=settings.HIVE_NEWCOMER_DAYS)
        return found if profile_ids is None else found & set(profile_ids)
    return set()  # given by hand, or per #tag (_tag_badges_award)


# A connector talks with each of those departments more than once in the month: a single reply can be a
# passing remark; two interactions with people of a department (replies, @mentions or kudos) are a contact.
CONNECTOR_PER_DEPARTMENT = 2


def _connector_reach_sql(*, profile_ids: list[int] | None) -> tuple[str, list]:
    """SQL selecting (actor, month, departments): in each calendar month (company time zone), how many
    departments other than their own (the departments people are in now) each person replied to, @mentioned
    or gave kudos to people of, at least CONNECTOR_PER_DEPARTMENT times each. Reactions do not count
    (feed.contribution.interactions_sql), nor kudos a moderator removed. Among these people (after a kudos)
    only the current month is read: earlier months cannot have changed."""
    since = _company_midnight(timezone.localdate().replace(day=1)) if profile_ids is not None else None
    feed_sql, feed_params = interactions_sql(since=since, actor_ids=profile_ids)
    kudos = KudosRecipient.objects.filter(kudos__removed_at__isnull=True)
    if since is not None:
        kudos = kudos.filter(created_at__gte=since)
    if profile_ids is not None:
        kudos = kudos.filter(giver_id__in=profile_ids)
    kudos_sql, kudos_params = (
        kudos.values(actor=F("giver_id"), target=F("recipient_id"), happened=F("created_at"))
        .order_by()
        .query.sql_with_params()
    )
    month_sql, month_params = interaction_month_sql("i.happened")
    profiles = Profile._meta.db_table
    # Said again of the actors' rows (the interactions were already theirs): PostgreSQL then expects a few
    # rows and looks the people up by key, rather than hashing all the profiles twice (0.9 s at 100,000).
    among, among_params = (
        ("", []) if profile_ids is None else ("\n              AND a.id = ANY(%s)", [list(profile_ids)])
    )
    sql = f"""
        SELECT contact.actor, contact.month, COUNT(*) AS departments FROM (
            SELECT i.actor, {month_sql} AS month, t.department_id
            FROM ({feed_sql} UNION ALL SELECT * FROM ({kudos_sql}) AS kudos) AS i
            JOIN {profiles} a ON a.id = i.actor
            JOIN {profiles} t ON t.id = i.target
            WHERE t.department_id IS NOT NULL
              AND (a.department_id IS NULL OR t.department_id <> a.department_id){among}
            GROUP BY 1, 2, 3
            HAVING COUNT(*) >= %s
        ) AS contact
        GROUP BY 1, 2
    """  # noqa: S608 (our tables; every value is a parameter)
    return sql, [*month_params, *feed_params, *kudos_params, *among_params, CONNECTOR_PER_DEPARTMENT]


def connectors_among(*, profile_ids: list[int] | None, minimum: int) -> set[int]:
    """People (among these, or anyone) who, in some calendar month, were in contact with people of at least
    `minimum` departments other than their own (_connector_reach_sql says what counts). One statement."""
    reach_sql, params = _connector_reach_sql(profile_ids=profile_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT DISTINCT actor FROM ({reach_sql}) AS reach WHERE departments >= %s",  # noqa: S608
            [*params, minimum],
        )
        return {row[0] for row in cursor.fetchall()}


def connector_reach_of(*, profile_ids: list[int]) -> dict[int, int]:
    """For each of these people, the most departments they were in contact with this month (people with
    none are left out): the award run after a kudos compares it with every connector badge's threshold.
    One statement."""
    reach_sql, params = _connector_reach_sql(profile_ids=profile_ids)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT actor, MAX(departments) FROM ({reach_sql}) AS reach GROUP BY actor",  # noqa: S608
            params,
        )
        return dict(cursor.fetchall())


def _awards_insert(
    *, pairs: list[tuple[int, int]], at, awarded_by: Profile | None, note: str
) -> list[tuple[int, int]]:
    """Inserts the (badge, person) awards that do not exist yet; returns those made now. ON CONFLICT DO
    NOTHING on the unique (badge, profile): a concurrent run waits for ours and then inserts nothing, so
    nobody is awarded, or told, twice. One statement whatever the number of awards."""
    if not pairs:
        return []
    pairs = sorted(set(pairs))
    if not _on_postgresql():
        have = set(
            BadgeAward.objects.filter(
                badge_id__in={b for b, _ in pairs}, profile_id__in={p for _, p in pairs}
            ).values_list("badge_id", "profile_id")
        )
        new = [pair for pair in pairs if pair not in have]
        BadgeAward.objects.bulk_create(
            [
                BadgeAward(badge_id=b, profile_id=p, awarded_at=at, awarded_by=awarded_by, note=note)
                for b, p in new
            ]
        )
        return new
    table = BadgeAward._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (badge_id, profile_id, awarded_at, awarded_by_id, note) "  # noqa: S608 (our table name)
            "SELECT b, p, %s, %s, %s FROM unnest(%s::bigint[], %s::bigint[]) AS t(b, p) ORDER BY b, p "
            "ON CONFLICT (badge_id, profile_id) DO NOTHING RETURNING badge_id, profile_id",
            [at, awarded_by.pk if awarded_by else None, note, [b for b, _ in pairs], [p for _, p in pairs]],
        )
        return sorted((row[0], row[1]) for row in cursor.fetchall())


def _awards_announce(
    *, awarded: list[tuple[int, int]], badges: dict[int, Badge], actor: Profile | None
) -> None:
    """Tells each person what they earned: one notification, naming every badge if several came at once."""
    if not awarded:
        return
    earned: dict[int, list[Badge]] = defaultdict(list)
    for badge_id, pk in awarded:
        earned[pk].append(badges[badge_id])
    messages = []
    for person in Profile.objects.filter(pk__in=list(earned)):
        mine = earned[person.pk]
        if len(mine) == 1:
            summary = f"You earned the {mine[0]} badge: {mine[0].description}"
        else:
            summary = f"You earned {len(mine)} badges: {', '.join(str(b) for b in mine)}."
        messages.append((person, summary, person.get_absolute_url()))
    notify_each(messages=messages, kind=Kind.BADGE, actor=actor)


BADGE_BATCH = 5000
# What the award run right after a kudos checks, for its giver and recipients: what the kudos changed (kudos
# given and received, a value's champion, connector) and what people did since the last run (posts, best
# answers), so a first post or a fifth best answer is recognised with their next kudos, not only at night.
# The rest (#tags, welcomes) is counted for everyone at once, nightly.
AT_THE_MOMENT_RULES = [
    Badge.Rule.KUDOS_GIVEN,
    Badge.Rule.KUDOS_RECEIVED,
    Badge.Rule.VALUE_KUDOS,
    Badge.Rule.POSTS,
    Badge.Rule.BEST_ANSWERS,
    Badge.Rule.CONNECTOR,
]


@transaction.atomic
def _badge_award_batch(*, badge: Badge, profile_ids: list[int] | None) -> list[int]:
    qualified = badge_qualifiers(badge=badge, profile_ids=profile_ids)
    if not qualified:
        return []
    # People who left keep the badges they had, and earn no new ones.
    active = set(active_profiles().filter(pk__in=list(qualified)).values_list("pk", flat=True))
    awarded = _awards_insert(
        pairs=[(badge.pk, pk) for pk in active], at=timezone.now(), awarded_by=None, note=""
    )
    _awards_announce(awarded=awarded, badges={badge.pk: badge}, actor=None)
    return [pk for _, pk in awarded]


def _contribution_of(*, rules: set[str], profile_ids: list[int]) -> dict[str, dict]:
    """What these people did, per rule present in `rules`: {rule: {person: count}}, and for value badges
    {person, value}: count}. One aggregate query per rule, whatever the number of badges or people."""
    found: dict[str, dict] = {}
    if Badge.Rule.KUDOS_GIVEN in rules:
        found[Badge.Rule.KUDOS_GIVEN] = dict(
            Kudos.objects.filter(giver_id__in=profile_ids)
            .values("giver_id")
            .annotate(n=Count("id"))
            .values_list("giver_id", "n")
        )
    received = _public_received().filter(recipient_id__in=profile_ids)
    if Badge.Rule.KUDOS_RECEIVED in rules:
        found[Badge.Rule.KUDOS_RECEIVED] = dict(
            received.values("recipient_id").annotate(n=Count("id")).values_list("recipient_id", "n")
        )
    if Badge.Rule.VALUE_KUDOS in rules:
        found[Badge.Rule.VALUE_KUDOS] = {
            (person, value): n
            for person, value, n in received.filter(kudos__values__isnull=False)
            .values("recipient_id", "kudos__values")
            .annotate(n=Count("id"))
            .values_list("recipient_id", "kudos__values", "n")
        }
    if Badge.Rule.POSTS in rules:
        found[Badge.Rule.POSTS] = post_counts_of(profile_ids=profile_ids)
    if Badge.Rule.BEST_ANSWERS in rules:
        found[Badge.Rule.BEST_ANSWERS] = best_answer_counts_of(profile_ids=profile_ids)
    if Badge.Rule.CONNECTOR in rules:
        found[Badge.Rule.CONNECTOR] = connector_reach_of(profile_ids=profile_ids)
    return found


@transaction.atomic
def _badges_award_among(*, profile_ids: list[int]) -> int:
    """The run after a kudos: every badge of AT_THE_MOMENT_RULES these people now qualify for, counted once
    per rule, awarded in one statement and told in one notification each. A fixed number of queries."""
    badges = list(Badge.objects.filter(is_active=True, rule__in=AT_THE_MOMENT_RULES))
    if not badges:
        return 0
    did = _contribution_of(rules={b.rule for b in badges}, profile_ids=profile_ids)
    pairs = []
    for badge in badges:
        counts = did[badge.rule]
        for pk in profile_ids:
            key = (pk, badge.value_id) if badge.rule == Badge.Rule.VALUE_KUDOS else pk
            if counts.get(key, 0) >= badge.threshold:
                pairs.append((badge.pk, pk))
    if not pairs:
        return 0
    # People who left keep the badges they had, and earn no new ones.
    active = set(active_profiles().filter(pk__in={pk for _, pk in pairs}).values_list("pk", flat=True))
    awarded = _awards_insert(
        pairs=[(b, pk) for b, pk in pairs if pk in active], at=timezone.now(), awarded_by=None, note=""
    )
    _awards_announce(awarded=awarded, badges={b.pk: b for b in badges}, actor=None)
    return len(awarded)


def badges_award(*, profile_ids: list[int] | None = None) -> int:
    """Awards every active rule badge to everyone (or, after a kudos, these people, for AT_THE_MOMENT_RULES)
    who now meets its rule and does not have it yet, and tells them; returns how many awards it made.
    Idempotent: a rerun, or two runs at once, award and tell nobody twice. For everyone, each badge commits
    on its own (the #tag badges together), so a crash loses no finished badge: a fixed number of queries per
    badge and one set for all #tags, whatever the number of people. For a few people, one transaction and a
    fixed number of queries whatever the number of badges."""
    badges_ensure()
    if profile_ids is not None:
        return _badges_award_among(profile_ids=sorted(set(profile_ids)))
    total = 0
    rules = Badge.objects.filter(is_active=True).exclude(rule__in=[Badge.Rule.MANUAL, Badge.Rule.TAG_ANSWERS])
    for badge in rules:
        total += len(_badge_award_batch(badge=badge, profile_ids=None))
    return total + len(_tag_badges_award())


@transaction.atomic
def _tag_badges_award() -> list[tuple[int, int]]:
    """ "Go-to person for #tag": a badge per #tag, made the first time someone earns it (an admin may then
    raise its threshold, retire it or rename it), awarded to everyone with enough best answers on questions
    with that tag. Six queries for every tag and person together."""
    lowest = Badge.objects.filter(rule=Badge.Rule.TAG_ANSWERS, is_active=True).aggregate(n=Min("threshold"))[
        "n"
    ]
    found = best_answer_tag_counts(minimum=min(lowest or TAG_BADGE_THRESHOLD, TAG_BADGE_THRESHOLD))
    if not found:
        return []
    tags = {tag_id: name for _, tag_id, name, _ in found}
    Badge.objects.bulk_create(
        [
            Badge(
                slug=f"tag-{tag_id}",
                emoji="🧭",
                name=f"Go-to person for #{name}"[:80],
                description=(
                    f"Had {TAG_BADGE_THRESHOLD} answers chosen as the best on questions tagged #{name}."
                )[:200],
                rule=Badge.Rule.TAG_ANSWERS,
                threshold=TAG_BADGE_THRESHOLD,
                tag_id=tag_id,
                position=200,
            )
            for tag_id, name in tags.items()
        ],
        ignore_conflicts=True,  # made before (or by a concurrent run): kept as the admin left it
    )
    badges = {b.tag_id: b for b in Badge.objects.filter(rule=Badge.Rule.TAG_ANSWERS, tag_id__in=list(tags))}
    pairs = [
        (badges[tag_id].pk, person)
        for person, tag_id, _, answers in found
        if tag_id in badges and badges[tag_id].is_active and answers >= badges[tag_id].threshold
    ]
    active = set(active_profiles().filter(pk__in={p for _, p in pairs}).values_list("pk", flat=True))
    awarded = _awards_insert(
        pairs=[(b, p) for b, p in pairs if p in active], at=timezone.now(), awarded_by=None, note=""
    )
    _awards_announce(awarded=awarded, badges={b.pk: b for b in badges.values()}, actor=None)
    return awarded


@transaction.atomic
def badge_give(*, badge: Badge, profile: Profile, actor: Profile, note: str = "") -> bool:
    """An admin gives a badge by hand; returns False if they already had it."""
    awarded = _awards_insert(
        pairs=[(badge.pk, profile.pk)], at=timezone.now(), awarded_by=actor, note=note[:200]
    )
    if awarded:
        audit_record(actor=actor, action="badge.give", target=profile, badge=badge.pk, note=note[:200])
        _awards_announce(awarded=awarded, badges={badge.pk: badge}, actor=actor)
    return bool(awarded)


def _on_postgresql() -> bool:
    """PostgreSQL is Hive's database; SQLite serves only the laptop demo (`make run`), which gets plain ORM
    versions of the few statements below that only PostgreSQL speaks (unnest, ON CONFLICT)."""
    return connection.vendor == "postgresql"


# --- Celebrations ------------------------------------------------------------------------------------


def _celebrated_days(today: date) -> list[tuple[int, int]]:
    """(month, day) pairs celebrated today: 29 February is celebrated on the 28th in other years."""
    days = [(today.month, today.day)]
    if (today.month, today.day) == (2, 28) and not calendar.isleap(today.year):
        days.append((2, 29))
    return days


def _celebration_claim(*, kind: str, year: int, people: dict[int, int]) -> list[int]:
    """Records these people's celebration of `kind` this year ({profile: years}); returns whom this run
    recorded. ON CONFLICT DO NOTHING on (profile, kind, year): a rerun, or a second run at the same time,
    claims nobody twice and so posts nobody twice."""
    if not people:
        return []
    ids = sorted(people)
    if not _on_postgresql():
        had = set(
            Celebration.objects.filter(kind=kind, year=year, profile_id__in=ids).values_list(
                "profile_id", flat=True
            )
        )
        new = [pk for pk in ids if pk not in had]
        Celebration.objects.bulk_create(
            [Celebration(profile_id=pk, kind=kind, year=year, years=people[pk]) for pk in new]
        )
        return new
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {Celebration._meta.db_table} (profile_id, kind, year, years, created_at) "  # noqa: S608
            "SELECT pid, %s, %s, yrs, now() FROM unnest(%s::bigint[], %s::int[]) AS t(pid, yrs) "
            "ON CONFLICT (profile_id, kind, year) DO NOTHING RETURNING profile_id",
            [kind, year, ids, [people[pk] for pk in ids]],
        )
        return [row[0] for row in cursor.fetchall()]


@transaction.atomic
def celebrations_post(*, today: date | None = None) -> int:
    """Today's work anniversaries (from the HR start date) and the birthdays of people who chose to share
    theirs, each posted once as a celebration card in the feed, in the person's name so their followers see
    it. Returns how many it posted. Idempotent: the claim and the posts commit together."""
    day_of = today or timezone.localdate()
    days = _celebrated_days(day_of)
    on_day = Q()
    for month, day in days:
        on_day |= Q(start_date__month=month, start_date__day=day)
    anniversaries = {
        pk: day_of.year - start.year
        for pk, start in active_profiles()
        .filter(on_day, start_date__year__lt=day_of.year)
        .values_list("pk", "start_date")
        if start is not None
    }
    on_birthday = Q()
    for month, day in days:
        on_birthday |= Q(
            recognition_preference__birthday_month=month, recognition_preference__birthday_day=day
        )
    birthdays = {pk: 0 for pk in active_profiles().filter(on_birthday).values_list("pk", flat=True)}

    claimed = {
        Celebration.Kind.ANNIVERSARY: _celebration_claim(
            kind=Celebration.Kind.ANNIVERSARY, year=day_of.year, people=anniversaries
        ),
        Celebration.Kind.BIRTHDAY: _celebration_claim(
            kind=Celebration.Kind.BIRTHDAY, year=day_of.year, people=birthdays
        ),
    }
    people = Profile.objects.in_bulk([pk for ids in claimed.values() for pk in ids])
    wanted = []
    for kind, ids in claimed.items():
        for pk in ids:
            person = people[pk]
            if kind == Celebration.Kind.BIRTHDAY:
                body = f"🎂 It's {person.display_name}'s birthday today!"
            else:
                years = anniversaries[pk]
                body = (
                    f"🎉 {person.display_name} joined us {years} year{'s' if years != 1 else ''} ago today!"
                )
            wanted.append((kind, person, body))
    posts = system_posts_create(
        posts=[(person, body) for _, person, body in wanted], kind=Post.Kind.CELEBRATION
    )
    rows = {
        (c.profile_id, c.kind): c
        for c in Celebration.objects.filter(year=day_of.year, profile_id__in=list(people), post__isnull=True)
    }
    for (kind, person, _), post in zip(wanted, posts, strict=True):
        rows[(person.pk, kind)].post = post
    Celebration.objects.bulk_update(list(rows.values()), ["post"])
    _celebrations_announce(
        [
            (
                person,
                _celebration_phrase(kind=kind, person=person, years=anniversaries.get(person.pk, 0)),
                post,
            )
            for (kind, person, _), post in zip(wanted, posts, strict=True)
        ]
    )
    return len(posts)


def _celebration_phrase(*, kind: str, person: Profile, years: int) -> str:
    if kind == Celebration.Kind.BIRTHDAY:
        return f"🎂 {person.display_name}'s birthday"
    return f"🎉 {person.display_name}'s {years}-year work anniversary"


def _celebrations_announce(celebrated: list[tuple[Profile, str, Post]]) -> None:
    """Tells each celebrated person's team (their manager, direct reports and the colleagues who share their
    manager) and followers, once, in the same transaction as the claim: so a rerun, which claims nobody,
    tells nobody. Someone close to two people celebrated today gets one notification naming both.
    Three queries and an insert, whatever the number of people told; emails (for those who chose them)
    and live badges go after commit (notify_each)."""
    if not celebrated:
        return
    ids = [person.pk for person, _, _ in celebrated]
    managers = [person.manager_id for person, _, _ in celebrated if person.manager_id]
    followers: dict[int, set[int]] = defaultdict(set)
    for followed, follower in followers_of(profile_ids=ids):
        followers[followed].add(follower)
    close = Q(manager_id__in=ids) | Q(pk__in=managers) | Q(manager_id__in=managers)
    everyone_following = {pk for found in followers.values() for pk in found}
    audience = list(active_profiles().filter(close | Q(pk__in=everyone_following)))
    by_pk = {p.pk: p for p in audience}
    reports: dict[int, set[int]] = defaultdict(set)
    for other in audience:
        if other.manager_id:
            reports[other.manager_id].add(other.pk)
    told: dict[int, list[tuple[str, Post]]] = defaultdict(list)
    for person, phrase, post in celebrated:
        close_ones = reports[person.pk] | followers[person.pk]
        if person.manager_id:
            close_ones |= {person.manager_id} | reports[person.manager_id]
        for pk in sorted(close_ones & by_pk.keys() - {person.pk}):  # people who left are not in by_pk
            told[pk].append((phrase, post))
    messages = []
    for pk, items in told.items():
        phrases = [phrase for phrase, _ in items]
        if len(phrases) == 1:
            summary = f"Today is {phrases[0]}: congratulate them."
        else:
            summary = f"Celebrations today: {', '.join(phrases[:-1])} and {phrases[-1]}."
        messages.append((by_pk[pk], summary, items[0][1].get_absolute_url()))
    notify_each(messages=messages, kind=Kind.CELEBRATION, actor=None)


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
    private_kudos_shown_changed(kudos=kudos, shown=False)
    if kudos.post_id is not None:  # its post's removal takes it out of the counts (kudos_post_shown_changed)
        post_remove_by_moderator(object_id=kudos.post_id, moderator=moderator, at=at)


@transaction.atomic
def kudos_restore_by_moderator(*, object_id: int, moderator: Profile) -> None:
    kudos = Kudos.objects.select_for_update().filter(pk=object_id, removed_at__isnull=False).first()
    if kudos is None:
        return
    kudos.removed_at = None
    kudos.removed_by = None
    kudos.save(update_fields=["removed_at", "removed_by"])
    private_kudos_shown_changed(kudos=kudos, shown=True)
    if kudos.post_id is not None:
        post_restore_by_moderator(object_id=kudos.post_id, moderator=moderator)
