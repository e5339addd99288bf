"""Reads for the search box (people, skills, projects) and the "who knows X?" expert finder.

Each page runs the same few queries whatever the size of the company: one per result group, each
limited, and a final one to load the people ranked. The database-specific matching lives in
search.backends (PostgreSQL full-text and trigram search; a plain fallback for the SQLite demo).
"""

import difflib
import math
from dataclasses import dataclass, field
from datetime import datetime

from django.db import connection
from django.db.models import Case, F, FloatField, Value, When
from django.db.models.functions import Ln

from expertise.models import ProfileSkill, Skill
from expertise.selectors import skills_popular
from profiles.models import Profile
from profiles.selectors import active_profiles, profile_local_time
from projects.models import Project
from search import backends
from search.text import snippet, words_of

PER_GROUP = 10
# A skill spelled this close to the query (difflib ratio over the whole name) is what was meant:
# "kubernets" -> Kubernetes 0.95, "pyhton" -> Python 0.83; but "java" -> Jamf is only 0.5.
CORRECTION_RATIO = 0.75
# Exact matches score 3 or more on both backends (see search.backends).
EXACT = 3.0

TOPIC_SKILLS = 5  # skills considered for one topic ("Kubernetes", "Kubernetes operators", ...)
CANDIDATES = 200  # people kept from each source before the final ranking
RECENT_POSTS = 2000  # newest matching posts counted per topic
NEAR_LIMIT = 10
ELSEWHERE_LIMIT = 20

_PERSON_FIELDS = (
    "id",
    "display_name",
    "job_title",
    "department__name",
    "location__name",
    "location__time_zone",
)


# --- The search box -------------------------------------------------------------------------


@dataclass
class PersonHit:
    person: Profile
    # Why they are listed when it is not their name: "Kubernetes · Expert".
    reason: str = ""


@dataclass
class ProjectHit:
    project: Project
    snippet: list[tuple[str, bool]]


@dataclass
class SearchResults:
    query: str
    people: list[PersonHit]
    skills: list[Skill]
    projects: list[ProjectHit]
    did_you_mean: str | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.people or self.skills or self.projects)


def _is_exact(skill: Skill) -> bool:
    return skill.similarity >= EXACT


def _corrections(query: str, skills: list[Skill]) -> list[str]:
    """Names of skills spelled close to the query: what "kubernets" meant.

    Only when no skill is spelled exactly as typed: "Java" means Java, not JavaScript. The
    backends find the candidates; the spelling test runs here on those few names.
    """
    if any(_is_exact(s) for s in skills):
        return []
    query = query.lower()
    close = [
        s.name
        for s in skills
        if difflib.SequenceMatcher(None, query, s.name.lower()).ratio() >= CORRECTION_RATIO
    ]
    return close[:2]


# How sure a listing is: self-rated level plus endorsements, with diminishing returns. On PostgreSQL,
# search/migrations/0002 indexes exactly this expression per skill; change both or neither.
HOLDER_SCORE = F("level") + Value(2.0) * Ln(F("endorsement_count") + Value(1.0))
_HOLDER_ORDER = ("-score", "-endorsement_count", "content_object_id")


def _skill_holders(*, skills: list[Skill], limit: int, with_people: bool = True) -> list[ProfileSkill]:
    """Active people listing any of the skills, the surest first (fit x HOLDER_SCORE).

    with_people=False leaves each person to be loaded by the caller (content_object_id only).

    Each skill's best listings are read in order off the search_skill_holder_rank index (a skill's
    fit is the same for all its rows, so its best rows by HOLDER_SCORE are its best by score):
    the top of "Python" costs the same as the top of a skill three people list. Only the best of
    those across the skills are joined to people. Run outside backend.session(): its planner
    settings forbid ordered index scans.
    """
    if not skills:
        return []
    # Room for people who have left, dropped by the outer query.
    room = limit * 2
    if connection.features.supports_slicing_ordering_in_compound:
        first, *rest = [
            ProfileSkill.objects.filter(tag=skill)
            .annotate(score=HOLDER_SCORE)
            .order_by(*_HOLDER_ORDER)
            .values("id")[:room]
            for skill in skills
        ]
        # Then the best of those across the skills, before any of them is joined to people.
        best = (
            ProfileSkill.objects.filter(id__in=first.union(*rest, all=True))
            .annotate(score=_skill_weight(skills) * HOLDER_SCORE)
            .order_by(*_HOLDER_ORDER)
            .values("id")[:room]
        )
    else:
        # SQLite (the demo): one ranked query over all their rows, a few hundred at most.
        best = (
            ProfileSkill.objects.filter(tag__in=skills)
            .annotate(score=_skill_weight(skills) * HOLDER_SCORE)
            .order_by(*_HOLDER_ORDER)
            .values("id")[:room]
        )
    found = (
        ProfileSkill.objects.filter(id__in=best, content_object__user__is_active=True)
        .annotate(score=_skill_weight(skills) * HOLDER_SCORE)
        .order_by(*_HOLDER_ORDER)
    )
    # Not the skills: they are at hand, and each table joined costs the planner more than the few
    # rows cost to read.
    fields = ("id", "tag", "level", "endorsement_count", "content_object")
    if with_people:
        found = found.select_related("content_object__department", "content_object__location").only(
            *fields, *(f"content_object__{f}" for f in _PERSON_FIELDS)
        )
    else:
        found = found.only(*fields)
    items = list(found[:limit])
    by_id = {skill.pk: skill for skill in skills}
    for item in items:
        item.tag = by_id[item.tag_id]
    return items


def _skill_weight(skills: list[Skill]) -> Case:
    # How well each skill fits the topic, as a number per row: Kubernetes 1.0, Kubernetes operators 0.6.
    return Case(
        *[When(tag_id=s.pk, then=Value(min(s.similarity, 1.0))) for s in skills],
        default=Value(0.0),
        output_field=FloatField(),
    )


