"""Redeeming points for rewards, and admins approving or rejecting the requests."""

from html import unescape

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError

from moderation.models import AuditEntry
from notifications.models import Notification
from recognition import services
from recognition.models import PointsAccount, PointsEntry, RecognitionSettings, Redemption, Reward
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def gift_card(db):
    return Reward.objects.create(name="Coffee voucher", cost=40, stock=2)


@pytest.fixture
def rich(colleague, author, teamwork):
    """Colin holds 100 points, received as kudos from Ada."""
    RecognitionSettings.objects.create(pk=1, cap_per_recipient=0)
    services.points_grant(profile=author, amount=100, actor=None)
    services.kudos_give(
        giver=author, recipients=[colleague], values=[teamwork], message="Thanks", points_each=100
    )
    return colleague


@pytest.fixture
def reviewer(db):
    admin = ProfileFactory(display_name="Rae Reviewer", user__is_staff=True)
    admin.user.user_permissions.add(Permission.objects.get(codename="change_redemption"))
    return admin


def _balance(profile) -> int:
    return PointsAccount.objects.get(pk=profile.pk).balance


def test_redeeming_takes_the_points_and_an_item_at_once(rich, gift_card):
    redemption = services.reward_redeem(profile=rich, reward_id=gift_card.pk)

    assert redemption.status == "pending" and redemption.cost == 40
    assert _balance(rich) == 60
    gift_card.refresh_from_db()
    assert gift_card.stock == 1
    assert PointsEntry.objects.get(redemption=redemption).amount == -40
    assert AuditEntry.objects.filter(action="reward.redeem", actor=rich).exists()


def test_redeeming_over_the_balance_is_refused_and_nothing_changes(colleague, gift_card):
    with pytest.raises(ValidationError, match="Coffee voucher costs 40 points and you have 0"):
        services.reward_redeem(profile=colleague, reward_id=gift_card.pk)
    assert not Redemption.objects.exists()
    gift_card.refresh_from_db()
    assert gift_card.stock == 2


def test_redeeming_an_item_out_of_stock_is_refused(rich, gift_card):
    gift_card.stock = 0
    gift_card.save()

    with pytest.raises(ValidationError, match="Coffee voucher is out of stock"):
        services.reward_redeem(profile=rich, reward_id=gift_card.pk)
    assert _balance(rich) == 100 and not Redemption.objects.exists()


def test_redeeming_a_withdrawn_reward_is_refused(rich, gift_card):
    gift_card.is_active = False
    gift_card.save()

    with pytest.raises(ValidationError, match="no longer offered"):
        services.reward_redeem(profile=rich, reward_id=gift_card.pk)


def test_rejecting_refunds_the_points_and_the_item_and_tells_the_person(rich, gift_card, reviewer):
    redemption = services.reward_redeem(profile=rich, reward_id=gift_card.pk)

    services.redemption_decide(
        redemption_id=redemption.pk, admin=reviewer, approve=False, note="Budget is frozen"
    )

    redemption.refresh_from_db()
    assert (redemption.status, redemption.note, redemption.decided_by) == (
        "rejected",
        "Budget is frozen",
        reviewer,
    )
    assert _balance(rich) == 100
    gift_card.refresh_from_db()
    assert gift_card.stock == 2
    assert PointsEntry.objects.filter(redemption=redemption, kind="refund", amount=40).exists()
    told = Notification.objects.filter(recipient=rich).latest("id")
    assert told.summary == "Your request for Coffee voucher was rejected: “Budget is frozen”"


def test_a_request_is_decided_once(rich, gift_card, reviewer):
    redemption = services.reward_redeem(profile=rich, reward_id=gift_card.pk)
    services.redemption_decide(redemption_id=redemption.pk, admin=reviewer, approve=True)

    with pytest.raises(ValidationError, match="already approved"):
        services.redemption_decide(redemption_id=redemption.pk, admin=reviewer, approve=False, note="Oops")
    assert _balance(rich) == 60


def test_rejecting_without_a_note_is_refused(rich, gift_card, reviewer):
    redemption = services.reward_redeem(profile=rich, reward_id=gift_card.pk)

    with pytest.raises(ValidationError, match="Say why"):
        services.redemption_decide(redemption_id=redemption.pk, admin=reviewer, approve=False, note=" ")
    redemption.refresh_from_db()
    assert redemption.status == "pending" and _balance(rich) == 60


# --- Pages -------------------------------------------------------------------------------------


def test_the_rewards_page_redeems_and_shows_the_request_and_the_ledger(rich, gift_card):
    client = signed_in(rich)
    page = unescape(client.get("/kudos/rewards/").content.decode())
    assert "You have <strong>100 points</strong> to redeem" in page and "Coffee voucher" in page

    response = client.post(f"/kudos/rewards/{gift_card.pk}/redeem/", follow=True)

    page = unescape(response.content.decode())
    assert "You asked for Coffee voucher; an admin will review your request." in page
    assert "You have <strong>60 points</strong> to redeem" in page
    assert "Waiting for review" in page and "Redeemed for a reward: Coffee voucher" in page


def test_the_rewards_page_says_why_a_redemption_is_refused(colleague_client, gift_card):
    response = colleague_client.post(f"/kudos/rewards/{gift_card.pk}/redeem/", follow=True)

    assert "Coffee voucher costs 40 points and you have 0" in unescape(response.content.decode())
    assert not Redemption.objects.exists()


def test_only_reviewers_see_and_decide_requests(rich, gift_card, reviewer, author_client):
    redemption = services.reward_redeem(profile=rich, reward_id=gift_card.pk)
    assert author_client.get("/kudos/rewards/requests/").status_code == 403
    assert (
        author_client.post(
            "/kudos/rewards/requests/", {"redemption": redemption.pk, "decision": "approve"}
        ).status_code
        == 403
    )

    client = signed_in(reviewer)
    assert "Colin Colleague" in unescape(client.get("/kudos/rewards/requests/").content.decode())
    reject = {"redemption": redemption.pk, "decision": "reject", "note": "Not this quarter"}
    response = client.post("/kudos/rewards/requests/", reject, follow=True)

    assert "Colin Colleague's request for Coffee voucher is rejected." in unescape(response.content.decode())
    assert _balance(rich) == 100
    assert "No requests are waiting." in client.get("/kudos/rewards/requests/").content.decode()
