"""Reads of expertise: who knows a skill, what someone knows and who vouched for it, whom to meet."""

import re
from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
from django.db import connection
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value, Window
from django.db.models.functions import Lower, RowNumber

from common import similar_text
from common.pagination import Page, keyset_page
from expertise.models import Endorsement, Interest, ProfileInterest, ProfileSkill, Skill, SkillAlias
from profiles.models import Department, Profile, User
from profiles.selectors import active_profiles

# Endorsers named next to a skill on a profile; the rest are "and N more".
ENDORSERS_SHOWN = 3
# "People you should meet": how many suggestions, and how many holders of the viewer's skills and
# interests are read at most (see people_to_meet).
MEET_LIMIT = 24
MEET_CANDIDATE_ROWS = 4000
MEET_MIN_ROWS_PER_TAG = 50


def skill_by_slug(*, slug: str) -> Skill | None:
    """The skill at /skills/<slug>/, or the one an alias of that name means (/skills/k8s/)."""
    return Skill.objects.filter(slug=slug).first() or skill_for_alias(slug)


def skill_for_alias(name: str) -> Skill | None:
    """The skill an alias of this name (any case) means, if an admin made one."""
    alias = SkillAlias.objects.filter(name__iexact=" ".join(name.split())).select_related("skill").first()
    return alias.skill if alias is not None else None


def skill_names_canonical(names: list[str]) -> list[str]:
    """`names` with each alias replaced by its skill's name and repeats dropped, in order (one query)."""
    lowered = {n.lower() for n in names}
    meaning = (
        dict(
            SkillAlias.objects.annotate(lname=Lower("name"))
            .filter(lname__in=lowered)
            .values_list("lname", "skill__name")
        )
        if lowered
        else {}
    )
    canonical: list[str] = []
    seen: set[str] = set()
    for name in names:
        name = meaning.get(name.lower(), name)
        if name.lower() not in seen:
            seen.add(name.lower())
            canonical.append(name)
    return canonical


# --- A skill's page: people most endorsed first ---------------------------------------------------

# (key, descending): most endorsed, then highest self-rated level, then by name; the id keeps it total.
_SKILL_PAGE_KEYS = ("endorsement_count", "level", "content_object__display_name", "id")
_SKILL_PAGE_DESCENDING = (True, True, False, False)


def directory_skill_q(skill: str) -> Q | None:
    """The people directory's skill filter (registered in ExpertiseConfig.ready): people holding the
    skill with this slug or name (any case), or None when no skill matches.

    The skill's ids are resolved first, in one query on a small, indexed table: with the id known,
    PostgreSQL estimates how many people hold it and picks the right plan (a rare skill in 100,000
    people: 5 ms instead of 1.5 s when the slug was joined into the people query). A person holds a
    skill at most once, so the join adds no duplicate rows.
    """
    named = Q(slug=skill) | Q(name__iexact=skill) | Q(aliases__name__iexact=skill)
    skill_ids = list(Skill.objects.filter(named).values_list("id", flat=True).distinct()[:5])
    return Q(skill_items__tag_id__in=skill_ids) if skill_ids else None


def people_with_skill_page(*, skill: Skill, cursor: str | None, size: int = 30) -> Page:
    """ProfileSkill rows (with the person) of people still here, walked along skill_people_ranked_idx."""
    qs = ProfileSkill.objects.filter(tag=skill, content_object__user__is_active=True).select_related(
        "content_object__department", "content_object__location"
    )
    return keyset_page(qs, keys=_SKILL_PAGE_KEYS, cursor=cursor, size=size, descending=_SKILL_PAGE_DESCENDING)


# --- An interest's page: the people who share it ---------------------------------------------------


def interest_by_slug(*, slug: str, viewer: Profile | None) -> Interest | None:
    """The interest, with `viewer_lists`: whether the viewer has it on their profile (same query)."""
    listed = (
        Exists(ProfileInterest.objects.filter(tag=OuterRef("pk"), content_object=viewer))
        if viewer is not None
        else Value(False)
    )
    return Interest.objects.filter(slug=slug).annotate(viewer_lists=listed).first()


