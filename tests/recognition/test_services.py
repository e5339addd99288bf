"""Giving kudos against the real database: the kudos and its feed post stand or fall together."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from feed.models import Post
from moderation.models import AuditEntry
from recognition import services
from recognition.models import Kudos

pytestmark = pytest.mark.django_db


def _nothing_saved() -> bool:
    return not Kudos.objects.exists() and not Post.objects.exists() and not AuditEntry.objects.exists()


def test_kudos_is_recorded_with_a_kudos_post_in_the_feed(author, colleague, teamwork):
    kudos = services.kudos_give(
        giver=author, recipient=colleague, value=teamwork, message="  Saved the release  "
    )

    kudos.refresh_from_db()
    assert (kudos.giver, kudos.recipient, kudos.value) == (author, colleague, teamwork)
    assert kudos.message == "Saved the release"
    assert kudos.post.kind == Post.Kind.KUDOS
    assert kudos.post.author == author
    assert kudos.post.body == "Saved the release"
    entry = AuditEntry.objects.get(action="kudos.give")
    assert entry.actor == author
    assert entry.detail == {"recipient": colleague.pk}


def test_kudos_to_yourself_is_refused_and_nothing_saved(author, teamwork):
    with pytest.raises(ValidationError, match="can't give kudos to yourself"):
        services.kudos_give(giver=author, recipient=author, value=teamwork, message="I'm great")
    assert _nothing_saved()


def test_kudos_to_someone_who_left_is_refused_and_nothing_saved(author, colleague, teamwork):
    colleague.user.is_active = False
    colleague.user.save()

    with pytest.raises(ValidationError, match="Colin Colleague no longer works here"):
        services.kudos_give(giver=author, recipient=colleague, value=teamwork, message="Thanks")
    assert _nothing_saved()


@pytest.mark.parametrize("message", ["", "   ", None])
def test_kudos_without_a_message_is_refused(author, colleague, teamwork, message):
    with pytest.raises(ValidationError, match="the message is empty"):
        services.kudos_give(giver=author, recipient=colleague, value=teamwork, message=message)
    assert _nothing_saved()


def test_kudos_message_over_500_characters_is_refused(author, colleague, teamwork):
    with pytest.raises(ValidationError, match="501 characters long; the limit is 500"):
        services.kudos_give(giver=author, recipient=colleague, value=teamwork, message="x" * 501)
    assert _nothing_saved()


def test_kudos_for_a_retired_value_is_refused(author, colleague, retired_value):
    with pytest.raises(ValidationError, match="no longer in use"):
        services.kudos_give(giver=author, recipient=colleague, value=retired_value, message="Thanks")
    assert _nothing_saved()


def test_if_the_kudos_cannot_be_saved_no_orphan_post_is_left(author, colleague, teamwork, monkeypatch):
    def broken_create(**kwargs):
        raise IntegrityError("simulated failure")

    monkeypatch.setattr(Kudos.objects, "create", broken_create)

    with pytest.raises(IntegrityError):
        services.kudos_give(giver=author, recipient=colleague, value=teamwork, message="Thanks")
    assert _nothing_saved()
