"""The counts of kudos received (the leaderboard's tallies, each person's totals): kept in the transaction
that changes what is counted (giving, a post taken down or restored, a private kudos removed or restored),
equal to an independent count of the kudos shown; the nightly repair corrects only what went around the
services, and never makes anyone giving kudos wait."""

import threading
from collections import defaultdict
from datetime import date

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from feed.models import Post
from feed.services import post_delete, post_remove_by_moderator, post_restore_by_moderator
from recognition import counts, selectors, services
from recognition.models import KudosReceived, KudosRecipient, KudosTally
from recognition.selectors import leaderboard, period_starts
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _tallies() -> dict[tuple, tuple[int, int]]:
    return {
        row[:4]: row[4:]
        for row in KudosTally.objects.values_list(
            "period", "start", "recipient_id", "value_id", "kudos", "points"
        )
        if row[4:] != (0, 0)
    }


def _received() -> dict[tuple, tuple[int, int]]:
    return {
        row[:2]: row[2:]
        for row in KudosReceived.objects.values_list("recipient_id", "value_id", "public", "private")
        if row[2:] != (0, 0)
    }


def _independent_count() -> tuple[dict, dict]:
    """The counts worked out from the kudos in Python, the way a reader sees them: a public kudos while its
    post is up, a private one until a moderator removes it; private kudos are never ranked."""
    tallies: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    received: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in KudosRecipient.objects.select_related("kudos__post").prefetch_related("kudos__values"):
        kudos = row.kudos
        shown = kudos.removed_at is None if kudos.is_private else kudos.post.removed_at is None
        if not shown:
            continue
        for value in [None, *(v.pk for v in kudos.values.all())]:
            received[(row.recipient_id, value)][int(kudos.is_private)] += 1
            if kudos.is_private:
                continue
            for period, start in period_starts(day=timezone.localdate(row.created_at)).items():
                tally = tallies[(period, start, row.recipient_id, value)]
                tally[0] += 1
                tally[1] += row.points
    return {k: tuple(v) for k, v in tallies.items()}, {k: tuple(v) for k, v in received.items()}


def _assert_counts_right() -> None:
    expected_tallies, expected_received = _independent_count()
    assert _tallies() == expected_tallies
    assert _received() == expected_received


def test_kudos_give_counts_public_kudos_in_every_period_for_all_and_each_value(author, teamwork, boldness):
    star, other = ProfileFactory(), ProfileFactory()
    services.points_grant(profile=author, amount=100, actor=None)
    services.kudos_give(
        giver=author, recipients=[star, other], values=[teamwork, boldness], message="x", points_each=5
    )
    services.kudos_give(giver=author, recipients=[star], values=[teamwork], message="y")
    services.kudos_give(giver=author, recipients=[star], values=[teamwork], message="z", is_private=True)

    month = KudosTally.objects.filter(period="month", recipient=star)
    assert {(t.value_id, t.kudos, t.points) for t in month} == {
        (None, 2, 5),
        (teamwork.pk, 2, 5),
        (boldness.pk, 1, 5),
    }
    assert KudosTally.objects.filter(recipient=other).count() == 9  # 3 periods × (all values + 2 values)
    assert [(r.profile, r.kudos, r.points) for r in leaderboard(period="year")] == [
        (star, 2, 5),
        (other, 1, 5),
    ]
    assert _received()[(star.pk, None)] == (2, 1) and _received()[(star.pk, teamwork.pk)] == (2, 1)
    _assert_counts_right()


def _some_kudos(author, people, values):
    services.points_grant(profile=author, amount=500, actor=None)
    given = []
    for n in range(6):
        given.append(
            services.kudos_give(
                giver=author,
                recipients=people[: 1 + n % 3],
                values=values[: 1 + n % 2],
                message=f"Thanks {n}",
                points_each=5 * (n % 3),
                is_private=n == 4,
            )
        )
    return given


def test_removal_and_restore_of_kudos_keep_the_counts_equal_to_an_independent_count(
    author, moderator, teamwork, boldness
):
    people = [ProfileFactory() for _ in range(3)]
    given = _some_kudos(author, people, [teamwork, boldness])
    public, private, own = given[2], given[4], given[5]
    at = timezone.now()
    _assert_counts_right()

    post_remove_by_moderator(object_id=public.post_id, moderator=moderator, at=at)  # the post's flag case
    _assert_counts_right()

    services.kudos_remove_by_moderator(object_id=private.pk, moderator=moderator, at=at)
    _assert_counts_right()
    services.kudos_remove_by_moderator(
        object_id=public.pk, moderator=moderator, at=at
    )  # its post is down already
    _assert_counts_right()
    post_delete(post_id=own.post_id, actor=author)  # the giver takes their own kudos down
    _assert_counts_right()

    services.kudos_restore_by_moderator(object_id=private.pk, moderator=moderator)
    _assert_counts_right()
    services.kudos_restore_by_moderator(object_id=public.pk, moderator=moderator)  # brings its post back
    _assert_counts_right()
    post_restore_by_moderator(object_id=own.post_id, moderator=moderator)  # the giver's own delete stands
    _assert_counts_right()
    assert Post.objects.get(pk=own.post_id).removed_at is not None
    assert counts.kudos_counts_repair() == 0  # nothing went around the services


