"""Builds the demo company: people, skills, a month of feed activity, a year of kudos (with points, badges and
rewards), celebrations, flags and analytics.

The whole company is planned in memory first, with one seeded random generator so it comes out the
same every time, and then written with a few large bulk inserts: a query per row would make a
240-person company take minutes on SQLite. Counters (Post.comment_count, reaction_count) are set
from the planned rows, so they agree with the tables without a recount.
"""

import math
import random
import re
import unicodedata
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker
from taggit.models import Tag

from analytics.fill import placements_record, segments_backfill
from analytics.models import ActiveDay
from analytics.services import rollup_fill
from communities.models import Community, Membership
from communities.services import community_join
from demo import content, projects_content, wiki_content
from demo.rules import demo_rules_write
from digests.models import DigestSetting
from events.models import Event, Question, QuestionVote
from expertise.models import Endorsement, Interest, ProfileInterest, ProfileSkill, SkillAlias
from expertise.services import people_counts_recount, skills_get_or_create
from feed.hashtags import hashtags_find
from feed.models import (
    Acknowledgement,
    Comment,
    FollowPerson,
    FollowTag,
    MustRead,
    Post,
    PostTag,
    Reaction,
    ScheduledPost,
)
from feed.polls import poll_create, poll_vote
from moderation.models import AuditEntry, GuidelineAcceptance
from moderation.services import flag_create, guidelines_publish
from notifications.models import Kind as NotificationKind
from notifications.models import Notification
from profiles.models import Department, Location, Profile, User
from profiles.services import company_addresses_verify
from projects.models import Project, ProjectMember, ProjectTag, ProjectUpdate
from projects.services import project_embeddings_backfill
from recognition.counts import kudos_counts_repair
from recognition.models import (
    Badge,
    Celebration,
    CompanyValue,
    Kudos,
    KudosRecipient,
    PointsAccount,
    PointsEntry,
    RecognitionPreference,
    Redemption,
    Reward,
)
from recognition.selectors import recognition_settings
from recognition.services import (
    allowance_period_start,
    allowance_reset,
    badge_give,
    badges_award,
    celebrations_post,
    company_values_ensure,
    redemption_decide,
    reward_redeem,
)
from surveys import services as surveys
from surveys.models import Survey
from surveys.selectors import surveys_open_until_forget
from wiki import services as wiki
from wiki import watches as wiki_watches
from wiki.models import Page as WikiPage
from wiki.models import Version as WikiVersion

SEED = 2026
PASSWORD = "hive-demo-2026"
ADMIN_EMAIL = "admin@example.com"
NEWCOMER_EMAIL = "newcomer@example.com"
DEMO_EMAILS = [account["email"] for account in content.DEMO_ACCOUNTS]
DEFAULT_EMPLOYEES = 240
# A CEO, a head per department, and at least a lead and one member in every department.
MIN_EMPLOYEES = 25
# Days of activity; the analytics rollup is filled for the DAYS days up to yesterday, as the dashboard shows.
DAYS = 30
# Kudos go back a year (the leaderboard's quarter and year, the profile's "most recognised for", a year of
# points with monthly allowances and rewards), and so do a few experts' answered questions.
KUDOS_DAYS = 365
# Fewer kudos in the summer holidays, more at the year's end.
KUDOS_SEASON = {7: 0.8, 8: 0.55, 12: 1.3}
# Days of celebrations (anniversaries, birthdays of those who opted in) posted before today.
CELEBRATION_DAYS = 14
# Before those days, a lighter year of history (fewer posts, no polls, flags or events) from the day
# Hive was launched, with adoption growing unevenly across departments: what the adoption charts,
# the silo map and the objectives need to mean something.
HISTORY_DAYS = 365
BATCH_SIZE = 1000

CEO, HEAD, LEAD, MEMBER = range(4)
# Engagement: how often someone shows up, posts, reacts. Lurkers, regulars, enthusiasts.
ENGAGEMENT_LEVELS = ([0.25, 1.0, 3.0], [35, 45, 20])
ACTIVE_ON_WEEKDAY = {0.25: 0.25, 1.0: 0.5, 3.0: 0.85}
WEEKEND_FACTOR = 0.12

Progress = Callable[[str], None]


# (alias, skill name in lower case) an admin would add; those whose skill the company lists are kept.
DEMO_ALIASES = [
    ("k8s", "kubernetes"),
    ("JS", "javascript"),
    ("ML", "machine learning"),
    ("Postgres", "postgresql"),
    ("SEO", "search engine optimisation"),
    ("UX", "user research"),
    ("IFRS", "financial reporting"),
]


def demo_present() -> bool:
    """The demo admin account marks a database that has been seeded."""
    return User.objects.filter(email__iexact=ADMIN_EMAIL).exists()


def demo_conflicting_emails() -> list[str]:
    """Demo addresses already taken by real accounts: seeding would collide with them."""
    return sorted(User.objects.filter(email__in=DEMO_EMAILS).values_list("email", flat=True))


def demo_accounts() -> list[dict]:
    """The demo sign-ins that exist, with name, title and role, for the console."""
    profiles = {
        p.user.email: p for p in Profile.objects.select_related("user").filter(user__email__in=DEMO_EMAILS)
    }
    return [
        {
            "email": account["email"],
            "name": profiles[account["email"]].display_name,
            "title": profiles[account["email"]].job_title,
            "role": account["role"],
        }
        for account in content.DEMO_ACCOUNTS
        if account["email"] in profiles
    ]


@transaction.atomic
def demo_company_create(
    *, employees: int = DEFAULT_EMPLOYEES, progress: Progress = lambda line: None
) -> dict[str, int]:
    """Creates the whole demo company, or nothing if anything fails."""
    if employees < MIN_EMPLOYEES:
        raise ValueError(f"A demo company needs at least {MIN_EMPLOYEES} employees.")
    return _Builder(employees=employees, progress=progress).run()


# --- Plans: what will be written --------------------------------------------------------------


@dataclass(eq=False)
class _Person:
    first: str
    last: str
    email: str
    level: int
    department: str
    team: str | None
    title: str
    office: str
    start_date: date
    engagement: float
    manager: "_Person | None" = None
    demo: content.DemoAccount | None = None
    skills: list[str] = field(default_factory=list)
    interest: str = ""
    written: Profile | None = None  # by _write_people, before anything else is written

    @property
    def profile(self) -> Profile:
        if self.written is None:
            raise RuntimeError(f"{self.email}'s profile is read before _write_people wrote it")
        return self.written

    @profile.setter
    def profile(self, row: Profile) -> None:
        self.written = row

    @property
    def name(self) -> str:
        return f"{self.first} {self.last}"

    @property
    def team_label(self) -> str:
        return self.team or self.department


@dataclass(eq=False)
class _Comment:
    author: _Person
    at: datetime
    body: str
    flag: tuple[str, str] | None = None
    flaggers: list[_Person] = field(default_factory=list)
    written: Comment | None = None  # by _write_feed

    @property
    def row(self) -> Comment:
        if self.written is None:
            raise RuntimeError("a comment's row is read before _write_feed made it")
        return self.written

    @row.setter
    def row(self, row: Comment) -> None:
        self.written = row


@dataclass(eq=False)
class _Post:
    author: _Person
    at: datetime
    category: str
    body: str
    kind: str = Post.Kind.UPDATE
    subject: _Person | None = None  # who a welcome or kudos is about
    value: CompanyValue | None = None  # kudos only
    comments: list[_Comment] = field(default_factory=list)
    reactions: list[tuple[_Person, datetime, str]] = field(default_factory=list)
    flag: tuple[str, str] | None = None
    flaggers: list[_Person] = field(default_factory=list)
    best: _Comment | None = None  # a question's answer its author marked
    written: Post | None = None  # by _write_feed

    @property
    def row(self) -> Post:
        if self.written is None:
            raise RuntimeError("a post's row is read before _write_feed made it")
        return self.written

    @row.setter
    def row(self, row: Post) -> None:
        self.written = row


class _Deck:
    """Draws every item once, in shuffled order, before repeating any: fewer identical posts in a row."""

    def __init__(self, rng: random.Random, items: list):
        self.rng, self.items = rng, list(items)
        self.pile: list = []

    def draw(self):
        if not self.pile:
            self.pile = self.items[:]
            self.rng.shuffle(self.pile)
        return self.pile.pop()


