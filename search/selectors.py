"""Reads for the search box (people, skills, projects) and the "who knows X?" expert finder.

Each page runs the same few queries whatever the size of the company: one per result group, each
limited, and a final one to load the people ranked. The database-specific matching lives in
search.backends (PostgreSQL full-text and trigram search; a plain fallback for the SQLite demo).
"""

import difflib
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, Any, TypeAlias, TypedDict

from django.db import connection
from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Combinable
from django.db.models.functions import Ln
from django.urls import reverse
from django.utils import timezone
from taggit.models import Tag

from common.small_groups import groups_to_show
from communities.models import Community
from communities.selectors import can_read, community_access, community_by_slug, readable_q
from events.models import Event, Question
from events.selectors import event_readable_q
from expertise.models import ProfileSkill, Skill
from expertise.selectors import skill_for_alias, skills_popular
from feed.models import Comment, Post
from feed.selectors import visible_posts
from profiles.models import Department, Location, Profile
from profiles.selectors import active_profiles, profile_local_time
from profiles.tenure import TENURE_LABELS, tenure_q
from projects.models import Project
from search import backends
from search.backends import SkillMatch
from search.models import SearchDay, ZeroResultSearch
from search.query import ParsedQuery, query_parse
from search.text import snippet, words_of
from wiki.models import Page
from wiki.selectors import wiki_readable_q

if TYPE_CHECKING:
    # django_stubs_ext ships with django-stubs (a dev dependency), so only the type checker imports it.
    from django_stubs_ext import WithAnnotations


class _Score(TypedDict):
    score: float


# A listing of a skill with its `score` for the topic (fit x HOLDER_SCORE), as _skill_holders reads it.
ScoredHolder: TypeAlias = "WithAnnotations[ProfileSkill, _Score]"

PER_GROUP = 10
# A group's "more" link (?more=people) shows up to this many of it, on the same page.
MORE_SHOWN = 50
MORE_GROUPS = ("people", "skills", "projects", "posts", "wiki")
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
class PlaceHit:
    """A department or an office named like the query: its people are one click away."""

    kind: str
    name: str
    people: int
    url: str


@dataclass
class SearchResults:
    query: str
    people: list[PersonHit]
    skills: list[Skill]
    projects: list[ProjectHit]
    places: list[PlaceHit] = field(default_factory=list)
    groups: list[Community] = field(default_factory=list)
    tags: list[Tag] = field(default_factory=list)
    did_you_mean: str | None = None
    content: "ContentResults" = field(default_factory=lambda: ContentResults())
    # Why part of the query was not used: a filter naming nothing, a date not understood.
    notices: list[str] = field(default_factory=list)
    # False when the query held only filters: nothing was searched, so nothing "matched nothing".
    searched: bool = True
    # The group whose "more" was asked for (?more=people): shown up to MORE_SHOWN, the others as usual.
    more: str = ""

    def has_more(self, group: str) -> bool:
        """Whether the group's "more" link leads anywhere: it is full, and not already expanded."""
        if self.more == group:
            return False
        if group == "posts":
            return self.content.count > len(self.content.hits)
        if group == "wiki":
            return self.content.wiki_count > len(self.content.wiki_hits)
        counts = {"people": len(self.people), "skills": len(self.skills), "projects": len(self.projects)}
        return counts[group] >= PER_GROUP

    @property
    def more_people(self) -> bool:
        return self.has_more("people")

    @property
    def more_skills(self) -> bool:
        return self.has_more("skills")

    @property
    def more_projects(self) -> bool:
        return self.has_more("projects")

    @property
    def more_posts(self) -> bool:
        return self.has_more("posts")

    @property
    def more_wiki(self) -> bool:
        return self.has_more("wiki")

    @property
    def is_empty(self) -> bool:
        found = (self.people, self.skills, self.projects, self.places, self.groups, self.tags)
        return not (any(found) or self.content.hits or self.content.wiki_hits or self.content.event_hits)


def _is_exact(match: SkillMatch) -> bool:
    return match.similarity >= EXACT


def _skills_named(
    backend: backends.SearchBackend, query: str, *, limit: int
) -> tuple[list[SkillMatch], list[str], list[str]]:
    """The skills the query names, the other words it stands for, and the spelling corrections.

    An admin's alias counts as the exact name ("k8s" is Kubernetes): that skill comes first, and its
    name is searched for too, so posts and projects that say "Kubernetes" are found by "k8s".
    """
    skills = backend.skills_matching(query, limit=limit)
    aliased = skill_for_alias(query)
    if aliased is None:
        corrections = _corrections(query, skills)
        return skills, corrections, corrections
    skills = [SkillMatch(aliased, EXACT), *[m for m in skills if m.skill.pk != aliased.pk]][:limit]
    return skills, [aliased.name], []


