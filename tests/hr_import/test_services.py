"""Importing employees from an HR export: validation by line, idempotent apply, loops, full exports."""

from datetime import date

import pytest

from profiles import hr_import
from profiles.hr_import import HRFileError, employees_import
from profiles.models import Department, Location, Profile, User
from tests.factories import DepartmentFactory, ProfileFactory, UserFactory
from tests.helpers import hr_csv, profile_of

pytestmark = pytest.mark.django_db

COMPANY = [
    # The report comes before their manager in the file: managers are set after everyone exists.
    "cy@example.com,Cy Coder,Engineer,Engineering,Lisbon,bo@example.com,2022-03-01",
    "ann@example.com,Ann Chief,CEO,Board,Berlin,,2010-01-04",
    "bo@example.com,Bo Boss,Engineering Manager,Engineering,Lisbon,ann@example.com,2015-06-30",
]


def _messages(report) -> list[str]:
    return [str(e) for e in report.errors]


# --- Creating and updating -------------------------------------------------------------------


def test_import_creates_people_departments_locations_and_managers(run_import):
    report = run_import(*COMPANY)

    assert (report.created, report.updated, report.unchanged, report.errors) == (3, 0, 0, [])
    assert (report.departments_created, report.locations_created) == (2, 2)
    assert report.applied
    cy = profile_of("cy@example.com")
    assert (cy.display_name, cy.job_title, cy.department.name, cy.location.name) == (
        "Cy Coder",
        "Engineer",
        "Engineering",
        "Lisbon",
    )
    assert cy.start_date == date(2022, 3, 1)
    assert cy.manager.user.email == "bo@example.com"
    assert profile_of("bo@example.com").manager.user.email == "ann@example.com"
    assert profile_of("ann@example.com").manager is None
    assert set(Department.objects.values_list("name", flat=True)) == {"Engineering", "Board"}
    assert set(Location.objects.values_list("name", flat=True)) == {"Lisbon", "Berlin"}


def test_new_people_get_an_active_account_without_a_usable_password(run_import):
    run_import(*COMPANY)

    user = User.objects.get(email="ann@example.com")
    assert user.is_active and not user.is_staff
    assert not user.has_usable_password()


def test_reimporting_the_same_file_changes_nothing(run_import):
    run_import(*COMPANY)
    before = list(Profile.objects.order_by("id").values())

    report = run_import(*COMPANY)

    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert (report.departments_created, report.locations_created, report.reactivated) == (0, 0, 0)
    assert list(Profile.objects.order_by("id").values()) == before
    assert User.objects.count() == 3


@pytest.mark.parametrize("dry_run", [True, False])
def test_a_department_new_to_hive_counts_as_an_update_for_someone_without_one(run_import, dry_run):
    run_import("ann@example.com,Ann Chief,CEO,,Berlin,,2010-01-04")

    report = run_import("ann@example.com,Ann Chief,CEO,Board,Berlin,,2010-01-04", dry_run=dry_run)

    assert (report.created, report.updated, report.unchanged, report.departments_created) == (0, 1, 0, 1)
    department = profile_of("ann@example.com").department
    assert (department.name if department else None) == (None if dry_run else "Board")


@pytest.mark.parametrize("size", [10, 60])
def test_import_runs_a_fixed_number_of_queries_whatever_the_file_size(
    run_import, size, django_assert_max_num_queries
):
    lines = [
        f"p{i}@example.com,Person {i},Engineer,Dept {i % 3},Office {i % 2},"
        f"{f'p{i - 1}@example.com' if i else ''},2020-01-01"
        for i in range(size)
    ]
    # Savepoint and release, lock, four loads (users, profiles, departments, locations), an insert and a
    # reload for each of departments and locations, accounts, their verified addresses, profiles,
    # managers, the ImportRun.
    with django_assert_max_num_queries(16):
        assert run_import(*lines).created == size
    # Unchanged re-run: savepoint and release, the lock, the four loads and the ImportRun.
    with django_assert_max_num_queries(8):
        assert run_import(*lines).unchanged == size


