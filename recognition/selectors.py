"""Reads for kudos and points: what a viewer may see of whose kudos, and balances."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from django.db.models import Count, Max, Prefetch, Q, QuerySet, Sum
from django.utils import timezone

from common.pagination import Page, keyset_page
from feed.selectors import answerers_of
from moderation.protocol import Reach
from profiles.models import Profile
from profiles.selectors import active_profiles
from recognition.models import (
    BadgeAward,
    CompanyValue,
    Kudos,
    KudosReceived,
    KudosRecipient,
    KudosTally,
    PointsAccount,
    PointsEntry,
    RecognitionPreference,
    RecognitionSettings,
    Redemption,
    Reward,
)


def active_values() -> list[CompanyValue]:
    return list(CompanyValue.objects.filter(is_active=True))


def _shown(prefix: str = "") -> Q:
    """Kudos still shown (`prefix` leads from the queried model to the kudos): a public one while its post is
    up, a private one until a moderator removes it; what the counts (recognition.counts) count."""
    return Q(**{f"{prefix}is_private": True, f"{prefix}removed_at__isnull": True}) | Q(
        **{f"{prefix}is_private": False, f"{prefix}post__removed_at__isnull": True}
    )


def _received_visible(*, profile: Profile, viewer: Profile | None) -> QuerySet[KudosRecipient]:
    """Kudos this person received that this viewer may see: public ones whose post is still up; private
    ones only for the person, their manager and the giver."""
    seen = Q(kudos__is_private=False, kudos__post__removed_at__isnull=True)
    private = Q(kudos__is_private=True, kudos__removed_at__isnull=True)  # not removed by a moderator
    if viewer is not None and viewer.pk in (profile.pk, profile.manager_id):
        seen |= private
    elif viewer is not None:
        seen |= private & Q(giver=viewer)
    return KudosRecipient.objects.filter(seen, recipient=profile)


def kudos_received(*, profile: Profile, viewer: Profile | None = None, limit: int = 10) -> list[Kudos]:
    rows = (
        _received_visible(profile=profile, viewer=viewer)
        .select_related("kudos__giver")
        .prefetch_related("kudos__values")  # one query for the page's values, whatever the number of kudos
        .order_by("-created_at")[:limit]
    )
    return [row.kudos for row in rows]


@dataclass
class ValueCount:
    name: str
    emoji: str
    kudos: int

    def __str__(self) -> str:
        return f"{self.emoji} {self.name}".strip()


@dataclass
class ReceivedFigures:
    total: int  # kudos received that the viewer may see
    top_values: list[ValueCount]  # the values they are most recognised for, in those


def kudos_received_figures(
    *, profile: Profile, viewer: Profile | None = None, limit: int = 3
) -> ReceivedFigures:
    """How many kudos this person received that this viewer may see (as _received_visible says), and the
    company values they are most recognised for in those: from their counts (KudosReceived, kept by
    recognition.counts), not by counting their kudos, so the most thanked person's profile costs what anyone's
    does. The private kudos a colleague gave them are added for that colleague (a few rows of the pair's
    index). Two queries at most."""
    sees_private = viewer is not None and viewer.pk in (profile.pk, profile.manager_id)
    rows = KudosReceived.objects.filter(recipient=profile).values_list(
        "value_id", "value__name", "value__emoji", "public", "private"
    )
    shown: dict[int | None, int] = {}
    names: dict[int, tuple[str, str]] = {}
    for value_id, name, emoji, public, private in rows:
        shown[value_id] = public + (private if sees_private else 0)
        if value_id is not None:
            names[value_id] = (name, emoji)
    if viewer is not None and not sees_private:
        given = KudosRecipient.objects.filter(
            giver=viewer, recipient=profile, kudos__is_private=True, kudos__removed_at__isnull=True
        ).values_list("kudos_id", "kudos__values")  # a row per kudos and value (one with None without)
        kudos_ids = set()
        for kudos_id, value_id in given:
            kudos_ids.add(kudos_id)
            if value_id is not None:
                shown[value_id] = shown.get(value_id, 0) + 1
        shown[None] = shown.get(None, 0) + len(kudos_ids)
    ranked = sorted(
        (ValueCount(name=names[pk][0], emoji=names[pk][1], kudos=n) for pk, n in shown.items() if pk and n),
        key=lambda v: (-v.kudos, v.name),
    )
    return ReceivedFigures(total=shown.get(None, 0), top_values=ranked[:limit])


def badges_of(*, profile: Profile) -> list[BadgeAward]:
    """Their badges, newest first, with what each is (active badges only). One query."""
    return list(
        BadgeAward.objects.filter(profile=profile, badge__is_active=True)
        .select_related("badge")
        .order_by("-awarded_at", "-id")
    )


def kudos_visible(*, kudos_id: int, viewer: Profile) -> Kudos | None:
    """One kudos with its recipients and values, if this viewer may see it: anyone when public (and its
    post not removed); the giver, the recipients and the recipients' managers when private."""
    kudos = (
        Kudos.objects.select_related("giver", "post")
        .prefetch_related("recipients", "values")
        .filter(pk=kudos_id)
        .first()
    )
    if kudos is None or kudos.removed_at is not None:
        return None
    if not kudos.is_private:
        return kudos if kudos.post is not None and kudos.post.removed_at is None else None
    people = list(kudos.recipients.all())
    allowed = {kudos.giver_id, *(p.pk for p in people), *(p.manager_id for p in people if p.manager_id)}
    return kudos if viewer.pk in allowed else None


