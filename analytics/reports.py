"""The weekly adoption report emailed to the Communications group."""

from dataclasses import dataclass
from datetime import date, timedelta
from email.mime.image import MIMEImage

from django.contrib.auth.models import Group
from django.db.models import Exists, F, OuterRef, Sum
from django.urls import reverse

from analytics import selectors
from analytics.fill import segments_backfill
from analytics.models import OTHER, ActiveDay, DailyRollup
from analytics.report_charts import active_people_chart, contributions_chart
from analytics.selectors import Row
from analytics.services import METRICS, rollup_fill
from common.days import day_bounds
from common.email import email_build
from communities.models import Community
from delivery.kinds import MailKind, Skip
from delivery.services import delivery_plan, delivery_queue
from feed.models import Post
from feed.selectors import public_posts
from moderation.selectors import queue_counts
from profiles import roles
from profiles.models import Profile
from recognition.models import KudosRecipient

WEEKLY_REPORT = "weekly_report"


@dataclass
class WeekFigures:
    start: date
    end: date  # inclusive
    weekly_active: int
    headcount: int
    totals: dict[str, int]

    @property
    def active_share(self) -> float:
        return self.weekly_active / self.headcount if self.headcount else 0.0


def _ensure_rollups(start: date, end: date) -> None:
    """Fill any day the nightly job missed, so the report never silently shows zeros."""
    have = set(
        DailyRollup.objects.filter(department__isnull=True, day__gte=start, day__lte=end).values_list(
            "day", flat=True
        )
    )
    day = start
    while day <= end:
        if day not in have:
            rollup_fill(day=day)
        day += timedelta(days=1)


def week_figures(*, start: date) -> WeekFigures:
    end = start + timedelta(days=6)
    _ensure_rollups(start, end)
    sums = DailyRollup.objects.filter(department__isnull=True, day__gte=start, day__lte=end).aggregate(
        **{m: Sum(m) for m in METRICS if m != "active_users"}
    )
    return WeekFigures(
        start=start,
        end=end,
        weekly_active=ActiveDay.objects.filter(day__gte=start, day__lte=end)
        .values("profile_id")
        .distinct()
        .count(),
        headcount=Profile.objects.filter(user__is_active=True).count(),
        totals={k: v or 0 for k, v in sums.items()},
    )


def _row(row: Row) -> dict:
    headcount, active = int(row.figures["headcount"]), int(row.figures["active_7"])
    return {
        "name": row.label,
        "headcount": headcount,
        "active": active,
        "share": row.share("active_7") or 0.0,
    }


def week_segments(*, start: date) -> dict:
    """The week from the stored figures, with their privacy rule: weekly active people per department,
    office and tenure band (lowest share first; groups under 5 people only inside "Other"), the share
    who posted or commented in 28 days, and how many announcements reached someone's screen. Days the
    nightly job missed are filled first."""
    end = start + timedelta(days=6)
    segments_backfill(start=start, end=end, missing_only=True)
    board = selectors.dashboard(start=start, end=end, segment=selectors.Segment(), names=selectors.labels())

    def lowest_first(axis: str) -> list[dict]:
        rows = board.breakdowns.get(axis, [])
        shown = sorted(
            (r for r in rows if r.key != OTHER), key=lambda r: (r.share("active_7") or 0.0, r.label)
        )
        return [_row(r) for r in shown] + [_row(r) for r in rows if r.key == OTHER]

    total = board.total
    departments, offices, bands = (
        lowest_first("department"),
        lowest_first("location")[:5],
        lowest_first("tenure"),
    )
    return {
        "departments": departments,
        "offices": offices,
        "tenure_bands": bands,
        "segment_tables": [
            ("Weekly active by department, lowest first", departments),
            ("By office, lowest first", offices),
            ("By tenure, lowest first", bands),
        ],
        "contributors_share": total.share("contributors_28") if total else None,
        "announcements_seen": int(total.figures["announcements_seen"]) if total else 0,
    }


DORMANT_DAYS = 30


def _daily(start: date) -> dict[date, DailyRollup]:
    rows = DailyRollup.objects.filter(
        department__isnull=True, day__gte=start, day__lte=start + timedelta(days=6)
    )
    return {row.day: row for row in rows}


def weekly_charts(*, start: date) -> dict[str, bytes]:
    """The report's two charts as PNG bytes, keyed by the Content-ID the HTML refers to."""
    days = [start + timedelta(days=n) for n in range(7)]
    this, last = _daily(start), _daily(start - timedelta(days=7))

    def series(rows, metric: str, shift: int = 0) -> list[int]:
        return [getattr(rows.get(d - timedelta(days=shift)), metric, 0) for d in days]

    return {
        "active-people": active_people_chart(
            days=days, this_week=series(this, "active_users"), last_week=series(last, "active_users", 7)
        ),
        "contributions": contributions_chart(
            days=days,
            posts=series(this, "posts"),
            comments=series(this, "comments"),
            reactions=series(this, "reactions"),
        ),
    }


