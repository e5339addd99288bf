"""The monthly points allowance: rules by person, role and department, manager boosts, the reset (expire
what is left, grant the new amount) as an idempotent task, and the caps on giving."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db.models import Sum

from profiles import roles
from recognition import services
from recognition.models import AllowanceRule, Kudos, PointsAccount, PointsEntry, RecognitionSettings
from tests.factories import DepartmentFactory, ProfileFactory, in_group

pytestmark = pytest.mark.django_db

MARCH = date(2026, 3, 10)


def _config(**fields) -> RecognitionSettings:
    return RecognitionSettings.objects.update_or_create(pk=1, defaults=fields)[0]


def _allowance(profile) -> int:
    return PointsAccount.objects.get(pk=profile.pk).allowance


def _ledger_matches(profile) -> bool:
    account = PointsAccount.objects.get(pk=profile.pk)
    entries = PointsEntry.objects.filter(account=account, kind__in=PointsEntry.ALLOWANCE_KINDS)
    return (entries.aggregate(s=Sum("amount"))["s"] or 0) == account.allowance


def test_reset_grants_everyone_the_allowance_and_expires_what_was_left(author, colleague):
    _config(monthly_allowance=100)
    services.points_grant(profile=author, amount=30, actor=None, note="Boost")

    assert services.allowance_reset(today=MARCH) == 2

    assert _allowance(author) == _allowance(colleague) == 100
    expired = PointsEntry.objects.get(account_id=author.pk, kind="expire")
    assert (expired.amount, expired.period) == (-30, date(2026, 3, 1))
    assert _ledger_matches(author) and _ledger_matches(colleague)


def test_person_rule_beats_role_beats_department_and_managers_get_the_boost(author, colleague, outsider):
    _config(monthly_allowance=100, manager_boost=50)
    finance = outsider.department
    AllowanceRule.objects.create(department=finance, amount=40)
    in_group(outsider, roles.COMMUNICATIONS)
    AllowanceRule.objects.create(group=outsider.user.groups.get(), amount=70)
    AllowanceRule.objects.create(profile=author, amount=10)
    in_group(author, roles.COMMUNICATIONS)  # her own rule still wins
    accountant = ProfileFactory(department=finance, manager=colleague)

    services.allowance_reset(today=MARCH)

    assert _allowance(author) == 10
    assert _allowance(outsider) == 70  # her role's, not Finance's
    assert _allowance(accountant) == 40  # Finance's
    assert _allowance(colleague) == 150  # the default and the manager boost


def test_a_rerun_changes_nothing_and_keeps_a_boost_given_after_the_reset(author):
    _config(monthly_allowance=100)
    services.allowance_reset(today=MARCH)
    services.points_grant(profile=author, amount=25, actor=None, note="Manager boost")
    rows = PointsEntry.objects.count()

    assert services.allowance_reset(today=date(2026, 3, 20)) == 0

    assert PointsEntry.objects.count() == rows
    assert _allowance(author) == 125


def test_the_next_period_expires_the_unused_allowance_and_grants_again(author, colleague, teamwork):
    _config(monthly_allowance=100, reset_day=15, cap_per_recipient=0)
    services.allowance_reset(today=MARCH)  # the period that began on 15 February
    services.kudos_give(
        giver=author, recipients=[colleague], values=[teamwork], message="Thanks", points_each=60
    )

    services.allowance_reset(today=date(2026, 3, 15))

    assert _allowance(author) == 100
    assert PointsEntry.objects.get(account_id=author.pk, kind="expire").amount == -40
    assert PointsAccount.objects.get(pk=colleague.pk).balance == 60  # received points do not expire
    assert _ledger_matches(author)
    assert list(
        PointsEntry.objects.filter(kind="grant")
        .values_list("period", flat=True)
        .distinct()
        .order_by("period")
    ) == [date(2026, 2, 15), date(2026, 3, 15)]


def test_a_reset_that_crashed_half_way_finishes_on_the_next_run(author, colleague, outsider, monkeypatch):
    _config(monthly_allowance=100)
    real = services._allowance_reset_batch
    calls = []

    def crashing(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise RuntimeError("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(services, "_allowance_reset_batch", crashing)
    with pytest.raises(RuntimeError):
        services.allowance_reset(today=MARCH, batch_size=1)
    assert PointsEntry.objects.filter(kind="grant").count() == 1  # the first batch committed
    monkeypatch.setattr(services, "_allowance_reset_batch", real)

    assert services.allowance_reset(today=MARCH, batch_size=1) == 2

    assert PointsEntry.objects.filter(kind="grant").count() == 3
    assert all(_allowance(p) == 100 for p in (author, colleague, outsider))


def test_people_who_left_get_no_allowance(author, colleague):
    colleague.user.is_active = False
    colleague.user.save()

    services.allowance_reset(today=MARCH)

    assert not PointsAccount.objects.filter(pk=colleague.pk).exists()
    assert _allowance(author) == 100


@pytest.mark.parametrize(
    ("day", "reset_day", "start"),
    [
        (date(2026, 3, 10), 1, date(2026, 3, 1)),
        (date(2026, 3, 10), 15, date(2026, 2, 15)),
        (date(2026, 3, 15), 15, date(2026, 3, 15)),
        (date(2026, 1, 3), 28, date(2025, 12, 28)),
    ],
)
def test_the_period_begins_on_the_last_reset_day(day, reset_day, start):
    assert services.allowance_period_start(day=day, reset_day=reset_day) == start


# --- Caps ------------------------------------------------------------------------------------


def test_points_to_one_person_over_the_monthly_cap_are_refused(author, colleague, teamwork):
    _config(cap_per_recipient=50)
    services.points_grant(profile=author, amount=200, actor=None)
    services.kudos_give(
        giver=author, recipients=[colleague], values=[teamwork], message="One", points_each=30
    )

    with pytest.raises(
        ValidationError, match="at most 50 points a month: 20 more this month, and this kudos gives 30"
    ):
        services.kudos_give(
            giver=author, recipients=[colleague], values=[teamwork], message="Two", points_each=30
        )

    assert Kudos.objects.count() == 1
    assert _allowance(author) == 170
    services.kudos_give(
        giver=author, recipients=[colleague], values=[teamwork], message="Three", points_each=20
    )
    assert PointsAccount.objects.get(pk=colleague.pk).balance == 50


def test_more_kudos_in_a_day_than_the_daily_cap_are_refused(author, colleague, teamwork):
    _config(daily_kudos_cap=2)
    for n in range(2):
        services.kudos_give(giver=author, recipients=[colleague], values=[teamwork], message=f"Thanks {n}")

    with pytest.raises(
        ValidationError, match="You have given 2 kudos today, the most anyone may give in a day"
    ):
        services.kudos_give(giver=author, recipients=[colleague], values=[teamwork], message="Again")
    assert Kudos.objects.count() == 2


def test_a_kudos_without_a_value_is_accepted_when_values_are_optional(author, colleague):
    _config(value_required=False)

    kudos = services.kudos_give(giver=author, recipients=[colleague], values=[], message="Thanks")

    assert not kudos.values.exists()


def test_give_page_accepts_no_value_when_values_are_optional(author_client, colleague):
    _config(value_required=False)

    response = author_client.post("/kudos/give/", {"recipient": "colin@example.com", "message": "Thanks"})

    assert response.status_code == 302
    assert Kudos.objects.count() == 1


def test_allowance_rules_refuse_a_rule_with_two_targets(author):
    from django.db import IntegrityError

    with pytest.raises(IntegrityError):
        AllowanceRule.objects.create(profile=author, department=DepartmentFactory(), amount=5)
