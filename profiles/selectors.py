"""Reads of people: the signed-in viewer, the directory, one profile, the org chart."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypedDict
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from django.db.models import Count, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.utils import timezone

from common.pagination import Page, keyset_page
from profiles.models import Department, Location, Profile
from profiles.services import profile_ensure
from profiles.tenure import years_before
from profiles.validators import link_url_is_safe

if TYPE_CHECKING:
    # django_stubs_ext ships with django-stubs (a dev dependency), so only the type checker imports it.
    from django_stubs_ext import WithAnnotations

# An org chart never walks further up than this: a manager loop (A manages B manages A) that slipped
# into the data stops here instead of hanging the page.
ORG_CHAIN_MAX_DEPTH = 50
ORG_REPORTS_LIMIT = 200

# Directory filter "tenure": value -> label, in the order the select shows them.
TENURE_CHOICES = {
    "new": "Joined in the last 90 days",
    "lt1": "Less than 1 year",
    "1to3": "1 to 3 years",
    "3plus": "3 years or more",
}


def viewer_profile(request) -> Profile:
    """The signed-in person's profile, fetched once per request."""
    cached = getattr(request, "_hive_viewer_profile", None)
    if cached is None:
        cached = (
            Profile.objects.select_related("department", "location").filter(user=request.user).first()
        ) or profile_ensure(user=request.user)
        # The request's own user, not a copy joined in: what is worked out about it once per request
        # (its roles, profiles.roles) then serves `viewer.user` too.
        cached.user = request.user
        request._hive_viewer_profile = cached
    return cached


def active_profiles() -> QuerySet[Profile]:
    """People who still work here: deactivated accounts vanish from lists but keep their content."""
    return Profile.objects.filter(user__is_active=True)


def _tenure_filter(tenure: str, *, today: date) -> Q:
    one_year, three_years = years_before(today, 1), years_before(today, 3)
    if tenure == "new":
        return Q(start_date__gt=today - timedelta(days=90))
    if tenure == "lt1":
        return Q(start_date__gt=one_year)
    if tenure == "1to3":
        return Q(start_date__lte=one_year, start_date__gt=three_years)
    if tenure == "3plus":
        return Q(start_date__lte=three_years)
    raise ValueError(f"Unknown tenure {tenure!r}.")


# Filters that other apps contribute to the directory by name (expertise: "skill"), so profiles
# imports none of them. Each takes what the person typed and returns a condition on Profile, or None
# when nobody can match (the page is then empty without querying people).
DirectoryFilter = Callable[[str], Q | None]
_directory_filters: dict[str, DirectoryFilter] = {}


def directory_filter_register(*, name: str, query: DirectoryFilter) -> None:
    """Called from the contributing app's AppConfig.ready()."""
    _directory_filters[name] = query


def _contributed_filter(name: str, value: str) -> Q | None:
    try:
        query = _directory_filters[name]
    except KeyError:
        raise ImproperlyConfigured(f"No app contributes the directory filter {name!r}.") from None
    return query(value)


def directory_page(
    *,
    cursor: str | None,
    department_id: int | None = None,
    location_id: int | None = None,
    skill: str | None = None,
    tenure: str | None = None,
    size: int = 30,
) -> Page:
    """One page of active people, alphabetical, with any combination of filters: one query, two
    with a skill.

    `skill` is a skill's slug (or its name, any case), matched by the filter expertise contributes.
    Raises ValueError for an unknown tenure and BadCursor for an edited cursor.
    """
    qs = active_profiles().select_related("department", "location")
    if department_id:
        qs = qs.filter(department_id=department_id)
    if location_id:
        qs = qs.filter(location_id=location_id)
    if skill:
        condition = _contributed_filter("skill", skill)
        if condition is None:
            return Page(items=[], next_cursor=None)
        qs = qs.filter(condition)
    if tenure:
        qs = qs.filter(_tenure_filter(tenure, today=timezone.localdate()))
    return keyset_page(qs, keys=("display_name", "id"), cursor=cursor, size=size, descending=False)


def departments() -> list[Department]:
    return list(Department.objects.all())


