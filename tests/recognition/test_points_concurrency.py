"""The points ledger under concurrent requests, against the real PostgreSQL: 50 threads give kudos with
points at once, crossing between the same people (A to B while B gives to A), and afterwards every
balance equals the sum of its ledger rows, none is negative and nobody gave more than their allowance."""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from recognition import services
from recognition.models import Kudos, PointsAccount, PointsEntry, RecognitionSettings
from tests.factories import CompanyValueFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)  # each thread commits on its own connection

THREADS = 50
GIVERS = 5
ALLOWANCE = 100
POINTS = 15  # 100 // 15: six kudos per giver fit, the rest must be refused


def test_fifty_concurrent_kudos_never_overspend_and_the_ledger_matches_every_balance():
    value = CompanyValueFactory(name="Teamwork")
    RecognitionSettings.objects.create(
        pk=1, cap_per_recipient=0, daily_kudos_cap=0
    )  # the allowance is the limit
    people = [ProfileFactory() for _ in range(GIVERS)]
    for person in people:
        services.points_grant(profile=person, amount=ALLOWANCE, actor=None)
    start = threading.Barrier(THREADS)
    outcomes: list[tuple[int, str]] = []
    lock = threading.Lock()

    def give(n: int) -> None:
        giver = people[n % GIVERS]
        # Alternate between one and two recipients, both neighbours of the giver, so lock orders cross.
        recipients = [people[(n + 1) % GIVERS]] + ([people[(n - 1) % GIVERS]] if n % 2 else [])
        try:
            start.wait()
            services.kudos_give(
                giver=giver, recipients=recipients, values=[value], message=f"Thanks {n}", points_each=POINTS
            )
            outcome = "given"
        except ValidationError as exc:
            assert "points left to give" in exc.messages[0]
            outcome = "refused"
        finally:
            connection.close()
        with lock:
            outcomes.append((giver.pk, outcome))

    threads = [threading.Thread(target=give, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(outcomes) == THREADS, "every request answered (no deadlock, no crash)"

    spent = Counter()
    for kudos in Kudos.objects.prefetch_related("recipients"):
        spent[kudos.giver_id] += POINTS * kudos.recipients.count()
    for person in people:
        account = PointsAccount.objects.get(pk=person.pk)
        entries = PointsEntry.objects.filter(account=account)
        allowance_sum = entries.filter(kind__in=PointsEntry.ALLOWANCE_KINDS).aggregate(s=Sum("amount"))["s"]
        balance_sum = (
            entries.exclude(kind__in=PointsEntry.ALLOWANCE_KINDS).aggregate(s=Sum("amount"))["s"] or 0
        )
        assert account.allowance == allowance_sum == ALLOWANCE - spent[person.pk]
        assert account.balance == balance_sum
        assert 0 <= account.allowance < 2 * POINTS  # as much as fitted was given: none was lost to a race
    given = sum(1 for _, outcome in outcomes if outcome == "given")
    assert given == Kudos.objects.count() > 0
    assert sum(1 for _, outcome in outcomes if outcome == "refused") > 0
    # Conservation: every point that left an allowance arrived in a balance.
    given_points = PointsEntry.objects.filter(kind="give").aggregate(s=Sum("amount"))["s"]
    received_points = PointsEntry.objects.filter(kind="receive").aggregate(s=Sum("amount"))["s"]
    assert -given_points == received_points == sum(spent.values())
