"""Giving kudos through the page, and seeing it in the feed and on the recipient's profile."""

from html import unescape

import pytest

from feed.models import Post
from recognition import services
from recognition.models import Kudos, PointsAccount
from tests.factories import KudosFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    return unescape(response.content.decode())


def _give(client, teamwork, recipient, message="Saved the release", **extra):
    return client.post(
        "/kudos/give/", {"recipient": recipient, "values": [teamwork.pk], "message": message, **extra}
    )


def _nothing_saved() -> bool:
    return not Kudos.objects.exists() and not Post.objects.exists()


def test_give_page_lists_active_values_only(author_client, teamwork, retired_value):
    response = author_client.get("/kudos/give/")

    assert response.status_code == 200
    assert f'name="values" value="{teamwork.pk}"' in response.content.decode()
    assert f'name="values" value="{retired_value.pk}"' not in response.content.decode()


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
    assert (kudos.giver, list(kudos.recipients.all()), list(kudos.values.all())) == (
        author,
        [colleague],
        [teamwork],
    )
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
    assert list(Kudos.objects.get().recipients.all()) == [colleague]


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
    kudos = KudosFactory(giver=author, recipients=[colleague], message="Helped with the migration")
    assert "Helped with the migration" in _text(colleague_client.get(f"/people/{colleague.pk}/"))

    author_client.post(f"/posts/{kudos.post.pk}/delete/")

    profile = _text(colleague_client.get(f"/people/{colleague.pk}/"))
    assert "Helped with the migration" not in profile
    assert "Kudos received (0)" in profile


def test_the_feed_offers_give_kudos_next_to_the_compose_box(author_client):
    # recognition contributes the link (feed/kinds.py); feed's template names no recognition URL.
    home = author_client.get("/").content.decode()
    assert 'Recognise someone? <a href="/kudos/give/">Give kudos</a>' in home


def test_one_kudos_names_several_colleagues_and_values_and_the_card_shows_them_all(
    author_client, colleague_client, colleague, teamwork, boldness
):
    ProfileFactory(display_name="Tia Third", user__email="tia@example.com")

    response = author_client.post(
        "/kudos/give/",
        {
            "recipient": ["Colin Colleague <colin@example.com>", "tia@example.com", ""],
            "values": [teamwork.pk, boldness.pk],
            "message": "Shipped the launch together",
        },
    )

    assert response.status_code == 302
    assert "Kudos sent to Colin Colleague, Tia Third." in _text(author_client.get(response.url))
    kudos = Kudos.objects.get()
    assert {p.display_name for p in kudos.recipients.all()} == {"Colin Colleague", "Tia Third"}
    card = _text(colleague_client.get("/"))
    assert "Colin Colleague</a> and <a" in card and "Tia Third" in card
    assert "<em>🤝 Teamwork</em>, <em>🚀 Be bold</em>" in card


def test_kudos_with_nobody_named_asks_for_a_colleague(author_client, teamwork):
    response = _give(author_client, teamwork, ["", "  "])

    assert response.status_code == 400
    assert "Pick at least one colleague to recognise." in _text(response)
    assert _nothing_saved()


def test_kudos_without_a_value_asks_for_one(author_client, colleague):
    response = author_client.post("/kudos/give/", {"recipient": "colin@example.com", "message": "Thanks"})

    assert response.status_code == 400
    assert "Pick the company value they lived." in _text(response)
    assert _nothing_saved()


def test_points_field_appears_with_an_allowance_and_points_over_it_are_refused(
    author_client, author, colleague, teamwork
):
    assert 'name="points_each"' not in author_client.get("/kudos/give/").content.decode()
    services.points_grant(profile=author, amount=25, actor=None)
    assert "You have 25 points left to give this month." in _text(author_client.get("/kudos/give/"))

    response = _give(author_client, teamwork, "colin@example.com", points_each=30)

    assert response.status_code == 400
    assert "You have 25 points left to give this month; this kudos needs 30." in _text(response)
    assert _nothing_saved()
    assert _give(author_client, teamwork, "colin@example.com", points_each=20).status_code == 302
    assert PointsAccount.objects.get(pk=colleague.pk).balance == 20


def test_private_kudos_is_seen_by_giver_recipient_and_their_manager_only(
    author_client, author, colleague, teamwork, outsider_client
):
    manager = ProfileFactory(display_name="Maya Manager")
    colleague.manager = manager
    colleague.save()

    response = _give(
        author_client, teamwork, "colin@example.com", message="Quietly fixed payroll", is_private="on"
    )

    kudos = Kudos.objects.get()
    assert kudos.post is None
    assert response.url == f"/kudos/{kudos.pk}/"
    for viewer in (author, colleague, manager):
        page = _text(signed_in(viewer).get(f"/kudos/{kudos.pk}/"))
        assert "Quietly fixed payroll" in page
        assert "Quietly fixed payroll" in _text(signed_in(viewer).get(f"/people/{colleague.pk}/"))
    assert outsider_client.get(f"/kudos/{kudos.pk}/").status_code == 404
    profile = _text(outsider_client.get(f"/people/{colleague.pk}/"))
    assert "Quietly fixed payroll" not in profile and "Kudos received (0)" in profile
    assert "Quietly fixed payroll" not in _text(outsider_client.get("/"))


def test_public_kudos_page_leads_to_its_post(author_client, author, colleague):
    kudos = KudosFactory(giver=author, recipients=[colleague])

    response = author_client.get(f"/kudos/{kudos.pk}/")

    assert response.status_code == 302 and response.url == kudos.post.get_absolute_url()