def test_update_changes_only_changed_fields_and_never_the_employees_own(run_import):
    existing = ProfileFactory(
        user__email="ann@example.com",
        display_name="Ann Chief",
        job_title="COO",
        bio="I *love* sailing.",
        pronouns="she/her",
        languages=["English", "German"],
        phone="+49 30 1234",
        department=DepartmentFactory(name="Board"),
    )

    report = run_import("ann@example.com,Ann Chief,CEO,board,Berlin,,2010-01-04")

    assert (report.created, report.updated, report.unchanged) == (0, 1, 0)
    assert report.departments_created == 0  # matched "Board" whatever the case
    ann = profile_of("ann@example.com")
    assert ann.pk == existing.pk
    assert (ann.job_title, ann.department.name, ann.location.name) == ("CEO", "Board", "Berlin")
    assert (ann.bio, ann.pronouns, ann.languages, ann.phone) == (
        "I *love* sailing.",
        "she/her",
        ["English", "German"],
        "+49 30 1234",
    )
    assert ann.user.has_usable_password()  # an existing account keeps its password


def test_columns_missing_from_the_file_are_left_alone(run_import):
    boss = ProfileFactory(user__email="boss@example.com")
    ProfileFactory(user__email="ann@example.com", job_title="COO", manager=boss, start_date=date(2001, 1, 1))

    report = run_import("ANN@example.com,Ann Renamed", header="Email,Name")

    assert report.updated == 1
    ann = profile_of("ann@example.com")
    assert ann.display_name == "Ann Renamed"
    assert (ann.job_title, ann.manager, ann.start_date) == ("COO", boss, date(2001, 1, 1))


def test_empty_cells_clear_the_field(run_import):
    ProfileFactory(
        user__email="ann@example.com", display_name="Ann", job_title="COO", start_date=date(2001, 1, 1)
    )

    run_import("ann@example.com,Ann,,,,,")

    ann = profile_of("ann@example.com")
    assert (ann.job_title, ann.department, ann.location, ann.start_date) == ("", None, None, None)


def test_an_account_without_a_profile_gets_one(run_import):
    UserFactory(email="root@example.com", is_superuser=True)

    report = run_import("root@example.com,Root Admin,IT,,,,")

    assert (report.created, report.updated) == (0, 1)
    assert profile_of("root@example.com").display_name == "Root Admin"


def test_semicolons_and_a_byte_order_mark_are_read(db):
    data = "\ufeffemail;name;department\r\nann@example.com;Ann;Finance, Legal\r\n".encode()

    report = employees_import(data=data)

    assert report.created == 1
    assert profile_of("ann@example.com").department.name == "Finance, Legal"


# --- Bad rows ------------------------------------------------------------------------------------


def test_malformed_rows_are_reported_by_line_and_skipped_while_valid_rows_apply(run_import):
    report = run_import(
        "ann@example.com,Ann Chief,CEO,Board,Berlin,,2010-01-04",  # line 2
        "not-an-email,Bad Email,,,,,",  # line 3
        "bo@example.com,Bo,,,,,2023-13-01",  # line 4
        "cy@example.com,,,,,,",  # line 5
        "di@example.com,Di,,,,ghost@example.com,",  # line 6
        "Ann@Example.com,Ann Again,,,,,",  # line 7
        "ed@example.com,Ed,,,,,14/03/2023",  # line 8
        "fay@example.com,Fay,,,,ann@example.com,2021-02-03",  # line 9
    )

    assert _messages(report) == [
        "line 3: email 'not-an-email' is not a valid email address",
        "line 4: start_date '2023-13-01' is not a date (use YYYY-MM-DD)",
        "line 5: name is empty",
        "line 6: manager_email 'ghost@example.com' is neither in this file nor an employee in Hive",
        "line 7: email 'ann@example.com' already appears on line 2",
        "line 8: start_date '14/03/2023' is not a date (use YYYY-MM-DD)",
    ]
    assert [(e.line, e.column) for e in report.errors][:2] == [(3, "email"), (4, "start_date")]
    assert (report.created, report.skipped) == (2, 6)
    assert set(User.objects.values_list("email", flat=True)) == {"ann@example.com", "fay@example.com"}
    assert profile_of("ann@example.com").display_name == "Ann Chief"  # not the duplicate's name
    assert profile_of("fay@example.com").manager.user.email == "ann@example.com"