def test_a_kudos_taken_down_leaves_the_leaderboard_at_once(author, moderator, teamwork):
    star, runner_up = ProfileFactory(), ProfileFactory()
    kudos = services.kudos_give(giver=author, recipients=[star], values=[teamwork], message="a")
    services.kudos_give(giver=author, recipients=[star], values=[teamwork], message="b")
    services.kudos_give(giver=author, recipients=[runner_up], values=[teamwork], message="c")
    assert [(r.profile, r.kudos) for r in leaderboard(period="month")] == [(star, 2), (runner_up, 1)]

    post_remove_by_moderator(object_id=kudos.post_id, moderator=moderator, at=timezone.now())
    post_remove_by_moderator(object_id=kudos.post_id, moderator=moderator, at=timezone.now())  # twice: once

    assert [(r.profile, r.kudos) for r in leaderboard(period="month")] == [(star, 1), (runner_up, 1)]


def test_the_nightly_repair_corrects_only_what_went_around_the_services(author, teamwork, boldness):
    people = [ProfileFactory() for _ in range(3)]
    given = _some_kudos(author, people, [teamwork, boldness])
    assert counts.kudos_counts_repair() == 0

    # Around the services: a post hidden by a bulk update, and a tally row lost.
    Post.objects.filter(pk=given[3].post_id).update(removed_at=timezone.now())
    KudosTally.objects.filter(recipient=people[0], period="quarter", value=None).delete()

    fixed = counts.kudos_counts_repair()

    assert fixed > 0
    _assert_counts_right()
    assert counts.kudos_counts_repair() == 0  # a rerun changes nothing


def test_the_repair_fills_counts_that_were_never_kept(author, teamwork):
    """What the SQLite demo and the bench rely on: kudos written without the services are counted."""
    people = [ProfileFactory() for _ in range(2)]
    _some_kudos(author, people, [teamwork])
    KudosTally.objects.all().delete()
    KudosReceived.objects.all().delete()

    counts.kudos_counts_repair()

    _assert_counts_right()


def test_last_years_tallies_are_left_alone_by_the_repair(author, teamwork):
    person = ProfileFactory()
    kudos = services.kudos_give(giver=author, recipients=[person], values=[teamwork], message="x")
    old = KudosTally.objects.create(period="year", start=date(2020, 1, 1), recipient=person, kudos=7)

    counts.kudos_counts_repair()

    old.refresh_from_db()
    assert old.kudos == 7 and kudos.pk


@pytest.mark.django_db(transaction=True)
def test_concurrent_kudos_to_the_same_people_count_every_kudos_once(teamwork, boldness):
    a, b = ProfileFactory(), ProfileFactory()
    givers = [ProfileFactory() for _ in range(8)]
    errors = []

    def give(giver, order):
        try:
            services.kudos_give(giver=giver, recipients=order, values=[boldness, teamwork], message="x")
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=give, args=(g, [a, b] if n % 2 else [b, a])) for n, g in enumerate(givers)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    year = {t.recipient_id: t.kudos for t in KudosTally.objects.filter(period="year", value=None)}
    assert year == {a.pk: 8, b.pk: 8}


@pytest.mark.django_db(transaction=True)
def test_removals_restores_and_kudos_at_once_neither_deadlock_nor_miscount(moderator, teamwork, boldness):
    a, b, c = ProfileFactory(), ProfileFactory(), ProfileFactory()
    givers = [ProfileFactory() for _ in range(6)]
    existing = [
        services.kudos_give(giver=g, recipients=[a, b, c], values=[teamwork, boldness], message="before")
        for g in givers[:4]
    ]
    errors = []

    def run(action):
        try:
            action()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    now = timezone.now()
    actions = [
        lambda k=k: post_remove_by_moderator(object_id=k.post_id, moderator=moderator, at=now)
        for k in existing[:2]
    ]
    actions += [
        lambda k=k: services.kudos_remove_by_moderator(object_id=k.pk, moderator=moderator, at=now)
        for k in existing[2:]
    ]
    actions += [
        lambda g=g, order=order: services.kudos_give(
            giver=g, recipients=order, values=[boldness, teamwork], message="during"
        )
        for g, order in zip(givers, [[c, b, a], [a, b, c], [b, a, c]] * 2, strict=True)
    ]
    threads = [threading.Thread(target=run, args=(action,)) for action in actions]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors

    restores = [
        lambda k=k: services.kudos_restore_by_moderator(object_id=k.pk, moderator=moderator) for k in existing
    ] + [
        lambda k=k: post_restore_by_moderator(object_id=k.post_id, moderator=moderator) for k in existing[:2]
    ]
    threads = [threading.Thread(target=run, args=(action,)) for action in restores]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors
    _assert_counts_right()
    assert _received()[(a.pk, None)] == (10, 0)