WALL_PAGE_SIZE = 20


def kudos_wall(*, value_id: int | None = None, cursor: str | None = None) -> Page:
    """The company's public kudos, newest first, optionally for one value: what everyone may see (the post
    up and not held for review), with giver, project, recipients (`people`) and values (`value_list`) as
    plain lists, in three queries whatever the page holds. Read down kudos_created_idx; a cursor page costs
    what the first does.

    Only the columns a wall card shows are read (a profile row carries its bio, links and languages; the post
    is only filtered on, its address made from post_id), and the recipients and values come as lists rather
    than related managers the template would build again at each use: the wall's cost is mostly Python."""
    rows = (
        Kudos.objects.filter(is_private=False, post__removed_at__isnull=True, post__held_at__isnull=True)
        .select_related("giver", "project")
        .only(
            "id", "created_at", "message", "points_each", "post_id", "giver", "giver__display_name",
            "project", "project__name",
        )
    )  # fmt: skip
    if value_id is not None:
        rows = rows.filter(values=value_id)
    return keyset_page(
        rows.prefetch_related(
            Prefetch("recipients", queryset=Profile.objects.only("id", "display_name"), to_attr="people"),
            Prefetch("values", to_attr="value_list"),
        ),
        keys=("created_at", "id"),
        cursor=cursor,
        size=WALL_PAGE_SIZE,
        descending=True,
    )


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
            Q(kudos__is_private=True, kudos__removed_at__isnull=True)
            | Q(kudos__post__removed_at__isnull=True),
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


# --- Manager view, leaderboard, rings ------------------------------------------------------------


@dataclass
class TeamMember:
    profile: Profile
    last_received: datetime | None
    received_recent: int  # in the window
    given_recent: int

    def quiet_for_days(self, *, now: datetime) -> int | None:
        """Days since they were last recognised (None: never)."""
        return None if self.last_received is None else (now - self.last_received).days


def team_recognition(*, manager: Profile, window_days: int = 90) -> list[TeamMember]:
    """The manager's direct reports with when they were last recognised and what they received and gave in
    the window, people recognised longest ago (or never) first. Three queries whatever the team's size;
    private kudos count too (a manager may see them), kudos taken down do not (a public one whose post a
    moderator or its giver removed, a private one a moderator removed), as everywhere else."""
    reports = list(active_profiles().filter(manager=manager).select_related("department"))
    if not reports:
        return []
    ids = [p.pk for p in reports]
    since = timezone.now() - timedelta(days=window_days)
    received = {
        row["recipient"]: row
        for row in KudosRecipient.objects.filter(_shown("kudos__"), recipient__in=ids)
        .values("recipient")
        .annotate(last=Max("created_at"), recent=Count("id", filter=Q(created_at__gte=since)))
    }
    given = dict(
        Kudos.objects.filter(_shown(), giver__in=ids, created_at__gte=since)
        .values("giver")
        .annotate(n=Count("id"))
        .values_list("giver", "n")
    )
    team = [
        TeamMember(
            profile=p,
            last_received=received.get(p.pk, {}).get("last"),
            received_recent=received.get(p.pk, {}).get("recent", 0),
            given_recent=given.get(p.pk, 0),
        )
        for p in reports
    ]
    oldest = datetime.min.replace(tzinfo=UTC)
    return sorted(team, key=lambda m: (m.last_received or oldest, m.profile.display_name))