def test_a_row_whose_manager_row_is_rejected_is_rejected_too(run_import):
    report = run_import(
        "ann@example.com,Ann,,,,,yesterday",
        "bo@example.com,Bo,,,,ann@example.com,",
        "cy@example.com,Cy,,,,bo@example.com,",
    )

    assert _messages(report) == [
        "line 2: start_date 'yesterday' is not a date (use YYYY-MM-DD)",
        "line 3: manager_email 'ann@example.com' can't be used: their row (line 2) has errors",
        "line 4: manager_email 'bo@example.com' can't be used: their row (line 3) has errors",
    ]
    assert not User.objects.exists()


def test_a_manager_already_in_hive_keeps_the_row_valid_even_if_their_own_row_is_bad(run_import):
    ProfileFactory(user__email="ann@example.com")

    report = run_import("ann@example.com,,,,,,", "bo@example.com,Bo,,,,ann@example.com,")

    assert _messages(report) == ["line 2: name is empty"]
    assert profile_of("bo@example.com").manager.user.email == "ann@example.com"


def test_a_deactivated_manager_is_refused(run_import):
    ProfileFactory(user__email="gone@example.com", user__is_active=False)

    report = run_import("bo@example.com,Bo,,,,gone@example.com,")

    assert _messages(report) == [
        "line 2: manager_email 'gone@example.com' is a deactivated account and is not in this file"
    ]


def test_line_numbers_count_lines_inside_quoted_values(run_import):
    report = run_import('ann@example.com,Ann,"Head of\nEverything",,,,', "bo@example.com,Bo,,,,,2020-02-30")

    assert _messages(report) == ["line 4: start_date '2020-02-30' is not a date (use YYYY-MM-DD)"]


def test_a_row_with_the_wrong_number_of_fields_is_reported(run_import):
    report = run_import("ann@example.com,Smith, Ann,,,,,", "bo@example.com,Bo,,,,,")

    assert _messages(report) == [
        "line 2: has 8 fields but the header has 7 (a value containing “,” must be in double quotes)"
    ]
    assert report.created == 1


def test_overlong_values_are_reported(run_import):
    report = run_import(f"ann@example.com,{'A' * 151},,,,,")

    assert _messages(report) == ["line 2: name is longer than 150 characters"]


# --- Manager loops -------------------------------------------------------------------------------


def test_two_people_managing_each_other_are_reported_and_not_applied(run_import):
    report = run_import(
        "ann@example.com,Ann,,,,bo@example.com,",
        "bo@example.com,Bo,,,,ann@example.com,",
        "cy@example.com,Cy,,,,,",
    )

    loop = "manager loop: ann@example.com (line 2) → bo@example.com (line 3) → ann@example.com (line 2)"
    assert [e.line for e in report.errors] == [2, 3]
    assert all(loop in m for m in _messages(report))
    assert set(User.objects.values_list("email", flat=True)) == {"cy@example.com"}


def test_a_three_person_loop_is_reported_and_its_dependents_skipped(run_import):
    report = run_import(
        "ann@example.com,Ann,,,,cy@example.com,",
        "bo@example.com,Bo,,,,ann@example.com,",
        "cy@example.com,Cy,,,,bo@example.com,",
        "di@example.com,Di,,,,cy@example.com,",
    )

    messages = _messages(report)
    assert [e.line for e in report.errors] == [2, 3, 4, 5]
    assert "ann@example.com (line 2) → cy@example.com (line 4) → bo@example.com (line 3)" in messages[0]
    assert (
        messages[3] == "line 5: manager_email 'cy@example.com' can't be used: their row (line 4) has errors"
    )
    assert not User.objects.exists()


