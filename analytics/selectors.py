"""Reads for the adoption dashboard."""

from datetime import date, timedelta

from django.db.models import Sum

from analytics.models import DailyRollup
from analytics.services import METRICS
from profiles.models import Department, Profile


def company_days(*, until: date, days: int = 30) -> list[DailyRollup]:
    since = until - timedelta(days=days - 1)
    return list(
        DailyRollup.objects.filter(department__isnull=True, day__gte=since, day__lte=until).order_by("day")
    )


def department_totals(*, until: date, days: int = 30) -> list[dict]:
    """Per department over the period: sums of each metric, plus headcount for participation rates."""
    since = until - timedelta(days=days - 1)
    sums = {
        row["department_id"]: row
        for row in DailyRollup.objects.filter(department__isnull=False, day__gte=since, day__lte=until)
        .values("department_id")
        .annotate(**{m: Sum(m) for m in METRICS})
        .order_by()
    }
    from django.db.models import Count, Q

    departments = Department.objects.annotate(
        headcount=Count("members", filter=Q(members__user__is_active=True))
    ).order_by("name")
    result = []
    for department in departments:
        figures = sums.get(department.pk, {})
        result.append(
            {
                "department": department,
                "headcount": department.headcount,
                **{m: figures.get(m) or 0 for m in METRICS},
            }
        )
    return result


def active_headcount() -> int:
    return Profile.objects.filter(user__is_active=True).count()