def _corrections(query: str, skills: list[SkillMatch]) -> list[str]:
    """Names of skills spelled close to the query: what "kubernets" meant.

    Only when no skill is spelled exactly as typed: "Java" means Java, not JavaScript. The
    backends find the candidates; the spelling test runs here on those few names.
    """
    if any(_is_exact(s) for s in skills):
        return []
    query = query.lower()
    close = [
        m.skill.name
        for m in skills
        if difflib.SequenceMatcher(None, query, m.skill.name.lower()).ratio() >= CORRECTION_RATIO
    ]
    return close[:2]


# How sure a listing is: self-rated level plus endorsements, with diminishing returns. On PostgreSQL,
# search/migrations/0002 indexes exactly this expression per skill; change both or neither.
HOLDER_SCORE = F("level") + Value(2.0) * Ln(F("endorsement_count") + Value(1.0))
_HOLDER_ORDER = ("-score", "-endorsement_count", "content_object_id")


def _skill_holders(*, skills: list[SkillMatch], limit: int, with_people: bool = True) -> list[ScoredHolder]:
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
            ProfileSkill.objects.filter(tag=m.skill)
            .annotate(score=HOLDER_SCORE)
            .order_by(*_HOLDER_ORDER)
            .values("id")[:room]
            for m in skills
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
            ProfileSkill.objects.filter(tag__in=[m.skill for m in skills])
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
    by_id = {m.skill.pk: m.skill for m in skills}
    for item in items:
        item.tag = by_id[item.tag_id]
    return items


def _skill_weight(skills: list[SkillMatch]) -> Case:
    # How well each skill fits the topic, as a number per row: Kubernetes 1.0, Kubernetes operators 0.6.
    return Case(
        *[When(tag_id=m.skill.pk, then=Value(min(m.similarity, 1.0))) for m in skills],
        default=Value(0.0),
        output_field=FloatField(),
    )


def _holder_reason(item: ProfileSkill) -> str:
    parts = [item.tag.name, item.get_level_display()]
    if item.endorsement_count:
        n = item.endorsement_count
        parts.append(f"{n} endorsement{'s' if n != 1 else ''}")
    return " · ".join(parts)


PLACES_SHOWN = 3
GROUPS_SHOWN = 5
TAGS_SHOWN = 8


def _places(query: str) -> list[PlaceHit]:
    """Departments and offices named like the query, with their people: one query (small tables)."""
    active = Q(members__user__is_active=True)
    directory = reverse("profiles:directory")
    kinds = {"department": "Department", "location": "Office"}
    first, second = [
        model.objects.filter(name__icontains=query)
        .annotate(people=Count("members", filter=active))
        .order_by("-people", "name")
        .values_list(Value(param), "id", "name", "people")[:PLACES_SHOWN]
        for model, param in ((Department, "department"), (Location, "location"))
    ]
    if connection.features.supports_slicing_ordering_in_compound:
        found = list(first.union(second, all=True))
    else:  # SQLite (the laptop demo) refuses LIMIT inside UNION: two queries there
        found = [*first, *second]
    rows = sorted(found, key=lambda r: (list(kinds).index(r[0]), -r[3], r[2]))
    return [
        PlaceHit(kinds[param], name, people, f"{directory}?{param}={pk}") for param, pk, name, people in rows
    ]


def _groups(query: str) -> list[Community]:
    """Groups named like the query, the most joined first: every group's name and description are
    listed to everyone (/groups/), private ones included; their posts are not."""
    return list(
        Community.objects.filter(name__icontains=query).order_by("-member_count", "id")[:GROUPS_SHOWN]
    )


def _tags(query: str, *, member_ids: frozenset[int]) -> list[Tag]:
    """#tags named like the query that the viewer can see used: a tag written only in a private
    group's posts is not even named to an outsider."""
    used = visible_posts().filter(readable_q(member_ids=member_ids), tag_items__tag=OuterRef("pk"))
    return list(Tag.objects.filter(name__icontains=query).filter(Exists(used)).order_by("name")[:TAGS_SHOWN])