def people_with_interest_page(*, interest: Interest, cursor: str | None, size: int = 30) -> Page:
    """ProfileInterest rows (with the person) of people still here, newest colleagues first.

    Walks the unique (tag, person) index backwards, as people_to_meet does: no sort, whatever the
    number of people who share a common interest. Profile ids grow with hiring, hence "newest".
    """
    qs = ProfileInterest.objects.filter(tag=interest, content_object__user__is_active=True).select_related(
        "content_object__department", "content_object__location"
    )
    return keyset_page(qs, keys=("content_object_id",), cursor=cursor, size=size, descending=True)


# --- Someone's skills and interests ---------------------------------------------------------------


def skill_names_lowercase_of(*, profile: Profile) -> QuerySet:
    """The person's skill names in lower case, as a subquery (feed matches open questions' tags to it)."""
    return (
        ProfileSkill.objects.filter(content_object=profile).annotate(name=Lower("tag__name")).values("name")
    )


def skills_of(*, profile: Profile) -> list[Skill]:
    return list(Skill.objects.filter(profile_items__content_object=profile).order_by("name"))


def skill_items_of(*, profile: Profile) -> list[ProfileSkill]:
    """For the edit form: each listed skill with its level, alphabetically."""
    return list(
        ProfileSkill.objects.filter(content_object=profile).select_related("tag").order_by("tag__name")
    )


def interests_of(*, profile: Profile) -> list[Interest]:
    return list(Interest.objects.filter(profile_items__content_object=profile).order_by("name"))


def _viewer_endorsed(viewer: Profile | None) -> Exists | Value:
    if viewer is None:
        return Value(False)
    return Exists(Endorsement.objects.filter(profile_skill=OuterRef("pk"), endorser=viewer))


@dataclass
class SkillShown:
    """One skill of a profile as the profile page shows it: the row, whether the viewer endorsed it,
    and the latest endorsers (the rest counted in `endorsers_more`)."""

    item: ProfileSkill
    viewer_endorsed: bool
    endorsers_shown: list[Profile] = field(default_factory=list)
    endorsers_more: int = 0