def _give_without_waiting(*, giver, recipients, value) -> None:
    """Gives a kudos refusing to wait more than 300 ms for any lock (PostgreSQL raises past that)."""
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL lock_timeout = '300ms'")
        services.kudos_give(giver=giver, recipients=recipients, values=[value], message="during the repair")


@pytest.mark.django_db(transaction=True)
def test_giving_kudos_while_the_nightly_repair_runs_neither_waits_nor_is_lost(author, teamwork, monkeypatch):
    people = [ProfileFactory() for _ in range(2)]
    given = _some_kudos(author, people, [teamwork])
    Post.objects.filter(pk=given[0].post_id).update(removed_at=timezone.now())  # around the services
    reached, go = threading.Event(), threading.Event()
    pauses: list[str] = []
    correct = counts._Counts.correct

    def paused(self, fixes):
        # Twice: once the differences are read (nothing corrected yet), and between the two tables.
        pauses.append(self.table)
        reached.set()
        assert go.wait(10)
        go.clear()
        correct(self, fixes)

    monkeypatch.setattr(counts._Counts, "correct", paused)
    errors = []

    def repair():
        try:
            counts.kudos_counts_repair()
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            reached.set()
            connection.close()

    thread = threading.Thread(target=repair)
    thread.start()
    giver = ProfileFactory()
    for _ in range(2):
        assert reached.wait(10)
        reached.clear()
        _give_without_waiting(giver=giver, recipients=people, value=teamwork)  # raises if it had to wait
        go.set()
    thread.join(10)
    monkeypatch.undo()

    assert not errors and pauses == ["recognition_kudostally", "recognition_kudosreceived"]
    _assert_counts_right()  # the two kudos given during the repair are counted, once
    assert counts.kudos_counts_repair() == 0


@pytest.mark.django_db(transaction=True)  # migrations run as they do on deploy
def test_the_migration_counts_the_kudos_given_before_the_counts_existed(
    author, moderator, teamwork, boldness
):
    people = [ProfileFactory() for _ in range(3)]
    given = _some_kudos(author, people, [teamwork, boldness])
    post_remove_by_moderator(object_id=given[1].post_id, moderator=moderator, at=timezone.now())
    KudosTally.objects.all().delete()  # as if 0012 had created the table empty, and 0015 its neighbour
    KudosReceived.objects.all().delete()

    executor = MigrationExecutor(connection)
    executor.migrate([("recognition", "0015_kudos_received")])
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())

    _assert_counts_right()
    assert _received()[(people[0].pk, None)] == (4, 1)  # six kudos: one private, one taken down


def test_the_profile_figures_equal_what_each_viewer_may_see_after_removals(
    author, moderator, teamwork, boldness
):
    manager = ProfileFactory()
    people = [ProfileFactory(manager=manager) for _ in range(3)]
    given = _some_kudos(author, people, [teamwork, boldness])
    stranger = ProfileFactory()
    services.kudos_give(
        giver=stranger, recipients=[people[0]], values=[boldness], message="p", is_private=True
    )
    post_remove_by_moderator(object_id=given[1].post_id, moderator=moderator, at=timezone.now())
    services.kudos_remove_by_moderator(object_id=given[4].pk, moderator=moderator, at=timezone.now())

    for person in people:
        for viewer in (person, manager, author, stranger, moderator, None):
            seen = KudosRecipient.objects.filter(
                pk__in=selectors._received_visible(profile=person, viewer=viewer).values("pk")
            ).prefetch_related("kudos__values")
            by_value: dict[str, int] = defaultdict(int)
            for row in seen:
                for value in row.kudos.values.all():
                    by_value[value.name] += 1
            figures = selectors.kudos_received_figures(profile=person, viewer=viewer, limit=10)
            assert figures.total == len(seen)
            assert {v.name: v.kudos for v in figures.top_values} == dict(by_value)