def week_highlights(*, start: date, headcount: int) -> dict:
    """What the Communications group acts on, from content everyone may read only (a private group's
    posts never reach the report): the most engaging threads, questions still unanswered, groups gone
    quiet, how many people were recognised, and the moderation queue."""
    begin, end = day_bounds(start)[0], day_bounds(start + timedelta(days=6))[1]
    week = public_posts().filter(created_at__gte=begin, created_at__lt=end)
    threads = list(
        week.select_related("author", "community")
        .annotate(score=F("reaction_count") + 2 * F("comment_count"))
        .order_by("-score", "-id")[:5]
    )
    unanswered = week.filter(kind=Post.Kind.QUESTION, comment_count=0)
    quiet_since = end - timedelta(days=DORMANT_DAYS)
    dormant = (
        Community.objects.filter(member_count__gt=0, created_at__lt=quiet_since)
        .exclude(
            Exists(
                Post.objects.filter(
                    community=OuterRef("pk"), created_at__gte=quiet_since, removed_at__isnull=True
                )
            )
        )
        .order_by("-member_count", "name")
    )
    recognised = (
        KudosRecipient.objects.filter(created_at__gte=end - timedelta(days=30), created_at__lt=end)
        .values("recipient_id")
        .distinct()
        .count()
    )
    return {
        "threads": threads,
        "unanswered_count": unanswered.count(),
        "unanswered": list(unanswered.select_related("author").order_by("created_at", "id")[:5]),
        "dormant_count": dormant.count(),
        "dormant": list(dormant[:5]),
        "dormant_days": DORMANT_DAYS,
        "recognised": recognised,
        "recognised_share": recognised / headcount if headcount else 0.0,
        "moderation_backlog": queue_counts(admin=True).by_status["all"],
    }


def weekly_report_recipients() -> list[Profile]:
    group = Group.objects.filter(name=roles.COMMUNICATIONS).first()
    if group is None:
        return []
    return list(
        Profile.objects.filter(user__groups=group, user__is_active=True).select_related("user").order_by("id")
    )


def weekly_report_send(*, week_start: date) -> int:
    """Queue the week's report to every Communications member still owed it; returns how many queued.

    The delivery path sends each person's copy in its own short transaction, so a crash half-way
    neither loses the rest nor re-sends what went out (Django admin: Delivery runs)."""
    run = delivery_plan(
        kind=WEEKLY_REPORT,
        period=week_start.isoformat(),
        profile_ids=[p.pk for p in weekly_report_recipients()],
    )
    return delivery_queue(run=run)


def _weekly_report_prepare(period: str) -> dict:
    """The figures every copy shares, computed once per batch."""
    week_start = date.fromisoformat(period)
    this_week = week_figures(start=week_start)
    last_week = week_figures(start=week_start - timedelta(days=7))
    return {
        "week": this_week,
        "previous": last_week,
        "changes": {m: this_week.totals[m] - last_week.totals[m] for m in this_week.totals},
        "active_change": this_week.weekly_active - last_week.weekly_active,
        **week_segments(start=week_start),
        "dashboard_path": reverse("analytics:dashboard"),
        **week_highlights(start=week_start, headcount=this_week.headcount),
        "charts": weekly_charts(start=week_start),
    }


def _weekly_report_prepare_batch(
    period: str, prepared: dict, profiles: list[Profile], refs: list[int]
) -> dict:
    """Who of the batch is still in the Communications group: one query for the whole batch (someone
    who left the group since the run was planned gets no report)."""
    still_in = set(
        Profile.objects.filter(
            pk__in=[p.pk for p in profiles], user__groups__name=roles.COMMUNICATIONS
        ).values_list("pk", flat=True)
    )
    return {**prepared, "still_in_communications": still_in}


def _weekly_report_build(*, profile: Profile, period: str, prepared: dict, ref: int = 0):
    if profile.pk not in prepared["still_in_communications"]:
        raise Skip("no longer in the Communications group")
    message = email_build(
        name="weekly_report", to=profile.user.email, context={**prepared, "profile": profile}
    )
    # multipart/related: the HTML shows the charts from the message itself (src="cid:..."), so they
    # appear without the client fetching anything.
    message.mixed_subtype = "related"
    for content_id, png in prepared["charts"].items():
        image = MIMEImage(png, _subtype="png")
        image.add_header("Content-ID", f"<{content_id}>")
        image.add_header("Content-Disposition", "inline", filename=f"{content_id}.png")
        message.attach(image)
    return message


WEEKLY_REPORT_KIND = MailKind(
    name=WEEKLY_REPORT,
    prepare=_weekly_report_prepare,
    build=_weekly_report_build,
    prepare_batch=_weekly_report_prepare_batch,
)
