"""The leaderboard's tallies: kept in the kudos' own transaction, recounted nightly, equal to the kudos."""

import threading

import pytest
from django.db import connection
from django.db.models import Count, Sum

from feed.models import Post
from recognition import services
from recognition.models import KudosRecipient, KudosTally
from recognition.selectors import leaderboard
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _tallies() -> set[tuple]:
    return set(
        KudosTally.objects.values_list("period", "start", "recipient_id", "value_id", "kudos", "points")
    )


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


def test_the_nightly_recount_equals_the_tallies_kept_by_kudos_and_drops_removed_posts(
    author, teamwork, boldness
):
    people = [ProfileFactory() for _ in range(4)]
    for n in range(6):
        services.kudos_give(
            giver=author,
            recipients=people[: 1 + n % 4],
            values=[teamwork, boldness][: 1 + n % 2],
            message=f"{n}",
        )
    kept = _tallies()

    written = services.kudos_tally_rebuild()

    assert written == len(kept) and _tallies() == kept
    assert services.kudos_tally_rebuild() == written and _tallies() == kept  # a rerun changes nothing

    removed = KudosRecipient.objects.filter(recipient=people[3]).first().kudos.post
    Post.objects.filter(pk=removed.pk).update(removed_at=removed.created_at)
    services.kudos_tally_rebuild()
    received = KudosRecipient.objects.filter(kudos__post__removed_at__isnull=True)
    expected = received.values("recipient").annotate(n=Count("id"), p=Sum("points"))
    year = {t.recipient_id: t.kudos for t in KudosTally.objects.filter(period="year", value=None)}
    assert year == {row["recipient"]: row["n"] for row in expected}


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
