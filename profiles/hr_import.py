"""Employees from an HR export (CSV): validate every row, then create or update people idempotently.

The import reads the whole file, checks it against what Hive already holds (loaded once into dicts, so
100,000 rows cost a handful of queries), and plans every change before writing anything. Writing is one
transaction of bulk inserts and updates. Only the columns present in the file are touched: a profile's
bio, photo, skills and the rest belong to the employee, not to HR.
"""

from __future__ import annotations

import csv
import io
import logging
import re
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TypedDict

from django.contrib.auth.hashers import UNUSABLE_PASSWORD_PREFIX, UNUSABLE_PASSWORD_SUFFIX_LENGTH
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import DatabaseError, connection, transaction
from django.db.models import Field
from django.utils import timezone

from profiles.models import Department, ImportRun, Location, Profile, User
from profiles.services import company_addresses_verify
from profiles.signals import accounts_activation_changed

logger = logging.getLogger(__name__)

# File columns and the profile field each one sets. Header names are matched case-insensitively, with
# spaces and hyphens read as underscores ("Manager Email" is manager_email).
COLUMNS = ("email", "name", "title", "department", "location", "manager_email", "start_date")
REQUIRED_COLUMNS = ("email", "name")
PROFILE_FIELD = {
    "name": "display_name",
    "title": "job_title",
    "department": "department",
    "location": "location",
    "start_date": "start_date",
    "manager_email": "manager",
}
MAX_LENGTH = {"email": 254, "name": 150, "title": 150, "department": 120, "location": 120}

BATCH_SIZE = 1000
# Error lines kept on an ImportRun; the count of all of them is kept too.
MAX_ERRORS_RECORDED = 1000
PROGRESS_EVERY = 1000
# A full export that would deactivate more than this share of active accounts is almost always the
# wrong file (one department's export, a truncated download): refuse unless told otherwise.
MASS_DEACTIVATION_SHARE = 0.20

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# Arbitrary constant: one import at a time per database (PostgreSQL advisory lock).
_ADVISORY_LOCK_KEY = 7_311_202_603

Progress = Callable[[str], None]


class HRFileError(Exception):
    """The file as a whole can't be read: not UTF-8, no usable header, not CSV."""


@dataclass(frozen=True, order=True)
class RowError:
    line: int
    column: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.message}"


@dataclass
class HRRow:
    line: int
    email: str
    values: dict[str, str]
    start_date: date | None = None
    errors: list[RowError] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.errors

    def error(self, column: str, message: str) -> None:
        self.errors.append(RowError(self.line, column, message))


@dataclass
class HRFile:
    columns: tuple[str, ...]
    rows: list[HRRow]


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    reactivated: int = 0
    departments_created: int = 0
    locations_created: int = 0
    errors: list[RowError] = field(default_factory=list)
    full: bool = False
    dry_run: bool = False
    applied: bool = False
    # Why a full export was refused (nothing written); empty when it was not.
    refused: str = ""

    @property
    def skipped(self) -> int:
        return len({e.line for e in self.errors})

    def summary(self) -> list[tuple[str, int]]:
        return [
            ("rows read", self.rows),
            ("created", self.created),
            ("updated", self.updated),
            ("unchanged", self.unchanged),
            ("deactivated", self.deactivated),
            ("reactivated", self.reactivated),
            ("departments created", self.departments_created),
            ("locations created", self.locations_created),
            ("rows skipped (errors)", self.skipped),
        ]

    @property
    def headline(self) -> str:
        if self.refused:
            return f"Nothing was imported. {self.refused}"
        if self.dry_run:
            return "Dry run: the file was checked and nothing was written. The figures say what would change."
        return "Import applied." + (f" {self.skipped} rows with errors were skipped." if self.errors else "")


# --- Reading the file ---------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise HRFileError(
            f"The file is not UTF-8 text (undecodable bytes on line {line}). "
            "Export it from the HR system as “CSV UTF-8”."
        ) from None
    if "\x00" in text:
        raise HRFileError("The file is not a CSV text file (it contains binary data).")
    return text


def _header_key(name: str) -> str:
    return re.sub(r"[\s\-]+", "_", name.strip().lower())


