"""Giving kudos through the page, and seeing it in the feed and on the recipient's profile."""

from html import unescape

import pytest

from feed.models import Post
from recognition.models import Kudos
from tests.factories import KudosFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return unescape(response.content.decode())


def _give(client, teamwork, recipient, message="Saved the release"):
    return client.post("/kudos/give/", {"recipient": recipient, "value": teamwork.pk, "message": message})


def _nothing_saved() -> bool:
    return not Kudos.objects.exists() and not Post.objects.exists()


def test_give_page_lists_active_values_only(author_client, teamwork, retired_value):
    response = author_client.get("/kudos/give/")

    assert response.status_code == 200
    assert f'<option value="{teamwork.pk}"' in response.content.decode()
    assert f'<option value="{retired_value.pk}"' not in response.content.decode()


def test_give_page_fills_in_the_colleague_from_their_profile_link(author_client, colleague, teamwork):
    response = author_client.get("/kudos/give/", {"to": colleague.pk})

    assert 'value="Colin Colleague &lt;colin@example.com&gt;"' in response.content.decode()


def test_kudos_given_by_name_and_email_shows_in_feed_and_on_profile(
    author_client, colleague_client, author, colleague, teamwork
):
    response = _give(author_client, teamwork, "Colin Colleague <colin@example.com>")

    assert response.status_code == 302
    assert "Kudos sent to Colin Colleague." in _text(author_client.get(response.url))
    kudos = Kudos.objects.get()
    assert (kudos.giver, kudos.recipient, kudos.value) == (author, colleague, teamwork)
    feed = _text(colleague_client.get("/"))
    assert f'id="post-{kudos.post.pk}"' in feed
    assert "Kudos to" in feed and "Colin Colleague" in feed and "Teamwork" in feed
    assert "Saved the release" in feed
    profile = _text(colleague_client.get(f"/people/{colleague.pk}/"))
    assert "Kudos received (1)" in profile
    assert "Ada Author" in profile and "Saved the release" in profile


@pytest.mark.parametrize("recipient", ["colin@example.com", "COLIN@example.com ", "Colin Colleague"])
def test_kudos_can_name_the_recipient_by_email_or_name(author_client, colleague, teamwork, recipient):
    response = _give(author_client, teamwork, recipient)

    assert response.status_code == 302
    assert Kudos.objects.get().recipient == colleague


def test_kudos_to_yourself_shows_an_error_and_saves_nothing(author_client, teamwork):
    response = _give(author_client, teamwork, "Ada Author <ada@example.com>")

    assert response.status_code == 400
    assert "You can't give kudos to yourself; recognise a colleague instead." in _text(response)
    assert _nothing_saved()


def test_kudos_to_an_unknown_person_shows_an_error_and_saves_nothing(author_client, teamwork):
    response = _give(author_client, teamwork, "nobody@example.com")

    assert response.status_code == 400
    assert "Nobody called “nobody@example.com” works here" in _text(response)
    assert _nothing_saved()


def test_kudos_to_an_ambiguous_name_asks_to_pick_from_the_list(author_client, teamwork):
    ProfileFactory.create_batch(2, display_name="Sam Smith")

    response = _give(author_client, teamwork, "Sam Smith")

    assert response.status_code == 400
    assert "More than one person is called Sam Smith" in _text(response)
    assert _nothing_saved()


@pytest.mark.parametrize("message", ["", "   "])
def test_kudos_with_an_empty_message_shows_an_error_and_saves_nothing(author_client, teamwork, message):
    response = _give(author_client, teamwork, "colin@example.com", message=message)

    assert response.status_code == 400
    assert "Say what they did: the message is empty." in _text(response)
    assert _nothing_saved()


def test_kudos_with_a_message_over_500_characters_shows_an_error(author_client, teamwork, colleague):
    response = _give(author_client, teamwork, "colin@example.com", message="x" * 501)

    assert response.status_code == 400
    assert "at most 500 characters" in _text(response)
    assert _nothing_saved()


def test_kudos_to_a_deactivated_colleague_shows_an_error_and_saves_nothing(
    author_client, colleague, teamwork
):
    colleague.user.is_active = False
    colleague.user.save()

    response = _give(author_client, teamwork, "Colin Colleague <colin@example.com>")

    assert response.status_code == 400
    assert "Colin Colleague no longer works here." in _text(response)
    assert _nothing_saved()


def test_kudos_for_a_retired_value_is_refused(author_client, colleague, retired_value):
    response = _give(author_client, retired_value, "colin@example.com")

    assert response.status_code == 400
    assert _nothing_saved()


def test_kudos_whose_post_was_deleted_disappears_from_the_profile(
    author_client, colleague_client, colleague, author
):
    kudos = KudosFactory(giver=author, recipient=colleague, message="Helped with the migration")
    assert "Helped with the migration" in _text(colleague_client.get(f"/people/{colleague.pk}/"))

    author_client.post(f"/posts/{kudos.post.pk}/delete/")

    profile = _text(colleague_client.get(f"/people/{colleague.pk}/"))
    assert "Helped with the migration" not in profile
    assert "Kudos received (0)" in profile


def test_the_feed_offers_give_kudos_next_to_the_compose_box(author_client):
    # recognition contributes the link (feed/kinds.py); feed's template names no recognition URL.
    home = author_client.get("/").content.decode()
    assert 'Recognise someone? <a href="/kudos/give/">Give kudos</a>' in home