def period_starts(*, day: date) -> dict[str, date]:
    """The first day of the month, quarter and year `day` falls in."""
    return {
        "month": day.replace(day=1),
        "quarter": day.replace(month=(day.month - 1) // 3 * 3 + 1, day=1),
        "year": day.replace(month=1, day=1),
    }


PERIODS = {"month": "This month", "quarter": "This quarter", "year": "This year"}
LEADERBOARD_SIZE = 20


@dataclass
class Ranked:
    profile: Profile
    kudos: int
    points: int


def leaderboard(
    *,
    period: str = "month",
    value_id: int | None = None,
    department_id: int | None = None,
    today: date | None = None,
) -> list[Ranked]:
    """The most recognised people this calendar month, quarter or year, by public kudos received (private
    kudos are nobody else's business), optionally for one value or one department. People who opted out, or
    left, are never ranked. Two queries, reading the tallies (KudosTally) down their ranking index rather
    than summing the kudos."""
    if period not in PERIODS:
        period = "month"
    start = period_starts(day=today or timezone.localdate())[period]
    rows = KudosTally.objects.filter(
        # kudos > 0: a row stays at zero once its kudos were all taken down.
        period=period,
        start=start,
        value_id=value_id,
        kudos__gt=0,
        recipient__user__is_active=True,
    ).exclude(recipient__in=RecognitionPreference.objects.filter(leaderboard_opt_out=True).values("profile"))
    if department_id is not None:
        rows = rows.filter(recipient__department=department_id)
    top = list(
        rows.order_by("-kudos", "-points", "recipient").values("recipient", "kudos", "points")[
            :LEADERBOARD_SIZE
        ]
    )
    people = Profile.objects.select_related("department").in_bulk([row["recipient"] for row in top])
    return [Ranked(profile=people[row["recipient"]], kudos=row["kudos"], points=row["points"]) for row in top]


def recognition_preference(*, profile: Profile) -> RecognitionPreference:
    """Their choices (the defaults, unsaved, until they first save the form)."""
    return RecognitionPreference.objects.filter(pk=profile.pk).first() or RecognitionPreference(
        profile=profile
    )


def leaderboard_opted_out(*, profile: Profile) -> bool:
    return RecognitionPreference.objects.filter(pk=profile.pk, leaderboard_opt_out=True).exists()


@dataclass
class Ring:
    one: Profile
    other: Profile
    one_to_other: int  # kudos
    other_to_one: int
    points: int  # both ways
    share: float  # of all the kudos the two gave in the window, the part they gave each other


def recognition_rings(*, window_days: int = 90, threshold: int = 3) -> list[Ring]:
    """Pairs who gave each other at least `threshold` kudos both ways in the window, the pairs who give
    mostly to each other first: reciprocal trading of points, for an admin to look at. Three queries; only
    pairs above the threshold leave the database."""
    since = timezone.now() - timedelta(days=window_days)
    window = KudosRecipient.objects.filter(created_at__gte=since)
    pairs = {
        (row["giver"], row["recipient"]): (row["n"], row["points"] or 0)
        for row in window.values("giver", "recipient")
        .annotate(n=Count("id"), points=Sum("points"))
        .filter(n__gte=threshold)
    }
    mutual = {(a, b) for (a, b) in pairs if a < b and (b, a) in pairs}
    if not mutual:
        return []
    ids = {pk for pair in mutual for pk in pair}
    totals = dict(
        window.filter(giver__in=ids).values("giver").annotate(n=Count("id")).values_list("giver", "n")
    )
    people = Profile.objects.in_bulk(ids)
    rings = []
    for a, b in mutual:
        ab, ba = pairs[(a, b)], pairs[(b, a)]
        rings.append(
            Ring(
                one=people[a],
                other=people[b],
                one_to_other=ab[0],
                other_to_one=ba[0],
                points=ab[1] + ba[1],
                share=(ab[0] + ba[0]) / max(totals.get(a, 0) + totals.get(b, 0), 1),
            )
        )
    return sorted(rings, key=lambda r: (-r.share, -(r.one_to_other + r.other_to_one)))


@dataclass
class Suggestion:
    profile: Profile
    question_id: int
    best: bool  # their answer was the one chosen


SUGGESTION_DAYS = 30


def kudos_suggestions(*, viewer: Profile, limit: int = 3) -> list[Suggestion]:
    """Colleagues who answered the viewer's questions in the last 30 days (chosen answers first) and whom
    the viewer has not recognised since: people to thank. Two queries (none more when nobody answered)."""
    since = timezone.now() - timedelta(days=SUGGESTION_DAYS)
    answerers = answerers_of(asker_id=viewer.pk, since=since, limit=limit * 3)
    if not answerers:
        return []
    thanked = KudosRecipient.objects.filter(giver=viewer, created_at__gte=since).values("recipient")
    people = active_profiles().exclude(pk__in=thanked).in_bulk([pk for pk, _, _ in answerers])
    return [
        Suggestion(profile=people[pk], question_id=question_id, best=best)
        for pk, question_id, best in answerers
        if pk in people
    ][:limit]


def kudos_moderation_readable(*, object_id: int, viewer: Profile) -> bool:
    """For moderation: only who may see a kudos may flag it (a private one: giver, recipients, managers)."""
    return viewer is not None and kudos_visible(kudos_id=object_id, viewer=viewer) is not None


def kudos_moderation_reach(kudos: Kudos) -> Reach:
    """A private kudos reaches its giver, recipients and their managers; a public one, the company."""
    if not kudos.is_private:
        return Reach(audience=None)
    people = list(
        KudosRecipient.objects.filter(kudos=kudos).values_list("recipient_id", "recipient__manager_id")
    )
    return Reach(audience=len({kudos.giver_id, *(p for row in people for p in row if p)}))