def test_a_loop_through_an_employee_not_in_the_file_is_reported(run_import):
    boss = ProfileFactory(user__email="boss@example.com", display_name="Boss")
    ProfileFactory(user__email="mid@example.com", manager=boss)

    # Boss (not in the file) reports to mid in Hive? No: mid reports to boss; the file makes boss's
    # manager someone who reports to mid.
    report = run_import(
        "new@example.com,New,,,,mid@example.com,",
        "boss@example.com,Boss,,,,new@example.com,",
    )

    assert [e.line for e in report.errors] == [2, 3]
    assert "mid@example.com (in Hive)" in str(report.errors[0])
    assert not User.objects.filter(email="new@example.com").exists()
    assert profile_of("boss@example.com").manager is None


def test_a_loop_closed_by_an_existing_manager_of_a_skipped_row_is_caught(run_import):
    # In Hive ann reports to bo. The file makes bo report to ann but ann's own row (which would have
    # cleared her manager) is rejected, so applying bo's row would close a loop.
    bo = ProfileFactory(user__email="bo@example.com")
    ProfileFactory(user__email="ann@example.com", manager=bo)

    report = run_import("ann@example.com,Ann,,,,,not-a-date", "bo@example.com,Bo,,,,ann@example.com,")

    assert [e.line for e in report.errors] == [2, 3]
    assert "manager loop: bo@example.com (line 3) → ann@example.com (line 2)" in str(report.errors[1])
    assert profile_of("bo@example.com").manager is None


def test_someone_managing_themselves_is_refused(run_import):
    report = run_import("ann@example.com,Ann,,,,ANN@example.com,")

    assert _messages(report) == ["line 2: manager_email 'ann@example.com' is the person themselves"]


# --- Full exports --------------------------------------------------------------------------------


@pytest.fixture
def company(db):
    """Ten active employees in Hive, one of them a superuser."""
    people = [ProfileFactory(user__email=f"p{i}@example.com", display_name=f"P {i}") for i in range(9)]
    root = ProfileFactory(user__email="root@example.com", user__is_superuser=True, user__is_staff=True)
    return people, root


def _lines_for(emails):
    return [f"{email},Someone,,,,," for email in emails]


def test_full_export_deactivates_missing_people_but_never_superusers_or_the_actor(run_import, company):
    people, root = company
    actor = ProfileFactory(user__email="hr@example.com", user__is_staff=True).user
    keep = [f"p{i}@example.com" for i in range(8)]

    report = run_import(*_lines_for(keep), full=True, actor=actor)

    assert (report.deactivated, report.refused) == (1, "")
    assert not User.objects.get(email="p8@example.com").is_active
    assert Profile.objects.filter(user__email="p8@example.com").exists()  # deactivated, not deleted
    assert User.objects.get(email="root@example.com").is_active
    assert User.objects.get(email="hr@example.com").is_active


def test_full_export_reactivates_people_who_reappear(run_import, company):
    User.objects.filter(email="p3@example.com").update(is_active=False)
    emails = [f"p{i}@example.com" for i in range(9)]

    report = run_import(*_lines_for(emails), full=True)

    assert (report.reactivated, report.deactivated) == (1, 0)
    assert User.objects.get(email="p3@example.com").is_active

    again = run_import(*_lines_for(emails), full=True)
    assert (again.reactivated, again.updated, again.unchanged) == (0, 0, 9)