def locations() -> list[Location]:
    return list(Location.objects.all())


def department_choices() -> tuple[tuple[int, str], ...]:
    """(id, name) of every department, by name: a filter's options (and its memo key: values, not objects)."""
    return tuple(Department.objects.values_list("id", "name"))


def location_choices() -> tuple[tuple[int, str], ...]:
    """(id, name) of every office, by name."""
    return tuple(Location.objects.values_list("id", "name"))


def profile_detail(*, profile_id: int) -> Profile | None:
    return (
        Profile.objects.select_related("user", "department", "location", "manager")
        .filter(pk=profile_id)
        .first()
    )


def profile_by_id(*, profile_id: int, active_only: bool = False) -> Profile | None:
    """The person with their account (for their email and name), or None."""
    qs = active_profiles() if active_only else Profile.objects.all()
    return qs.select_related("user").filter(pk=profile_id).first()


def profile_by_handle(*, handle: str) -> Profile | None:
    """Whom an @handle names: the colleague whose work email starts with it, people still here first."""
    return (
        Profile.objects.filter(user__email__istartswith=f"{handle}@")
        .order_by("-user__is_active", "id")
        .first()
    )


def direct_reports(*, profile: Profile, limit: int = 50) -> list[Profile]:
    return list(active_profiles().filter(manager=profile).order_by("display_name", "id")[:limit])


def profile_local_time(*, profile: Profile, now: datetime | None = None) -> datetime | None:
    """The time now where the person works (their location's time zone), or None if unknown."""
    if profile.location is None or not profile.location.time_zone:
        return None
    try:
        zone = ZoneInfo(profile.location.time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        return None
    return (now or timezone.now()).astimezone(zone)


def profile_tenure(*, start_date: date | None, today: date | None = None) -> str:
    """ "3 years at the company", "5 months at the company", "Joined this month"; "" if unknown."""
    if start_date is None:
        return ""
    today = today or timezone.localdate()
    if start_date > today:
        return f"Starts on {start_date.day} {start_date:%B %Y}"
    months = (today.year - start_date.year) * 12 + today.month - start_date.month
    if today.day < start_date.day:
        months -= 1
    if months >= 12:
        years = months // 12
        return f"{years} year{'s' if years != 1 else ''} at the company"
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''} at the company"
    return "Joined this month" if (today - start_date).days < 31 else "1 month at the company"


def profile_links(*, profile: Profile) -> list[dict]:
    """The profile's links that are safe to put in an href (http/https), whatever is stored."""
    return [
        link
        for link in profile.links or []
        if isinstance(link, dict) and link_url_is_safe(link.get("url", ""))
    ]


class _ReportCount(TypedDict):
    report_count: int


@dataclass
class OrgChart:
    chain: list["WithAnnotations[Profile, _ReportCount]"]  # the top of the company first, own manager last
    person: Profile
    reports: list["WithAnnotations[Profile, _ReportCount]"]
    more_reports: bool
    loop: bool  # the chain came back to someone already in it (bad data)


def _report_count() -> Count:
    return Count("direct_reports", filter=Q(direct_reports__user__is_active=True))


def _management_chain_ids(*, profile_id: int, max_depth: int) -> list[int]:
    """Ids from the person up to the top, one recursive query whatever the depth.

    UNION ALL plus a depth cap rather than UNION: a loop makes the rows repeat with growing depth,
    and the cap ends it. Works on PostgreSQL and on SQLite (the demo).
    """
    table = connection.ops.quote_name(Profile._meta.db_table)
    sql = f"""
        WITH RECURSIVE chain(id, manager_id, depth) AS (
            SELECT id, manager_id, 0 FROM {table} WHERE id = %s
            UNION ALL
            SELECT p.id, p.manager_id, chain.depth + 1
            FROM {table} p JOIN chain ON p.id = chain.manager_id
            WHERE chain.depth < %s
        )
        SELECT id FROM chain ORDER BY depth
    """  # noqa: S608 - the only interpolation is the model's own table name, quoted
    with connection.cursor() as cursor:
        cursor.execute(sql, [profile_id, max_depth])
        return [row[0] for row in cursor.fetchall()]