def site_search(*, query: str, viewer: Profile | None = None, more: str = "") -> SearchResults:
    """People, skills, projects, and the posts and comments the viewer may read, for one search box.

    Four queries for people, skills and projects: skills (with their people counts), people by name
    and title, projects, and the people who list the best matching skill; then content_search's.
    Filters (is:question, @handle, in:group, ...) narrow the posts and comments only; the words
    left once they are taken out are what people, skills and projects are searched for.
    """
    parsed = query_parse(query)
    notices = list(parsed.notices)
    if not parsed.has_words:
        if parsed.has_filters:
            notices.append("Add a word or two to search for: filters such as is:question narrow a search.")
        return SearchResults(
            query=query,
            people=[],
            skills=[],
            projects=[],
            content=ContentResults(),
            notices=notices,
            searched=False,
        )
    query = parsed.text

    def shown(group: str) -> int:
        return MORE_SHOWN if more == group else PER_GROUP

    backend = backends.current()
    with backend.session():
        skills, also, corrections = _skills_named(backend, query, limit=shown("skills"))
        named = backend.people_matching(query, limit=shown("people"))
        projects = backend.projects_matching(query, also=also, limit=shown("projects"))
        access = community_access(profile=viewer)
        member_ids = access[0]
        # In the same transaction: one savepoint and one set of planner settings per page.
        content = content_search(
            parsed=parsed,
            viewer=viewer,
            also=also,
            in_session=True,
            access=access,
            limit=MORE_SHOWN if more == "posts" else CONTENT_SHOWN,
            wiki_limit=MORE_SHOWN if more == "wiki" else WIKI_SHOWN,
        )
    places, groups, tags = _places(query), _groups(query), _tags(query, member_ids=member_ids)
    meant = [m for m in skills[:1] if _is_exact(m) or m.skill.name in also]
    holder_items = _skill_holders(skills=meant, limit=shown("people"))

    # When the query names a skill, the people who list it belong among the people found: right
    # after anyone with exactly that name when the skill is spelled exactly, else after every name
    # that matched ("Kim" lists people named Kim before anyone who knows Kimball modelling).
    holders = [PersonHit(h.content_object, reason=_holder_reason(h)) for h in holder_items]
    exact_names = [PersonHit(m.person) for m in named if m.rank >= EXACT]
    other_names = [PersonHit(m.person) for m in named if m.rank < EXACT]
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
        content=content,
        notices=notices + content.notices,
        people=unique[: shown("people")],
        skills=[m.skill for m in skills],
        projects=[ProjectHit(p, snippet(p.summary, terms)) for p in projects],
        places=places,
        groups=groups,
        tags=tags,
        did_you_mean=corrections[0] if corrections else None,
        more=more,
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
        skills, also, _ = _skills_named(backend, topic, limit=TOPIC_SKILLS)
        authors = backend.post_authors(topic, also=also, recent=RECENT_POSTS, limit=CANDIDATES)
    # The people are loaded once, below, with the authors.
    holders = _skill_holders(skills=skills, limit=CANDIDATES, with_people=False)

    best_skill: dict[int, ScoredHolder] = {}
    for item in holders:  # ordered by score: the first row per person is their best fit
        best_skill.setdefault(item.content_object_id, item)
    ids = set(best_skill) | set(authors)
    # Up to 400 candidates are ranked on plain rows; only the 30 shown become model objects (building
    # a profile, its department and its office for every candidate was most of the page's CPU).
    people = active_profiles().filter(id__in=ids).values_list(*_EXPERT_ROW)
    viewer_location = viewer.location_id if viewer is not None else None
    ranked = []
    for row in people:
        pk, display_name, location_id = row[0], row[1], row[5]
        best = best_skill.get(pk)
        count = authors.get(pk, 0)
        score = (best.score if best is not None else 0.0) + _post_score(count)
        near = viewer_location is not None and location_id == viewer_location
        ranked.append((-score, display_name, pk, near, row, best, count))
    ranked.sort(key=lambda r: r[:3])

    def expert(entry: tuple) -> Expert:
        minus_score, _, _, near, row, best, count = entry
        person = _expert_person(row, db=people.db)
        return Expert(person, score=-minus_score, skill=best, post_count=count, near_viewer=near)

    result = ExpertResults(topic=topic, skills=[m.skill for m in skills])
    location = viewer.location if viewer is not None and viewer_location is not None else None
    if location is None:
        result.elsewhere = [expert(e) for e in ranked[: NEAR_LIMIT + ELSEWHERE_LIMIT]]
    else:
        result.location_name = location.name
        result.near = [expert(e) for e in [e for e in ranked if e[3]][:NEAR_LIMIT]]
        result.elsewhere = [expert(e) for e in [e for e in ranked if not e[3]][:ELSEWHERE_LIMIT]]
    return result