def test_full_export_refuses_mass_deactivation_unless_allowed(run_import, company):
    keep = [f"p{i}@example.com" for i in range(5)]  # would deactivate 4 of 10

    refused = run_import(*_lines_for(keep), full=True)

    assert "would deactivate 4 of 10 active accounts" in refused.refused
    assert not refused.applied
    assert User.objects.filter(is_active=True).count() == 10
    assert not Profile.objects.filter(display_name="Someone").exists()

    allowed = run_import(*_lines_for(keep), full=True, allow_mass_deactivation=True)

    assert allowed.applied and allowed.deactivated == 4
    assert User.objects.filter(is_active=True).count() == 6


def test_full_export_with_errors_changes_nothing(run_import, company):
    lines = _lines_for(f"p{i}@example.com" for i in range(8)) + ["p8@example.com,,,,,,"]

    report = run_import(*lines, full=True)

    assert "A full export must have no errors, and this file has 1" in report.refused
    assert not report.applied
    assert User.objects.filter(is_active=True).count() == 10
    assert not Profile.objects.filter(display_name="Someone").exists()


def test_full_export_refuses_a_manager_who_would_be_deactivated(run_import, company):
    lines = _lines_for(f"p{i}@example.com" for i in range(8)) + ["new@example.com,New,,,,p8@example.com,"]

    report = run_import(*lines, full=True)

    assert _messages(report) == [
        "line 10: manager_email 'p8@example.com' is not in this full export, so they would be deactivated"
    ]
    assert report.refused


# --- Dry runs, bad files, failures ---------------------------------------------------------------------


def test_dry_run_reports_what_would_change_and_writes_nothing(run_import, company):
    lines = ["new@example.com,New,,Research,Oslo,p0@example.com,", "p1@example.com,Renamed,,,,,"]

    others = _lines_for(f"p{i}@example.com" for i in (0, 2, 3, 4, 5, 6, 7))  # p8 is missing

    report = run_import(*lines, *others, dry_run=True, full=True)

    assert (report.created, report.updated, report.deactivated) == (1, 8, 1)
    assert (report.departments_created, report.locations_created) == (1, 1)
    assert report.dry_run and not report.applied
    assert not User.objects.filter(email="new@example.com").exists()
    assert not Department.objects.filter(name="Research").exists()
    assert User.objects.filter(is_active=True).count() == 10
    assert profile_of("p1@example.com").display_name == "P 1"


def test_a_file_that_is_not_utf8_is_refused_with_a_clear_error(db):
    data = hr_csv("ann@example.com,Ann").decode().replace("Ann", "Anné").encode("latin-1")

    with pytest.raises(HRFileError, match=r"not UTF-8 text \(undecodable bytes on line 2\)"):
        employees_import(data=data)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty"),
        (b"email,title\nann@example.com,CEO\n", r"must name the columns email, name \(missing: name\)"),
        (b"email,name,salary\n", r"unknown column 'salary'"),
        (b"email,name,Name\n", r"column name appears more than once"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", r"not UTF-8|binary"),
    ],
)
def test_unusable_files_are_refused(db, data, message):
    with pytest.raises(HRFileError, match=message):
        employees_import(data=data)


def test_a_failure_while_writing_leaves_nothing_half_applied(run_import, monkeypatch):
    def explode(pairs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(hr_import, "_managers_set", explode)

    with pytest.raises(RuntimeError):
        run_import(*COMPANY)
    assert not User.objects.exists()
    assert not Department.objects.exists()


def test_people_who_leave_stop_counting_on_their_skills_once_the_import_commits(
    run_import, company, django_capture_on_commit_callbacks
):
    from expertise.models import Skill
    from expertise.services import profile_skills_set

    people, _ = company
    for person in people[7:9]:  # p7 stays, p8 is missing from the export below
        profile_skills_set(profile=person, names=["Kubernetes"])
    assert Skill.objects.get(name="Kubernetes").people_count == 2

    with django_capture_on_commit_callbacks(execute=True):
        report = run_import(*_lines_for([f"p{i}@example.com" for i in range(8)]), full=True)

    assert report.deactivated == 1
    assert Skill.objects.get(name="Kubernetes").people_count == 1