def _endorsers_attach(shown: list[SkillShown]) -> None:
    """Fills `endorsers_shown` (the latest few endorsers) and `endorsers_more` of each skill.

    One query whatever the number of endorsements, and none when nobody is endorsed. On PostgreSQL a
    LATERAL subquery reads ENDORSERS_SHOWN rows per skill off endorsement_latest_idx, so a person with
    thousands of endorsements costs what one with three does; elsewhere (the SQLite demo) ROW_NUMBER().
    """
    by_id = {skill.item.pk: skill for skill in shown}
    endorsed = [skill.item.pk for skill in shown if skill.item.endorsement_count]
    if endorsed and connection.vendor == "postgresql":
        sql = f"""
            SELECT e.profile_skill_id, p.id, p.display_name
            FROM unnest(%s::bigint[]) AS s(id)
            CROSS JOIN LATERAL (
                SELECT profile_skill_id, endorser_id, created_at, id FROM {Endorsement._meta.db_table}
                WHERE profile_skill_id = s.id ORDER BY created_at DESC, id DESC LIMIT %s
            ) AS e
            JOIN {Profile._meta.db_table} p ON p.id = e.endorser_id
            ORDER BY e.profile_skill_id, e.created_at DESC, e.id DESC
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [endorsed, ENDORSERS_SHOWN])
            for item_id, person_id, name in cursor.fetchall():
                by_id[item_id].endorsers_shown.append(Profile(pk=person_id, display_name=name))
    elif endorsed:
        latest = (
            Endorsement.objects.filter(profile_skill_id__in=endorsed)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=[F("profile_skill_id")],
                    order_by=[F("created_at").desc(), F("id").desc()],
                )
            )
            .filter(rank__lte=ENDORSERS_SHOWN)
            .select_related("endorser")
            .order_by("profile_skill_id", "rank")
        )
        for endorsement in latest:
            by_id[endorsement.profile_skill_id].endorsers_shown.append(endorsement.endorser)
    for skill in shown:
        skill.endorsers_more = max(skill.item.endorsement_count - len(skill.endorsers_shown), 0)


_TAG_ROW = ("kind", "id", "tag_id", "tag_name", "tag_slug", "level", "endorsement_count", "viewer_endorsed")


def profile_expertise(*, profile: Profile, viewer: Profile | None) -> dict:
    """What the profile page shows: skills (level, endorsements, whether the viewer endorsed, the
    latest endorsers) and interests.

    The profile page already has `profile` (with its user), so skills and interests come in one
    UNION query, plus one for the endorsers when anyone is endorsed: at most two, whatever the size.
    """
    skills = (
        ProfileSkill.objects.filter(content_object=profile)
        .annotate(
            kind=Value("s"),
            tag_name=F("tag__name"),
            tag_slug=F("tag__slug"),
            viewer_endorsed=_viewer_endorsed(viewer),
        )
        .values_list(*_TAG_ROW)
    )
    interests = (
        ProfileInterest.objects.filter(content_object=profile)
        .annotate(
            kind=Value("i"),
            tag_name=F("tag__name"),
            tag_slug=F("tag__slug"),
            level=Value(0),
            endorsement_count=Value(0),
            viewer_endorsed=Value(False),
        )
        .values_list(*_TAG_ROW)
    )
    items: list[SkillShown] = []
    interest_list: list[Interest] = []
    for kind, pk, tag_id, name, slug, level, count, endorsed in skills.union(interests, all=True):
        if kind == "s":
            item = ProfileSkill(
                pk=pk,
                tag=Skill(pk=tag_id, name=name, slug=slug),
                content_object=profile,
                level=level,
                endorsement_count=count,
            )
            items.append(SkillShown(item=item, viewer_endorsed=bool(endorsed)))
        else:
            interest_list.append(Interest(pk=tag_id, name=name, slug=slug))
    items.sort(key=lambda s: (-s.item.level, -s.item.endorsement_count, s.item.tag.name.lower()))
    interest_list.sort(key=lambda i: i.name.lower())
    _endorsers_attach(items)
    return {"items": items, "interests": interest_list}


def profile_skill_for_viewer(*, profile_skill_id: int, viewer: Profile | None) -> SkillShown | None:
    """One skill of someone's profile as the profile page shows it (after an endorsement)."""
    item = (
        ProfileSkill.objects.filter(pk=profile_skill_id)
        .annotate(viewer_endorsed=_viewer_endorsed(viewer))
        .select_related("tag", "content_object__user")
        .first()
    )
    if item is None:
        return None
    shown = SkillShown(item=item, viewer_endorsed=bool(item.viewer_endorsed))
    _endorsers_attach([shown])
    return shown


def _popular(model: type[Skill] | type[Interest], limit: int) -> list:
    # The kept count of people still here (expertise.services, corrected hourly): counting the rows
    # on every visit took ~0.5 s at 100,000 people (bench/people). Two thousand tags sort in no time.
    return list(model.objects.filter(people_count__gt=0).order_by("-people_count", "name")[:limit])


def skills_popular(*, limit: int = 60) -> list[Skill]:
    return _popular(Skill, limit)


def interests_popular(*, limit: int = 30) -> list[Interest]:
    return _popular(Interest, limit)


# --- People you should meet -----------------------------------------------------------------------


@dataclass
class MeetSuggestion:
    person: Profile | None
    shared_skills: list[str] = field(default_factory=list)
    shared_interests: list[str] = field(default_factory=list)
    strength: int = 0

    @property
    def shared(self) -> int:
        return len(self.shared_skills) + len(self.shared_interests)


