"""Must-read announcements: everyone is asked to acknowledge one, is reminded once, and the author and
Communications see exact counts by department that never single anyone out."""

import csv
import io
import random
import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.db.models import Exists, OuterRef
from django.utils import timezone

from feed import acknowledgements
from feed.models import Acknowledgement, AcknowledgementReminder, MustRead, Post
from feed.services import announcement_create, post_create
from notifications.models import Notification
from profiles import roles
from profiles.models import Profile
from tests.factories import DepartmentFactory, ProfileFactory, in_group
from tests.helpers import signed_in

pytestmark = pytest.mark.usefixtures("celery_eager")


@pytest.fixture
def leader(db):
    return in_group(
        ProfileFactory(display_name="Lea Leader", user__email="lea@example.com"), roles.LEADERSHIP
    )


def _must_read(
    leader, *, compliance=False, days=3, body="New travel policy: read it before booking."
) -> Post:
    return announcement_create(
        author=leader, body=body, must_read=True, compliance=compliance, remind_after_days=days
    )


@pytest.mark.django_db
def test_colleague_acknowledges_from_the_top_of_the_feed_and_it_leaves_the_top(leader, colleague):
    post = _must_read(leader)  # not pinned: the must-read alone keeps it at the top, for them
    for n in range(25):
        post_create(author=leader, body=f"Later update {n}")
    client = signed_in(colleague)

    page = client.get("/all/").content.decode()
    assert "Read and acknowledge" in page
    assert 'aria-label="Pinned announcements"' in page and "New travel policy" in page
    assert "never names" in page  # told up front what is recorded

    response = client.post(f"/posts/{post.pk}/acknowledge/", {"next": "/all/"}, follow=True)
    page = response.content.decode()
    assert "your acknowledgement is recorded" in page
    assert "New travel policy" not in page  # no longer pinned for them, and 25 newer posts push it off
    assert Acknowledgement.objects.filter(post=post, profile=colleague).count() == 1
    assert "You acknowledged this announcement" in client.get(post.get_absolute_url()).content.decode()


@pytest.mark.django_db
def test_acknowledging_twice_is_a_clear_error_and_keeps_one_row(leader, colleague):
    post = _must_read(leader)
    acknowledgements.acknowledgement_create(post_id=post.pk, profile=colleague)
    with pytest.raises(ValidationError, match="already acknowledged"):
        acknowledgements.acknowledgement_create(post_id=post.pk, profile=colleague)
    response = signed_in(colleague).post(f"/posts/{post.pk}/acknowledge/", follow=True)
    assert "already acknowledged" in response.content.decode()
    assert Acknowledgement.objects.filter(post=post, profile=colleague).count() == 1


@pytest.mark.django_db
def test_an_ordinary_post_cannot_be_acknowledged(author, colleague):
    post = post_create(author=author, body="Lunch?")
    with pytest.raises(ValidationError, match="does not ask"):
        acknowledgements.acknowledgement_create(post_id=post.pk, profile=colleague)
    assert not Acknowledgement.objects.exists()


@pytest.mark.django_db
def test_only_announcers_make_must_reads_and_only_with_a_known_reminder_delay(leader, author):
    with pytest.raises(PermissionDenied):
        announcement_create(author=author, body="Everyone read this", must_read=True)
    with pytest.raises(ValidationError, match="Remind after"):
        _must_read(leader, days=40)
    assert not Post.objects.filter(kind=Post.Kind.ANNOUNCEMENT).exists()  # nothing half-written
    assert not MustRead.objects.exists()


def _independent_counts(post: Post) -> dict[str | None, tuple[int, int]]:
    """(people, acknowledged) per department name, counted by hand from the rows."""
    acked = set(Acknowledgement.objects.filter(post=post).values_list("profile_id", flat=True))
    counts: dict[str | None, list[int]] = {}
    for person in Profile.objects.filter(user__is_active=True).select_related("department"):
        name = person.department.name if person.department else None
        row = counts.setdefault(name, [0, 0])
        row[0] += 1
        row[1] += person.pk in acked
    return {name: (a, b) for name, (a, b) in counts.items()}


@pytest.mark.django_db
def test_department_figures_are_exact_and_no_figure_covers_fewer_than_five(leader):
    rng = random.Random(15)
    sizes = {"Sales": 12, "Support": 7, "Legal": 3, "Audit": 1}
    for name, size in sizes.items():
        department = DepartmentFactory(name=name)
        ProfileFactory.create_batch(size, department=department)
    ProfileFactory.create_batch(2, department=None)
    gone = ProfileFactory(department=DepartmentFactory(name="Sales"))
    gone.user.is_active = False
    gone.user.save()
    post = _must_read(leader)  # the leader is in Engineering, alone: a department of one
    for person in Profile.objects.exclude(pk=leader.pk):
        if rng.random() < 0.5:
            Acknowledgement.objects.create(post=post, profile=person)

    figures = acknowledgements.acknowledgement_figures(must_read=post.must_read)

    expected = _independent_counts(post)
    assert figures.total is not None
    assert (figures.total.audience, figures.total.acknowledged) == (
        sum(a for a, _ in expected.values()),
        sum(b for _, b in expected.values()),
    )
    shown = {row.name: (row.audience, row.acknowledged) for row in figures.departments}
    assert shown == {"Sales": expected["Sales"], "Support": expected["Support"]}
    assert figures.combined is not None
    small = [expected[n] for n in ("Legal", "Audit", "Engineering", None)]
    assert (figures.combined.audience, figures.combined.acknowledged) == (
        sum(a for a, _ in small),
        sum(b for _, b in small),
    )
    for row in [*figures.departments, figures.combined]:
        assert row.audience >= acknowledgements.MIN_CELL