def hr_csv_read(*, data: bytes) -> HRFile:
    """Rows of an HR export: UTF-8 (with or without BOM), comma or semicolon separated, header first.

    Line numbers are the file's own (the header is line 1), so an admin can find a row in an editor.
    """
    text = _decode(data)
    first_line = next((line for line in text.splitlines() if line.strip()), "")
    if not first_line:
        raise HRFileError("The file is empty: it needs a header row (email,name,...) and one row per person.")
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[HRRow] = []
    columns: tuple[str, ...] = ()
    previous_end = 0
    try:
        for record in reader:
            line, previous_end = previous_end + 1, reader.line_num
            if not any(cell.strip() for cell in record):
                continue
            if not columns:
                columns = _columns(record)
                continue
            if len(record) != len(columns):
                row = HRRow(line=line, email="", values={})
                row.error(
                    "",
                    f"has {len(record)} fields but the header has {len(columns)} "
                    f"(a value containing “{delimiter}” must be in double quotes)",
                )
                rows.append(row)
                continue
            values = {column: cell.strip() for column, cell in zip(columns, record, strict=True)}
            rows.append(HRRow(line=line, email=values["email"].lower(), values=values))
    except csv.Error as exc:
        raise HRFileError(f"line {reader.line_num}: the file is not valid CSV ({exc}).") from None
    return HRFile(columns=columns, rows=rows)


def _columns(header: list[str]) -> tuple[str, ...]:
    columns = tuple(_header_key(name) for name in header)
    unknown = [name for name, key in zip(header, columns, strict=True) if key not in COLUMNS]
    if unknown:
        raise HRFileError(
            f"line 1: unknown column {', '.join(repr(n) for n in unknown)}. "
            f"The header may use these columns, in any order: {', '.join(COLUMNS)}."
        )
    repeated = sorted({c for c in columns if columns.count(c) > 1})
    if repeated:
        raise HRFileError(f"line 1: column {', '.join(repeated)} appears more than once.")
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        raise HRFileError(
            f"line 1: the header row must name the columns {', '.join(REQUIRED_COLUMNS)} "
            f"(missing: {', '.join(missing)}); found {', '.join(header)}."
        )
    return columns


# --- What Hive holds now ----------------------------------------------------------------------------


class _Stored(TypedDict):
    """A profile's fields as stored (department, location and manager by id)."""

    display_name: str
    job_title: str
    department: int | None
    location: int | None
    start_date: date | None
    manager: int | None


class _Wanted(TypedDict, total=False):
    """What a row says, for the columns the file has (department and location by name)."""

    display_name: str
    job_title: str
    department: str | None
    location: str | None
    start_date: date | None


class _ProfileValues(TypedDict, total=False):
    """The Profile fields the import writes, for the columns the file has."""

    display_name: str
    job_title: str
    department_id: int | None
    location_id: int | None
    start_date: date | None


@dataclass
class _Person:
    user_id: int
    email: str
    is_active: bool
    is_superuser: bool
    profile_id: int | None = None
    fields: _Stored | None = None  # None until they have a profile
    manager_email: str | None = None


class _Hive:
    """Everyone, and every department and location, loaded once: the plan never queries per row."""

    def __init__(self) -> None:
        self.people: dict[str, _Person] = {}
        by_user: dict[int, _Person] = {}
        for user_id, email, is_active, is_superuser in User.objects.values_list(
            "id", "email", "is_active", "is_superuser"
        ).iterator(chunk_size=5000):
            person = _Person(user_id, email.lower(), is_active, is_superuser)
            self.people[person.email] = by_user[user_id] = person
        email_by_profile: dict[int, str] = {}
        profiles = Profile.objects.values_list(
            "id",
            "user_id",
            "display_name",
            "job_title",
            "department_id",
            "location_id",
            "start_date",
            "manager_id",
        )
        for pid, user_id, name, title, dept_id, loc_id, start, manager_id in profiles.iterator(
            chunk_size=5000
        ):
            person = by_user[user_id]
            person.profile_id = pid
            person.fields = _Stored(
                display_name=name,
                job_title=title,
                department=dept_id,
                location=loc_id,
                start_date=start,
                manager=manager_id,
            )
            email_by_profile[pid] = person.email
        for person in by_user.values():
            boss_id = person.fields["manager"] if person.fields is not None else None
            person.manager_email = email_by_profile.get(boss_id) if boss_id else None
        self.departments = _ids_by_name(Department.objects.order_by("id").values_list("name", "id"))
        self.locations = _ids_by_name(Location.objects.order_by("id").values_list("name", "id"))