# What the finder shows of a person: _PERSON_FIELDS as one row, the foreign keys' ids included.
_EXPERT_ROW = (
    "id",
    "display_name",
    "job_title",
    "department_id",
    "department__name",
    "location_id",
    "location__name",
    "location__time_zone",
)


def _expert_person(row: tuple, *, db: str) -> Profile:
    """The profile as select_related("department", "location").only(*_PERSON_FIELDS) loads it, built
    with Model.from_db as the ORM builds it: any other field stays deferred (read on access)."""
    pk, display_name, job_title, department_id, department_name, location_id, location_name, time_zone = row
    person = Profile.from_db(
        db,
        ["id", "display_name", "job_title", "department_id", "location_id"],
        [pk, display_name, job_title, department_id, location_id],
    )
    if department_id is not None:
        person.department = Department.from_db(db, ["id", "name"], [department_id, department_name])
    if location_id is not None:
        person.location = Location.from_db(
            db, ["id", "name", "time_zone"], [location_id, location_name, time_zone]
        )
    return person


# --- Posts and comments ---------------------------------------------------------------------

# Matching posts, and matching comments, ranked per search: the newest this many of each.
CONTENT_CANDIDATES = 200
CONTENT_SHOWN = 20
WIKI_CANDIDATES = 200
WIKI_SHOWN = 5
# A page whose title has the words is what was looked for, whatever its text's rank (0.1 is a strong one).
WIKI_TITLE_BONUS = 1.0
# Relevance x recency + engagement (see _content_score).
HALF_LIFE_DAYS = 180
ENGAGEMENT_WEIGHT = 0.01
BEST_ANSWER_BONUS = 0.03
_POST_FIELDS = ("id", "created_at", "reaction_count", "comment_count")
_COMMENT_FIELDS = ("id", "created_at", "post__best_answer_id")


@dataclass
class ContentHit:
    """A post or a comment found, with its snippet as (text, is_match) parts."""

    post: Post
    comment: Comment | None
    snippet: list[tuple[str, bool]]
    score: float

    @property
    def url(self) -> str:
        return (self.comment or self.post).get_absolute_url()

    @property
    def author(self) -> Profile:
        return (self.comment or self.post).author

    @property
    def created_at(self) -> datetime:
        return (self.comment or self.post).created_at

    @property
    def is_best_answer(self) -> bool:
        return self.comment is not None and self.post.best_answer_id == self.comment.pk


@dataclass
class WikiHit:
    """A wiki page found, with its snippet as (text, is_match) parts."""

    page: Page
    snippet: list[tuple[str, bool]]
    score: float


@dataclass
class ContentResults:
    hits: list[ContentHit] = field(default_factory=list)
    # Matches among the newest CONTENT_CANDIDATES posts and as many comments the viewer may read.
    count: int = 0
    capped: bool = False
    notices: list[str] = field(default_factory=list)
    wiki_hits: list[WikiHit] = field(default_factory=list)
    # Finished events whose answered questions match (issue 15): the best few, best first.
    event_hits: list["EventHit"] = field(default_factory=list)
    # Matching wiki pages the viewer may read, among the WIKI_CANDIDATES most recently edited.
    wiki_count: int = 0
    wiki_capped: bool = False


def _content_score(row: dict, *, now: datetime) -> float:
    """ts_rank x a recency decay (halves every HALF_LIFE_DAYS) + a small log of engagement.

    A year-old post must match much better to outrank this week's; reactions and comments only
    break near-ties (20 of them add 0.03, about half of what one more matching word adds).
    """
    age_days = max((now - row["created_at"]).total_seconds(), 0) / 86400
    score = row["rank"] * 0.5 ** (age_days / HALF_LIFE_DAYS)
    engagement = row.get("reaction_count", 0) + row.get("comment_count", 0)
    score += ENGAGEMENT_WEIGHT * math.log1p(engagement)
    if row.get("post__best_answer_id") == row["id"]:
        score += BEST_ANSWER_BONUS
    return score


