"""Must-read announcements: asking the company to acknowledge one, acknowledging it, the one reminder,
and the figures the author and Communications see.

Privacy: who acknowledged is stored per person (a reminder must reach only those who have not), but
what anyone sees of it is counts by department, each covering at least MIN_CELL people, so no figure
singles anyone out. Only a compliance announcement (a policy change, and its audience is told so on
the card) lets its author and Communications download the names of those who have not acknowledged.
"""

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from common.spreadsheet import spreadsheet_text
from feed.models import Acknowledgement, AcknowledgementReminder, MustRead, Post
from moderation.services import audit_record
from notifications.models import Kind
from notifications.services import notify
from profiles import roles
from profiles.models import Profile

# No figure covers fewer people than this: a department of three showing "2 of 3" points at someone.
MIN_CELL = 5
REMIND_AFTER_DAYS = (1, 2, 3, 5, 7, 14)
# How long a must-read stays at the top of a feed that has not acknowledged it, and can be reminded of.
ASK_DAYS = 30


def must_read_set(*, post: Post, compliance: bool, remind_after_days: int) -> MustRead:
    """Call inside announcement_create's transaction: the announcement now asks for acknowledgement.
    Its author counts as having acknowledged it."""
    if remind_after_days not in REMIND_AFTER_DAYS:
        raise ValidationError(f"Remind after one of {', '.join(map(str, REMIND_AFTER_DAYS))} days.")
    if not post.is_announcement or post.community_id is not None:
        raise ValidationError("Only a company-wide announcement can ask to be acknowledged.")
    must_read = MustRead.objects.create(
        post=post,
        compliance=compliance,
        remind_after_days=remind_after_days,
        ask_until=post.created_at + timedelta(days=ASK_DAYS),
    )
    Acknowledgement.objects.create(post=post, profile=post.author, acknowledged_at=post.created_at)
    audit_record(
        actor=post.author,
        action="announcement.must_read",
        target=post,
        compliance=compliance,
        remind_after_days=remind_after_days,
    )
    return must_read


@transaction.atomic
def acknowledgement_create(*, post_id: int, profile: Profile) -> Acknowledgement:
    """`profile` has read the must-read announcement and says so; once only.

    No audit row: the acknowledgement is itself the record of who did what and when.
    """
    must_read = MustRead.objects.filter(post_id=post_id, post__removed_at__isnull=True).first()
    if must_read is None:
        raise ValidationError("This post does not ask to be acknowledged.")
    earlier = Acknowledgement.objects.filter(post_id=post_id, profile=profile).first()
    if earlier is None:
        try:
            with transaction.atomic():  # two clicks at once: the second meets the unique constraint
                return Acknowledgement.objects.create(post_id=post_id, profile=profile)
        except IntegrityError:
            earlier = Acknowledgement.objects.get(post_id=post_id, profile=profile)
    when = timezone.localtime(earlier.acknowledged_at)
    raise ValidationError(f"You already acknowledged this announcement on {when:%d %b %Y at %H:%M}.")


def _audience() -> QuerySet[Profile]:
    return Profile.objects.filter(user__is_active=True)


def figures_visible_to(*, post: Post, user, viewer: Profile) -> bool:
    """The author and the Communications group see the acknowledgement figures."""
    return post.author_id == viewer.pk or roles.COMMUNICATIONS in roles.user_roles(user)


@dataclass
class DepartmentFigure:
    name: str
    audience: int
    acknowledged: int

    @property
    def percent(self) -> int:
        return round(100 * self.acknowledged / self.audience) if self.audience else 0


@dataclass
class AcknowledgementFigures:
    must_read: MustRead
    # None when the whole audience is under MIN_CELL people: then nothing is shown at all.
    total: DepartmentFigure | None
    departments: list[DepartmentFigure] = field(default_factory=list)
    # Departments too small to show, counted together (itself at least MIN_CELL people).
    combined: DepartmentFigure | None = None
    combined_count: int = 0