def _ids_by_name(pairs: Iterable[tuple[str, int]]) -> dict[str, int]:
    ids: dict[str, int] = {}
    for name, pk in pairs:
        ids.setdefault(name.casefold(), pk)
    return ids


# --- The plan ---------------------------------------------------------------------------------------


def _email_valid(email: str, seen: dict[str, bool]) -> bool:
    # Memoised per import: a manager's address recurs on every report's row.
    if email not in seen:
        try:
            validate_email(email)
            seen[email] = True
        except ValidationError:
            seen[email] = False
    return seen[email]


def _validate_fields(row: HRRow, seen: dict[str, bool]) -> None:
    values = row.values
    if not row.email:
        row.error("email", "email is empty")
    elif not _email_valid(row.email, seen):
        row.error("email", f"email '{values['email']}' is not a valid email address")
    if not values["name"]:
        row.error("name", "name is empty")
    for column, limit in MAX_LENGTH.items():
        if len(values.get(column, "")) > limit:
            row.error(column, f"{column} is longer than {limit} characters")
    manager = values.get("manager_email", "").lower()
    values["manager_email"] = manager
    if manager:
        if not _email_valid(manager, seen):
            row.error("manager_email", f"manager_email '{manager}' is not a valid email address")
        elif manager == row.email:
            row.error("manager_email", f"manager_email '{manager}' is the person themselves")
    raw_date = values.get("start_date", "")
    if raw_date:
        try:
            if not _ISO_DATE.fullmatch(raw_date):
                raise ValueError
            row.start_date = date.fromisoformat(raw_date)
        except ValueError:
            row.error("start_date", f"start_date '{raw_date}' is not a date (use YYYY-MM-DD)")