def _shared_rows_sql(*, skill_ids: list[int], interest_ids: list[int], viewer_id: int, per_tag: int):
    """SQL for (profile_id, kind, tag_id, strength): up to `per_tag` holders of each of the viewer's tags.

    Skills: the most endorsed holders first, an index-only scan of skill_people_ranked_idx (its trailing
    content_object column covers the query). Interests: the newest colleagues first, the unique
    (tag, person) index read backwards; newcomers gain most from meeting people.
    """
    skill_table = ProfileSkill._meta.db_table
    interest_table = ProfileInterest._meta.db_table
    skill_arm = (
        f"SELECT content_object_id AS profile_id, endorsement_count AS strength FROM {skill_table} "
        f"WHERE tag_id = {{tag}} AND content_object_id <> %s "
        f"ORDER BY endorsement_count DESC, level DESC LIMIT %s"
    )
    interest_arm = (
        f"SELECT content_object_id AS profile_id, 0 AS strength FROM {interest_table} "
        f"WHERE tag_id = {{tag}} AND content_object_id <> %s ORDER BY content_object_id DESC LIMIT %s"
    )
    if connection.vendor == "postgresql":
        # One LATERAL subquery over the id array: the plan stays small (planning 60 UNION arms took
        # longer than running them).
        sql = (
            f"SELECT c.profile_id, 's' AS kind, t.tag_id, c.strength FROM unnest(%s::bigint[]) AS t(tag_id) "
            f"CROSS JOIN LATERAL ({skill_arm.format(tag='t.tag_id')}) AS c "
            f"UNION ALL "
            f"SELECT c.profile_id, 'i' AS kind, t.tag_id, c.strength FROM unnest(%s::bigint[]) AS t(tag_id) "
            f"CROSS JOIN LATERAL ({interest_arm.format(tag='t.tag_id')}) AS c"
        )
        return sql, [skill_ids, viewer_id, per_tag, interest_ids, viewer_id, per_tag]
    # Other databases (the SQLite demo): one UNION ALL arm per tag, same rows.
    arms, params = [], []
    for kind, ids, arm in (("s", skill_ids, skill_arm), ("i", interest_ids, interest_arm)):
        for n, tag_id in enumerate(ids):
            arms.append(
                f"SELECT profile_id, '{kind}' AS kind, %s AS tag_id, strength "
                f"FROM ({arm.format(tag='%s')}) AS {kind}{n}"
            )
            params += [tag_id, tag_id, viewer_id, per_tag]
    return " UNION ALL ".join(arms), params


