"""A newcomer's first weeks: the checklist on Home, a short tip on a page the first time it is opened,
and the counts the Communications group sees of what newcomers completed (no names, no figure for
fewer than MIN_COHORT people).

What a newcomer completed is read from what they did (a photo, skills, follows, a group, a post), never
stored twice: the only rows of their own are "I dismissed the checklist" and "I have seen this tip".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce, TruncDate
from django.urls import reverse
from django.utils import timezone

from communities.models import Membership
from expertise.models import ProfileSkill
from feed.models import Comment, FollowPerson, NewcomerChecklistDismissal, NewcomerTipSeen, Post
from profiles.models import Profile

# Someone is a newcomer for settings.HIVE_NEWCOMER_DAYS (30 by default) from their start date or,
# without one, from when their profile was made: the checklist is on Home that long unless done or
# dismissed, and so are the tips. 0 turns the path off.
SKILLS_WANTED = 3
FOLLOWS_WANTED = 5
# Communications sees no figure of a cohort smaller than this (as for must-read announcements).
MIN_COHORT = 5
# Cohorts of the figures page: people who started within the last N days.
COHORT_DAYS = (7, 30, 90)


@dataclass(frozen=True)
class Step:
    key: str
    label: str
    url_name: str
    hint: str


STEPS = (
    Step(
        "profile",
        "Add a photo and a few words about you",
        "profiles:edit",
        "Colleagues put a face to the name.",
    ),
    Step(
        "skills",
        f"List {SKILLS_WANTED} skills",
        "expertise:edit_mine",
        "People with a question find you by them.",
    ),
    Step(
        "follow",
        f"Follow {FOLLOWS_WANTED} colleagues",
        "profiles:directory",
        "Their posts then fill your Home. Suggested from your team and office:",
    ),
    Step("group", "Join a group", "communities:index", "For your work, or for fun."),
    Step("post", "Write a first post or answer a question", "feed:questions", "Say hello, or help someone."),
)

TIPS = {
    "home": "This is Home: posts of the people and #tags you follow, and company announcements. "
    "Choose \u201cAsk a question\u201d to ask the whole company.",
    "questions": "Open questions from across the company, those matching your skills first. "
    "Answering one is a fine first post.",
    "people": "Find colleagues by department, office or skill, and follow them to see their posts on Home.",
    "groups": "Groups gather people around a topic, for work or for fun. Join one to see its posts on Home.",
    "skills": "Colleagues with a question find who knows by skills: list yours on your profile.",
    "events": "Ask-me-anything events: put questions to the leaders before and during, and vote for others'.",
}


def newcomer_since(profile: Profile) -> date:
    return profile.start_date or timezone.localdate(profile.created_at)


def is_newcomer(profile: Profile, *, today: date | None = None) -> bool:
    """No query: from the profile row the request already has."""
    days = settings.HIVE_NEWCOMER_DAYS
    if days <= 0:
        return False
    today = today or timezone.localdate()
    since = newcomer_since(profile)
    return since <= today < since + timedelta(days=days)


Progress = tuple[int, int, int, bool, bool, bool]


def _progress(profiles: QuerySet[Profile]) -> list[Progress]:
    """Each person's (profile step, skills, follows, in a group, posted, dismissed): one statement
    for any number of people."""
    rows = profiles.annotate(
        step_profile=Case(
            When(~Q(photo="") & ~Q(bio=""), then=Value(1)), default=Value(0), output_field=IntegerField()
        ),
        skill_total=Coalesce(
            Subquery(
                ProfileSkill.objects.filter(content_object=OuterRef("pk"))
                .values("content_object")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        follow_total=Coalesce(
            Subquery(
                FollowPerson.objects.filter(follower=OuterRef("pk"))
                .values("follower")
                .annotate(n=Count("pk"))
                .values("n")
            ),
            0,
        ),
        step_group=Exists(Membership.objects.filter(profile=OuterRef("pk"))),
        step_post=Exists(Post.objects.filter(author=OuterRef("pk"), removed_at__isnull=True))
        | Exists(
            Comment.objects.filter(
                author=OuterRef("pk"), removed_at__isnull=True, post__kind=Post.Kind.QUESTION
            )
        ),
        dismissed=Exists(NewcomerChecklistDismissal.objects.filter(profile=OuterRef("pk"))),
    ).values_list("step_profile", "skill_total", "follow_total", "step_group", "step_post", "dismissed")
    return list(rows)


@dataclass
class StepState:
    step: Step
    done: bool
    url: str
    detail: str = ""


@dataclass
class Checklist:
    steps: list[StepState]
    suggestions: list[Profile] = field(default_factory=list)  # colleagues to follow

    @property
    def done_count(self) -> int:
        return sum(s.done for s in self.steps)

    @property
    def percent(self) -> int:
        return round(100 * self.done_count / len(self.steps))


def checklist_for(*, viewer: Profile) -> Checklist | None:
    """The checklist while the viewer is a newcomer and has neither dismissed nor finished it: no query
    for anyone else, two for a newcomer (their progress; colleagues to follow while that step is open)."""
    if not is_newcomer(viewer):
        return None
    profile_done, skills, follows, group, posted, dismissed = _progress(Profile.objects.filter(pk=viewer.pk))[
        0
    ]
    if dismissed:
        return None
    done = {
        "profile": bool(profile_done),
        "skills": skills >= SKILLS_WANTED,
        "follow": follows >= FOLLOWS_WANTED,
        "group": bool(group),
        "post": bool(posted),
    }
    if all(done.values()):
        return None
    detail = {
        "skills": f"{min(skills, SKILLS_WANTED)} of {SKILLS_WANTED}",
        "follow": f"{min(follows, FOLLOWS_WANTED)} of {FOLLOWS_WANTED}",
    }

    def url(step: Step) -> str:  # the profile steps open the newcomer's own edit page
        return (
            reverse(step.url_name, args=[viewer.pk])
            if step.url_name == "profiles:edit"
            else reverse(step.url_name)
        )

    checklist = Checklist(steps=[StepState(s, done[s.key], url(s), detail.get(s.key, "")) for s in STEPS])
    if not done["follow"]:
        checklist.suggestions = colleagues_to_follow(viewer=viewer)
    return checklist


def colleagues_to_follow(*, viewer: Profile, limit: int = FOLLOWS_WANTED) -> list[Profile]:
    """People still here whom the viewer does not follow yet: their manager, then those sharing both
    team and office, then team, then office; by name. One query."""
    near = Q(pk=viewer.manager_id) if viewer.manager_id else Q(pk__in=[])
    closeness = [When(pk=viewer.manager_id or 0, then=Value(0))]
    if viewer.department_id and viewer.location_id:
        closeness.append(
            When(department_id=viewer.department_id, location_id=viewer.location_id, then=Value(1))
        )
    if viewer.department_id:
        near |= Q(department_id=viewer.department_id)
        closeness.append(When(department_id=viewer.department_id, then=Value(2)))
    if viewer.location_id:
        near |= Q(location_id=viewer.location_id)
        closeness.append(When(location_id=viewer.location_id, then=Value(3)))
    return list(
        Profile.objects.filter(near, user__is_active=True)
        .exclude(pk=viewer.pk)
        .exclude(pk__in=FollowPerson.objects.filter(follower=viewer).values("followee_id"))
        .select_related("department", "location")
        .annotate(closeness=Case(*closeness, default=Value(4), output_field=IntegerField()))
        .order_by("closeness", "display_name", "id")[:limit]
    )


@transaction.atomic
def checklist_dismiss(*, profile: Profile) -> None:
    """Hides the checklist for good; twice is the same as once."""
    NewcomerChecklistDismissal.objects.get_or_create(profile=profile)


def tip_take(*, profile: Profile, page: str) -> str | None:
    """The page's tip the first time a newcomer opens it (recorded as seen), else None. No query for
    anyone but a newcomer; for them one per page view (two, and the insert, the first time)."""
    text = TIPS.get(page)
    if text is None or not is_newcomer(profile):
        return None
    if NewcomerTipSeen.objects.filter(profile=profile, page=page).exists():
        return None
    try:
        with transaction.atomic():
            NewcomerTipSeen.objects.create(profile=profile, page=page)
    except IntegrityError:  # the same page opened twice at once: the other request shows it
        return None
    return text


# --- What Communications sees ----------------------------------------------------------------------


@dataclass
class Cohort:
    days: int
    people: int
    shown: bool  # False below MIN_COHORT: no figure at all
    steps: list[tuple[Step, int]]  # how many completed each step
    all_done: int
    dismissed: int


def newcomer_figures(*, today: date | None = None) -> list[Cohort]:
    """For people still here who started within the last 7, 30 and 90 days: how many completed each
    step, all of them, or dismissed the checklist. Counts only; one query per cohort."""
    today = today or timezone.localdate()
    started = Coalesce("start_date", TruncDate("created_at"))
    cohorts = []
    for days in COHORT_DAYS:
        people = Profile.objects.annotate(started=started).filter(
            user__is_active=True, started__gt=today - timedelta(days=days), started__lte=today
        )
        # One row of small numbers per newcomer (a 90-day cohort is a few thousand at most), counted here.
        rows = _progress(people)
        totals = dict.fromkeys(
            ("people", "profile", "skills", "follow", "group", "post", "all_done", "dismissed"), 0
        )
        for profile_done, skills, follows, group, posted, dismissed in rows:
            done = {
                "profile": bool(profile_done),
                "skills": skills >= SKILLS_WANTED,
                "follow": follows >= FOLLOWS_WANTED,
                "group": bool(group),
                "post": bool(posted),
            }
            totals["people"] += 1
            for key, value in done.items():
                totals[key] += value
            totals["all_done"] += all(done.values())
            totals["dismissed"] += bool(dismissed)
        shown = totals["people"] >= MIN_COHORT
        cohorts.append(
            Cohort(
                days=days,
                people=totals["people"] if shown else 0,
                shown=shown,
                steps=[(s, totals[s.key] if shown else 0) for s in STEPS],
                all_done=totals["all_done"] if shown else 0,
                dismissed=totals["dismissed"] if shown else 0,
            )
        )
    return cohorts
