"""Giving kudos against the real database: the kudos, its recipients, its feed post and the points it
moves stand or fall together."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from feed.models import Post
from moderation.models import AuditEntry
from notifications.models import Notification
from recognition import services
from recognition.models import Kudos, KudosRecipient, PointsAccount, PointsEntry
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def _nothing_saved() -> bool:
    return not (
        Kudos.objects.exists()
        or KudosRecipient.objects.exists()
        or Post.objects.exists()
        or AuditEntry.objects.filter(action="kudos.give").exists()
        or PointsEntry.objects.exclude(kind=PointsEntry.Kind.GRANT).exists()
    )


def _give(giver, recipients, values, message="Saved the release", **kwargs):
    return services.kudos_give(giver=giver, recipients=recipients, values=values, message=message, **kwargs)


def test_kudos_is_recorded_with_a_kudos_post_in_the_feed(author, colleague, teamwork):
    kudos = _give(author, [colleague], [teamwork], message="  Saved the release  ")

    kudos.refresh_from_db()
    assert kudos.giver == author
    assert list(kudos.recipients.all()) == [colleague]
    assert list(kudos.values.all()) == [teamwork]
    assert kudos.message == "Saved the release"
    assert kudos.post.kind == Post.Kind.KUDOS
    assert kudos.post.author == author
    assert kudos.post.body == "Saved the release"
    entry = AuditEntry.objects.get(action="kudos.give")
    assert entry.actor == author
    assert entry.detail == {
        "recipients": [colleague.pk],
        "values": [teamwork.pk],
        "points_each": 0,
        "private": False,
    }


def test_one_kudos_thanks_several_people_for_several_values_and_tells_each(
    author, colleague, teamwork, boldness
):
    third = ProfileFactory(display_name="Tia Third")

    kudos = _give(author, [colleague, third, colleague], [teamwork, boldness])

    assert set(kudos.recipients.all()) == {colleague, third}  # named twice, thanked once
    assert set(kudos.values.all()) == {teamwork, boldness}
    assert Post.objects.count() == 1
    told = Notification.objects.filter(kind="kudos")
    assert sorted(n.recipient_id for n in told) == sorted([colleague.pk, third.pk])
    assert "Ada Author gave you kudos for Teamwork, Be bold" in told[0].summary


def test_points_move_from_the_givers_allowance_to_each_recipient_with_ledger_rows(
    author, colleague, teamwork
):
    third = ProfileFactory()
    services.points_grant(profile=author, amount=100, actor=None, note="Monthly allowance")

    kudos = _give(author, [colleague, third], [teamwork], points_each=15)

    assert PointsAccount.objects.get(pk=author.pk).allowance == 70
    assert PointsAccount.objects.get(pk=colleague.pk).balance == 15
    assert PointsAccount.objects.get(pk=third.pk).balance == 15
    rows = {(e.account_id, e.kind, e.amount) for e in PointsEntry.objects.filter(kudos=kudos)}
    assert rows == {(author.pk, "give", -30), (colleague.pk, "receive", 15), (third.pk, "receive", 15)}
    assert set(KudosRecipient.objects.values_list("points", flat=True)) == {15}
    assert "gave you kudos and 15 points" in Notification.objects.filter(recipient=colleague).get().summary


def test_points_over_the_allowance_are_refused_and_nothing_moves(author, colleague, teamwork):
    services.points_grant(profile=author, amount=20, actor=None)
    third = ProfileFactory()

    with pytest.raises(
        ValidationError, match=r"You have 20 points left to give this month; this kudos needs 2 × 15 = 30"
    ):
        _give(author, [colleague, third], [teamwork], points_each=15)

    assert _nothing_saved()
    assert PointsAccount.objects.get(pk=author.pk).allowance == 20
    assert not PointsAccount.objects.filter(balance__gt=0).exists()


def test_points_without_any_allowance_are_refused(author, colleague, teamwork):
    with pytest.raises(ValidationError, match="You have 0 points left to give this month"):
        _give(author, [colleague], [teamwork], points_each=1)
    assert _nothing_saved()


def test_negative_points_are_refused(author, colleague, teamwork):
    with pytest.raises(ValidationError, match="Points can't be negative"):
        _give(author, [colleague], [teamwork], points_each=-5)
    assert _nothing_saved()


def test_the_database_refuses_a_negative_balance_even_without_the_service(author):
    account = PointsAccount.objects.create(profile=author, allowance=5)
    account.allowance = -1
    with pytest.raises(IntegrityError):
        account.save()


def test_private_kudos_has_no_feed_post_and_links_recipients_to_its_own_page(author, colleague, teamwork):
    kudos = _give(author, [colleague], [teamwork], is_private=True)

    assert kudos.post is None and kudos.is_private
    assert not Post.objects.exists()
    assert Notification.objects.get(recipient=colleague).url == f"/kudos/{kudos.pk}/"


def test_kudos_with_no_recipient_is_refused(author, teamwork):
    with pytest.raises(ValidationError, match="Pick at least one colleague"):
        _give(author, [], [teamwork])
    assert _nothing_saved()


def test_kudos_with_no_value_is_refused(author, colleague):
    with pytest.raises(ValidationError, match="Pick the company value they lived"):
        _give(author, [colleague], [])
    assert _nothing_saved()


def test_kudos_to_yourself_among_others_is_refused_and_nothing_saved(author, colleague, teamwork):
    with pytest.raises(ValidationError, match="can't give kudos to yourself"):
        _give(author, [colleague, author], [teamwork], message="We're great")
    assert _nothing_saved()


def test_kudos_to_someone_who_left_is_refused_and_nothing_saved(author, colleague, teamwork):
    colleague.user.is_active = False
    colleague.user.save()

    with pytest.raises(ValidationError, match="Colin Colleague no longer works here"):
        _give(author, [ProfileFactory(), colleague], [teamwork], message="Thanks")
    assert _nothing_saved()


@pytest.mark.parametrize("message", ["", "   ", None])
def test_kudos_without_a_message_is_refused(author, colleague, teamwork, message):
    with pytest.raises(ValidationError, match="the message is empty"):
        _give(author, [colleague], [teamwork], message=message)
    assert _nothing_saved()


def test_kudos_message_over_500_characters_is_refused(author, colleague, teamwork):
    with pytest.raises(ValidationError, match="501 characters long; the limit is 500"):
        _give(author, [colleague], [teamwork], message="x" * 501)
    assert _nothing_saved()


def test_kudos_for_a_retired_value_is_refused(author, colleague, teamwork, retired_value):
    with pytest.raises(ValidationError, match="“Synergy” is no longer in use"):
        _give(author, [colleague], [teamwork, retired_value], message="Thanks")
    assert _nothing_saved()


def test_if_the_kudos_cannot_be_saved_no_orphan_post_or_points_are_left(
    author, colleague, teamwork, monkeypatch
):
    services.points_grant(profile=author, amount=50, actor=None)

    def broken_create(*args, **kwargs):
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(KudosRecipient.objects, "bulk_create", broken_create)

    with pytest.raises(IntegrityError):
        _give(author, [colleague], [teamwork], points_each=10)
    assert _nothing_saved()
    assert PointsAccount.objects.get(pk=author.pk).allowance == 50