def people_to_meet(*, viewer: Profile, limit: int = MEET_LIMIT) -> list[MeetSuggestion]:
    """Colleagues sharing the viewer's skills or interests who sit in another department or location.

    Ranked by how many skills and interests they share, then by the endorsements of the shared skills.
    Excludes the viewer, people who left, the viewer's manager and direct reports. Four queries in all
    (the viewer's skills, their interests, one ranking query, the people), whatever the company size.

    Why a cap on candidates: the ranking reads, for each of the viewer's (up to 30 + 30) skills and
    interests, the people who list it. In a company of 100,000 a skill like "Excel" can have 50,000
    holders, and counting them all for 60 tags reads millions of rows per page view. So the query
    reads at most MEET_CANDIDATE_ROWS holders in all, split evenly over the viewer's tags (never fewer
    than MEET_MIN_ROWS_PER_TAG each), straight off an index in a useful order (see _shared_rows_sql).
    Rare tags, where the cap never bites, are read in full and decide the ranking; a tag that tens of
    thousands share says little about a match. Measured on 100,000 people (30 of the commonest skills
    and interests, 4,000 candidate rows): about 20 ms on an idle machine; reading every holder: 400+ ms.
    """
    my_skills = dict(ProfileSkill.objects.filter(content_object=viewer).values_list("tag_id", "tag__name"))
    my_interests = dict(
        ProfileInterest.objects.filter(content_object=viewer).values_list("tag_id", "tag__name")
    )
    if not my_skills and not my_interests:
        return []
    per_tag = max(MEET_MIN_ROWS_PER_TAG, MEET_CANDIDATE_ROWS // (len(my_skills) + len(my_interests)))
    shared_sql, params = _shared_rows_sql(
        skill_ids=sorted(my_skills), interest_ids=sorted(my_interests), viewer_id=viewer.pk, per_tag=per_tag
    )
    profile_table = Profile._meta.db_table
    user_table = User._meta.db_table
    # Group first, then look up only the grouped people. "Same team and place" treats two people
    # without a department (or location) as together.
    sql = f"""
        WITH shared AS ({shared_sql}),
        agg AS (
            SELECT profile_id, COUNT(*) AS n_shared, SUM(strength) AS strength FROM shared GROUP BY profile_id
        ),
        ranked AS (
            SELECT agg.profile_id, agg.n_shared, agg.strength, p.display_name
            FROM agg
            JOIN {profile_table} p ON p.id = agg.profile_id
            JOIN {user_table} u ON u.id = p.user_id
            WHERE u.is_active = %s
              AND NOT (COALESCE(p.department_id, 0) = %s AND COALESCE(p.location_id, 0) = %s)
              AND p.id <> %s
              AND COALESCE(p.manager_id, 0) <> %s
            ORDER BY agg.n_shared DESC, agg.strength DESC, p.display_name, agg.profile_id
            LIMIT %s
        )
        SELECT ranked.profile_id, ranked.strength, shared.kind, shared.tag_id
        FROM ranked JOIN shared ON shared.profile_id = ranked.profile_id
        ORDER BY ranked.n_shared DESC, ranked.strength DESC, ranked.display_name, ranked.profile_id
    """
    params += [
        True,
        viewer.department_id or 0,
        viewer.location_id or 0,
        viewer.manager_id or 0,
        viewer.pk,
        limit,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    suggestions: dict[int, MeetSuggestion] = {}
    for profile_id, strength, kind, tag_id in rows:
        suggestion = suggestions.get(profile_id)
        if suggestion is None:
            suggestion = suggestions[profile_id] = MeetSuggestion(person=None, strength=int(strength or 0))
        if kind == "s":
            suggestion.shared_skills.append(my_skills[tag_id])
        else:
            suggestion.shared_interests.append(my_interests[tag_id])
    people = active_profiles().select_related("department", "location").in_bulk(list(suggestions))
    ranked = []
    for profile_id, suggestion in suggestions.items():
        if profile_id in people:  # deactivated between the two queries: leave them out
            suggestion.person = people[profile_id]
            suggestion.shared_skills.sort(key=str.lower)
            suggestion.shared_interests.sort(key=str.lower)
            ranked.append(suggestion)
    return ranked


def lists_anything(*, profile: Profile) -> bool:
    """Whether the person lists any skill or interest (two cheap EXISTS queries)."""
    return profile.skill_items.exists() or profile.interest_items.exists()


def skill_names_lowercase_of_many(*, profile_ids: Collection[int]) -> dict[int, set[str]]:
    """Each person's skill names in lower case, for a batch at once (the digest's questions): one query."""
    names: dict[int, set[str]] = defaultdict(set)
    for profile_id, name in (
        ProfileSkill.objects.filter(content_object_id__in=profile_ids)
        .annotate(name=Lower("tag__name"))
        .values_list("content_object_id", "name")
    ):
        names[profile_id].add(name)
    return dict(names)


# --- People who know what a question is about ("already answered?", feed.already_answered) --------

SKILL_KIND = "expertise.skill"
# A skill's name is a word or two, so its cosine with a whole question is low even when it is the
# topic: 0.45-0.6 for "Kubernetes" and a question about pods, under 0.35 for unrelated skills.
SKILL_FLOOR = 0.4
SKILLS_MATCHED = 3
_GRAM = re.compile(r"[\w+#.-]+")


@dataclass
class SkillHolder:
    profile: Profile
    skill: Skill
    level_label: str
    endorsement_count: int


def _skill_grams(text: str) -> set[str]:
    """The draft's words and runs of two or three, lower case: the names a skill may go by."""
    words = [w.strip(".-").lower() for w in _GRAM.findall(text or "")]
    words = [w for w in words if w]
    return {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}


def _skills_near(vector: np.ndarray | None, *, limit: int) -> dict[int, float]:
    return {
        pk: cosine
        for pk, cosine in similar_text.nearest(kind=SKILL_KIND, vector=vector, k=limit)
        if cosine >= SKILL_FLOOR
    }


def _skills_chosen(
    rows: list[tuple[Skill, str]], *, grams: set[str], near: dict[int, float], limit: int
) -> list[Skill]:
    """Of the candidate skills (each with its name in lower case as the database has it), those named
    in the draft, longest name first, then those close in meaning, closest first."""
    named = sorted((s for s, lname in rows if s.pk not in near or lname in grams), key=lambda s: -len(s.name))
    close = sorted((s for s, _ in rows if s not in named), key=lambda s: -near[s.pk])
    return [*named, *close][:limit]


def skills_matching(*, text: str, vector: np.ndarray | None, limit: int = SKILLS_MATCHED) -> list[Skill]:
    """Skills (or their aliases) named in `text`, longest name first, then skills close to its
    meaning (`vector`, the draft's sentence vector): one query, after the vectors' freshness check."""
    grams = _skill_grams(text)
    near = _skills_near(vector, limit=limit)
    if not grams and not near:
        return []
    aliased = SkillAlias.objects.annotate(al=Lower("name")).filter(al__in=grams).values("skill_id")
    rows = list(
        Skill.objects.annotate(lname=Lower("name"))
        .filter(Q(lname__in=grams) | Q(pk__in=aliased) | Q(pk__in=list(near)))
        .order_by("-people_count", "name")[: limit * 4]
    )
    return _skills_chosen([(s, s.lname) for s in rows], grams=grams, near=near, limit=limit)


# The candidate skills (as in skills_matching) and the best `limit` holders of each, in one statement:
# each skill's holders along skill_people_ranked_idx, stopping at `limit` (LATERAL).
_HOLDERS_SQL = """
WITH skill AS (
    SELECT s.id, s.name, s.slug, s.people_count, lower(s.name) AS lname FROM expertise_skill s
    WHERE lower(s.name) = ANY(%(grams)s)
        OR s.id IN (SELECT a.skill_id FROM expertise_skillalias a WHERE lower(a.name) = ANY(%(grams)s))
        OR s.id = ANY(%(near)s)
    ORDER BY s.people_count DESC, s.name LIMIT %(candidates)s
)
SELECT skill.id, skill.name, skill.slug, skill.people_count, skill.lname,
    h.level, h.endorsement_count, h.profile_id, h.display_name, h.department_id, h.department_name
FROM skill LEFT JOIN LATERAL (
    SELECT ps.level, ps.endorsement_count, ps.content_object_id AS profile_id, p.display_name,
        p.department_id, d.name AS department_name
    FROM expertise_profileskill ps
    JOIN profiles_profile p ON p.id = ps.content_object_id
    JOIN profiles_user u ON u.id = p.user_id
    LEFT JOIN profiles_department d ON d.id = p.department_id
    WHERE ps.tag_id = skill.id AND u.is_active AND ps.content_object_id <> %(exclude)s
    ORDER BY ps.endorsement_count DESC, ps.level DESC, ps.content_object_id
    LIMIT %(limit)s
) h ON true
"""


def skill_holders_matching(
    *, text: str, vector: np.ndarray | None, exclude_id: int | None, limit: int = 3
) -> list[SkillHolder]:
    """The most endorsed people still here holding the skills `text` is about (skills_matching),
    taken in turn from each skill, never `exclude_id` (the asker): on PostgreSQL one query (skills and
    holders together) after the vectors' freshness check; elsewhere one after the skills'."""
    if connection.vendor != "postgresql":
        return _skill_holders_matching_portable(text=text, vector=vector, exclude_id=exclude_id, limit=limit)
    grams = _skill_grams(text)
    near = _skills_near(vector, limit=SKILLS_MATCHED)
    if not grams and not near:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            _HOLDERS_SQL,
            {
                "grams": sorted(grams),
                "near": list(near),
                "candidates": SKILLS_MATCHED * 4,
                "exclude": exclude_id or 0,
                "limit": limit,
            },
        )
        rows = cursor.fetchall()
    db = connection.alias
    candidates: dict[int, tuple[Skill, str]] = {}
    per_skill: dict[int, list[SkillHolder]] = {}
    for row in rows:
        skill_id, name, slug, people_count, lname, level, endorsements = row[:7]
        if skill_id not in candidates:
            fields = ["id", "name", "slug", "people_count"]
            candidates[skill_id] = (Skill.from_db(db, fields, [skill_id, name, slug, people_count]), lname)
            per_skill[skill_id] = []
        profile_id, display_name, department_id, department_name = row[7:]
        if profile_id is None:
            continue  # nobody still here holds it
        profile = Profile.from_db(
            db, ["id", "display_name", "department_id"], [profile_id, display_name, department_id]
        )
        if department_id is not None:
            profile.department = Department.from_db(db, ["id", "name"], [department_id, department_name])
        per_skill[skill_id].append(
            SkillHolder(
                profile=profile,
                skill=candidates[skill_id][0],
                level_label=ProfileSkill.Level(level).label,
                endorsement_count=endorsements,
            )
        )
    skills = _skills_chosen(list(candidates.values()), grams=grams, near=near, limit=SKILLS_MATCHED)
    return _holders_in_turn([per_skill[s.pk] for s in skills], limit=limit)


def _holders_in_turn(queues: list[list[SkillHolder]], *, limit: int) -> list[SkillHolder]:
    """One holder from each skill in turn (best first), each person once, up to `limit`."""
    holders: list[SkillHolder] = []
    seen: set[int] = set()
    while len(holders) < limit and any(queues):
        for queue in queues:
            while queue and queue[0].profile.pk in seen:
                queue.pop(0)
            if queue and len(holders) < limit:
                holder = queue.pop(0)
                seen.add(holder.profile.pk)
                holders.append(holder)
    return holders


def _skill_holders_matching_portable(
    *, text: str, vector: np.ndarray | None, exclude_id: int | None, limit: int
) -> list[SkillHolder]:
    """skill_holders_matching on SQLite (the demo), which has no LATERAL: the skills, then their
    holders in one more query."""
    skills = skills_matching(text=text, vector=vector)
    if not skills:
        return []
    rows = ProfileSkill.objects.filter(content_object__user__is_active=True).exclude(
        content_object_id=exclude_id
    )
    ranked = rows.order_by("-endorsement_count", "-level", "content_object_id").values_list("id", flat=True)
    best = [ranked.filter(tag_id=s.pk)[:limit] for s in skills]
    chosen = best[0].union(*best[1:], all=True) if len(best) > 1 else best[0]
    per_skill: dict[int, list[SkillHolder]] = {s.pk: [] for s in skills}
    for item in (
        ProfileSkill.objects.filter(pk__in=chosen)
        .select_related("content_object__department", "tag")
        .order_by("-endorsement_count", "-level", "content_object_id")
    ):
        per_skill[item.tag_id].append(
            SkillHolder(
                profile=item.content_object,
                skill=item.tag,
                level_label=item.get_level_display(),
                endorsement_count=item.endorsement_count,
            )
        )
    return _holders_in_turn([per_skill[s.pk] for s in skills], limit=limit)


def skill_texts(ids: list[int]) -> dict[int, str]:
    return dict(Skill.objects.filter(pk__in=ids).values_list("pk", "name"))


def skill_ids() -> list[int]:
    return list(Skill.objects.values_list("pk", flat=True))