def _holder_reason(item: ProfileSkill) -> str:
    parts = [item.tag.name, item.get_level_display()]
    if item.endorsement_count:
        n = item.endorsement_count
        parts.append(f"{n} endorsement{'s' if n != 1 else ''}")
    return " · ".join(parts)


def site_search(*, query: str) -> SearchResults:
    """People, skills and projects for one search box, each group ranked by relevance.

    Four queries: skills (with their people counts), people by name and title, projects, and the
    people who list the best matching skill.
    """
    backend = backends.current()
    with backend.session():
        skills = backend.skills_matching(query, limit=PER_GROUP)
        also = _corrections(query, skills)
        named = backend.people_matching(query, limit=PER_GROUP)
        projects = backend.projects_matching(query, also=also, limit=PER_GROUP)
    meant = [s for s in skills[:1] if _is_exact(s) or s.name in also]
    holder_items = _skill_holders(skills=meant, limit=PER_GROUP)

    # When the query names a skill, the people who list it belong among the people found: right
    # after anyone with exactly that name when the skill is spelled exactly, else after every name
    # that matched ("Kim" lists people named Kim before anyone who knows Kimball modelling).
    holders = [PersonHit(h.content_object, reason=_holder_reason(h)) for h in holder_items]
    exact_names = [PersonHit(p) for p in named if p.rank >= EXACT]
    other_names = [PersonHit(p) for p in named if p.rank < EXACT]
    if meant and _is_exact(meant[0]):
        people = exact_names + holders + other_names
    else:
        people = exact_names + other_names + holders
    seen: set[int] = set()
    unique = []
    for hit in people:
        if hit.person.pk not in seen:
            seen.add(hit.person.pk)
            unique.append(hit)

    terms = words_of(" ".join([query, *also]))
    return SearchResults(
        query=query,
        people=unique[:PER_GROUP],
        skills=skills,
        projects=[ProjectHit(p, snippet(p.summary, terms)) for p in projects],
        did_you_mean=also[0] if also else None,
    )


def popular_skills(*, limit: int = 24) -> list[Skill]:
    """For an empty search: somewhere to start."""
    return skills_popular(limit=limit)


# --- Who knows X? ---------------------------------------------------------------------------


@dataclass
class Expert:
    person: Profile
    score: float
    skill: ProfileSkill | None = None
    post_count: int = 0
    near_viewer: bool = False

    @property
    def reasons(self) -> list[str]:
        found = []
        if self.skill is not None:
            found.append(_holder_reason(self.skill))
        if self.post_count:
            n = self.post_count
            found.append(f"wrote {n} post{'s' if n != 1 else ''} about it")
        return found

    @property
    def local_time(self) -> datetime | None:
        return profile_local_time(profile=self.person)


@dataclass
class ExpertResults:
    topic: str
    skills: list[Skill]
    # People where the viewer works, and everywhere else: both lists are filled independently, so
    # a big office never crowds out the one expert on another continent.
    near: list[Expert] = field(default_factory=list)
    elsewhere: list[Expert] = field(default_factory=list)
    location_name: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.near or self.elsewhere)

    @property
    def count(self) -> int:
        return len(self.near) + len(self.elsewhere)

    @property
    def location_count(self) -> int:
        return len({e.person.location_id for e in self.near + self.elsewhere})


def _post_score(count: int) -> float:
    # Writing about a topic is evidence, with diminishing returns: 1 post 1.4, 3 posts 2.8, 20 posts 6.1.
    return 2.0 * math.log1p(count)


def experts_find(*, topic: str, viewer: Profile | None) -> ExpertResults:
    """Active people ranked for a topic by listed expertise and by what they wrote about it.

    Four queries: the skills the topic names, the people listing them (scored in SQL: fit of the
    skill x (level + 2 ln(1 + endorsements))), authors of recent visible posts about it (one
    aggregated query), and the people finally ranked.
    """
    backend = backends.current()
    with backend.session():
        skills = backend.skills_matching(topic, limit=TOPIC_SKILLS)
        also = _corrections(topic, skills)
        authors = backend.post_authors(topic, also=also, recent=RECENT_POSTS, limit=CANDIDATES)
    # The people are loaded once, below, with the authors.
    holders = _skill_holders(skills=skills, limit=CANDIDATES, with_people=False)

    best_skill: dict[int, ProfileSkill] = {}
    for item in holders:  # ordered by score: the first row per person is their best fit
        best_skill.setdefault(item.content_object_id, item)
    ids = set(best_skill) | set(authors)
    people = (
        active_profiles()
        .filter(id__in=ids)
        .select_related("department", "location")
        .only(*_PERSON_FIELDS, "location_id")
    )
    viewer_location = viewer.location_id if viewer is not None else None
    experts = []
    for person in people:
        item = best_skill.get(person.pk)
        count = authors.get(person.pk, 0)
        score = (item.score if item is not None else 0.0) + _post_score(count)
        near = viewer_location is not None and person.location_id == viewer_location
        experts.append(Expert(person, score=score, skill=item, post_count=count, near_viewer=near))
    experts.sort(key=lambda e: (-e.score, e.person.display_name, e.person.pk))

    result = ExpertResults(topic=topic, skills=skills)
    if viewer_location is None:
        result.elsewhere = experts[: NEAR_LIMIT + ELSEWHERE_LIMIT]
    else:
        result.location_name = viewer.location.name
        result.near = [e for e in experts if e.near_viewer][:NEAR_LIMIT]
        result.elsewhere = [e for e in experts if not e.near_viewer][:ELSEWHERE_LIMIT]
    return result