def _filters(
    *, parsed: ParsedQuery, member_ids: frozenset[int]
) -> tuple[Q | None, Q | None, list[str], Q | None, int | None]:
    """(posts Q, comments Q, notices, wiki pages Q, the `in:` group's id): the filters as conditions on
    posts, on comments and on wiki pages (None for pages when a filter names what pages lack: a kind
    or a #tag).

    None for the conditions when a filter names nothing the viewer may search: an unknown person or
    group, or a private group they are not in (the same notice as an unknown one, so trying slugs
    tells an outsider nothing).
    """
    post_q = Q()
    wiki_q: Q | None = None if parsed.kinds or parsed.tag else Q()
    notices = []
    kinds = {
        "question": Q(kind=Post.Kind.QUESTION),
        "answered": Q(kind=Post.Kind.QUESTION, best_answer__isnull=False),
        "unanswered": Q(kind=Post.Kind.QUESTION, best_answer__isnull=True),
        "poll": Q(kind=Post.Kind.POLL),
        "announcement": Q(kind=Post.Kind.ANNOUNCEMENT),
        "kudos": Q(kind=Post.Kind.KUDOS),
    }
    for kind in parsed.kinds:
        post_q &= kinds[kind]
    if parsed.tag:
        # No notice for a tag nobody used: tags are shared by every group, so "no such tag" would
        # tell an outsider which tags a private group uses. An unknown tag simply matches nothing.
        tag_ids = list(Tag.objects.filter(name__iexact=parsed.tag).values_list("id", flat=True))
        post_q &= Q(tag_items__tag_id__in=tag_ids)
    group_id = None
    if parsed.group_slug:
        group = community_by_slug(slug=parsed.group_slug)
        if group is None or not can_read(community=group, member_ids=member_ids):
            notices.append(f"No group you can read has the address “{parsed.group_slug}”.")
        else:
            group_id = group.pk
            post_q &= Q(community=group)
            wiki_q = wiki_q & Q(space__community=group) if wiki_q is not None else None
    author_q = Q()
    for label, lookup in ((parsed.author_handle, "istartswith"), (parsed.author_email, "iexact")):
        if not label:
            continue
        value = f"{label}@" if lookup == "istartswith" else label
        author = Profile.objects.filter(**{f"user__email__{lookup}": value}).only("id").first()
        if author is None:
            shown = f"@{label}" if lookup == "istartswith" else label
            notices.append(f"Nobody at the company is {shown}.")
        else:
            author_q &= Q(author_id=author.pk)
    # As times, not `created_at__date`: a range of the indexed column, which an index scan can use.
    dates = Q()
    if parsed.after:
        dates &= Q(created_at__gte=_day_start(parsed.after + timedelta(days=1)))
    if parsed.before:
        dates &= Q(created_at__lt=_day_start(parsed.before))
    if notices:
        return None, None, notices, None, None
    # A comment is found by its own author and date, and by its post's kind, tag and group.
    comment_q = _on_post(post_q) & author_q & dates
    if wiki_q is not None:
        # A page's author is who wrote its current version; its date, that version's.
        wiki_q &= author_q
        if parsed.after:
            wiki_q &= Q(updated_at__gte=_day_start(parsed.after + timedelta(days=1)))
        if parsed.before:
            wiki_q &= Q(updated_at__lt=_day_start(parsed.before))
    return post_q & author_q & dates, comment_q, notices, wiki_q, group_id


def _day_start(day: date) -> datetime:
    """Midnight at the start of `day` in the company's time zone (what `created_at__date` compares in)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def _readable_by_group_id(*, hidden: frozenset[int], prefix: str = "community") -> Q:
    """communities.selectors.readable_q without joining the group: no group, or none of the `hidden`
    ones. A search reads thousands of rows: checking a hashed list of ids costs less per row than
    joining each row's group."""
    return Q(**{f"{prefix}__isnull": True}) | Q(_NoneOf(f"{prefix}_id", hidden))