_TRANSLITERATE = str.maketrans(
    {"ß": "ss", "ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "đ": "d", "ı": "i"}
)


def _email_part(name: str) -> str:
    """'Müller-Łukasz' -> 'muller-lukasz': the ASCII letters of a name, for the email address."""
    ascii_name = unicodedata.normalize("NFKD", name.translate(_TRANSLITERATE)).encode("ascii", "ignore")
    return re.sub(r"[^a-z-]", "", ascii_name.decode().lower()).strip("-") or "colleague"


def _allocate(total: int, weights: list[float], minimum: int) -> list[int]:
    """Split `total` in proportion to `weights`, each share at least `minimum` (largest remainder)."""
    rest = total - minimum * len(weights)
    shares = [rest * w / sum(weights) for w in weights]
    counts = [int(s) for s in shares]
    by_remainder = sorted(range(len(weights)), key=lambda i: shares[i] - counts[i], reverse=True)
    for i in by_remainder[: rest - sum(counts)]:
        counts[i] += 1
    return [minimum + c for c in counts]


class _Builder:
    def __init__(self, *, employees: int, progress: Progress):
        self.size = employees
        self.progress = progress
        self.rng = random.Random(SEED)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.first_day = self.today - timedelta(days=DAYS)
        self.days = [self.first_day + timedelta(days=i) for i in range(DAYS + 1)]
        self.history_start = self.today - timedelta(days=HISTORY_DAYS)
        self.history = [self.history_start + timedelta(days=i) for i in range(HISTORY_DAYS - DAYS)]
        self.window_start = self.first_day  # where _in_window starts: the history while it is planned
        self.zones = {office: ZoneInfo(tz) for office, (tz, _) in content.LOCATIONS.items()}
        self.fakers: dict[str, Faker] = {}
        self.company = settings.HIVE_COMPANY_NAME
        self.people: list[_Person] = []
        self.posts: list[_Post] = []
        self.decks: dict = {}
        self.comments: list[_Comment] = []
        self.counts: dict[str, int] = {}
        self.department_lag: dict[str, float] = {}

    def run(self) -> dict[str, int]:
        self._plan_people()
        self._write_people()
        self._write_skills()
        self._write_interests_and_endorsements()
        self._write_projects()
        self._plan_feed()
        self._write_feed()
        self._write_follows()
        self._write_flags()
        self._write_groups()
        self._write_wiki()
        self._write_rules()  # after the groups: it adds to their record of who was active
        self._write_must_read()
        self._write_newcomer()
        self._write_polls()
        self._write_points()
        self._write_activity()
        self._write_surveys()
        self._fill_rollups()
        return self.counts

    def _write_points(self) -> None:
        """A year of points: each month's allowance granted and its unused part expired as the nightly reset
        does, points on a third of each month's kudos, with their ledger rows; a reward catalogue with a few
        redemptions decided; the leaderboard's tallies; the badges people earned, as the nightly tasks award
        them; and the last two weeks' celebrations."""
        reset_day = recognition_settings().reset_day
        rows = list(KudosRecipient.objects.select_related("kudos").order_by("created_at", "id"))
        by_period: dict[date, list[KudosRecipient]] = defaultdict(list)
        for row in rows:
            by_period[
                allowance_period_start(day=timezone.localdate(row.created_at), reset_day=reset_day)
            ].append(row)
        current = allowance_period_start(day=self.today, reset_day=reset_day)
        for period in sorted({*by_period, current}):
            self.counts["points_allowances"] = allowance_reset(today=period)
            # Dated when the nightly task would have run, not today.
            PointsEntry.objects.filter(period=period).update(
                created_at=datetime.combine(period, clock(0, 5), tzinfo=timezone.get_current_timezone())
            )
            self._write_kudos_points(by_period.get(period, []))
        self._write_rewards()
        self.counts["kudos_tallies"] = kudos_counts_repair()
        self.counts["badges"] = badges_award()
        demo = Profile.objects.get(user__email="demo@example.com")
        mentor = Badge.objects.create(
            slug="onboarding-buddy", emoji="🧭", name="Onboarding buddy",
            description="Helped a newcomer through their first weeks (given by an admin).",
        )  # fmt: skip
        admin = Profile.objects.filter(user__email=ADMIN_EMAIL).first() or demo
        badge_give(badge=mentor, profile=demo, actor=admin, note="Thanks for looking after the spring hires")
        self._stage(
            f"recognition: {len(rows)} kudos over {KUDOS_DAYS} days, {self.counts['kudos_with_points']} with "
            f"points, {self.counts['redemptions']} redemptions, {self.counts['badges']} badges awarded"
        )
        self._write_celebrations()

    def _write_celebrations(self) -> None:
        """About a third of the company shares a birthday; the last two weeks' birthdays and work
        anniversaries are celebrated as the morning task does (cards, and the team and followers told),
        each dated that morning."""
        chosen = {}
        for person in self.people:
            if self.rng.random() < 0.35:
                day = date(2024, 1, 1) + timedelta(days=self.rng.randrange(366))  # a leap year
                chosen[person.profile.pk] = (day.month, day.day)
        # The demo employee's team has something to celebrate this morning: a birthday and an anniversary.
        demo = next(p for p in self.people if p.demo and p.demo["email"] == "demo@example.com")
        mates = [p for p in self._team_of(demo) if p is not demo and not p.demo]
        veterans = [p for p in mates if p.start_date <= self.today - timedelta(days=3 * 366)]
        if veterans:
            veteran = self.rng.choice(veterans)
            try:
                veteran.start_date = self.today.replace(year=self.today.year - 3)
            except ValueError:  # 29 February: celebrated on the 28th
                veteran.start_date = self.today.replace(year=self.today.year - 3, day=28)
            Profile.objects.filter(pk=veteran.profile.pk).update(start_date=veteran.start_date)
            mates.remove(veteran)
        if mates:
            chosen[self.rng.choice(mates).profile.pk] = (self.today.month, self.today.day)
        RecognitionPreference.objects.bulk_create(
            RecognitionPreference(profile_id=pk, birthday_month=month, birthday_day=day)
            for pk, (month, day) in chosen.items()
        )
        zone = timezone.get_current_timezone()
        posted = 0
        for back in range(CELEBRATION_DAYS, -1, -1):
            day = self.today - timedelta(days=back)
            before = timezone.now()
            posted += celebrations_post(today=day)
            # The morning task's time, or now if seeded before it today.
            morning = min(datetime.combine(day, clock(7, 5), tzinfo=zone), timezone.now())
            Post.objects.filter(kind=Post.Kind.CELEBRATION, created_at__gte=before).update(created_at=morning)
            Celebration.objects.filter(post__created_at=morning).update(created_at=morning)
            told = Notification.objects.filter(kind=NotificationKind.CELEBRATION, created_at__gte=before)
            told.update(created_at=morning, read_at=morning + timedelta(hours=2) if back else None)
        self.counts["celebrations"] = posted
        self._stage(f"celebrations: {posted} over {CELEBRATION_DAYS + 1} days")

    @transaction.atomic
    def _write_kudos_points(self, rows: list[KudosRecipient]) -> None:
        """Points on every third kudos of one allowance period, written as kudos_give writes them: a give row
        for the giver (from that period's allowance), a receive row for the recipient, both balances moved."""
        rows = rows[::3]
        allowance = dict(PointsAccount.objects.values_list("pk", "allowance"))
        entries: list[PointsEntry] = []
        given: dict[int, int] = defaultdict(int)
        received: dict[int, int] = defaultdict(int)
        for row in rows:
            points = self.rng.choice([5, 10, 10, 10, 20, 25])
            if allowance.get(row.giver_id, 0) - given[row.giver_id] < points:
                continue
            given[row.giver_id] += points
            received[row.recipient_id] += points
            row.points = row.kudos.points_each = points
            at, kudos = row.created_at, row.kudos
            entries += [
                PointsEntry(account_id=row.giver_id, kind="give", amount=-points, kudos=kudos, created_at=at),
                PointsEntry(
                    account_id=row.recipient_id, kind="receive", amount=points, kudos=kudos, created_at=at
                ),
            ]
        moved = [row for row in rows if row.points]
        KudosRecipient.objects.bulk_update(moved, ["points"])
        Kudos.objects.bulk_update([row.kudos for row in moved], ["points_each"])
        PointsEntry.objects.bulk_create(entries)
        PointsAccount.objects.bulk_create(
            [PointsAccount(profile_id=pk) for pk in received], ignore_conflicts=True
        )
        accounts = PointsAccount.objects.in_bulk([*given, *received])
        for pk, account in accounts.items():
            account.allowance -= given.get(pk, 0)
            account.balance += received.get(pk, 0)
        PointsAccount.objects.bulk_update(list(accounts.values()), ["allowance", "balance"])
        self.counts["kudos_with_points"] = self.counts.get("kudos_with_points", 0) + len(moved)

    def _write_rewards(self) -> None:
        """The catalogue, and a few people who had points asking for rewards: one approved, one rejected
        with its note (points refunded), one waiting for an admin."""
        rewards = Reward.objects.bulk_create(
            [
                Reward(name="Coffee voucher", kind=Reward.Kind.GIFT_CARD, cost=10, position=0),
                Reward(name="Book of your choice", kind=Reward.Kind.GIFT_CARD, cost=40, stock=25, position=1),
                Reward(name="Donation to a charity you pick", kind=Reward.Kind.DONATION, cost=30, position=2),
                Reward(name="An extra day off", kind=Reward.Kind.DAY_OFF, cost=300, stock=5, position=3),
            ]
        )
        admin = Profile.objects.filter(user__email=ADMIN_EMAIL).first()
        rich = list(PointsAccount.objects.filter(balance__gte=10).order_by("-balance", "pk")[:6])
        # The waiting ones first: the fewest points anyone has after a random year may leave only a few.
        decisions = [
            None,
            None,
            (True, ""),
            (False, "Our supplier for this one changed; please pick another reward."),
            (True, "Enjoy the book!"),
            (True, ""),
        ]
        for account, decision in zip(rich, decisions, strict=False):
            # The dearest reward they can afford, as people save up over a year of kudos.
            reward = next(r for r in sorted(rewards, key=lambda r: -r.cost) if r.cost <= account.balance)
            redemption = reward_redeem(profile=account.profile, reward_id=reward.pk)
            if decision is not None and admin is not None:
                redemption_decide(
                    redemption_id=redemption.pk, admin=admin, approve=decision[0], note=decision[1]
                )
        self.counts["redemptions"] = Redemption.objects.count()

    # --- helpers ----------------------------------------------------------------------------

    def _deck(self, key, items) -> _Deck:
        if key not in self.decks:
            self.decks[key] = _Deck(self.rng, items)
        return self.decks[key]

    def _weighted(self, options: dict):
        return self.rng.choices(list(options), weights=list(options.values()))[0]

    def _poisson(self, mean: float) -> int:
        limit, k, p = math.exp(-mean), 0, 1.0
        while True:
            p *= self.rng.random()
            if p < limit:
                return k
            k += 1

    def _moment(
        self, person: _Person, day: date, earliest: int = 8 * 60 + 30, latest: int = 18 * 60 + 30
    ) -> datetime:
        """A plausible time on `day` in the person's office: working hours, later on weekends."""
        if day.weekday() < 5:
            minutes = self.rng.randint(earliest, latest)
        else:
            minutes = self.rng.randint(10 * 60, 21 * 60)
        return datetime.combine(day, clock(minutes // 60, minutes % 60), tzinfo=self.zones[person.office])

    def _in_window(self, at: datetime) -> bool:
        return at <= self.now and timezone.localdate(at) >= self.window_start

    def _later(self, at: datetime, mean_minutes: float, person: _Person) -> datetime:
        """When `person` answers something said at `at`: mostly within hours, and most leave the
        weekend alone and catch up on Monday morning."""
        later = at + timedelta(minutes=min(1 + self.rng.expovariate(1 / mean_minutes), 36 * 60))
        local = later.astimezone(self.zones[person.office])
        if local.weekday() >= 5 and self.rng.random() < 0.75:
            monday = local.date() + timedelta(days=7 - local.weekday())
            later = self._moment(person, monday, latest=10 * 60 + 30)
        return max(later, at + timedelta(minutes=1))

    def _team_of(self, person: _Person) -> list[_Person]:
        """Everyone in the person's team, them included; nobody for the CEO and department heads."""
        return self.by_team.get(person.team, []) if person.team is not None else []

    def _colleague(self, person: _Person) -> _Person:
        for pool in (self._team_of(person), self.by_department[person.department], self.people):
            others = [p for p in pool if p is not person]
            if others:
                return self.rng.choice(others)
        return person

    def _fill(self, text: str, writer: _Person, /, **extra) -> str:
        """The template with numbers, names and places filled in as `writer` would write them."""
        values = {
            "n": self.rng.randint(2, 9),
            "big": self.rng.randint(12, 60),
            "pct": self.rng.randint(8, 40),
            "version": f"4.{self.rng.randint(2, 19)}",
            "weekday": self.rng.choice(content.WEEKDAYS),
            "customer": self.rng.choice(content.CUSTOMERS),
            "book": self.rng.choice(content.BOOKS),
            "office": writer.office,
            "other_office": self.rng.choice([o for o in content.LOCATIONS if o != writer.office]),
            "team": writer.team_label,
            "dept": writer.department,
            "colleague": self._colleague(writer).first,
            "company": self.company,
        }
        values.update(extra)
        return text.format(**values)

    def _faker(self, locale: str) -> Faker:
        if locale not in self.fakers:
            fake = Faker(locale)
            fake.seed_instance(SEED + len(self.fakers))
            self.fakers[locale] = fake
        return self.fakers[locale]

    def _stage(self, line: str) -> None:
        self.progress(line)

    # --- people -----------------------------------------------------------------------------

    def _plan_people(self) -> None:
        departments = content.DEPARTMENTS
        demo_by_department = {a["department"]: a for a in content.DEMO_ACCOUNTS}
        self.taken_emails = {e.lower() for e in User.objects.values_list("email", flat=True)}
        self.taken_emails.update(DEMO_EMAILS)
        self.taken_names: set[str] = set()
        founded = self.today - timedelta(days=8 * 365)

        ceo = self._person(
            level=CEO,
            department=content.CEO_DEPARTMENT,
            team=None,
            title=content.CEO_TITLE,
            office=content.HEADQUARTERS,
            start_date=founded,
            manager=None,
        )
        members_per_department = _allocate(
            self.size - 1 - len(departments), [d["weight"] for d in departments], minimum=2
        )
        for spec, size in zip(departments, members_per_department, strict=True):
            head = self._person(
                level=HEAD,
                department=spec["name"],
                team=None,
                title=spec["head_title"],
                office=self._weighted(spec["offices"]),
                manager=ceo,
                start_date=self._started(days_ago=(2 * 365, 7 * 365)),
            )
            team_count = max(1, min(len(spec["teams"]), round(size / 7)))
            for team, team_size in zip(
                spec["teams"][:team_count], _allocate(size, [1] * team_count, minimum=2), strict=True
            ):
                lead = self._person(
                    level=LEAD,
                    department=spec["name"],
                    team=team["name"],
                    title=team["lead"],
                    office=team["home"] if self.rng.random() < 0.8 else self._weighted(spec["offices"]),
                    manager=head,
                    start_date=self._started(days_ago=(365, 6 * 365)),
                )
                for seat in range(team_size - 1):
                    demo = demo_by_department.pop(spec["name"], None) if seat == 0 else None
                    self._member(spec, team, lead, demo)
        members = [p for p in self.people if p.level == MEMBER and not p.demo]
        if members and not any(p.start_date >= self.first_day for p in members):
            # Every company has someone in their first weeks: welcomed, and replied to by "welcomers".
            mondays = [d for d in self.days if d.weekday() == 0]
            members[-1].start_date = mondays[len(mondays) // 2]
        self.by_team: dict[str, list[_Person]] = {}
        self.by_department: dict[str, list[_Person]] = {}
        for person in self.people:
            if person.team:
                self.by_team.setdefault(person.team, []).append(person)
            self.by_department.setdefault(person.department, []).append(person)
            self._plan_skills(person, departments)

    def _member(
        self,
        spec: content.DepartmentSpec,
        team: content.TeamSpec,
        lead: _Person,
        demo: content.DemoAccount | None,
    ) -> None:
        if demo:
            start = self.today - timedelta(days=int(demo["years"] * 365))
            self._person(
                level=MEMBER,
                department=spec["name"],
                team=team["name"],
                title=demo["title"],
                office=demo["office"],
                manager=lead,
                start_date=start - timedelta(days=start.weekday()),
                demo=demo,
                # The newcomer has barely begun: the feed is written by the others.
                engagement=3.0 if demo["years"] >= 0.1 else ENGAGEMENT_LEVELS[0][0],
            )
            return
        if self.rng.random() < 0.04:
            # A recent hire, starting on a Monday this month: their manager will welcome them in the feed.
            mondays = [d for d in self.days if d.weekday() == 0]
            start = self.rng.choice(mondays)
        else:
            start = self._started(days_ago=(45, 6 * 365), recent=240)
        self._person(
            level=MEMBER,
            department=spec["name"],
            team=team["name"],
            title=self.rng.choice(team["titles"]),
            office=team["home"] if self.rng.random() < 0.8 else self._weighted(spec["offices"]),
            manager=lead,
            start_date=start,
        )

    def _started(self, *, days_ago: tuple[int, int], recent: int | None = None) -> date:
        """A start date that many days ago, on a Monday; `recent` makes that many days ago most likely."""
        low, high = days_ago
        days = int(self.rng.triangular(low, high, recent if recent is not None else (low + high) / 2))
        start = self.today - timedelta(days=days)
        return start - timedelta(days=start.weekday())

    def _person(
        self, *, level, department, team, title, office, start_date, manager, demo=None, engagement=None
    ):
        if demo:
            first, last, email = demo["first"], demo["last"], demo["email"]
        else:
            first, last = self._name(office)
            email = self._email(first, last)
        if engagement is None:
            levels, weights = ENGAGEMENT_LEVELS
            engagement = self.rng.choices(levels, weights=weights if level == MEMBER else [0, 50, 50])[0]
        person = _Person(
            first=first,
            last=last,
            email=email,
            level=level,
            department=department,
            team=team,
            title=title,
            office=office,
            start_date=start_date,
            engagement=engagement,
            manager=manager,
            demo=demo,
        )
        self.people.append(person)
        return person

    def _name(self, office: str) -> tuple[str, str]:
        locales = dict(content.LOCATIONS[office][1])
        for _ in range(20):
            fake = self._faker(self._weighted(locales))
            if fake.locales[0] == "zh_CN":
                first, last = fake.first_romanized_name(), fake.last_romanized_name()
            else:
                first, last = fake.first_name(), fake.last_name()
            if f"{first} {last}" not in self.taken_names:
                break
        self.taken_names.add(f"{first} {last}")
        return first, last

    def _email(self, first: str, last: str) -> str:
        local = f"{_email_part(first)}.{_email_part(last)}"
        email, n = f"{local}@example.com", 1
        while email in self.taken_emails:
            n += 1
            email = f"{local}{n}@example.com"
        self.taken_emails.add(email)
        return email

    def _plan_skills(self, person: _Person, departments: list[content.DepartmentSpec]) -> None:
        spec = next(d for d in departments if d["name"] == person.department)
        if person.level == CEO:
            person.skills = ["Leadership", "Fundraising", "Strategy", "Public speaking"]
            return
        team = next((t for t in spec["teams"] if t["name"] == person.team), None)
        own = team["skills"] if team else [s for t in spec["teams"] for s in t["skills"]]
        skills = self.rng.sample(own, min(len(own), self.rng.randint(2, 5)))
        skills += self.rng.sample(spec["skills"], 1)
        if person.level in (HEAD, LEAD):
            skills += self.rng.sample(["People management", "Hiring", "Mentoring", "Leadership"], 2)
        if self.rng.random() < 0.3:
            skills.append(content.LANGUAGE_SKILLS[person.office])
        person.skills = list(dict.fromkeys(skills))

    def _bio(self, person: _Person) -> str:
        hobby, hobby_topic = self.rng.choice(content.HOBBIES)
        person.interest = hobby_topic.removeprefix("the ").capitalize()
        skill_a, skill_b = (person.skills + ["teamwork", "planning"])[:2]
        values = {
            "title": person.title,
            "team": person.team_label,
            "office": person.office,
            "dept": person.department,
            "company": self.company,
            "start_year": person.start_date.year,
            "background": self.rng.choice(content.BACKGROUNDS),
            "background_short": self.rng.choice(content.BACKGROUND_SHORT),
            "hobby": hobby,
            "hobby_topic": hobby_topic,
            "skill_a": skill_a,
            "skill_b": skill_b,
        }
        if person.level == CEO:
            template = content.CEO_BIO
        elif person.level == HEAD:
            template = self.rng.choice(content.LEADER_BIOS)
        elif person.level == LEAD:
            template = self.rng.choice(content.LEAD_BIOS)
        else:
            template = self.rng.choice(content.BIOS)
        return template.format(**values)

    def _joined(self, person: _Person) -> datetime:
        """When the account was made: Hive's launch for people already here, else their first morning."""
        launch = self.today - timedelta(days=75)
        day = max(person.start_date, launch)
        minutes = self.rng.randint(9 * 60, 11 * 60)
        return datetime.combine(day, clock(minutes // 60, minutes % 60), tzinfo=self.zones[person.office])

    def _write_people(self) -> None:
        departments = {}
        for spec in content.DEPARTMENTS:
            departments[spec["name"]], _ = Department.objects.get_or_create(name=spec["name"])
        locations = {}
        for office, (tz, _) in content.LOCATIONS.items():
            locations[office], _ = Location.objects.get_or_create(name=office, defaults={"time_zone": tz})

        password = make_password(PASSWORD)  # once: hashing per user would take minutes
        joined = {person: self._joined(person) for person in self.people}
        users = User.objects.bulk_create(
            [
                User(
                    email=p.email,
                    password=password,
                    is_staff=p.email == ADMIN_EMAIL,
                    is_superuser=p.email == ADMIN_EMAIL,
                    date_joined=joined[p],
                )
                for p in self.people
            ],
            batch_size=BATCH_SIZE,
        )
        company_addresses_verify(users=users)
        user_of = dict(zip(self.people, users, strict=True))
        for person in self.people:
            if person.demo and person.demo["group"]:
                group, _ = Group.objects.get_or_create(name=person.demo["group"])
                user_of[person].groups.add(group)

        # Level by level, so every manager has a primary key before their reports are inserted.
        for level in (CEO, HEAD, LEAD, MEMBER):
            batch = [p for p in self.people if p.level == level]
            profiles = Profile.objects.bulk_create(
                [
                    Profile(
                        user=user_of[p],
                        display_name=p.name,
                        job_title=p.title,
                        department=departments[p.department],
                        location=locations[p.office],
                        manager=p.manager.profile if p.manager else None,
                        bio=self._bio(p),
                        pronouns=self.rng.choice(projects_content.PRONOUNS)
                        if self.rng.random() < 0.4
                        else "",
                        languages=["English", projects_content.LANGUAGES[p.office]]
                        if self.rng.random() < 0.6
                        else ["English"],
                        start_date=p.start_date,
                        created_at=joined[p],
                    )
                    for p in batch
                ],
                batch_size=BATCH_SIZE,
            )
            for person, profile in zip(batch, profiles, strict=True):
                person.profile = profile
        leads = sum(p.level == LEAD for p in self.people)
        self._stage(
            f"people: {len(self.people)} accounts and profiles in {len(departments)} departments and "
            f"{len(locations)} offices (a CEO, {len(departments)} department heads, {leads} team leads)"
        )
        self.counts.update(people=len(self.people), departments=len(departments), locations=len(locations))

    def _write_skills(self) -> None:
        names = sorted({s for p in self.people for s in p.skills})
        skills = {s.name.lower(): s for s in skills_get_or_create(names=names)}
        # Seniority shows in the self-rating: members mostly "practised", leads and heads "advanced".
        floor = {CEO: 3, HEAD: 3, LEAD: 2, MEMBER: 1}
        rows = [
            ProfileSkill(
                content_object=p.profile,
                tag=skills[name.lower()],
                level=self.rng.randint(floor[p.level], 4),
                added_at=p.profile.created_at,
            )
            for p in self.people
            for name in p.skills
        ]
        ProfileSkill.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self.skill_rows = rows
        self._stage(f"skills: {len(rows)} listed on profiles, {len(skills)} distinct")
        self.counts["profile_skills"] = len(rows)
        # What people also call them: search, the directory and profiles take either name.
        aliases = [SkillAlias(name=a, skill=skills[name]) for a, name in DEMO_ALIASES if name in skills]
        SkillAlias.objects.bulk_create(aliases)
        self.counts["skill_aliases"] = len(aliases)

    def _write_interests_and_endorsements(self) -> None:
        """Interests from what people wrote in their bios; teammates endorse some of each other's skills."""
        names = sorted({p.interest for p in self.people if p.interest})
        interests = {i.name.lower(): i for i in Interest.objects.filter(name__in=names)}
        for name in names:
            if name.lower() not in interests:
                interests[name.lower()] = Interest(name=name)
                interests[name.lower()].save()  # TagBase.save picks a unique slug
        ProfileInterest.objects.bulk_create(
            [
                ProfileInterest(content_object=p.profile, tag=interests[p.interest.lower()])
                for p in self.people
            ],
            batch_size=BATCH_SIZE,
        )
        person_of = {p.profile.pk: p for p in self.people}
        endorsements = []
        for item in self.skill_rows:
            owner = person_of[item.content_object_id]
            pool = [c for c in self._team_of(owner) if c is not owner]
            if not pool:
                continue
            endorsers = self.rng.sample(pool, min(len(pool), self._poisson(item.level * 0.8)))
            item.endorsement_count = len(endorsers)
            endorsements += [Endorsement(profile_skill=item, endorser=e.profile) for e in endorsers]
        ProfileSkill.objects.bulk_update(self.skill_rows, ["endorsement_count"], batch_size=BATCH_SIZE)
        Endorsement.objects.bulk_create(endorsements, batch_size=BATCH_SIZE)
        # Written in bulk, past the services that keep each skill's and interest's count of people.
        people_counts_recount()
        self._stage(f"expertise: {len(endorsements)} endorsements, {len(interests)} interests")
        self.counts["endorsements"] = len(endorsements)

    def _write_projects(self) -> None:
        by_department: dict[str, list[_Person]] = {}
        for person in self.people:
            by_department.setdefault(person.department, []).append(person)
        departments = {d.name: d for d in Department.objects.all()}
        names = sorted({t for spec in projects_content.PROJECTS for t in spec[3]})
        tags = {s.name.lower(): s for s in skills_get_or_create(names=names)}
        created = 0
        for name, department, status, tag_names, summary, updates in projects_content.PROJECTS:
            team = by_department[department]
            lead = next((p for p in team if p.level == LEAD), team[0])
            members = [lead] + self.rng.sample([p for p in team if p is not lead], min(len(team) - 1, 4))
            if status == "idea":
                members = [lead]
            started = self.today - timedelta(days=self.rng.randint(20, 200))
            project = Project.objects.create(
                name=name,
                summary=summary,
                status=status,
                start_date=started,
                department=departments[department],
                created_by=lead.profile,
                member_count=len(members),
                created_at=self._moment(lead, started),
                updated_at=self.now - timedelta(hours=self.rng.randint(1, 240)),
            )
            ProjectTag.objects.bulk_create(
                [ProjectTag(content_object=project, tag=tags[t.lower()]) for t in tag_names]
            )
            ProjectMember.objects.bulk_create(
                [
                    ProjectMember(project=project, profile=m.profile, role="lead" if m is lead else "member")
                    for m in members
                ]
            )
            ProjectUpdate.objects.bulk_create(
                [
                    ProjectUpdate(
                        project=project,
                        author=lead.profile,
                        body=body,
                        created_at=self.now - timedelta(days=len(updates) - i, hours=self.rng.randint(1, 8)),
                    )
                    for i, body in enumerate(updates)
                ]
            )
            created += 1
        # Written past project_create, which queues each project's sentence vector.
        project_embeddings_backfill()
        self._stage(f"projects: {created} with members and updates")
        self.counts["projects"] = created

    # --- the feed ---------------------------------------------------------------------------

    def _started_by(self, day: date) -> list[_Person]:
        return [p for p in self.people if p.start_date <= day]

    def _post(
        self, author: _Person, at: datetime, category: str, body: str, history: bool = False, **extra
    ) -> _Post | None:
        """A post of the feed's month, or with `history`, of the year before it (kudos, a few questions)."""
        if not (self._in_window(at) or (history and at <= self.now)) or author.start_date > at.date():
            return None
        if category == "question":
            extra.setdefault("kind", Post.Kind.QUESTION)
        post = _Post(author=author, at=at, category=category, body=body, **extra)
        self.posts.append(post)
        return post

    def _post_text(self, author: _Person) -> tuple[str, str]:
        role, topic = self.rng.random(), self.rng.random()
        if author.demo and author.demo["email"] == "comms@example.com" and role < 0.5:
            category, text = self._deck("comms", content.COMMS_POSTS).draw()
        elif author.level in (CEO, HEAD) and role < 0.4:
            category, text = self._leader_post(author)
        elif topic < 0.62:
            deck = self._deck(author.department, content.DEPARTMENT_POSTS[author.department])
            category, text = deck.draw()
        elif topic < 0.75:
            category, text = "social", self._deck(author.office, content.SOCIAL_POSTS[author.office]).draw()
        else:
            category, text = self._deck("general", content.GENERAL_POSTS).draw()
        return category, self._fill(text, author)

    def _leader_post(self, author: _Person) -> tuple[str, str]:
        if author.level == CEO:
            return self._deck("ceo", content.LEADERSHIP_POSTS).draw()
        return self._deck("heads", content.HEAD_POSTS).draw()

    def _plan_feed(self) -> None:
        company_values_ensure()
        values = list(CompanyValue.objects.filter(is_active=True))
        leaders = [p for p in self.people if p.level in (CEO, HEAD)]
        for day in self.days:
            weekday = day.weekday() < 5
            here = self._started_by(day)
            weights = [p.engagement for p in here]
            for author in self.rng.choices(
                here, weights=weights, k=self._poisson(self.size * (0.045 if weekday else 0.006))
            ):
                category, body = self._post_text(author)
                self._post(author, self._moment(author, day), category, body)
            asked = self._poisson(self.size * (0.005 if weekday else 0.0))
            for asker in self.rng.choices(here, weights=weights, k=asked):
                self._plan_skill_question(asker, self._colleague_elsewhere(asker), day)
            if weekday and self.rng.random() < 0.3:
                author = self.rng.choices(leaders, weights=[3] + [1] * (len(leaders) - 1))[0]
                category, text = self._leader_post(author)
                self._post(author, self._moment(author, day), category, self._fill(text, author))
            if values:
                for giver in self.rng.choices(
                    here, weights=weights, k=self._poisson(self.size * (0.016 if weekday else 0.002))
                ):
                    self._plan_kudos(giver, self._recipient(giver, day), day, values)
            for newcomer in (p for p in here if p.start_date == day and p.manager):
                self._plan_welcome(newcomer, day)
                self._plan_hello(newcomer, day)
        if values:
            self._plan_kudos_year(values)
        self._plan_experts()
        self._plan_connectors()
        self._plan_demo_content(values)
        self._plan_flag_bait()
        self._plan_findable()
        self._plan_history()
        for post in self.posts:
            self._plan_reactions(post)
            self._plan_comments(post)
            self._plan_best_answer(post)

    def _adoption(self, person: _Person, day: date) -> float:
        """How much of their eventual habit `person` had on `day` of the history: from a third at the
        launch to all of it when the detailed month starts, sooner in some departments than others."""
        if day >= self.first_day:
            return 1.0
        progress = (day - self.history_start).days / max(1, (self.first_day - self.history_start).days)
        lag = self.department_lag.setdefault(person.department, self.rng.uniform(0.0, 0.6))
        return max(0.1, min(1.0, 0.35 + 0.65 * progress - lag * (1 - progress)))

    def _plan_history(self) -> None:
        """The year before the detailed month, lighter: updates and questions, at the rate each author's
        department had taken Hive up by then (its kudos are _plan_kudos_year's)."""
        self.window_start = self.history_start
        for day in self.history:
            weekday = day.weekday() < 5
            here = self._started_by(day)
            if not here:
                continue
            weights = [p.engagement * self._adoption(p, day) for p in here]
            for author in self.rng.choices(
                here, weights=weights, k=self._poisson(self.size * (0.02 if weekday else 0.003))
            ):
                category, body = self._post_text(author)
                self._post(author, self._moment(author, day), category, body)
            # Its kudos are _plan_kudos_year's: the one source of the year's kudos.
        self.window_start = self.first_day

    def _plan_findable(self) -> None:
        """The posts a newcomer's first searches find ("pricing page", "postmortem checkout slowdown"):
        drawn from the decks at random, a small company may not have them, so each is written once
        if it is missing, by someone in its department, on a recent weekday."""
        for department, needle in content.FINDABLE_POSTS:
            if any(needle in post.body for post in self.posts):
                continue
            text = next(text for _, text in content.DEPARTMENT_POSTS[department] if needle in text)
            weekdays = [day for day in self.days[-8:-1] if day.weekday() < 5]
            authors = [p for p in self.by_department.get(department, []) if p.start_date <= weekdays[0]]
            if authors:
                author = self.rng.choice(authors)
                at = self._moment(author, self.rng.choice(weekdays))
                self._post(author, at, "update", self._fill(text, author))

    def _recipient(self, giver: _Person, day: date) -> _Person | None:
        roll = self.rng.random()
        if roll < 0.5:
            pool = self._team_of(giver) + ([giver.manager] if giver.manager else [])
        elif roll < 0.8:
            pool = self.by_department[giver.department]
        else:
            pool = self.people
        pool = [p for p in pool if p is not giver and p.start_date <= day]
        return self.rng.choice(pool) if pool else None

    def _plan_kudos(
        self, giver: _Person, recipient: _Person | None, day: date, values: list, history: bool = False
    ) -> None:
        if recipient is None:
            return
        value = self.rng.choice(values)
        templates = content.KUDOS_MESSAGES.get(value.name, content.KUDOS_GENERIC)
        text = self.rng.choice(templates + content.KUDOS_GENERIC[:1])
        body = self._fill(text, giver, r=recipient.first)
        self._post(
            giver,
            self._moment(giver, day),
            "kudos",
            body,
            kind=Post.Kind.KUDOS,
            subject=recipient,
            value=value,
            history=history,
        )

    def _plan_welcome(self, newcomer: _Person, day: date) -> None:
        lead = newcomer.manager
        if lead is None:  # the CEO: nobody to welcome them
            return
        text = self._deck("welcome", content.WELCOME_POSTS).draw()
        hobby_topic = self.rng.choice(content.HOBBIES)[1]
        body = self._fill(
            text,
            lead,
            subject=newcomer.name,
            subject_first=newcomer.first,
            subject_title=newcomer.title,
            subject_office=newcomer.office,
            team=newcomer.team_label,
            background=self.rng.choice(content.BACKGROUNDS),
            hobby_topic=hobby_topic,
        )
        self._post(lead, self._moment(lead, day, earliest=9 * 60 + 30), "welcome", body, subject=newcomer)

    def _colleague_elsewhere(self, person: _Person) -> _Person:
        others = [p for p in self.people if p.department != person.department] or self.people
        return self.rng.choice(others)

    def _plan_skill_question(
        self,
        asker: _Person,
        expert: _Person,
        day: date,
        at: datetime | None = None,
        skill: str | None = None,
        history: bool = False,
    ):
        """A question about one of `expert`'s skills, tagged with it, as someone who needs it asks."""
        skills = [s for s in expert.skills if " " not in s]
        if not skills or asker is expert:
            return None
        skill = skill or self.rng.choice(skills)
        text = self._deck("skill questions", content.SKILL_QUESTIONS).draw()
        body = self._fill(text, asker, skill=skill, tag=skill.lower())
        return self._post(asker, at or self._moment(asker, day), "question", body, history=history)

    def _plan_experts(self) -> None:
        """A few people (the demo employee among them) are who colleagues ask about one of their skills: over
        the year, three to five questions tagged with it got their answer chosen as the best, which makes
        them the "go-to person" for that #tag."""
        demo = next(p for p in self.people if p.demo and p.demo["email"] == "demo@example.com")
        pool = [p for p in self.people if p.level in (LEAD, MEMBER) and not p.demo]
        experts = [demo, *self.rng.sample(pool, min(5, len(pool)))]
        for expert in experts:
            skills = [s for s in expert.skills if " " not in s]
            if not skills:
                continue
            skill = self.rng.choice(skills)
            wanted, tries = self.rng.randint(3, 5), 0
            while wanted and tries < 30:  # someone who worked here by then asks
                tries += 1
                day = self.today - timedelta(days=self.rng.randint(DAYS + 3, KUDOS_DAYS))
                if day < expert.start_date:
                    continue
                asker = self._colleague_elsewhere(expert)
                post = self._plan_skill_question(asker, expert, day, skill=skill, history=True)
                if post is None:
                    continue
                wanted -= 1
                at = self._later(post.at, 120, expert)
                text = self._deck("best answers", content.BEST_ANSWERS).draw()
                post.best = _Comment(expert, at, self._fill(text, expert))
                post.comments.append(post.best)

    def _plan_connectors(self) -> None:
        """A few people whose work spans the company (about one in 25, at least one) answer people of three
        other departments twice each within one calendar month: what the "connector" badge recognises. The
        feed's ordinary replies stay mostly within teams and departments, so it stays a minority's badge."""
        pool = [p for p in self.people if p.level in (LEAD, MEMBER) and not p.demo]
        for connector in self.rng.sample(pool, min(max(1, self.size // 25), len(pool))):
            by_month: dict[tuple[int, int], dict[str, list[_Post]]] = defaultdict(lambda: defaultdict(list))
            for post in self.posts:
                if (
                    post.kind != Post.Kind.KUDOS
                    and post.author.department != connector.department
                    and post.at.date() >= max(self.first_day, connector.start_date)
                    and post.at <= self.now - timedelta(hours=6)
                ):
                    local = timezone.localtime(post.at)
                    by_month[(local.year, local.month)][post.author.department].append(post)
            months = [m for m, found in by_month.items() if sum(len(v) >= 2 for v in found.values()) >= 3]
            if not months:
                continue
            departments = by_month[max(months)]
            chosen = self.rng.sample(sorted(d for d, posts in departments.items() if len(posts) >= 2), 3)
            for department in chosen:
                for post in self.rng.sample(departments[department], 2):
                    # Within the post's month, and before now: a reply that slips into the next month or
                    # the future is one the rule would not count.
                    at = min(post.at + timedelta(minutes=self.rng.randint(20, 240)), self.now)
                    if timezone.localtime(at).month != timezone.localtime(post.at).month:
                        at = post.at + timedelta(minutes=1)
                    deck = self._deck(("comments", post.category), content.COMMENTS[post.category])
                    subject = post.subject or post.author
                    body = self._fill(deck.draw(), connector, author=post.author.first, subject=subject.first)
                    post.comments.append(_Comment(author=connector, at=at, body=body))

    def _plan_kudos_year(self, values: list) -> None:
        """The year of kudos before the feed's month, at the month's pace, with the seasons; given most by
        the departments that had taken Hive up (as the history's posts are). The only kudos of that year:
        the history adds none of its own."""
        for back in range(KUDOS_DAYS, DAYS, -1):
            day = self.today - timedelta(days=back)
            here = self._started_by(day)
            if not here:
                continue
            rate = (0.016 if day.weekday() < 5 else 0.002) * KUDOS_SEASON.get(day.month, 1.0)
            weights = [p.engagement * self._adoption(p, day) for p in here]
            for giver in self.rng.choices(here, weights=weights, k=self._poisson(self.size * rate)):
                self._plan_kudos(giver, self._recipient(giver, day), day, values, history=True)

    def _plan_hello(self, newcomer: _Person, day: date) -> None:
        """A newcomer's own first post, a few days in: colleagues reply (the first of them a "welcomer")."""
        text = self._deck("hello", content.NEWCOMER_HELLO).draw()
        hobby_topic = self.rng.choice(content.HOBBIES)[1]
        at = self._moment(newcomer, day + timedelta(days=self.rng.randint(1, 4)))
        post = self._post(newcomer, at, "welcome", self._fill(text, newcomer, hobby_topic=hobby_topic))
        if post is not None:  # a teammate is quick to answer; more colleagues follow (_plan_comments)
            mate = self._colleague(newcomer)
            reply = self._fill(self._deck(("comments", "welcome"), content.COMMENTS["welcome"]).draw(), mate,
                               author=newcomer.first, subject=newcomer.first)  # fmt: skip
            at = self._later(post.at, 45, mate)
            if at <= self.now and mate is not newcomer:
                post.comments.append(_Comment(author=mate, at=at, body=reply))

    def _plan_best_answer(self, post: _Post) -> None:
        """Most questions older than two days were answered; the newer ones are still open."""
        if post.kind != Post.Kind.QUESTION or post.best or self.now - post.at < timedelta(days=2):
            return
        if self.rng.random() > 0.7:
            return
        others = [p for p in self._audience(post, 3) if p is not post.author]
        if not others:
            return
        answerer = others[0]
        at = self._later(post.at, 120, answerer)
        if at > self.now:
            return
        text = self._deck("best answers", content.BEST_ANSWERS).draw()
        post.best = _Comment(answerer, at, self._fill(text, answerer))
        post.comments.append(post.best)
        post.comments.sort(key=lambda c: c.at)

    def _plan_demo_content(self, values: list) -> None:
        """The demo employee has posts of their own and kudos to show on their profile."""
        demo = next(p for p in self.people if p.demo and p.demo["email"] == "demo@example.com")
        weekdays = [d for d in self.days[:-1] if d.weekday() < 5]
        own = sum(1 for post in self.posts if post.author is demo and post.kind == Post.Kind.UPDATE)
        updates = [post for post in content.DEPARTMENT_POSTS[demo.department] if post[0] != "question"]
        for day in self.rng.sample(weekdays, max(0, 4 - own)):
            category, text = self._deck(("demo updates", demo.department), updates).draw()
            self._post(demo, self._moment(demo, day), category, self._fill(text, demo))
        # Open questions on the demo employee's skills, so Questions shows "matches your expertise".
        for hours in (26, 5):
            asker = self._colleague_elsewhere(demo)
            self._plan_skill_question(asker, demo, self.days[-1], at=self.now - timedelta(hours=hours))
        received = sum(1 for post in self.posts if post.subject is demo and post.kind == Post.Kind.KUDOS)
        givers = [p for p in self._team_of(demo) + self.people[:3] if p is not demo]
        for day in self.rng.sample(weekdays, max(0, 4 - received)) if values else []:
            self._plan_kudos(self.rng.choice(givers), demo, day, values)

    def _plan_flag_bait(self) -> None:
        """A few posts and a comment that colleagues flag: an open moderation queue to look at."""
        ordinary = [
            p for p in self.people if p.level == MEMBER and not p.demo and p.start_date < self.first_day
        ]
        sales = [p for p in ordinary if p.department == "Sales"] or ordinary
        recent = [d for d in self.days[-6:-1] if d.weekday() < 5] or self.days[-6:-1]
        for i, (reason, note, text) in enumerate(content.FLAG_BAIT_POSTS):
            author = self.rng.choice(sales if reason == "confidential" else ordinary)
            day = recent[i % len(recent)]
            post = self._post(author, self._moment(author, day), "flagged", self._fill(text, author))
            if post:
                post.flag = (reason, note)
                post.flaggers = self.rng.sample(
                    [p for p in ordinary if p is not author], self.rng.randint(1, 3)
                )
        reason, note, text = content.FLAG_BAIT_COMMENT
        # A jab at an engineering team, under a support post: the kind of thing colleagues flag.
        last_week = [
            p
            for p in self.posts
            if p.kind == Post.Kind.UPDATE
            and not p.flag
            and p.author.department != "Engineering"
            and self.days[-7] <= timezone.localdate(p.at) < self.today
        ]
        targets = [p for p in last_week if p.author.department == "Customer Success"] or last_week
        if targets:
            post = self.rng.choice(targets)
            author = self.rng.choice(
                [p for p in ordinary if p is not post.author and p.department == post.author.department]
                or [p for p in ordinary if p is not post.author]
            )
            shipping = {"Platform", "Payments", "Web", "Mobile"} & set(self.by_team)
            team = self.rng.choice(sorted(shipping) or ["Engineering"])
            comment = _Comment(
                author=author, at=self._later(post.at, 60, author), body=text.format(team=team)
            )
            if comment.at <= self.now:
                comment.flag = (reason, note)
                comment.flaggers = self.rng.sample(
                    [p for p in ordinary if p is not author], self.rng.randint(1, 2)
                )
                post.comments.append(comment)

    def _audience(self, post: _Post, count: int) -> list[_Person]:
        """`count` people likely to see and answer this post: its author's team first, then department."""
        if count <= 0:
            return []
        author, day = post.author, post.at.date()
        keyed = []
        for p in self.people:
            if p is author or p.start_date > day:
                continue
            weight = p.engagement
            weight *= 4 if p.team and p.team == author.team else 2 if p.department == author.department else 1
            weight *= 1.5 if p.office == author.office else 1
            weight *= 8 if p is post.subject else 1
            # Efraimidis-Spirakis: a weighted sample without replacement in one pass.
            keyed.append((self.rng.random() ** (1 / weight), p))
        keyed.sort(key=lambda pair: pair[0], reverse=True)
        return [p for _, p in keyed[:count]]

    def _scaled(self, bounds: tuple[int, int]) -> int:
        low, high = bounds
        return round(self.rng.randint(low, high) * min(2.0, self.size / DEFAULT_EMPLOYEES) + 0.2)

    def _plan_reactions(self, post: _Post) -> None:
        reaction_bounds, _ = content.ENGAGEMENT[post.category]
        kinds = content.REACTION_KINDS[post.category]
        for person in self._audience(post, self._scaled(reaction_bounds)):
            at = self._later(post.at, 240, person)
            if at <= self.now:
                post.reactions.append((person, at, self._weighted(kinds)))

    def _plan_comments(self, post: _Post) -> None:
        _, comment_bounds = content.ENGAGEMENT[post.category]
        deck = self._deck(("comments", post.category), content.COMMENTS[post.category])
        subject = post.subject or post.author
        for person in self._audience(post, self._scaled(comment_bounds)):
            at = self._later(post.at, 180, person)
            if at > self.now:
                continue
            body = self._fill(deck.draw(), person, author=post.author.first, subject=subject.first)
            post.comments.append(_Comment(author=person, at=at, body=body))
        post.comments.sort(key=lambda c: c.at)
        if not post.comments:
            return
        last = post.comments[-1].at
        if post.category == "welcome" and post.subject:
            reply = _Comment(
                post.subject, self._later(last, 30, post.subject), self.rng.choice(content.NEW_HIRE_REPLIES)
            )
        elif len(post.comments) >= 2 and self.rng.random() < 0.3:
            reply = _Comment(
                post.author, self._later(last, 60, post.author), self.rng.choice(content.AUTHOR_REPLIES)
            )
        else:
            return
        if reply.at <= self.now:
            post.comments.append(reply)

    def _write_feed(self) -> None:
        self.posts.sort(key=lambda p: p.at)
        for post in self.posts:
            post.row = Post(
                author=post.author.profile,
                kind=post.kind,
                body=post.body,
                created_at=post.at,
                comment_count=len(post.comments),
                reaction_count=len(post.reactions),
            )
        Post.objects.bulk_create([p.row for p in self.posts], batch_size=BATCH_SIZE)

        # (_plan_kudos gives every kudos its subject and value.)
        kudos_posts = [
            (p, p.subject, p.value)
            for p in self.posts
            if p.kind == Post.Kind.KUDOS and p.subject is not None and p.value is not None
        ]
        kudos = Kudos.objects.bulk_create(
            [
                Kudos(giver=p.author.profile, message=p.body, post=p.row, created_at=p.at)
                for p, _, _ in kudos_posts
            ],
            batch_size=BATCH_SIZE,
        )
        KudosRecipient.objects.bulk_create(
            [
                KudosRecipient(kudos=k, recipient=subject.profile, giver=k.giver, created_at=k.created_at)
                for k, (_, subject, _) in zip(kudos, kudos_posts, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        Kudos.values.through.objects.bulk_create(
            [
                Kudos.values.through(kudos_id=k.pk, companyvalue_id=value.pk)
                for k, (_, _, value) in zip(kudos, kudos_posts, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )
        # recognition.services.kudos_give writes this audit row with every kudos; so does the demo.
        kudos_type = ContentType.objects.get_for_model(Kudos)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    actor=k.giver,
                    action="kudos.give",
                    content_type=kudos_type,
                    object_id=k.pk,
                    detail={
                        "recipients": [subject.profile.pk],
                        "values": [value.pk],
                        "points_each": 0,
                        "private": False,
                    },
                    created_at=k.created_at,
                )
                for k, (_, subject, value) in zip(kudos, kudos_posts, strict=True)
            ],
            batch_size=BATCH_SIZE,
        )

        comments = sorted((c for p in self.posts for c in p.comments), key=lambda c: c.at)
        post_of = {id(c): p for p in self.posts for c in p.comments}
        for comment in comments:
            comment.row = Comment(
                post=post_of[id(comment)].row,
                author=comment.author.profile,
                body=comment.body,
                created_at=comment.at,
            )
        Comment.objects.bulk_create([c.row for c in comments], batch_size=BATCH_SIZE)
        answered = [(p, p.best) for p in self.posts if p.best is not None]
        for post, best in answered:
            post.row.best_answer = best.row
        Post.objects.bulk_update([p.row for p, _ in answered], ["best_answer"], batch_size=BATCH_SIZE)
        self._write_post_tags()
        reactions = [
            Reaction(post=p.row, profile=person.profile, kind=kind, created_at=at)
            for p in self.posts
            for person, at, kind in p.reactions
        ]
        Reaction.objects.bulk_create(reactions, batch_size=BATCH_SIZE)
        self._stage(
            f"feed: {len(self.posts) - len(kudos)} posts, {len(kudos)} kudos, {len(comments)} comments, "
            f"{len(reactions)} reactions over {HISTORY_DAYS} days (the last {DAYS} in detail)"
        )
        self.counts.update(
            posts=len(self.posts) - len(kudos),
            kudos=len(kudos),
            comments=len(comments),
            reactions=len(reactions),
        )
        self.comments = comments

    def _write_post_tags(self) -> None:
        """The #tags written in the posts, recorded as feed.services records them for the app's posts."""
        written = {post.row.pk: hashtags_find(post.body) for post in self.posts}
        names = {name for found in written.values() for name in found}
        known = set(Tag.objects.filter(name__in=names).values_list("name", flat=True))
        Tag.objects.bulk_create([Tag(name=name, slug=slugify(name)) for name in sorted(names - known)])
        tags = {t.name: t for t in Tag.objects.filter(name__in=names)}
        rows = [PostTag(content_object_id=pk, tag=tags[n]) for pk, found in written.items() for n in found]
        PostTag.objects.bulk_create(rows, batch_size=BATCH_SIZE)

    def _write_follows(self) -> None:
        """People follow their manager and a few teammates; the demo employee also the CEO and the
        #tags of their own skills, so their Home is theirs from the first visit."""
        follows: set[tuple[_Person, _Person]] = set()
        for person in self.people:
            team = [p for p in self._team_of(person) if p is not person]
            for other in self.rng.sample(team, min(len(team), self.rng.randint(2, 6))):
                follows.add((person, other))
            if person.manager:
                follows.add((person, person.manager))
        demo = next(p for p in self.people if p.email == "demo@example.com")
        ceo = next(p for p in self.people if p.level == CEO)
        if ceo is not demo:
            follows.add((demo, ceo))
        FollowPerson.objects.bulk_create(
            [FollowPerson(follower=a.profile, followee=b.profile) for a, b in follows], batch_size=BATCH_SIZE
        )
        tags = Tag.objects.filter(
            name__in=[s.lower() for s in demo.skills], post_items__isnull=False
        ).distinct()
        FollowTag.objects.bulk_create([FollowTag(follower=demo.profile, tag=t) for t in tags])
        self._stage(f"follows: {len(follows)} people followed, {len(tags)} tags by the demo employee")

    def _write_polls(self) -> None:
        """This week's polls, through the app's own services, half the company having voted."""
        comms = next(p for p in self.people if p.email == "comms@example.com")
        voters = [p for p in self.people if p is not comms]
        votes = 0
        for question, options, multiple in content.POLLS:
            post = poll_create(
                author=comms.profile,
                question=question,
                options=options,
                multiple=multiple,
                closes_at=self.now + timedelta(days=5),
            )
            # Its author was here today, whatever the random draws of who drops by said.
            self.group_activity.append((comms, post.created_at))
            option_ids = list(post.poll.options.order_by("position").values_list("id", flat=True))
            for voter in self.rng.sample(voters, len(voters) // 2):
                picks = (
                    self.rng.sample(option_ids, self.rng.randint(1, 2))
                    if multiple
                    else [self.rng.choices(option_ids, weights=range(len(option_ids), 0, -1))[0]]
                )
                poll_vote(post_id=post.pk, voter=voter.profile, option_ids=picks)
                votes += 1
        self._stage(f"polls: {len(content.POLLS)} open polls, {votes} votes")
        self.counts["polls"] = len(content.POLLS)

    def _write_rules(self) -> None:
        """Moderation's automatic rules, and the post, comment and flag they caught (demo/rules.py)."""
        moderator = next(p for p in self.people if p.demo and p.demo["email"] == "moderator@example.com")
        ordinary = [p for p in self.people if p.level == MEMBER and not p.demo]
        authors = self.rng.sample(ordinary, 3)
        counts = demo_rules_write(moderator=moderator.profile, authors=[p.profile for p in authors])
        self.group_activity += [(p, timezone.now()) for p in authors]  # they posted today
        self._stage(
            f"moderation: {counts['rules']} automatic rules, {counts['rule_caught']} items they caught"
        )
        self.counts.update(rules=counts["rules"])

    def _write_flags(self) -> None:
        """Through moderation's own service, so each case, its flag count and audit trail agree."""
        flagged: list[tuple[Post | Comment, tuple[str, str], list[_Person]]]
        flagged = [(p.row, p.flag, p.flaggers) for p in self.posts if p.flag]
        flagged += [(c.row, c.flag, c.flaggers) for c in self.comments if c.flag]
        moderator = next(p for p in self.people if p.demo and p.demo["email"] == "moderator@example.com")
        version = guidelines_publish(
            editor=moderator.profile, source=content.GUIDELINES, change_note="First version"
        )
        # Everyone in the demo company accepted them (a newcomer would be asked before their first post).
        GuidelineAcceptance.objects.bulk_create(
            [GuidelineAcceptance(profile=p.profile, version=version) for p in self.people],
            ignore_conflicts=True,
        )
        clauses = {c.title: c.pk for c in version.clauses.all()}
        flags = 0
        for row, (reason, note), flaggers in flagged:
            clause_id = clauses.get(content.GUIDELINE_FOR_REASON.get(reason, ""))
            for flagger in flaggers:
                flag_create(
                    flagger=flagger.profile,
                    content=row,
                    reason="clause" if clause_id else reason,
                    clause_id=clause_id,
                    note=note,
                )
                flags += 1
        self._stage(f"moderation: {len(flagged)} open cases from {flags} flags")
        self.counts.update(cases=len(flagged), flags=flags)

    def _write_wiki(self) -> None:
        """The company's policies and IT how-tos, and two groups' pages, each with its versions written
        through the wiki's services (so links, history and diffs are real), then dated as planned."""
        by_email = {p.email: p.profile for p in self.people}
        company_writers = {"comms": by_email["comms@example.com"], "it": by_email["admin@example.com"]}
        pages = versions = 0
        spaces: list[tuple[Community | None, dict[str, Profile], list[wiki_content.WikiPagePlan]]] = [
            (None, company_writers, wiki_content.COMPANY)
        ]
        for name, plans in wiki_content.GROUPS.items():
            group = Community.objects.get(name=name)
            roles_of = list(
                Membership.objects.filter(community=group)
                .select_related("profile")
                .order_by("role", "id")[:2]
            )  # "admin" sorts before "member": the admin first, then a member
            spaces.append((group, {"admin": roles_of[0].profile, "member": roles_of[-1].profile}, plans))
        for community, writers, plans in spaces:
            ids: dict[str, int] = {}
            for title, parent, steps in plans:
                page = None
                for writer, days_ago, summary, body in steps:
                    at = self.now - timedelta(days=days_ago, hours=self.rng.randint(1, 8))
                    if page is None:
                        page = wiki.page_create(
                            author=writers[writer],
                            community=community,
                            title=title,
                            body=body,
                            parent_id=ids.get(parent) if parent else None,
                            summary=summary,
                        )
                        WikiPage.objects.filter(pk=page.pk).update(created_at=at)
                    else:
                        page = wiki.page_update(
                            page_id=page.pk,
                            editor=writers[writer],
                            title=title,
                            body=body,
                            base_version=page.version,
                            summary=summary,
                        )
                    WikiVersion.objects.filter(page=page, number=page.version).update(created_at=at)
                    WikiPage.objects.filter(pk=page.pk).update(updated_at=at)
                    versions += 1
                assert page is not None  # every plan has a first version
                ids[title] = page.pk
                pages += 1
        # Those versions are history, dated weeks ago: their watchers were told then, not today.
        WikiPage.objects.update(notified_version=F("version"), notify_pending_since=None)
        # Communications watches the company wiki: it hears of every policy change.
        wiki_watches.space_watch_toggle(profile=company_writers["comms"], space=wiki.company_space_ensure())
        self._stage(f"wiki: {pages} pages, {versions} versions")
        self.counts.update(wiki_pages=pages, wiki_versions=versions)

    def _write_groups(self) -> None:
        """A few groups for work and for fun; the heads' forum is private and its posts stay there."""
        posts = 0
        self.group_activity: list[tuple[_Person, datetime]] = []
        for name, category, visibility, audience, description, bodies in projects_content.GROUPS:
            if audience == "all":
                people = self.rng.sample(self.people, max(3, len(self.people) // 4))
            elif audience == "heads":
                people = [p for p in self.people if p.level in (CEO, HEAD)]
            else:
                people = [p for p in self.people if p.department == audience]
            admin = people[0]
            community = Community.objects.create(
                name=name,
                slug=slugify(name),
                description=description,
                category=category,
                visibility=visibility,
                created_by=admin.profile,
                created_at=self.now - timedelta(days=DAYS + 10),
                member_count=len(people),
            )
            Membership.objects.bulk_create(
                [
                    Membership(
                        community=community, profile=p.profile, role="admin" if p is admin else "member"
                    )
                    for p in people
                ]
            )
            rows = []
            for body in bodies:
                writer = self.rng.choice(people)
                at = self.now - timedelta(days=self.rng.randint(0, DAYS - 1), hours=self.rng.randint(1, 9))
                self.group_activity.append((writer, at))
                rows.append(Post(author=writer.profile, community=community, body=body, created_at=at))
            Post.objects.bulk_create(rows)
            posts += len(bodies)
        # Leaders announce; the comms manager pins this week's company news.
        leadership, _ = Group.objects.get_or_create(name="Leadership")
        leadership.user_set.add(*[p.profile.user for p in self.people if p.level in (CEO, HEAD)])
        comms = next(p for p in self.people if p.email == "comms@example.com")
        announced = self.now - timedelta(hours=20)
        Post.objects.create(
            author=comms.profile,
            kind=Post.Kind.ANNOUNCEMENT,
            body=projects_content.ANNOUNCEMENT.format(company=self.company),
            created_at=announced,
            pinned_until=announced + timedelta(days=7),
        )
        self.group_activity.append((comms, announced))
        self._stage(
            f"groups: {len(projects_content.GROUPS)} groups with {posts} posts, and a pinned announcement"
        )
        self.counts["groups"] = len(projects_content.GROUPS)

    def _write_must_read(self) -> None:
        """Leaders (issue 15): a compliance must-read from the CEO, acknowledged by about 60%."""
        ceo = next(p for p in self.people if p.level == CEO)
        at = self.now - timedelta(days=4)
        post = Post.objects.create(
            author=ceo.profile,
            kind=Post.Kind.ANNOUNCEMENT,
            body=(
                "Our updated **code of conduct** takes effect on the 1st. It is short: please read it "
                "and acknowledge below. It covers gifts from suppliers, speaking for the company on "
                "social media, and how to raise a concern in confidence."
            ),
            created_at=at,
        )
        MustRead.objects.create(
            post=post, compliance=True, remind_after_days=7, ask_until=at + timedelta(days=30)
        )
        self.group_activity.append((ceo, at))  # who posts was active that day (the analytics invariant)
        readers = [p for p in self.people if p is ceo or self.rng.random() < 0.6]
        Acknowledgement.objects.bulk_create(
            [
                Acknowledgement(
                    post=post,
                    profile=p.profile,
                    acknowledged_at=at + timedelta(hours=self.rng.randint(0, 90)),
                )
                for p in readers
            ]
        )
        self._stage(f"must-read: a compliance announcement acknowledged by {len(readers)} people")
        self._write_events(ceo)
        comms = next(p for p in self.people if p.email == "comms@example.com")
        ScheduledPost.objects.create(
            author=comms.profile,
            kind=Post.Kind.ANNOUNCEMENT,
            body="The office will be closed on Friday for the spring party: see you at the riverside!",
            publish_at=self.now + timedelta(days=2, hours=3),
            options={"pinned_days": 3, "must_read": False, "compliance": False, "remind_after_days": 3},
        )

    def _write_newcomer(self) -> None:
        """newcomer@example.com's first week half done (feed.newcomers): skills listed, a group joined,
        two colleagues of five followed; no photo yet, so the profile step is still open."""
        newcomer = next(p for p in self.people if p.email == NEWCOMER_EMAIL)
        listed = set(
            ProfileSkill.objects.filter(content_object=newcomer.profile).values_list("tag__name", flat=True)
        )
        wanted = [s for s in content.NEWCOMER_SKILLS if s not in listed][: max(0, 3 - len(listed))]
        if wanted:
            ProfileSkill.objects.bulk_create(
                [
                    ProfileSkill(content_object=newcomer.profile, tag=s, level=2)
                    for s in skills_get_or_create(names=wanted)
                ]
            )
            people_counts_recount()
        FollowPerson.objects.filter(follower=newcomer.profile).delete()
        manager = newcomer.manager
        assert manager is not None  # a member of a team always has its lead
        others = [p for p in self._team_of(newcomer) if p is not newcomer and p is not manager]
        others += [
            p for p in self.by_department[newcomer.department] if p is not newcomer and p is not manager
        ]
        FollowPerson.objects.bulk_create(
            [FollowPerson(follower=newcomer.profile, followee=p.profile) for p in (manager, others[0])]
        )
        group = Community.objects.filter(visibility=Community.Visibility.PUBLIC).order_by("pk").first()
        if group is not None and not Membership.objects.filter(profile=newcomer.profile).exists():
            community_join(community=group, profile=newcomer.profile)
        self._stage("newcomer: a first week half done for newcomer@example.com")

    def _write_events(self, ceo) -> None:
        """Leaders (issue 15): a past ask-me-anything with answers, and an upcoming town hall."""
        past = Event.objects.create(
            title=f"Ask {ceo.profile.display_name} anything: the year ahead",
            description="Strategy, hiring, the new offices: bring your questions.",
            created_by=ceo.profile,
            starts_at=self.now - timedelta(days=6, hours=2),
            ends_at=self.now - timedelta(days=6, hours=1),
        )
        past.hosts.set([ceo.profile])
        asks = [
            ("Will we open an office in Porto next year?", "Yes, in spring: the lease is signed."),
            (
                "How will remote work change after the reorganisation?",
                "It won't: two office days a week stay the rule.",
            ),
            (
                "What is the hiring plan for engineering?",
                "Forty roles, half of them senior, posted from March.",
            ),
            ("Are bonuses changing?", ""),
            ("When do we get the new laptops?", ""),
        ]
        others = [p for p in self.people if p is not ceo]
        askers = self.rng.sample(others, min(40, len(others)))
        for n, (body, answer) in enumerate(asks):
            question = Question.objects.create(
                event=past,
                author=askers[n].profile,
                body=body,
                anonymous=n % 2 == 1,
                created_at=past.starts_at - timedelta(hours=n + 1),
                answer=answer,
                answered_by=ceo.profile if answer else None,
                answered_at=past.starts_at + timedelta(minutes=10 * n) if answer else None,
            )
            voters = askers[: max(0, len(askers) - 5 - 6 * n)]
            QuestionVote.objects.bulk_create(
                [QuestionVote(question=question, voter=v.profile) for v in voters if v is not askers[n]]
            )
            Question.objects.filter(pk=question.pk).update(vote_count=question.votes.count())
        past.question_count, past.answered_count = len(asks), sum(1 for _, a in asks if a)
        past.save(update_fields=["question_count", "answered_count"])
        upcoming = Event.objects.create(
            title="Town hall: Q3 results",
            description="The quarter's figures, then open questions.",
            created_by=ceo.profile,
            starts_at=self.now + timedelta(days=3),
            ends_at=self.now + timedelta(days=3, hours=1),
            question_count=1,
        )
        upcoming.hosts.set([ceo.profile])
        Question.objects.create(
            event=upcoming, author=askers[-1].profile, body="Will the results be shared by department?"
        )
        self._stage("events: a past ask-me-anything with answers, an upcoming town hall")

    # --- analytics --------------------------------------------------------------------------

    def _write_activity(self) -> None:
        """Everyone who did something on a day was active that day; others drop by and only read."""
        active: set[tuple[int, date]] = set()

        def seen(person: _Person, at: datetime) -> None:
            active.add((person.profile.pk, timezone.localdate(at)))

        for post in self.posts:
            seen(post.author, post.at)
            for comment in post.comments:
                seen(comment.author, comment.at)
            for person, at, _ in post.reactions:
                seen(person, at)
            for flagger in post.flaggers + [f for c in post.comments for f in c.flaggers]:
                seen(flagger, self.now)
        for person, at in self.group_activity:
            seen(person, at)
        for day in self.days:
            factor = 1 if day.weekday() < 5 else WEEKEND_FACTOR
            for person in self._started_by(day):
                if self.rng.random() < ACTIVE_ON_WEEKDAY[person.engagement] * factor:
                    active.add((person.profile.pk, day))
        for day in self.history:
            factor = 1 if day.weekday() < 5 else WEEKEND_FACTOR
            for person in self._started_by(day):
                if self.rng.random() < ACTIVE_ON_WEEKDAY[person.engagement] * factor * self._adoption(
                    person, day
                ):
                    active.add((person.profile.pk, day))
        rows = [ActiveDay(profile_id=pk, day=day) for pk, day in sorted(active) if day >= self.history_start]
        ActiveDay.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self._stage(f"activity: {len(rows)} active days")
        self.counts["active_days"] = len(rows)
        self._write_digest_settings(active)

    def _write_digest_settings(self, active: set[tuple[int, date]]) -> None:
        """Most people keep the daily digest; some take it weekly, a few turned it off. Their last
        visit is their last active day, so only those away since get a digest (the default)."""
        last_day: dict[int, date] = {}
        for pk, day in active:
            last_day[pk] = max(day, last_day.get(pk, day))
        tz = timezone.get_current_timezone()
        rows = []
        for person in self.people:
            pk = person.profile.pk
            frequency = self._weighted({"daily": 70, "weekly": 15, "never": 15})
            seen = last_day.get(pk)
            rows.append(
                DigestSetting(
                    profile_id=pk,
                    frequency=frequency,
                    weekday=self.rng.randrange(7),
                    last_seen_at=datetime.combine(seen, clock(9), tzinfo=tz) if seen else None,
                )
            )
        DigestSetting.objects.bulk_create(rows, batch_size=BATCH_SIZE)
        self._stage(f"digest settings: {len(rows)} people")

    def _write_surveys(self) -> None:
        """Two pulse surveys from the Communications team, answered through the app's service (so the
        answers are stored apart from who gave them): last quarter's, closed with its results, and
        this month's, open, which the demo employee has not answered yet (the banner on their feed)."""
        comms = next(p for p in self.people if p.email == "comms@example.com").profile
        closed = self._survey(comms, content.SURVEYS[0], share=0.7)
        sent = self.now - timedelta(days=75)
        Survey.objects.filter(pk=closed.pk).update(sent_at=sent, closes_at=sent + timedelta(days=14))
        self._survey(comms, content.SURVEYS[1], share=0.35)
        surveys_open_until_forget()  # the dates were set here, not by the survey services
        self._stage(f"surveys: {closed.title!r} closed with its results, and one open")

    def _survey(self, comms: Profile, spec: dict, *, share: float) -> Survey:
        survey = surveys.survey_create(
            author=comms,
            title=spec["title"],
            intro=spec["intro"],
            questions=[surveys.QuestionDraft(kind, text) for kind, text in spec["questions"]],
            closes_on=self.today + timedelta(days=10),
        )
        surveys.survey_send(actor=comms, survey_id=survey.pk)
        texts = self._deck(("survey", survey.title), spec["comments"])
        for person in self.people:
            if person.demo or self.rng.random() > share * (0.6 + 0.4 * person.engagement / 3):
                continue
            # A department that took Hive up late agrees less that it helps.
            lean = 0.6 - self.department_lag.get(person.department, 0.3) * 2
            choices = {
                n: max(1, min(5, round(self.rng.gauss(3.4 + lean, 1.0))))
                for n, (kind, _) in enumerate(spec["questions"], start=1)
                if kind == "likert" and self.rng.random() < 0.95
            }
            free = {
                n: texts.draw()
                for n, (kind, _) in enumerate(spec["questions"], start=1)
                if kind == "text" and self.rng.random() < 0.3
            }
            if choices or free:
                surveys.survey_answer(
                    survey_id=survey.pk, profile=person.profile, choices=choices, texts=free
                )
        return survey

    def _fill_rollups(self) -> None:
        days = self.days[:-1]  # up to yesterday: today is not over, the nightly job will count it
        for day in days:
            rollup_fill(day=day)
        # Where people sit from the first day of the history on, then the dashboard's figures for the
        # whole year (analytics/fill.py).
        placements_record(day=self.history_start)
        filled = segments_backfill(start=self.history_start, end=days[-1])
        self._stage(
            f"analytics: rollups for {len(days)} days, figures for {filled} days"
            f" ({self.history_start} to {days[-1]})"
        )
        self.counts["rollup_days"] = len(days)
