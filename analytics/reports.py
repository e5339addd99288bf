"""The weekly adoption report emailed to the Communications group."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.core.mail import get_connection
from django.db import IntegrityError, transaction
from django.db.models import Count, Q, Sum
from django.urls import reverse

from analytics.models import ActiveDay, DailyRollup, WeeklyReportDelivery
from analytics.services import METRICS, rollup_fill
from common.email import email_build
from profiles import roles
from profiles.models import Department, Profile


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
    """Email the week's report to every Communications member who has not had it; returns how many sent.

    The delivery rows are written in the transaction that sends, so a rerun sends nobody a second copy.
    """
    this_week = week_figures(start=week_start)
    last_week = week_figures(start=week_start - timedelta(days=7))
    departments = department_participation(start=week_start)
    with transaction.atomic():
        done = set(
            WeeklyReportDelivery.objects.filter(week_start=week_start).values_list("profile_id", flat=True)
        )
        recipients = [p for p in weekly_report_recipients() if p.pk not in done]
        if not recipients:
            return 0
        try:
            with transaction.atomic():
                WeeklyReportDelivery.objects.bulk_create(
                    [WeeklyReportDelivery(profile=p, week_start=week_start) for p in recipients]
                )
        except IntegrityError:
            return 0  # another worker is sending this week's report
        context = {
            "week": this_week,
            "previous": last_week,
            "changes": {m: this_week.totals[m] - last_week.totals[m] for m in this_week.totals},
            "departments": departments,
            "dashboard_path": reverse("analytics:dashboard"),
        }
        messages = [
            email_build(name="weekly_report", to=p.user.email, context={**context, "profile": p})
            for p in recipients
        ]
        with get_connection() as connection:
            connection.send_messages(messages)
    return len(messages)