class _Planner:
    def __init__(self, *, file: HRFile, hive: _Hive, full: bool, progress: Progress | None) -> None:
        self.file, self.hive, self.full, self.progress = file, hive, full, progress
        self.columns = set(file.columns)
        self.by_email: dict[str, HRRow] = {}  # first row for each email
        self.dependents: dict[str, list[HRRow]] = defaultdict(list)  # manager email -> rows

    def run(self) -> None:
        rows = self.file.rows
        seen: dict[str, bool] = {}
        for count, row in enumerate(rows, 1):
            if row.values:
                _validate_fields(row, seen)
                if row.email:
                    first = self.by_email.setdefault(row.email, row)
                    if first is not row:
                        row.error("email", f"email '{row.email}' already appears on line {first.line}")
            if self.progress and (count % PROGRESS_EVERY == 0 or count == len(rows)):
                self.progress(f"validated {count:,} / {len(rows):,}")
        self._check_managers()
        while self._reject_loops():
            pass

    # A manager must be someone who will be an active employee once the import is applied.
    def _manager_problem(self, email: str) -> str | None:
        row = self.by_email.get(email)
        if row is not None and row.valid:
            return None
        person = self.hive.people.get(email)
        if row is not None and (person is None or not person.is_active or self.full):
            return f"manager_email '{email}' can't be used: their row (line {row.line}) has errors"
        if person is None:
            return f"manager_email '{email}' is neither in this file nor an employee in Hive"
        if not person.is_active:
            return f"manager_email '{email}' is a deactivated account and is not in this file"
        if self.full:
            return f"manager_email '{email}' is not in this full export, so they would be deactivated"
        if person.profile_id is None:
            return f"manager_email '{email}' has an account but no profile in Hive and is not in this file"
        return None

    def _check_managers(self) -> None:
        for row in self.file.rows:
            manager = row.values.get("manager_email")
            if row.valid and manager:
                self.dependents[manager].append(row)
        self._recheck(row.email for row in self.file.rows if not row.valid and row.email)

    def _recheck(self, emails: Iterable[str]) -> None:
        """Rows whose manager's row was just rejected lose their manager too, transitively."""
        pending = list(dict.fromkeys(emails))
        pending.extend(m for m in list(self.dependents) if m not in self.by_email)
        while pending:
            email = pending.pop()
            problem = None
            for row in self.dependents.get(email, ()):
                if row.valid and (problem := problem or self._manager_problem(email)):
                    row.error("manager_email", problem)
                    pending.append(row.email)

    def _next(self, email: str) -> str | None:
        """Who manages this person once the import is applied."""
        row = self.by_email.get(email)
        if row is not None and row.valid and "manager_email" in self.columns:
            return row.values["manager_email"] or None
        person = self.hive.people.get(email)
        return person.manager_email if person else None

    def _reject_loops(self) -> bool:
        """Rejects every row in a management loop; True if any was found (rejections can expose more)."""
        state: dict[str, int] = {}  # 1: on the path being walked, 2: settled
        rejected: list[str] = []
        for start, row in self.by_email.items():
            if not row.valid or start in state:
                continue
            path: list[str] = []
            node: str | None = start
            while node is not None and node not in state:
                state[node] = 1
                path.append(node)
                node = self._next(node)
            if node is not None and state[node] == 1:
                loop = path[path.index(node) :]
                in_file = [self.by_email[e] for e in loop if e in self.by_email and self.by_email[e].valid]
                if in_file:
                    described = " → ".join(self._describe(e) for e in [*loop, loop[0]])
                    for looped in in_file:
                        looped.error(
                            "manager_email",
                            f"manager loop: {described}; none of the rows in the loop is applied",
                        )
                        rejected.append(looped.email)
            for email in path:
                state[email] = 2
        if rejected:
            self._recheck(rejected)
        return bool(rejected)

    def _describe(self, email: str) -> str:
        row = self.by_email.get(email)
        return f"{email} (line {row.line})" if row is not None else f"{email} (in Hive)"


@dataclass
class _Change:
    row: HRRow
    person: _Person | None
    fields: _Wanted
    reactivate: bool = False


def _desired(row: HRRow, columns: set[str]) -> _Wanted:
    values = row.values
    wanted = _Wanted(display_name=values["name"])
    if "title" in columns:
        wanted["job_title"] = values["title"]
    if "department" in columns:
        wanted["department"] = values["department"] or None
    if "location" in columns:
        wanted["location"] = values["location"] or None
    if "start_date" in columns:
        wanted["start_date"] = row.start_date
    return wanted


def _id_by_name(name: str | None, ids: dict[str, int]) -> int | None:
    """The department's (or location's) id; None for no name, and for a name Hive does not hold yet."""
    return ids.get(name.casefold()) if name else None


def _profile_values(wanted: _Wanted, hive: _Hive) -> _ProfileValues:
    values = _ProfileValues(display_name=wanted["display_name"])
    if "job_title" in wanted:
        values["job_title"] = wanted["job_title"]
    if "department" in wanted:
        values["department_id"] = _id_by_name(wanted["department"], hive.departments)
    if "location" in wanted:
        values["location_id"] = _id_by_name(wanted["location"], hive.locations)
    if "start_date" in wanted:
        values["start_date"] = wanted["start_date"]
    return values


def _stored_differs(values: _ProfileValues, stored: _Stored) -> bool:
    return (
        values["display_name"] != stored["display_name"]
        or ("job_title" in values and values["job_title"] != stored["job_title"])
        or ("department_id" in values and values["department_id"] != stored["department"])
        or ("location_id" in values and values["location_id"] != stored["location"])
        or ("start_date" in values and values["start_date"] != stored["start_date"])
    )


def _names_new_to_hive(wanted: _Wanted, hive: _Hive) -> bool:
    """A department or location Hive does not hold yet: a change whatever is stored (it has no id to
    compare until the import creates it; someone without a department stores None, as it looks up)."""
    return bool(
        _new_names([wanted.get("department")], hive.departments)
        or _new_names([wanted.get("location")], hive.locations)
    )


