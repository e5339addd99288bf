"""The weekly adoption report emailed to the Communications group."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db.models import Count, Q, Sum
from django.urls import reverse

from analytics.models import ActiveDay, DailyRollup
from analytics.services import METRICS, rollup_fill
from common.email import email_build
from delivery.kinds import MailKind, Skip
from delivery.services import delivery_plan, delivery_queue
from profiles import roles
from profiles.models import Department, Profile

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


def department_participation(*, start: date) -> list[dict]:
    """Weekly active people as a share of each department's headcount, lowest first: where to act."""
    end = start + timedelta(days=6)
    rows = Department.objects.annotate(
        headcount=Count("members", filter=Q(members__user__is_active=True), distinct=True),
        active=Count(
            "members__active_days__profile",
            filter=Q(members__active_days__day__gte=start, members__active_days__day__lte=end),
            distinct=True,
        ),
    ).order_by("name")
    result = [
        {
            "name": d.name,
            "headcount": d.headcount,
            "active": d.active,
            "share": d.active / d.headcount if d.headcount else 0.0,
        }
        for d in rows
        if d.headcount
    ]
    return sorted(result, key=lambda r: (r["share"], r["name"]))


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
        "departments": department_participation(start=week_start),
        "dashboard_path": reverse("analytics:dashboard"),
    }


def _weekly_report_build(*, profile: Profile, period: str, prepared: dict):
    if not profile.user.groups.filter(name=roles.COMMUNICATIONS).exists():
        raise Skip("no longer in the Communications group")
    return email_build(name="weekly_report", to=profile.user.email, context={**prepared, "profile": profile})


WEEKLY_REPORT_KIND = MailKind(name=WEEKLY_REPORT, prepare=_weekly_report_prepare, build=_weekly_report_build)