def acknowledgement_figures(*, must_read: MustRead) -> AcknowledgementFigures:
    """Exact counts by department in one query, then grouped so that no figure covers fewer than
    MIN_CELL people. Departments under MIN_CELL are counted together; when that group is still too
    small, the smallest shown departments join it, so no small one can be worked out by subtracting
    the shown rows from the total either."""
    acknowledged = Acknowledgement.objects.filter(post_id=must_read.post_id, profile=OuterRef("pk"))
    rows = (
        _audience()
        .values("department_id", "department__name")
        .annotate(audience=Count("id"), acknowledged=Count("id", filter=Q(Exists(acknowledged))))
        .order_by()
    )
    figures = [
        DepartmentFigure(
            name=row["department__name"] or "No department",
            audience=row["audience"],
            acknowledged=row["acknowledged"],
        )
        for row in rows
    ]
    audience = sum(f.audience for f in figures)
    if audience < MIN_CELL:
        return AcknowledgementFigures(must_read=must_read, total=None)
    total = DepartmentFigure(
        name="Everyone", audience=audience, acknowledged=sum(f.acknowledged for f in figures)
    )
    figures.sort(key=lambda f: (-f.audience, f.name))
    shown = [f for f in figures if f.audience >= MIN_CELL]
    small = [f for f in figures if f.audience < MIN_CELL]
    while small and sum(f.audience for f in small) < MIN_CELL and shown:
        small.append(shown.pop())
    combined = None
    if small:
        combined = DepartmentFigure(
            name="Other departments, counted together",
            audience=sum(f.audience for f in small),
            acknowledged=sum(f.acknowledged for f in small),
        )
    shown.sort(key=lambda f: f.name.lower())
    return AcknowledgementFigures(
        must_read=must_read, total=total, departments=shown, combined=combined, combined_count=len(small)
    )


CSV_HEADER = ["name", "email", "department", "location", "manager"]


def not_acknowledged_rows(*, must_read: MustRead, department_id: int | None = None) -> Iterator[list[str]]:
    """Everyone in the audience who has not acknowledged, by department then name, streamed in
    chunks (100,000 people never sit in memory at once)."""
    if not must_read.compliance:
        raise PermissionDenied("Only a compliance announcement lists who has not acknowledged it.")
    acknowledged = Acknowledgement.objects.filter(post_id=must_read.post_id, profile=OuterRef("pk"))
    people = _audience().filter(~Exists(acknowledged))
    if department_id is not None:
        people = people.filter(department_id=department_id)
    yield CSV_HEADER
    for row in (
        people.order_by("department__name", "display_name", "id")
        .values_list(
            "display_name", "user__email", "department__name", "location__name", "manager__display_name"
        )
        .iterator(chunk_size=2000)
    ):
        yield [spreadsheet_text(value) for value in row]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterator[list[str]]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    return (writer.writerow(row) for row in rows)


# --- The reminder, sent by a daily beat job ---------------------------------------------------


def acknowledgement_reminders_send(*, now: datetime | None = None, batch_size: int = 1000) -> int:
    """Remind, once, everyone who has not acknowledged a must-read after its N days (and had those N
    days: a newcomer is not reminded the day they join). Safe to run twice at once or to rerun
    after a crash: each batch holds the must-read's row lock while it writes its reminder rows and
    notifications in one transaction, and picks only people with no reminder row yet."""
    now = now or timezone.now()
    sent = 0
    for must_read in MustRead.objects.filter(ask_until__gt=now, post__removed_at__isnull=True).select_related(
        "post"
    ):
        due = must_read.post.created_at + timedelta(days=must_read.remind_after_days)
        if due > now:
            continue
        while True:
            count = _reminders_batch(post_id=must_read.post_id, now=now, batch_size=batch_size)
            sent += count
            if count < batch_size:
                break
    return sent


@transaction.atomic
def _reminders_batch(*, post_id: int, now: datetime, batch_size: int) -> int:
    must_read = MustRead.objects.select_for_update().select_related("post__author").get(post_id=post_id)
    post = must_read.post
    acknowledged = Acknowledgement.objects.filter(post_id=post_id, profile=OuterRef("pk"))
    reminded = AcknowledgementReminder.objects.filter(post_id=post_id, profile=OuterRef("pk"))
    people = list(
        _audience()
        .filter(~Exists(acknowledged), ~Exists(reminded))
        .filter(created_at__lte=now - timedelta(days=must_read.remind_after_days))
        .only("id", "user_id")
        .order_by("id")[:batch_size]
    )
    if not people:
        return 0
    AcknowledgementReminder.objects.bulk_create(
        [AcknowledgementReminder(post_id=post_id, profile=p, sent_at=now) for p in people]
    )
    excerpt = " ".join(post.body.split())[:80]
    notify(
        recipients=people,
        kind=Kind.ANNOUNCEMENT,
        actor=post.author,
        summary=f"Reminder: please read and acknowledge “{excerpt}”",
        url=post.get_absolute_url(),
    )
    return len(people)