def _differs(change: _Change, hive: _Hive, columns: set[str]) -> bool:
    person = change.person
    if person is None or person.fields is None or change.reactivate:
        return True
    if _names_new_to_hive(change.fields, hive):
        return True
    if _stored_differs(_profile_values(change.fields, hive), person.fields):
        return True
    if "manager_email" in columns:
        return (change.row.values["manager_email"] or None) != person.manager_email
    return False


# --- The import ---------------------------------------------------------------------------------------


def employees_import(
    *,
    data: bytes,
    actor: User | None = None,
    full: bool = False,
    dry_run: bool = False,
    allow_mass_deactivation: bool = False,
    progress: Progress | None = None,
    source: str = ImportRun.Source.COMMAND,
    file_name: str = "",
) -> ImportReport:
    """Creates or updates the people in an HR export; with `full`, deactivates those missing from it.

    Rows with errors are skipped and reported with their line; the others are applied in one
    transaction. A full export is refused when the file has errors or would deactivate more than
    MASS_DEACTIVATION_SHARE of active accounts (unless allow_mass_deactivation). Superusers and the
    actor are never deactivated; people are never deleted. Raises HRFileError for an unreadable file.

    Every run but a dry run leaves an ImportRun (who, from where, which file, what came of it): in the
    same transaction as the changes, or, when the import fails and is rolled back, in one of its own
    afterwards. (Called inside a caller's transaction, that one is only a savepoint: the caller's
    rollback takes the record with it.)
    """
    who = {
        "actor": actor,
        "actor_email": actor.email if actor else "",
        "source": source,
        "file_name": file_name[:255],
        "full": full,
        "started_at": timezone.now(),
    }
    try:
        file = hr_csv_read(data=data)
        if dry_run:
            return _run(file, actor, full, True, allow_mass_deactivation, progress)
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_ADVISORY_LOCK_KEY])
            report = _run(file, actor, full, False, allow_mass_deactivation, progress)
            _run_record(ImportRun(**who), report=report)
            return report
    except (Exception, KeyboardInterrupt) as exc:
        if not dry_run:
            _run_record_failure(ImportRun(**who), exc)
        raise


def _run_record(run: ImportRun, *, report: ImportReport) -> None:
    run.outcome = ImportRun.Outcome.REFUSED if report.refused else ImportRun.Outcome.APPLIED
    run.message = report.headline
    for name in (
        "rows",
        "created",
        "updated",
        "unchanged",
        "deactivated",
        "reactivated",
        "departments_created",
        "locations_created",
    ):
        setattr(run, name, getattr(report, name))
    run.error_count = len(report.errors)
    run.errors = [str(e) for e in report.errors[:MAX_ERRORS_RECORDED]]
    run.finished_at = timezone.now()
    run.save()


def _run_record_failure(run: ImportRun, exc: BaseException) -> None:
    """After the rollback: the failed run on record in a transaction of its own, counting nothing."""
    detail = str(exc) if isinstance(exc, HRFileError) else f"{type(exc).__name__}: {exc}"
    run.outcome = ImportRun.Outcome.FAILED
    run.message = f"Nothing was imported. {detail}"[:5000]
    run.finished_at = timezone.now()
    try:
        with transaction.atomic():
            run.save()
    except DatabaseError:
        # The database itself is what failed: say so in the log and let the original error surface.
        logger.exception("Could not record the failed HR import of %s", run.file_name or "a file")


