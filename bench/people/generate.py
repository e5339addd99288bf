"""Scale benchmark, step 1: fill a scratch PostgreSQL database with a company of 100,000 people.

    .venv/bin/python bench/people/generate.py --fresh            # hive_bench, full size
    .venv/bin/python bench/people/generate.py --fresh --employees 10000 --projects 2000

Rows go in with PostgreSQL COPY from in-memory buffers (no ORM save(), no signals, one password hash
for everyone), then the id sequences are moved past the new rows and the tables are analysed.
The core, `populate(size=...)`, works on whatever database Django is connected to, so the smoke test
runs it at a tiny size inside pytest-django's test database.
"""

from __future__ import annotations

import argparse
import bisect
import datetime as dt
import importlib
import io
import json
import os
import random
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE = "hive_bench"
DEFAULT_SERVER = "postgres://postgres@127.0.0.1:5432"
PASSWORD = "hive-bench-2026"


@dataclass(frozen=True)
class Size:
    """How big a company to make; the default is the issue's target."""

    employees: int = 100_000
    departments: int = 40
    locations: int = 25
    skills: int = 2_000
    skills_per_person: int = 8
    endorsements: int = 200_000
    interests: int = 300
    interests_per_person: int = 3
    projects: int = 20_000
    members_per_project: int = 5
    updates_per_project: int = 2
    posts: int = 200_000
    # Direct reports per manager: 7 gives a tree about 6 levels deep at 100,000 people.
    span: int = 7
    # Share of people whose account is deactivated (they must vanish from directory and search).
    inactive_share: float = 0.01

    @classmethod
    def scaled(cls, *, employees: int, projects: int | None = None) -> Size:
        """A smaller company with the same shape (per-person ratios kept)."""
        ratio = employees / cls.employees
        return cls(
            employees=employees,
            departments=min(cls.departments, max(3, employees // 20)),
            locations=min(cls.locations, max(3, employees // 30)),
            skills=min(cls.skills, max(40, employees // 2)),
            interests=min(cls.interests, max(20, employees // 5)),
            endorsements=int(cls.endorsements * ratio),
            projects=projects if projects is not None else int(cls.projects * ratio),
            posts=int(cls.posts * ratio),
        )


@dataclass
class Company:
    """What populate() made: ids and counts, for the caller, the smoke test and measure.py."""

    counts: dict[str, int] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)
    profile_ids: list[int] = field(default_factory=list)
    manager_ids: list[int | None] = field(default_factory=list)


# --- COPY plumbing ---------------------------------------------------------------------------


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _fmt(value) -> str:
    if value is None:
        return "\\N"
    kind = type(value)
    if kind is int:
        return str(value)
    if kind is str:
        return _escape(value)
    if kind is bool:
        return "t" if value else "f"
    if kind in (dt.datetime, dt.date):
        return value.isoformat()
    if kind in (list, dict):
        return _escape(json.dumps(value, ensure_ascii=False))
    return _escape(str(value))


def copy_rows(model, columns: Sequence[str], rows: Iterable[Sequence], *, chunk: int = 100_000) -> int:
    """COPY `rows` (tuples in the order of `columns`) into `model`'s table; returns how many.

    Concrete columns not named get the model field's default (or NULL), computed once, so a field
    someone adds later with a default does not break the benchmark.
    """
    from django.db import connection
    from django.db.models import JSONField

    named = set(columns)
    rest, rest_values = [], []
    for f in model._meta.concrete_fields:
        if f.column in named or f.attname in named or getattr(f, "generated", False):
            continue
        if f.has_default():
            value = f.get_default()
            value = value if isinstance(f, JSONField) else f.get_db_prep_save(value, connection)
        elif f.null:
            value = None
        elif f.blank and f.empty_strings_allowed:
            value = ""
        else:
            raise ValueError(f"{model.__name__}.{f.name} needs a value: add it to the generator.")
        rest.append(f.column)
        rest_values.append(_fmt(value))
    suffix = ("\t" + "\t".join(rest_values)) if rest else ""
    sql = 'COPY "{}" ({}) FROM STDIN'.format(
        model._meta.db_table, ", ".join(f'"{c}"' for c in [*columns, *rest])
    )
    total = 0
    buf = io.StringIO()
    with connection.cursor() as cursor:
        for row in rows:
            buf.write("\t".join(map(_fmt, row)))
            buf.write(suffix)
            buf.write("\n")
            total += 1
            if total % chunk == 0:
                buf.seek(0)
                cursor.copy_expert(sql, buf)
                buf = io.StringIO()
        if buf.tell():
            buf.seek(0)
            cursor.copy_expert(sql, buf)
    return total


def _next_id(model) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f'SELECT COALESCE(MAX(id), 0) + 1 FROM "{model._meta.db_table}"')
        return cursor.fetchone()[0]


def reset_sequences(models: Sequence) -> None:
    """After COPY with explicit ids, the next ORM insert must not reuse one."""
    from django.core.management.color import no_style
    from django.db import connection

    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)


# --- helpers for believable data -------------------------------------------------------------


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(ch for ch in plain.lower() if ch.isalnum()) or "x"


def _zipf_cum(n: int, exponent: float = 0.9) -> list[float]:
    return list(accumulate(1.0 / (rank + 1) ** exponent for rank in range(n)))


def _pick(rng: random.Random, items: Sequence, cum: Sequence[float]):
    return items[bisect.bisect(cum, rng.random() * cum[-1])]


def _names_for(locale: str) -> tuple[list[str], list[str]]:
    provider = importlib.import_module(f"faker.providers.person.{locale}").Provider
    if locale == "ja_JP":
        return list(provider.first_romanized_names), list(provider.last_romanized_names)
    first, last = list(provider.first_names), list(provider.last_names)
    if len(last) < 50:  # some locales ship a placeholder surname list
        last = list(importlib.import_module("faker.providers.person.en_US").Provider.last_names)
    return first, last


def _skill_vocabulary(count: int) -> list[tuple[str, str]]:
    """(skill name, family): every plain name first, then the variants, until `count`."""
    from bench.people.vocabulary import SKILL_FAMILIES, SKILL_VARIANTS

    cores = [(name, family) for family, names in SKILL_FAMILIES.items() for name in names]
    out, seen = [], set()
    for variant in SKILL_VARIANTS:
        for name, family in cores:
            full = variant.format(name) if variant else name
            if full.lower() not in seen:
                seen.add(full.lower())
                out.append((full, family))
            if len(out) == count:
                return out
    return out


def _unique_slugs(names: list[str], slugify: Callable[[str], str]) -> list[str]:
    taken: set[str] = set()
    slugs = []
    for name in names:
        base = slugify(name)
        slug, i = base, 1
        while slug in taken:
            slug, i = f"{base}_{i}", i + 1
        taken.add(slug)
        slugs.append(slug)
    return slugs


# --- the company -----------------------------------------------------------------------------


def populate(*, size: Size = Size(), seed: int = 2026, log: Callable[[str], None] = print) -> Company:
    """Insert a whole company into the connected database; run inside or outside a transaction."""
    from django.contrib.auth.hashers import make_password
    from django.utils import timezone

    from bench.people import vocabulary as vocab
    from expertise.models import Endorsement, Interest, ProfileInterest, ProfileSkill, Skill
    from feed.models import Post
    from profiles.models import Department, Location, Profile, User
    from projects.models import Project, ProjectMember, ProjectTag, ProjectUpdate

    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate()
    company = Company()
    stage_started = time.perf_counter()

    def stage_done(name: str, **counts: int) -> None:
        nonlocal stage_started
        elapsed = time.perf_counter() - stage_started
        company.timings[name] = elapsed
        company.counts.update(counts)
        described = ", ".join(f"{v:,} {k}" for k, v in counts.items())
        log(f"  {name:<12} {elapsed:7.1f} s  {described}")
        stage_started = time.perf_counter()

    # Reference data ------------------------------------------------------------------------
    departments = vocab.DEPARTMENTS[: size.departments]
    locations = vocab.LOCATIONS[: size.locations]
    dept_base, loc_base = _next_id(Department), _next_id(Location)
    dept_ids = [dept_base + i for i in range(len(departments))]
    loc_ids = [loc_base + i for i in range(len(locations))]
    copy_rows(Department, ["id", "name"], ((dept_ids[i], d[0]) for i, d in enumerate(departments)))
    copy_rows(
        Location,
        ["id", "name", "time_zone"],
        ((loc_ids[i], loc[0], loc[1]) for i, loc in enumerate(locations)),
    )

    vocabulary = _skill_vocabulary(size.skills)
    skill_names = [name for name, _ in vocabulary]
    skill_slugs = _unique_slugs(skill_names, Skill().slugify)
    skill_base = _next_id(Skill)
    skill_ids = [skill_base + i for i in range(len(vocabulary))]
    copy_rows(Skill, ["id", "name", "slug"], zip(skill_ids, skill_names, skill_slugs, strict=True))
    # Popularity: plain names (listed first) are common, variants rare; a Zipf curve over the list.
    skill_cum_global = _zipf_cum(len(skill_ids), 0.8)
    by_family: dict[str, list[int]] = {}
    for index, (_, family) in enumerate(vocabulary):
        by_family.setdefault(family, []).append(index)
    dept_pools: list[tuple[list[int], list[float]]] = []
    for _, families, _ in departments:
        pool = sorted(i for fam in families for i in by_family.get(fam, []))
        pool = pool or list(range(len(skill_ids)))
        dept_pools.append((pool, _zipf_cum(len(pool), 0.7)))

    interest_names = [
        variant.format(base) for variant in vocab.INTEREST_VARIANTS for base in vocab.INTERESTS_BASE
    ][: size.interests]
    interest_base = _next_id(Interest)
    interest_ids = [interest_base + i for i in range(len(interest_names))]
    copy_rows(
        Interest,
        ["id", "name", "slug"],
        zip(interest_ids, interest_names, _unique_slugs(interest_names, Interest().slugify), strict=True),
    )
    stage_done(
        "reference",
        departments=len(dept_ids),
        locations=len(loc_ids),
        skills=len(skill_ids),
        interests=len(interest_ids),
    )

    # People: a manager tree of `span` reports each; a department per subtree under the VPs ------
    n = size.employees
    user_base, profile_base = _next_id(User), _next_id(Profile)
    profile_ids = [profile_base + i for i in range(n)]
    parent = [None] + [(i - 1) // size.span for i in range(1, n)]
    depth = [0] * n
    person_dept = [0] * n  # index into departments
    person_loc = [0] * n  # index into locations
    loc_cum = _zipf_cum(len(locations), 0.6)
    loc_indices = list(range(len(locations)))
    next_dept = 1 if len(departments) > 1 else 0
    for i in range(n):
        p = parent[i]
        if p is None:
            person_loc[i] = 0
            continue
        depth[i] = depth[p] + 1
        if depth[i] == 1:
            person_dept[i] = 0  # the CEO's vice presidents sit in the Executive Office
        elif depth[i] == 2 and next_dept:
            # Each director heads a department (round-robin past the Executive Office);
            # everyone below inherits their branch's department.
            person_dept[i] = next_dept
            next_dept = next_dept % (len(departments) - 1) + 1
        else:
            person_dept[i] = person_dept[p]
        # Each director's branch has a home office; most people sit there, some elsewhere.
        at_home = depth[i] > 2 and rng.random() < 0.7
        person_loc[i] = person_loc[p] if at_home else _pick(rng, loc_indices, loc_cum)

    names_by_locale = {loc[2]: _names_for(loc[2]) for loc in locations}
    password = make_password(PASSWORD)
    inactive = set(rng.sample(range(1, n), int((n - 1) * size.inactive_share))) if n > 1 else set()
    display_names: list[str] = []
    users, profiles = [], []
    dept_members: list[list[int]] = [[] for _ in departments]
    for i in range(n):
        locale = locations[person_loc[i]][2]
        firsts, lasts = names_by_locale[locale]
        first, last = rng.choice(firsts), rng.choice(lasts)
        name = f"{first} {last}"
        display_names.append(name)
        email = f"{_ascii(first)}.{_ascii(last)}.{i}@example.com"
        joined = now - dt.timedelta(days=rng.randint(1, 7000))
        users.append((user_base + i, password, False, email, i not in inactive, False, joined))
        d = person_dept[i]
        dept_members[d].append(i)
        dept_name, _, noun = departments[d]
        if depth[i] < len(vocab.TITLE_BY_DEPTH):
            title = vocab.TITLE_BY_DEPTH[depth[i]]
        elif i * size.span + 1 < n:  # has reports
            title = vocab.TITLE_LEAD
        else:
            title = rng.choice(vocab.TITLE_LEAF)
        title = title.format(dept=dept_name, noun=noun)
        # Managers have been here longer, on average, than the people they manage.
        tenure_days = max(30, int(rng.expovariate(1 / 1300) + (6 - min(depth[i], 6)) * 300))
        start = today - dt.timedelta(days=min(tenure_days, 9000))
        languages = vocab.LANGUAGES_BY_LOCALE.get(locale, ["English"])
        links = (
            [{"label": "GitHub", "url": f"https://github.com/{_ascii(first)}{_ascii(last)}{i}"}]
            if rng.random() < 0.2
            else []
        )
        profiles.append(
            (
                profile_ids[i],
                user_base + i,
                name,
                title,
                dept_ids[d],
                loc_ids[person_loc[i]],
                profile_ids[parent[i]] if parent[i] is not None else None,
                rng.choice(vocab.PRONOUNS),
                "",  # bio: filled in below, once the person's skills are known
                languages if rng.random() < 0.8 else languages[:1],
                f"+1 555 {i % 10_000:04d}" if rng.random() < 0.3 else "",
                links,
                start,
                joined,
            )
        )

    # Skills: mostly from the department's families, a couple from anywhere --------------------
    ps_person: list[int] = []
    ps_skill: list[int] = []
    ps_level: list[int] = []
    person_skills: list[list[int]] = [[] for _ in range(n)]
    per_person = min(size.skills_per_person, len(skill_ids))
    level_cum = list(accumulate([0.2, 0.4, 0.3, 0.1]))
    for i in range(n):
        pool, cum = dept_pools[person_dept[i]]
        chosen: set[int] = set()
        wanted = max(1, per_person + rng.randint(-3, 3))
        attempts = 0
        while len(chosen) < wanted and attempts < wanted * 6:
            attempts += 1
            if rng.random() < 0.75:
                chosen.add(_pick(rng, pool, cum))
            else:
                chosen.add(_pick(rng, range(len(skill_ids)), skill_cum_global))
        for s in chosen:
            ps_person.append(i)
            ps_skill.append(s)
            ps_level.append(bisect.bisect(level_cum, rng.random() * level_cum[-1]) + 1)
            person_skills[i].append(s)

    # Bios mention the person's top skills, so text search has something to find.
    for i in range(n):
        if rng.random() < 0.35 and person_skills[i]:
            skills_here = person_skills[i]
            row = list(profiles[i])
            row[8] = rng.choice(vocab.BIOS).format(
                a=skill_names[skills_here[0]],
                b=skill_names[skills_here[-1]],
                loc=locations[person_loc[i]][0],
                interest=rng.choice(interest_names),
            )
            profiles[i] = tuple(row)

    copy_rows(
        User, ["id", "password", "is_superuser", "email", "is_active", "is_staff", "date_joined"], users
    )
    copy_rows(
        Profile,
        [
            "id",
            "user_id",
            "display_name",
            "job_title",
            "department_id",
            "location_id",
            "manager_id",
            "pronouns",
            "bio",
            "languages",
            "phone",
            "links",
            "start_date",
            "created_at",
        ],
        profiles,
    )
    del users, profiles
    company.profile_ids = profile_ids
    company.manager_ids = [profile_ids[p] if p is not None else None for p in parent]
    stage_done("people", users=n, profiles=n, inactive=len(inactive))

    # Endorsements: from colleagues in the same department, more for higher self-rated levels ----
    m = len(ps_person)
    ps_base = _next_id(ProfileSkill)
    endorsement_count = [0] * m
    endorsements: list[tuple[int, int]] = []  # (profile skill index, endorser person)
    seen: set[tuple[int, int]] = set()
    level_weight_cum = list(accumulate(ps_level[k] ** 2 for k in range(m))) if m else []
    attempts = 0
    while len(endorsements) < size.endorsements and attempts < size.endorsements * 3 and m and n > 1:
        attempts += 1
        k = bisect.bisect(level_weight_cum, rng.random() * level_weight_cum[-1])
        owner = ps_person[k]
        colleagues = dept_members[person_dept[owner]]
        endorser = rng.choice(colleagues) if rng.random() < 0.8 else rng.randrange(n)
        if endorser == owner or (k, endorser) in seen:
            continue
        seen.add((k, endorser))
        endorsements.append((k, endorser))
        endorsement_count[k] += 1
    del seen
    copy_rows(
        ProfileSkill,
        ["id", "tag_id", "content_object_id", "level", "endorsement_count", "added_at"],
        (
            (
                ps_base + k,
                skill_ids[ps_skill[k]],
                profile_ids[ps_person[k]],
                ps_level[k],
                endorsement_count[k],
                now - dt.timedelta(days=ps_person[k] % 900 + 1),
            )
            for k in range(m)
        ),
    )
    endorsement_base = _next_id(Endorsement)
    copy_rows(
        Endorsement,
        ["id", "profile_skill_id", "endorser_id", "created_at"],
        (
            (endorsement_base + j, ps_base + k, profile_ids[e], now - dt.timedelta(minutes=j % 500_000))
            for j, (k, e) in enumerate(endorsements)
        ),
    )
    stage_done("skills", profile_skills=m, endorsements=len(endorsements))

    # Interests ------------------------------------------------------------------------------
    interest_cum = _zipf_cum(len(interest_ids), 0.7)
    interest_rows = []
    pi_base = _next_id(ProfileInterest)
    for i in range(n):
        chosen = {
            _pick(rng, range(len(interest_ids)), interest_cum)
            for _ in range(max(0, size.interests_per_person + rng.randint(-2, 2)))
        }
        for s in chosen:
            interest_rows.append((pi_base + len(interest_rows), interest_ids[s], profile_ids[i]))
    copy_rows(ProfileInterest, ["id", "tag_id", "content_object_id"], interest_rows)
    stage_done("interests", profile_interests=len(interest_rows))
    del interest_rows

    # Projects: a lead, colleagues from the same department, tags from the department's skills --
    project_base = _next_id(Project)
    member_base, tag_base, update_base = (
        _next_id(ProjectMember),
        _next_id(ProjectTag),
        _next_id(ProjectUpdate),
    )
    projects, members, tags, updates = [], [], [], []
    project_names: list[str] = []
    statuses = ["active"] * 6 + ["idea", "paused", "done", "done", "cancelled"]
    for j in range(size.projects):
        pid = project_base + j
        lead = rng.randrange(n)
        d = person_dept[lead]
        pool, cum = dept_pools[d]
        tag_set = {_pick(rng, pool, cum) for _ in range(rng.randint(2, 5))}
        tag_list = sorted(tag_set)
        a = skill_names[tag_list[0]]
        b = skill_names[tag_list[-1]]
        c = skill_names[rng.choice(tag_list)]
        noun = rng.choice(vocab.PROJECT_NOUNS)
        name = f"{rng.choice(vocab.PROJECT_QUALIFIERS)}{a} {noun}"
        if rng.random() < 0.5:
            name += f" for {departments[d][0]}"
        project_names.append(name)
        summary = rng.choice(vocab.PROJECT_SUMMARIES).format(noun=noun, a=a, b=b, c=c, dept=departments[d][0])
        status = rng.choice(statuses)
        start = today - dt.timedelta(days=rng.randint(0, 900))
        end = start + dt.timedelta(days=rng.randint(30, 400)) if status in ("done", "cancelled") else None
        created = now - dt.timedelta(days=(today - start).days, minutes=rng.randint(0, 1440))
        team = {lead}
        colleagues = dept_members[d]
        wanted = max(1, size.members_per_project + rng.randint(-2, 2))
        for _ in range(wanted * 3):
            if len(team) >= wanted:
                break
            team.add(rng.choice(colleagues) if rng.random() < 0.8 else rng.randrange(n))
        for person in team:
            role = "lead" if person == lead else ("advisor" if rng.random() < 0.1 else "member")
            members.append((member_base + len(members), pid, profile_ids[person], role, created))
        for s in tag_list:
            tags.append((tag_base + len(tags), skill_ids[s], pid))
        last_update = created
        team_list = list(team)
        for u in range(rng.randint(0, size.updates_per_project * 2)):
            last_update = created + dt.timedelta(days=u * 7 + 1)
            body = rng.choice(vocab.UPDATE_BODIES).format(a=a, b=b)
            updates.append(
                (update_base + len(updates), pid, profile_ids[rng.choice(team_list)], body, last_update)
            )
        projects.append(
            (pid, name[:200], summary, status, start, end, created, min(last_update, now), len(team),
             profile_ids[lead], dept_ids[d])
        )  # fmt: skip
    copy_rows(
        Project,
        [
            "id",
            "name",
            "summary",
            "status",
            "start_date",
            "end_date",
            "created_at",
            "updated_at",
            "member_count",
            "created_by_id",
            "department_id",
        ],
        projects,
    )
    copy_rows(ProjectMember, ["id", "project_id", "profile_id", "role", "joined_at"], members)
    copy_rows(ProjectTag, ["id", "tag_id", "content_object_id"], tags)
    copy_rows(ProjectUpdate, ["id", "project_id", "author_id", "body", "created_at"], updates)
    stage_done(
        "projects",
        projects=len(projects),
        project_members=len(members),
        project_tags=len(tags),
        project_updates=len(updates),
    )
    del projects, members, tags, updates

    # Feed posts that talk about skills, so the expert finder has writing to weigh ---------------
    post_base = _next_id(Post)

    def posts():
        for j in range(size.posts):
            author = rng.randrange(n)
            own = person_skills[author]
            a = skill_names[rng.choice(own)] if own and rng.random() < 0.8 else rng.choice(skill_names)
            b = rng.choice(skill_names)
            body = rng.choice(vocab.POST_BODIES).format(
                a=a,
                b=b,
                dept=departments[person_dept[author]][0],
                loc=locations[person_loc[author]][0],
                project=rng.choice(project_names) if project_names else a,
            )
            yield (post_base + j, profile_ids[author], "update", body, now - dt.timedelta(minutes=j * 2 + 1))

    count = copy_rows(Post, ["id", "author_id", "kind", "body", "created_at"], posts())
    stage_done("posts", posts=count)

    # Skills' and interests' counts of people, as the hourly job sets them: COPY goes past the services.
    from expertise.services import people_counts_recount

    people_counts_recount()
    stage_done("counts")

    reset_sequences(
        [Department, Location, Skill, Interest, User, Profile, ProfileSkill, Endorsement, ProfileInterest,
         Project, ProjectMember, ProjectTag, ProjectUpdate, Post]
    )  # fmt: skip
    return company


# --- the command line ------------------------------------------------------------------------


def database_url(name: str, server: str = DEFAULT_SERVER) -> str:
    return f"{server.rstrip('/')}/{name}"


def configure_django(url: str) -> None:
    """Point Django at `url` with production-like settings (DEBUG off) that work without HTTPS."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-secret-" + "x" * 40)
    os.environ.setdefault("DJANGO_DEBUG", "false")
    os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
    os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "false")
    os.environ.setdefault("DJANGO_SECURE_COOKIES", "false")
    os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "true")
    os.environ.setdefault("HIVE_LOG_LEVEL", "WARNING")
    import django

    django.setup()


def _recreate_database(name: str, server: str, *, fresh: bool) -> None:
    import psycopg2

    admin = psycopg2.connect(database_url("postgres", server))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone() is not None
        if exists and fresh:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = %s AND pid <> pg_backend_pid()",
                [name],
            )
            cursor.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            cursor.execute(f'CREATE DATABASE "{name}"')
    admin.close()


def drop_database(name: str, server: str) -> None:
    """Drops a bench's scratch database (the benches that build their own, unless --keep)."""
    import psycopg2

    admin = psycopg2.connect(database_url("postgres", server))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
    admin.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--database", default=DEFAULT_DATABASE, help="scratch database name (default hive_bench)"
    )
    parser.add_argument("--server", default=os.environ.get("BENCH_PG_SERVER", DEFAULT_SERVER))
    parser.add_argument("--fresh", action="store_true", help="drop and recreate the database first")
    parser.add_argument("--employees", type=int, default=Size.employees)
    parser.add_argument("--projects", type=int, default=None, help="default: 20,000 at full size, scaled")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    if args.database in {"hive", "postgres", "template0", "template1"}:
        parser.error(f"refusing to use {args.database!r}: give the benchmark its own scratch database")

    started = time.perf_counter()
    _recreate_database(args.database, args.server, fresh=args.fresh)
    configure_django(database_url(args.database, args.server))
    from django.core.management import call_command
    from django.db import connection, transaction

    from profiles.models import Profile

    print(f"Database {args.database}: migrating")
    t = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    print(f"  {'migrate':<12} {time.perf_counter() - t:7.1f} s")
    if Profile.objects.exists():
        print(f"{args.database} already holds people; pass --fresh to rebuild it.", file=sys.stderr)
        return 2

    if args.employees == Size.employees and args.projects is None:
        size = Size()
    else:
        size = Size.scaled(employees=args.employees, projects=args.projects)
    print(f"Generating {size.employees:,} employees and {size.projects:,} projects (seed {args.seed})")
    with transaction.atomic():
        company = populate(size=size, seed=args.seed)
        t = time.perf_counter()
    print(f"  {'commit':<12} {time.perf_counter() - t:7.1f} s  (deferred foreign-key checks)")

    t = time.perf_counter()
    connection.ensure_connection()
    connection.connection.autocommit = True
    with connection.cursor() as cursor:
        # VACUUM sets the visibility map (index-only scans) as autovacuum would in production.
        cursor.execute("VACUUM ANALYZE")
    print(f"  {'analyze':<12} {time.perf_counter() - t:7.1f} s  (VACUUM ANALYZE)")
    total = time.perf_counter() - started
    rows = sum(v for k, v in company.counts.items() if k not in {"inactive"})
    print(f"Done: {rows:,} rows in {total:.1f} s ({total / 60:.1f} min). Password for everyone: {PASSWORD}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