@pytest.mark.django_db
def test_a_small_remainder_takes_the_smallest_department_with_it(leader):
    """Total minus the shown rows must not reveal a group under five either."""
    ProfileFactory.create_batch(9, department=DepartmentFactory(name="Sales"))
    ProfileFactory.create_batch(6, department=DepartmentFactory(name="Support"))
    post = _must_read(leader)  # leader alone in Engineering: the remainder is one person

    figures = acknowledgements.acknowledgement_figures(must_read=post.must_read)

    assert [row.name for row in figures.departments] == ["Sales"]
    assert figures.combined is not None and figures.combined.audience == 7  # Support and the leader
    assert figures.combined_count == 2


@pytest.mark.django_db
def test_an_audience_under_five_shows_no_figure_at_all(leader):
    ProfileFactory.create_batch(2)
    post = _must_read(leader)
    figures = acknowledgements.acknowledgement_figures(must_read=post.must_read)
    assert figures.total is None and figures.departments == [] and figures.combined is None
    page = signed_in(leader).get(f"/posts/{post.pk}/acknowledgements/").content.decode()
    assert "no figures are shown" in page


@pytest.mark.django_db
def test_figures_page_is_for_the_author_and_communications_only(leader, colleague, comms):
    ProfileFactory.create_batch(6)
    post = _must_read(leader)
    url = f"/posts/{post.pk}/acknowledgements/"
    assert signed_in(colleague).get(url).status_code == 403
    for person in (leader, comms):
        page = signed_in(person).get(url)
        assert page.status_code == 200
        assert "have acknowledged" in page.content.decode()
    assert "Who has acknowledged" not in signed_in(colleague).get(post.get_absolute_url()).content.decode()


def _csv(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


@pytest.mark.django_db
def test_compliance_csv_lists_exactly_who_has_not_acknowledged(leader, comms, colleague):
    sales = DepartmentFactory(name="Sales")
    late = ProfileFactory(display_name="=HYPERLINK(1)", department=sales)
    done = ProfileFactory(display_name="Dora Done", department=sales)
    post = _must_read(leader, compliance=True)
    acknowledgements.acknowledgement_create(post_id=post.pk, profile=done)
    page = signed_in(colleague).get("/all/").content.decode()
    assert "download the list of who has not acknowledged" in page  # the audience is told

    client = signed_in(comms)
    rows = _csv(client.get(f"/posts/{post.pk}/acknowledgements/not-acknowledged.csv"))
    names = {row[0] for row in rows[1:]}
    expected = set(
        Profile.objects.filter(user__is_active=True)
        .exclude(Exists(Acknowledgement.objects.filter(post=post, profile=OuterRef("pk"))))
        .values_list("display_name", flat=True)
    )
    assert names == {("'" + n if n.startswith("=") else n) for n in expected}
    assert "'=HYPERLINK(1)" in names and "Dora Done" not in names and leader.display_name not in names

    rows = _csv(client.get(f"/posts/{post.pk}/acknowledgements/not-acknowledged.csv?department={sales.pk}"))
    assert [row[0] for row in rows[1:]] == ["'=HYPERLINK(1)"]
    assert late.user.email in rows[1]
    assert (
        signed_in(colleague).get(f"/posts/{post.pk}/acknowledgements/not-acknowledged.csv").status_code == 403
    )


@pytest.mark.django_db
def test_no_list_of_names_for_an_ordinary_must_read(leader, comms):
    post = _must_read(leader)
    assert signed_in(comms).get(f"/posts/{post.pk}/acknowledgements/not-acknowledged.csv").status_code == 403
    assert "Download" not in signed_in(comms).get(f"/posts/{post.pk}/acknowledgements/").content.decode()


def _age(post: Post, *, days: int) -> None:
    """As if the announcement, and everyone's account, were `days` old."""
    then = timezone.now() - timedelta(days=days)
    Post.objects.filter(pk=post.pk).update(created_at=then)
    Profile.objects.update(created_at=then - timedelta(days=1))


@pytest.mark.django_db
def test_one_reminder_after_n_days_to_those_who_have_not_acknowledged(leader, colleague, author):
    post = _must_read(leader, days=3)
    acknowledgements.acknowledgement_create(post_id=post.pk, profile=author)
    assert acknowledgements.acknowledgement_reminders_send() == 0  # not due yet

    _age(post, days=3)
    newcomer = ProfileFactory(display_name="Nina New")  # joined today: not reminded yet
    assert acknowledgements.acknowledgement_reminders_send() == 1
    assert acknowledgements.acknowledgement_reminders_send() == 0  # the rerun sends nothing

    reminded = list(Notification.objects.filter(kind="announcement").values_list("recipient_id", flat=True))
    assert reminded == [colleague.pk]
    assert not Notification.objects.filter(recipient=newcomer).exists()
    note = Notification.objects.get(recipient=colleague)
    assert note.url == post.get_absolute_url() and "acknowledge" in note.summary


@pytest.mark.django_db(transaction=True)
def test_two_reminder_runs_at_once_remind_each_person_once():
    leader = in_group(ProfileFactory(), roles.LEADERSHIP)
    people = ProfileFactory.create_batch(30)
    post = _must_read(leader, days=1)
    _age(post, days=2)
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def run():
        try:
            start.wait()
            acknowledgements.acknowledgement_reminders_send(batch_size=7)
        except BaseException as exc:  # noqa: BLE001  (reported by the main thread)
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert errors == []
    recipients = list(Notification.objects.filter(kind="announcement").values_list("recipient_id", flat=True))
    assert sorted(recipients) == sorted(p.pk for p in people)
    assert AcknowledgementReminder.objects.count() == 30