class _NoneOf(Expression):
    """`column` is none of `ids`, as one array parameter on PostgreSQL (`<> ALL(...)`): a viewer outside
    ~400 private groups made ~400 parameters in each query that names the rule, which Django and the
    database driver then handled one by one. Elsewhere (the SQLite demo) a plain NOT IN."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: str | Combinable, ids: Iterable[int]) -> None:
        super().__init__()
        self.column: Combinable | Expression = F(column) if isinstance(column, str) else column
        self.ids = sorted(ids)

    def get_source_expressions(self) -> list[Any]:
        return [self.column]

    def set_source_expressions(self, exprs: Sequence[Combinable | Expression]) -> None:
        (self.column,) = exprs

    def as_sql(self, compiler, connection):
        column, params = compiler.compile(self.column)
        if not self.ids:
            return "1 = 1", params
        placeholders = ", ".join(["%s"] * len(self.ids))
        return f"{column} NOT IN ({placeholders})", (*params, *self.ids)

    def as_postgresql(self, compiler, connection):
        # The array behind a scalar subquery: the planner then estimates the rule as a whole rather
        # than one group at a time (each of ~400 against the column's statistics, in every branch
        # and join of the query: up to ~10 ms of planning per query on the feed bench).
        column, params = compiler.compile(self.column)
        return f"{column} <> ALL((SELECT %s::bigint[])::bigint[])", (*params, self.ids)


def _on_post(q: Q) -> Q:
    """The same conditions, on a comment's post."""
    moved = Q()
    moved.connector, moved.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            moved.children.append(_on_post(child))
        elif isinstance(child, tuple):
            lookup, value = child
            moved.children.append((f"post__{lookup}", value))
        else:
            # The filters built above are Qs of (lookup, value) pairs; anything else cannot be moved.
            raise TypeError(f"cannot move {child!r} onto the post")
    return moved


class _Words(TypedDict):
    """What the backends match content against (passed as keywords)."""

    text: str
    phrases: list[str]
    also: list[str]


def content_search(
    *,
    parsed: ParsedQuery,
    viewer: Profile | None,
    also: Sequence[str] = (),
    limit: int = CONTENT_SHOWN,
    in_session: bool = False,
    access: tuple[frozenset[int], frozenset[int]] | None = None,
    wiki_limit: int | None = None,
) -> ContentResults:
    """Posts (updates, questions, polls, announcements, kudos) and comments the viewer may read that
    match the words and filters, best first, each with a highlighted snippet.

    What the viewer may not read never leaves the database: both candidate queries apply feed's
    readability rule (no removed post or comment, no private group the viewer is not in) before
    ranking, and counts and snippets come from those rows only; the only suggestion is the skill
    correction (`also`: skill names, which everyone may read). Five queries at most: the viewer's
    groups, posts and comments matched and ranked, the page's posts and comments with their snippets
    (plus one per author, tag or group filter used).
    """
    result = ContentResults()
    if not parsed.has_words:
        return result
    # The viewer's groups, and the private groups they are not in (communities.selectors.community_access).
    member_ids, hidden = access if access is not None else community_access(profile=viewer)
    post_q, comment_q, notices, wiki_q, group_id = _filters(parsed=parsed, member_ids=member_ids)
    result.notices = notices
    if post_q is None:
        return result
    posts = visible_posts().filter(_readable_by_group_id(hidden=hidden), post_q)
    comments = Comment.objects.filter(
        _readable_by_group_id(hidden=hidden, prefix="post__community"),
        comment_q,
        removed_at__isnull=True,
        held_at__isnull=True,  # held for review: not published (moderation's rules)
        post__removed_at__isnull=True,
        post__held_at__isnull=True,
    )
    backend = backends.current()
    words = _Words(text=parsed.text, phrases=parsed.phrases, also=list(also))
    # in_session: the caller already runs its queries in backend.session().
    with nullcontext() if in_session else backend.session():
        if wiki_q is not None:
            _wiki_search(
                result,
                backend=backend,
                words=words,
                rows=readable_pages_q(member_ids, wiki_q),
                limit=wiki_limit or WIKI_SHOWN,
            )
        if not parsed.has_filters:  # filters speak of posts, comments and pages
            _event_search(result, backend=backend, words=words, member_ids=member_ids)
        # Last: from the first of these on, the transaction's queries may walk indexes in order.
        post_rows = backend.content_candidates(posts, **words, fields=_POST_FIELDS, limit=CONTENT_CANDIDATES)
        comment_rows = backend.content_candidates(
            comments, **words, fields=_COMMENT_FIELDS, limit=CONTENT_CANDIDATES, group_id=group_id
        )
        now = timezone.now()
        scored = [(_content_score(r, now=now), "post", r["id"]) for r in post_rows]
        scored += [(_content_score(r, now=now), "comment", r["id"]) for r in comment_rows]
        scored.sort(key=lambda s: (-s[0], s[1], -s[2]))
        top = scored[:limit]
        post_ids = [i for _, what, i in top if what == "post"]
        comment_ids = [i for _, what, i in top if what == "comment"]
        shown_posts = (
            {
                p.pk: p
                for p in backend.content_display(
                    Post.objects.filter(id__in=post_ids, removed_at__isnull=True)
                    .select_related("author", "community")
                    .only(*_POST_SHOWN),
                    **words,
                )
            }
            if post_ids
            else {}
        )
        shown_comments = (
            {
                c.pk: c
                for c in backend.content_display(
                    Comment.objects.filter(id__in=comment_ids, removed_at__isnull=True)
                    .select_related("author", "post__author", "post__community")
                    .only(*_COMMENT_SHOWN),
                    **words,
                )
            }
            if comment_ids
            else {}
        )
    for score, what, pk in top:
        # .get: a row removed between the two queries is left out rather than failing the page.
        if what == "post":
            if (post := shown_posts.get(pk)) is not None:
                result.hits.append(ContentHit(post=post, comment=None, snippet=post.snippet, score=score))
        elif (comment := shown_comments.get(pk)) is not None:
            result.hits.append(
                ContentHit(post=comment.post, comment=comment, snippet=comment.snippet, score=score)
            )
    result.count = len(scored)
    result.capped = len(post_rows) >= CONTENT_CANDIDATES or len(comment_rows) >= CONTENT_CANDIDATES
    return result


