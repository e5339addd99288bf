"""The points ledger under concurrent requests, against the real PostgreSQL: 50 threads at once give
kudos with points (crossing between the same people: A to B while B gives to A) and redeem rewards with
the points they receive. Afterwards every balance equals the sum of its ledger rows, none is negative,
nobody gave more than their allowance and no reward went below its stock."""

import threading
from collections import Counter

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from recognition import services
from recognition.models import Kudos, PointsAccount, PointsEntry, RecognitionSettings, Redemption, Reward
from tests.factories import CompanyValueFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)  # each thread commits on its own connection

THREADS = 50
GIVES = 40  # the other 10 redeem
PEOPLE = 5
ALLOWANCE = 200
POINTS = 15
STOCK = 7
COST = 20


def _sum(qs) -> int:
    return qs.aggregate(s=Sum("amount"))["s"] or 0


def test_fifty_concurrent_gives_and_redeems_keep_the_ledger_equal_to_every_balance():
    value = CompanyValueFactory(name="Teamwork")
    RecognitionSettings.objects.create(
        pk=1, cap_per_recipient=0, daily_kudos_cap=0
    )  # the allowance is the limit
    people = [ProfileFactory() for _ in range(PEOPLE)]
    reward = Reward.objects.create(name="Coffee voucher", cost=COST, stock=STOCK)
    for person in people:
        services.points_grant(profile=person, amount=ALLOWANCE, actor=None)
    for n, person in enumerate(people):  # everyone starts with 30 points to redeem
        services.kudos_give(
            giver=person,
            recipients=[people[(n + 1) % PEOPLE]],
            values=[value],
            message="Start",
            points_each=30,
        )
    start = threading.Barrier(THREADS)
    outcomes: list[tuple[str, str]] = []
    lock = threading.Lock()

    def give(n: int) -> None:
        giver = people[n % PEOPLE]
        # One or two recipients, both neighbours of the giver, so lock orders cross.
        recipients = [people[(n + 1) % PEOPLE]] + ([people[(n - 1) % PEOPLE]] if n % 2 else [])
        services.kudos_give(
            giver=giver, recipients=recipients, values=[value], message=f"Thanks {n}", points_each=POINTS
        )

    def redeem(n: int) -> None:
        services.reward_redeem(profile=people[n % PEOPLE], reward_id=reward.pk)

    def run(n: int) -> None:
        kind = "give" if n < GIVES else "redeem"
        try:
            start.wait()
            (give if kind == "give" else redeem)(n)
            outcome = "done"
        except ValidationError as exc:
            expected = ("points left to give", "you can't redeem it yet", "out of stock")
            outcome = "refused" if any(text in exc.messages[0] for text in expected) else exc.messages[0]
        finally:
            connection.close()
        with lock:
            outcomes.append((kind, outcome))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=90)
    assert len(outcomes) == THREADS, "every request answered (no deadlock, no crash)"
    assert {outcome for _, outcome in outcomes} <= {"done", "refused"}, outcomes

    spent = Counter()
    for kudos in Kudos.objects.prefetch_related("recipients"):
        spent[kudos.giver_id] += kudos.points_each * kudos.recipients.count()
    for person in people:
        account = PointsAccount.objects.get(pk=person.pk)
        entries = PointsEntry.objects.filter(account=account)
        assert account.allowance == _sum(entries.filter(kind__in=PointsEntry.ALLOWANCE_KINDS))
        assert account.allowance == ALLOWANCE - spent[person.pk] >= 0
        assert account.allowance < 2 * POINTS  # as much as fitted was given: none was lost to a race
        assert account.balance == _sum(entries.exclude(kind__in=PointsEntry.ALLOWANCE_KINDS)) >= 0
    done = Counter(kind for kind, outcome in outcomes if outcome == "done")
    assert done["give"] == Kudos.objects.count() - PEOPLE
    assert done["redeem"] == Redemption.objects.count() <= STOCK
    reward.refresh_from_db()
    assert reward.stock == STOCK - done["redeem"] >= 0
    assert Counter(kind for kind, outcome in outcomes if outcome == "refused")["give"] > 0
    # Conservation: every point that left an allowance arrived in a balance; what was redeemed left it.
    received = _sum(PointsEntry.objects.filter(kind="receive"))
    assert -_sum(PointsEntry.objects.filter(kind="give")) == received == sum(spent.values())
    redeemed = -_sum(PointsEntry.objects.filter(kind="redeem"))
    assert redeemed == COST * done["redeem"]
    assert sum(PointsAccount.objects.values_list("balance", flat=True)) == received - redeemed
