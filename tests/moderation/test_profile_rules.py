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