def readable_pages_q(member_ids: frozenset[int], wiki_q: Q) -> "QuerySet[Page]":
    return Page.objects.filter(wiki_readable_q(member_ids=member_ids), wiki_q, removed_at__isnull=True)


def _wiki_search(
    result: ContentResults, *, backend: backends.SearchBackend, words: _Words, rows, limit: int
) -> None:
    """The wiki pages among `rows` (already narrowed to what the viewer may read and the filters)
    that match, best first: a page whose title matches first, then by full-text rank. Two queries."""
    found = backend.wiki_candidates(rows, **words, limit=WIKI_CANDIDATES)
    scored = sorted(
        ((r["rank"] + (WIKI_TITLE_BONUS if r["in_title"] else 0.0), r["id"]) for r in found),
        key=lambda s: (-s[0], -s[1]),
    )[:limit]
    if scored:
        shown = {
            p.pk: p
            for p in backend.content_display(
                Page.objects.filter(id__in=[pk for _, pk in scored], removed_at__isnull=True)
                .select_related("author", "space__community")
                .only(*_PAGE_SHOWN),
                **words,
            )
        }
        result.wiki_hits = [
            WikiHit(shown[pk], shown[pk].snippet, score) for score, pk in scored if pk in shown
        ]
    result.wiki_count = len(found)
    result.wiki_capped = len(found) >= WIKI_CANDIDATES


@dataclass
class EventHit:
    """A finished event found by its answered questions: the best matching one, with its snippet, and
    how many of its answered questions match. Never the asker: anonymous or not, only what was asked
    and answered."""

    event: Event
    question: Question
    snippet: list[tuple[str, bool]]
    matches: int


EVENT_CANDIDATES = 200
EVENTS_SHOWN = 3


def _event_search(
    result: ContentResults, *, backend: backends.SearchBackend, words: _Words, member_ids
) -> None:
    """Finished (not cancelled) events the viewer may read whose answered questions match: two queries."""
    rows = Question.objects.filter(
        event_readable_q(member_ids=member_ids, prefix="event__community"),
        answered_at__isnull=False,
        removed_at__isnull=True,
        event__ends_at__lte=timezone.now(),
        event__cancelled_at__isnull=True,
    )
    found = backend.content_candidates(
        rows, **words, fields=("id", "event_id", "created_at"), limit=EVENT_CANDIDATES
    )
    best: dict[int, tuple[float, int]] = {}  # event id -> (best rank, its question)
    counts: dict[int, int] = {}
    for row in found:
        counts[row["event_id"]] = counts.get(row["event_id"], 0) + 1
        if row["event_id"] not in best or row["rank"] > best[row["event_id"]][0]:
            best[row["event_id"]] = (row["rank"], row["id"])
    top = sorted(best.items(), key=lambda item: (-item[1][0], -item[0]))[:EVENTS_SHOWN]
    if not top:
        return
    shown = {
        q.pk: q
        for q in backend.content_display(
            Question.objects.filter(pk__in=[qid for _, (_, qid) in top])
            .select_related("event")
            .only("id", "body", "answer", "event__id", "event__title", "event__starts_at", "event__ends_at"),
            **words,
        )
    }
    result.event_hits = [
        EventHit(event=shown[qid].event, question=shown[qid], snippet=shown[qid].snippet, matches=counts[eid])
        for eid, (_, qid) in top
        if qid in shown
    ]