def _run(
    file: HRFile,
    actor: User | None,
    full: bool,
    dry_run: bool,
    allow_mass_deactivation: bool,
    progress: Progress | None,
) -> ImportReport:
    report = ImportReport(rows=len(file.rows), full=full, dry_run=dry_run)
    hive = _Hive()
    _Planner(file=file, hive=hive, full=full, progress=progress).run()
    columns = set(file.columns)
    report.errors = sorted(e for row in file.rows for e in row.errors)

    changes: list[_Change] = []
    for row in file.rows:
        if row.valid:
            person = hive.people.get(row.email)
            change = _Change(row, person, _desired(row, columns), bool(person and not person.is_active))
            changes.append(change)
            if person is None:
                report.created += 1
            elif _differs(change, hive, columns):
                report.updated += 1
            else:
                report.unchanged += 1
    report.reactivated = sum(c.reactivate for c in changes)
    new_departments = _new_names((c.fields.get("department") for c in changes), hive.departments)
    new_locations = _new_names((c.fields.get("location") for c in changes), hive.locations)
    report.departments_created, report.locations_created = len(new_departments), len(new_locations)

    leaving: list[int] = []
    if full:
        in_file = {row.email for row in file.rows if row.email}
        active = [p for p in hive.people.values() if p.is_active]
        leaving = [
            p.user_id
            for p in active
            if p.email not in in_file and not p.is_superuser and (actor is None or p.user_id != actor.pk)
        ]
        report.deactivated = len(leaving)
        if report.errors:
            report.refused = (
                f"A full export must have no errors, and this file has {len(report.errors)}: "
                "fix them and import again (nobody was created, changed or deactivated)."
            )
        elif len(leaving) > MASS_DEACTIVATION_SHARE * len(active) and not allow_mass_deactivation:
            report.refused = (
                f"This full export would deactivate {len(leaving):,} of {len(active):,} active accounts "
                f"(more than {MASS_DEACTIVATION_SHARE:.0%}). If that is right, confirm with "
                "“allow mass deactivation” (--allow-mass-deactivation); otherwise check that the file "
                "is the whole company's export."
            )
    if dry_run or report.refused:
        return report

    _apply(
        changes=changes,
        hive=hive,
        columns=columns,
        new_departments=new_departments,
        new_locations=new_locations,
        leaving=leaving,
        progress=progress,
    )
    report.applied = True
    return report


def _new_names(names: Iterable[str | None], existing: dict[str, int]) -> list[str]:
    new: dict[str, str] = {}
    for name in names:
        if name and name.casefold() not in existing:
            new.setdefault(name.casefold(), name)
    return list(new.values())


def _batches(items: list, size: int = BATCH_SIZE) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _say_batch(say: Progress, what: str, batches_done: int, total: int) -> None:
    done = min(batches_done * BATCH_SIZE, total)
    if done % (10 * BATCH_SIZE) == 0 or done == total:
        say(f"{what} {done:,} / {total:,}")


