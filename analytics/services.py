"""The adoption rollup: one day's figures per department and for the company."""

from collections import defaultdict
from datetime import date

from django.db import transaction
from django.db.models import Count

from analytics.models import ActiveDay, DailyRollup
from common.days import day_bounds
from feed.models import Comment, Post, Reaction
from profiles.models import Department
from recognition.models import Kudos

METRICS = ("active_users", "posts", "comments", "reactions", "kudos")


def _count_by_department(qs, department_path: str, distinct_field: str | None = None) -> dict:
    count = Count(distinct_field, distinct=True) if distinct_field else Count("pk")
    return {row[department_path]: row["n"] for row in qs.values(department_path).annotate(n=count).order_by()}


@transaction.atomic
def rollup_fill(*, day: date) -> list[DailyRollup]:
    """Recompute `day` from the source tables and replace its rows: running it twice gives the same rows.

    Departments are counted as people belong to them now; content removed by its author or a moderator
    still counts as activity on the day it happened.
    """
    start, end = day_bounds(day)
    per_metric = {
        "active_users": _count_by_department(
            ActiveDay.objects.filter(day=day), "profile__department_id", "profile_id"
        ),
        "posts": _count_by_department(
            Post.objects.filter(created_at__gte=start, created_at__lt=end, kind=Post.Kind.UPDATE),
            "author__department_id",
        ),
        "comments": _count_by_department(
            Comment.objects.filter(created_at__gte=start, created_at__lt=end), "author__department_id"
        ),
        "reactions": _count_by_department(
            Reaction.objects.filter(created_at__gte=start, created_at__lt=end), "profile__department_id"
        ),
        "kudos": _count_by_department(
            Kudos.objects.filter(created_at__gte=start, created_at__lt=end), "giver__department_id"
        ),
    }
    rows: dict[int | None, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    company = dict.fromkeys(METRICS, 0)
    known_departments = set(Department.objects.values_list("pk", flat=True))
    for metric, by_department in per_metric.items():
        for department_id, n in by_department.items():
            company[metric] += n
            if department_id in known_departments:
                rows[department_id][metric] = n
    # Active users may touch several departments' rows but count once for the company.
    company["active_users"] = ActiveDay.objects.filter(day=day).values("profile_id").distinct().count()

    DailyRollup.objects.filter(day=day).delete()
    records = [DailyRollup(day=day, department=None, **company)]
    records += [DailyRollup(day=day, department_id=dep, **figures) for dep, figures in rows.items()]
    return DailyRollup.objects.bulk_create(records)