_PAGE_SHOWN = (
    "id", "title", "slug", "body", "version", "updated_at", "space__id", "space__community__id",
    "space__community__name", "space__community__slug", "author__id", "author__display_name",
)  # fmt: skip
_POST_SHOWN = (
    "id", "kind", "body", "created_at", "reaction_count", "comment_count", "best_answer_id",
    "author__id", "author__display_name", "community__id", "community__name", "community__slug",
)  # fmt: skip
_COMMENT_SHOWN = (
    "id", "body", "created_at", "post_id", "author__id", "author__display_name",
    "post__id", "post__kind", "post__best_answer_id", "post__body", "post__created_at",
    "post__author__id", "post__author__display_name",
    "post__community__id", "post__community__name", "post__community__slug",
)  # fmt: skip


# --- Searches that found nothing (for the Communications team) ------------------------------


@dataclass
class ZeroResultReport:
    days: int
    since: date
    searches: int  # zero-result searches counted in the period
    rows: list[dict]  # {"query", "total", "days_seen", "last"}, most searched first


ZERO_RESULT_ROWS = 100


def zero_result_report(*, days: int) -> ZeroResultReport:
    """The queries that found nothing most often over the last `days` days: two queries, read off
    the (day, query) index's range."""
    since = timezone.localdate() - timedelta(days=days - 1)
    recent = ZeroResultSearch.objects.filter(day__gte=since)
    rows = list(
        recent.values("query")
        .annotate(total=Sum("count"), days_seen=Count("id"), last=Max("day"))
        .order_by("-total", "query")[:ZERO_RESULT_ROWS]
    )
    searches = recent.aggregate(n=Sum("count"))["n"] or 0
    return ZeroResultReport(days=days, since=since, searches=searches, rows=rows)


@dataclass
class SearchActivity:
    """Searches run over a period, overall and by department, location and tenure band: each row a
    group of at least MIN_GROUP people (the smaller ones together as "Other", itself never under)."""

    days: int
    since: date
    searches: int
    found_nothing: int
    breakdowns: dict[str, list[dict]]


def search_activity(*, days: int) -> SearchActivity:
    """Six queries: the counts by axis, the people in each group now, and the groups' names."""
    since = timezone.localdate() - timedelta(days=days - 1)
    counted: dict[str, dict[int, tuple[int, int]]] = defaultdict(dict)
    for axis, key, searches, nothing in (
        SearchDay.objects.filter(day__gte=since)
        .values("axis", "key")
        .annotate(s=Sum("searches"), n=Sum("found_nothing"))
        .order_by()
        .values_list("axis", "key", "s", "n")
    ):
        counted[axis][key] = (searches, nothing)
    people = active_profiles()
    today = timezone.localdate()
    sizes = {
        "department": dict(people.values_list("department").annotate(n=Count("id")).order_by()),
        "location": dict(people.values_list("location").annotate(n=Count("id")).order_by()),
        "tenure": people.aggregate(
            **{str(band): Count("id", filter=tenure_q(band, today=today)) for band in TENURE_LABELS}
        ),
    }
    sizes = {
        axis: {(-1 if k is None else int(k)): n for k, n in found.items()} for axis, found in sizes.items()
    }
    names = {
        "department": dict(Department.objects.values_list("pk", "name")),
        "location": dict(Location.objects.values_list("pk", "name")),
        "tenure": TENURE_LABELS,
    }
    breakdowns = {}
    for axis in ("department", "location", "tenure"):
        shown = groups_to_show(sizes[axis])
        rows, rest = [], [0, 0]
        for key, (searches, nothing) in counted[axis].items():
            if key in shown:
                label = names[axis].get(key, "None" if key == -1 else f"#{key}")
                rows.append(
                    {"label": label, "people": sizes[axis][key], "searches": searches, "nothing": nothing}
                )
            else:
                rest[0] += searches
                rest[1] += nothing
        rows.sort(key=lambda r: str(r["label"]).lower())
        if rest[0]:
            rows.append(
                {
                    "label": "Other (groups under 5 people)",
                    "people": None,
                    "searches": rest[0],
                    "nothing": rest[1],
                }
            )
        breakdowns[axis] = rows
    total = counted["department"].values()
    return SearchActivity(
        days=days,
        since=since,
        searches=sum(s for s, _ in total),
        found_nothing=sum(n for _, n in total),
        breakdowns=breakdowns,
    )
