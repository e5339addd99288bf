"""Profile text goes through the automatic rules' blocks: a refused bio says why and nothing is saved."""

import pytest
from django.core.exceptions import ValidationError

from moderation.rules import rule_create
from profiles.services import profile_update

pytestmark = pytest.mark.django_db


def test_a_bio_with_a_blocked_word_is_refused_and_nothing_is_saved(author, moderator):
    rule_create(
        actor=moderator, kind="word", pattern="get rich quick", action="block", where=["profiles"],
        message="No schemes on profiles",
    )  # fmt: skip
    author.bio = "Engineer."
    author.save()
    with pytest.raises(ValidationError) as exc:
        profile_update(
            profile=author, editor=author.user, bio="Ask me how to get rich quick", job_title="Guru"
        )
    assert "No schemes on profiles" in str(exc.value.message_dict["bio"])
    author.refresh_from_db()
    assert (author.bio, author.job_title) == ("Engineer.", "Engineer")


def test_a_card_number_in_a_job_title_is_refused_through_the_form(author, author_client, moderator):
    rule_create(actor=moderator, kind="detector", pattern="card", action="block", where=["profiles"])
    response = author_client.post(
        f"/people/{author.pk}/edit/",
        {"display_name": author.display_name, "job_title": "Pay 4111 1111 1111 1111", "bio": "Hi"},
    )
    assert response.status_code in (200, 400)
    assert "payment card number" in response.content.decode()
    author.refresh_from_db()
    assert "4111" not in author.job_title


def test_rules_for_posts_only_leave_profiles_alone(author, moderator):
    rule_create(actor=moderator, kind="word", pattern="kubernetes", action="block", where=["posts"])
    profile_update(profile=author, editor=author.user, bio="I run Kubernetes")
    author.refresh_from_db()
    assert author.bio == "I run Kubernetes"


# --- Hold and flag (profiles are content the review queue can hold now) ----------------------------


def test_a_flagging_rule_saves_the_profile_and_sends_it_to_the_queue(author, moderator, moderator_client):
    from moderation.models import Case

    rule_create(actor=moderator, kind="word", pattern="crypto*", action="flag", where=["profiles"])
    profile_update(profile=author, editor=author.user, bio="Crypto enthusiast")

    author.refresh_from_db()
    assert author.bio == "Crypto enthusiast" and author.bio_held_at is None
    case = Case.objects.get(content_author=author, content_type__model="profile")
    assert "watched word “crypto*”" in moderator_client.get(case.get_absolute_url()).content.decode()


def test_a_held_bio_shows_only_to_its_owner_until_a_moderator_approves_it(
    author, moderator, author_client, colleague_client
):
    from moderation.models import Case
    from moderation.services import case_decide

    rule_create(actor=moderator, kind="word", pattern="crypto*", action="hold", where=["profiles"])
    profile_update(profile=author, editor=author.user, bio="Crypto enthusiast")

    assert "Crypto enthusiast" not in colleague_client.get(author.get_absolute_url()).content.decode()
    mine = author_client.get(author.get_absolute_url()).content.decode()
    assert "Crypto enthusiast" in mine and "Waiting for a moderator's approval" in mine

    case = Case.objects.get(content_author=author, content_type__model="profile")
    case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    assert "Crypto enthusiast" in colleague_client.get(author.get_absolute_url()).content.decode()