def org_chart(*, profile: Profile, max_depth: int = ORG_CHAIN_MAX_DEPTH) -> OrgChart:
    """The management chain up to the top, the person, and their direct reports: three queries."""
    ids = _management_chain_ids(profile_id=profile.pk, max_depth=max_depth)
    chain_ids: list[int] = []
    loop = False
    for pk in ids[1:]:
        if pk == profile.pk or pk in chain_ids:
            loop = True
            break
        chain_ids.append(pk)
    # Managers who have left stay in the chain (marked on the page): the structure is still theirs.
    by_id = {
        p.pk: p
        for p in Profile.objects.filter(pk__in=chain_ids)
        .select_related("user", "department", "location")
        .annotate(report_count=_report_count())
    }
    chain = [by_id[pk] for pk in reversed(chain_ids) if pk in by_id]
    reports = list(
        active_profiles()
        .filter(manager=profile)
        .select_related("department", "location")
        .annotate(report_count=_report_count())
        .order_by("display_name", "id")[: ORG_REPORTS_LIMIT + 1]
    )
    return OrgChart(
        chain=chain,
        person=profile,
        reports=reports[:ORG_REPORTS_LIMIT],
        more_reports=len(reports) > ORG_REPORTS_LIMIT,
        loop=loop,
    )


def people_named(*, name: Q, email_prefix: str, limit: int = 8) -> list[Profile]:
    """Active people whose profile matches `name` or whose work email starts with `email_prefix` (any
    case), alphabetical, with their account and department: one query. For pickers that suggest
    people as a name is typed (@mention), one request per keystroke pause.

    On PostgreSQL the name and the email are matched in two arms, each ordered and limited on its
    own, then merged: with the OR across the two tables, PostgreSQL walked the directory in name
    order joining every person's account to test the email ("@ann" read 6,651 people and their
    accounts, 26,644 pages; a name with no match, every person). Apart, the name arm can use
    profile_name_upper_trgm (profiles/migrations/0010, the trigram index on exactly the expression
    `icontains`/`istartswith` render) or walk the directory index without touching accounts, as the
    expression's statistics say is cheaper; the email arm reads search_user_email_upper and sorts
    what it found. It sorts on the name as an expression (same order, same ties) so that PostgreSQL
    cannot take the directory walk there instead: that walk tests every person's account for the
    few whose email starts so. Only what the suggestions show is loaded (no bio, phone or password).
    """
    email = Q(user__email__istartswith=email_prefix)
    if connection.features.supports_slicing_ordering_in_compound:
        by_name = active_profiles().filter(name).order_by("display_name", "id").values("id")[:limit]
        by_email = (
            active_profiles()
            .filter(email)
            .order_by(Concat("display_name", Value("")), "id")
            .values("id")[:limit]
        )
        found = Profile.objects.filter(id__in=by_name.union(by_email, all=True))
    else:  # SQLite (the laptop demo) refuses LIMIT inside UNION; its few hundred people need no index
        found = active_profiles().filter(name | email)
    return list(
        found.select_related("user", "department").only(*_SUGGESTED).order_by("display_name", "id")[:limit]
    )


# What a suggestion shows: the name, title, photo, work email and department.
_SUGGESTED = ("id", "display_name", "job_title", "photo", "user__email", "department__name")


def people_suggest(*, query: str, limit: int = 8) -> list[Profile]:
    """For pickers: active people whose name contains, or whose email starts with, what was typed."""
    query = query.strip()
    if len(query) < 2:
        return []
    # One query with the OR, not people_named's two arms: "contains" matches many names early in the
    # directory's order, so walking it finds 8 soon ("ann": 1,416 pages against the arms' 3,689, whose
    # email arm reads every address with the prefix; measured with run.py --pages on 100,000 people).
    # A name typed with no match still walks the whole directory (9,000 pages).
    return list(
        active_profiles()
        .filter(Q(display_name__icontains=query) | Q(user__email__istartswith=query))
        .select_related("user", "department")
        .only(*_SUGGESTED)
        .order_by("display_name", "id")[:limit]
    )