def _apply(
    *,
    changes: list[_Change],
    hive: _Hive,
    columns: set[str],
    new_departments: list[str],
    new_locations: list[str],
    leaving: list[int],
    progress: Progress | None,
) -> None:
    def say(message: str) -> None:
        if progress:
            progress(message)

    if new_departments:
        Department.objects.bulk_create([Department(name=n) for n in new_departments], batch_size=BATCH_SIZE)
        hive.departments = _ids_by_name(Department.objects.order_by("id").values_list("name", "id"))
    if new_locations:
        Location.objects.bulk_create([Location(name=n) for n in new_locations], batch_size=BATCH_SIZE)
        hive.locations = _ids_by_name(Location.objects.order_by("id").values_list("name", "id"))

    # People new to Hive: an account without a usable password (they sign in through SSO or reset it).
    new = [c for c in changes if c.person is None]
    created: dict[int, _Person] = {}  # id(change) -> the account just made for its row
    for done, batch in enumerate(_batches(new), 1):
        users = User.objects.bulk_create(
            [User(email=c.row.email, password=_unusable_password()) for c in batch]
        )
        company_addresses_verify(users=users)
        for change, user in zip(batch, users, strict=True):
            created[id(change)] = _Person(user.pk, change.row.email, True, False)
        _say_batch(say, "created accounts", done, len(new))
    # Every row with the person it is now in Hive, in the file's order.
    placed = [(c, c.person or created[id(c)]) for c in changes]

    reactivated = [person.user_id for c, person in placed if c.reactivate]
    for batch in _batches(reactivated):
        User.objects.filter(pk__in=batch).update(is_active=True)
    for batch in _batches(leaving):
        User.objects.filter(pk__in=batch).update(is_active=False)
    if reactivated or leaving:
        say(f"reactivated {len(reactivated):,}, deactivated {len(leaving):,}")
        changed = [*reactivated, *leaving]
        transaction.on_commit(
            lambda: accounts_activation_changed.send(sender=User, user_ids=changed), robust=True
        )

    # Profiles: created for new people (and accounts that never had one), updated where they differ.
    # (Departments and locations the file names all exist now.)
    profile_ids = {id(c): person.profile_id for c, person in placed if person.profile_id is not None}
    missing = [(c, person) for c, person in placed if person.profile_id is None]
    for done, batch in enumerate(_batches(missing), 1):
        profiles = Profile.objects.bulk_create(
            [Profile(user_id=person.user_id, **_profile_values(c.fields, hive)) for c, person in batch]
        )
        for (change, person), profile in zip(batch, profiles, strict=True):
            person.profile_id = profile_ids[id(change)] = profile.pk
        _say_batch(say, "created profiles", done, len(missing))
    missing_ids = {id(c) for c, _ in missing}
    updates = []
    for change, person in placed:
        if id(change) in missing_ids or person.fields is None:
            continue
        values = _profile_values(change.fields, hive)
        if _stored_differs(values, person.fields):
            updates.append(Profile(pk=profile_ids[id(change)], **values))
    if updates:
        update_fields = [PROFILE_FIELD[c] for c in columns if c not in ("email", "manager_email")]
        _profiles_update(updates, update_fields)
        say(f"updated profiles {len(updates):,}")

    # Managers last, when everyone in the file has a profile to point at.
    if "manager_email" in columns:
        profile_of = {p.email: p.profile_id for p in hive.people.values() if p.profile_id}
        profile_of.update((c.row.email, profile_ids[id(c)]) for c, _ in placed)
        pairs: list[tuple[int, int | None]] = []
        for change, person in placed:
            wanted = change.row.values["manager_email"] or None
            current = None if id(change) in missing_ids else person.manager_email
            if wanted != current:
                pairs.append((profile_ids[id(change)], profile_of[wanted] if wanted else None))
        _managers_set(pairs)
        if pairs:
            say(f"set managers {len(pairs):,}")


def _unusable_password() -> str:
    # What make_password(None) stores, without its per-character random calls (100,000 accounts).
    return (
        UNUSABLE_PASSWORD_PREFIX
        + secrets.token_urlsafe(UNUSABLE_PASSWORD_SUFFIX_LENGTH)[:UNUSABLE_PASSWORD_SUFFIX_LENGTH]
    )


def _profiles_update(objs: list[Profile], fields: list[str]) -> None:
    """Writes `fields` of many profiles: one UPDATE ... FROM (VALUES ...) per batch on PostgreSQL.

    bulk_update's CASE WHEN per field costs a comparison per row per row of the batch: measured at
    over five minutes for 100,000 changed profiles, against seconds for a join on a VALUES list.
    """
    if not objs:
        return
    if connection.vendor != "postgresql":
        Profile.objects.bulk_update(objs, fields, batch_size=BATCH_SIZE)
        return
    quote = connection.ops.quote_name
    model_fields: list[Field] = []
    for name in fields:
        model_field = Profile._meta.get_field(name)
        if not isinstance(model_field, Field):  # a reverse relation has no column here to write
            raise ValueError(f"Profile.{name} is not a column")
        model_fields.append(model_field)
    columns = [f.column for f in model_fields]
    row = "(%s::bigint, " + ", ".join(f"%s::{f.db_type(connection)}" for f in model_fields) + ")"
    assignments = ", ".join(f"{quote(c)} = v.{quote(c)}" for c in columns)
    names = ", ".join(["id", *(quote(c) for c in columns)])
    for batch in _batches(objs, 5000):
        params = []
        for obj in batch:
            params.append(obj.pk)
            params.extend(f.get_db_prep_value(getattr(obj, f.attname), connection) for f in model_fields)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {quote(Profile._meta.db_table)} AS p SET {assignments} "
                f"FROM (VALUES {', '.join([row] * len(batch))}) AS v({names}) WHERE p.id = v.id",
                params,
            )


def _managers_set(pairs: list[tuple[int, int | None]]) -> None:
    _profiles_update([Profile(pk=pid, manager_id=mid) for pid, mid in pairs], ["manager"])
