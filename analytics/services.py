"""State changes of analytics: the weekly report's rollup, objectives and the dormant-group playbook."""

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone

from analytics.fill import DORMANT_DAYS
from analytics.models import ALL, ActiveDay, DailyRollup, GroupAction, GroupActivity, Objective
from common.days import company_today, day_bounds
from communities.models import Community, Membership
from feed.models import Comment, Post, Reaction
from moderation.services import audit_record
from notifications.models import Kind as NotificationKind
from notifications.services import notify
from profiles.models import Department, Profile
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


# --- Objectives and the dormant-group playbook ----------------------------------------------------


@transaction.atomic
def objective_create(
    *, actor: Profile, measure: str, department: int, target_percent: Decimal, due: date
) -> Objective:
    """A target for the Communications team; the target is a share of people, the date still ahead."""
    if measure not in Objective.Measure.values:
        raise ValidationError({"measure": "Choose what the objective measures."})
    if not 0 < target_percent <= 100:
        raise ValidationError(
            {"target_percent": "The target is a share of people: more than 0% and at most 100%."}
        )
    if due <= company_today():
        raise ValidationError({"due": "The date must be in the future."})
    if department != ALL and not Department.objects.filter(pk=department).exists():
        raise ValidationError({"department": "There is no such department."})
    objective = Objective.objects.create(
        measure=measure, department=department, target_percent=target_percent, due=due, created_by=actor
    )
    audit_record(actor=actor, action="objective.create", target=objective, target_percent=str(target_percent))
    return objective


@transaction.atomic
def objective_delete(*, actor: Profile, objective_id: int) -> None:
    objective = Objective.objects.select_for_update().get(pk=objective_id)
    audit_record(actor=actor, action="objective.delete", target=objective, what=str(objective))
    objective.delete()


def _similar_active_group(community: Community) -> Community | None:
    """The group, active in the last DORMANT_DAYS, that shares the most members with `community`."""
    cutoff = timezone.now() - timedelta(days=DORMANT_DAYS)
    members = Membership.objects.filter(community=community).values("profile_id")
    best = (
        Membership.objects.filter(profile_id__in=members)
        .exclude(community=community)
        .filter(community__in=GroupActivity.objects.filter(last_post_at__gte=cutoff).values("community_id"))
        .values("community_id")
        .annotate(shared=Count("pk"))
        .order_by("-shared", "community_id")
        .first()
    )
    return Community.objects.get(pk=best["community_id"]) if best else None


@transaction.atomic
def group_action_take(*, actor: Profile, community_id: int, kind: str) -> GroupAction:
    """One click of the playbook: tell the group's admins (a nudge, or a merge suggestion naming the
    active group that shares most members), and record it so its effect can be measured."""
    community = Community.objects.get(pk=community_id)
    admins = list(
        Profile.objects.filter(
            community_memberships__community=community, community_memberships__role=Membership.Role.ADMIN
        )
    )
    if not admins:
        raise ValidationError("This group has no admin to tell.")
    activity = GroupActivity.objects.filter(community=community).first()
    merge_into = None
    if kind == GroupAction.Kind.NUDGE:
        summary = (
            f"{community.name} has been quiet for a while: a question or a short update often brings "
            "a group back."
        )
    elif kind == GroupAction.Kind.MERGE:
        merge_into = _similar_active_group(community)
        if merge_into is None:
            raise ValidationError("No active group shares members with this one: nothing to suggest.")
        summary = (
            f"{community.name} is quiet; its members are active in {merge_into.name}. "
            "Consider merging the two."
        )
    else:
        raise ValidationError("Unknown action.")
    action = GroupAction.objects.create(
        community=community,
        kind=kind,
        merge_into=merge_into,
        taken_by=actor,
        last_post_before=activity.last_post_at if activity else None,
    )
    notify(
        recipients=admins,
        kind=NotificationKind.GROUP,
        actor=actor,
        summary=summary,
        url=community.get_absolute_url(),
    )
    audit_record(actor=actor, action=f"group.{kind}", target=community)
    return action
