"""Reads of people: the signed-in viewer, the directory, one profile."""

from django.db.models import QuerySet

from common.pagination import Page, keyset_page
from profiles.models import Department, Profile
from profiles.services import profile_ensure


def viewer_profile(request) -> Profile:
    """The signed-in person's profile, fetched once per request."""
    cached = getattr(request, "_hive_viewer_profile", None)
    if cached is None:
        cached = (
            Profile.objects.select_related("user", "department", "location").filter(user=request.user).first()
        ) or profile_ensure(user=request.user)
        request._hive_viewer_profile = cached
    return cached


def active_profiles() -> QuerySet[Profile]:
    """People who still work here: deactivated accounts vanish from lists but keep their content."""
    return Profile.objects.filter(user__is_active=True)


def directory_page(*, cursor: str | None, department_id: int | None = None, size: int = 30) -> Page:
    qs = active_profiles().select_related("department", "location")
    if department_id:
        qs = qs.filter(department_id=department_id)
    return keyset_page(qs, keys=("display_name", "id"), cursor=cursor, size=size, descending=False)


def departments() -> list[Department]:
    return list(Department.objects.all())


def profile_detail(*, profile_id: int) -> Profile | None:
    return (
        Profile.objects.select_related("user", "department", "location", "manager")
        .filter(pk=profile_id)
        .first()
    )


def direct_reports(*, profile: Profile) -> list[Profile]:
    return list(active_profiles().filter(manager=profile).order_by("display_name")[:50])


def people_suggest(*, query: str, limit: int = 8) -> list[Profile]:
    """For pickers: active people whose name or email starts with (or contains) what was typed."""
    query = query.strip()
    if len(query) < 2:
        return []
    from django.db.models import Q

    return list(
        active_profiles()
        .filter(Q(display_name__icontains=query) | Q(user__email__istartswith=query))
        .select_related("user", "department")
        .order_by("display_name", "id")[:limit]
    )
