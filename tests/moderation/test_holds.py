"""Content held by the automatic rules: the author sees it marked pending, nobody else does, nothing
is announced; a moderator's approval publishes it and sends its notifications then. Blocked text is
refused with the reason and nothing saved; flagged text is published and queued."""

import pytest

from feed.models import Comment, Post
from feed.services import comment_create, post_create, post_edit, reaction_toggle
from moderation.models import Case
from moderation.ratelimit import policy_current, rate_policy_update
from moderation.rules import rule_create
from moderation.rules_models import RuleHit
from moderation.services import case_decide
from notifications.models import Notification
from tests.factories import CompanyValueFactory, PostFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

ALL = ["posts", "comments", "kudos", "profiles"]


@pytest.fixture
def watch(moderator):
    def make(pattern, action, kind="word", where=ALL, **extra):
        return rule_create(actor=moderator, kind=kind, pattern=pattern, action=action, where=where, **extra)

    return make


def _case_of(content) -> Case:
    return Case.objects.get(object_id=content.pk, content_type__model=content._meta.model_name)


def _mentions(person) -> int:
    return Notification.objects.filter(recipient=person, kind="mention").count()


# --- Hold ---------------------------------------------------------------------------------------


def test_a_held_post_is_shown_to_its_author_marked_pending_and_to_nobody_else(
    watch, author, author_client, colleague, colleague_client
):
    watch("crypto*", "hold", message="Investment tips are reviewed first")
    response = author_client.post("/", {"body": "Crypto tips for @colin", "kind": "update"}, follow=True)
    page = response.content.decode()
    assert "waits for a moderator" in page and "Investment tips are reviewed first" in page
    post = Post.objects.get(author=author)
    assert post.held_at is not None
    # The author's feed and the post page show it, marked pending.
    assert "Waiting for a moderator's approval" in page and "Crypto tips" in page
    assert author_client.get(post.get_absolute_url()).status_code == 200
    # Colleagues see nothing: not in the feed, not by its address; and nobody was told of it.
    assert "Crypto tips" not in colleague_client.get("/all/").content.decode()
    assert colleague_client.get(post.get_absolute_url()).status_code == 404
    assert _mentions(colleague) == 0
    # The review queue has it, with the rule it hit.
    case = _case_of(post)
    assert case.status == Case.Status.OPEN
    assert [h.action for h in RuleHit.objects.filter(case=case)] == ["hold"]


def test_approving_a_held_post_publishes_it_and_sends_its_mentions_then(
    watch, author, colleague, colleague_client, moderator, moderator_client
):
    watch("crypto*", "hold")
    post = post_create(author=author, body="Crypto meetup, @colin?")
    assert moderator_client.get(post.get_absolute_url()).status_code == 200  # opened from the queue
    held_at_creation = post.created_at
    case_decide(case_id=_case_of(post).pk, moderator=moderator, decision="keep")
    post.refresh_from_db()
    assert post.held_at is None
    assert post.created_at > held_at_creation  # enters feeds at the top, as just published
    assert "Crypto meetup" in colleague_client.get("/all/").content.decode()
    assert _mentions(colleague) == 1


def test_removing_a_held_post_keeps_it_hidden_and_unannounced(watch, author, colleague, moderator):
    watch("crypto*", "hold")
    post = post_create(author=author, body="Crypto scam for @colin")
    case_decide(
        case_id=_case_of(post).pk,
        moderator=moderator,
        decision="remove",
        note="Crypto scams are not allowed.",
    )
    post.refresh_from_db()
    assert post.removed_at is not None
    assert _mentions(colleague) == 0


def test_nobody_else_can_comment_on_or_react_to_a_held_post(watch, author, colleague):
    from django.core.exceptions import ValidationError

    watch("crypto*", "hold")
    post = post_create(author=author, body="Crypto")
    with pytest.raises(ValidationError):
        comment_create(post_id=post.pk, author=colleague, body="Nice")
    with pytest.raises(ValidationError):
        reaction_toggle(post_id=post.pk, profile=colleague, kind="like")


def test_a_held_comment_is_not_counted_or_announced_until_approved(
    watch, author, colleague, colleague_client, moderator
):
    watch("refund*", "hold", where=["comments"])
    post = post_create(author=author, body="Trip report")
    comment = comment_create(post_id=post.pk, author=colleague, body="Refunds are easy, ask me")
    post.refresh_from_db()
    assert comment.held_at is not None and post.comment_count == 0
    assert not Notification.objects.filter(recipient=author, kind="reply").exists()
    assert "Refunds are easy" in colleague_client.get(post.get_absolute_url()).content.decode()
    assert "Refunds are easy" not in signed_in(ProfileFactory()).get(post.get_absolute_url()).content.decode()

    case_decide(case_id=_case_of(comment).pk, moderator=moderator, decision="keep")
    post.refresh_from_db()
    assert post.comment_count == 1
    assert Notification.objects.filter(recipient=author, kind="reply").count() == 1


def test_a_held_comment_from_the_browser_says_why(watch, colleague_client):
    watch("refund*", "hold", where=["comments"])
    post = PostFactory()
    response = colleague_client.post(post.get_absolute_url(), {"body": "refund please"}, follow=True)
    assert "Your comment waits for a moderator" in response.content.decode()
    assert Comment.objects.get().held_at is not None


def test_a_held_kudos_tells_its_recipient_only_once_approved(watch, author, colleague, moderator):
    from recognition.services import kudos_give

    watch("bonus", "hold", where=["kudos"])
    kudos = kudos_give(
        giver=author, recipients=[colleague], values=[CompanyValueFactory()], message="Bonus time!"
    )
    assert kudos.post.held_at is not None
    assert not Notification.objects.filter(recipient=colleague, kind="kudos").exists()
    case_decide(case_id=_case_of(kudos.post).pk, moderator=moderator, decision="keep")
    assert Notification.objects.filter(recipient=colleague, kind="kudos").count() == 1


# --- Block and flag ------------------------------------------------------------------------------


def test_a_blocked_post_is_refused_with_the_reason_and_nothing_is_saved(watch, author, author_client):
    watch("card", "block", kind="detector")
    response = author_client.post("/", {"body": "Pay with 4111 1111 1111 1111", "kind": "update"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "can&#x27;t be published" in page and "payment card number" in page
    assert "Pay with 4111 1111 1111 1111" in page  # still in the compose box
    assert not Post.objects.exists() and not Case.objects.exists()


def test_a_blocked_private_kudos_is_refused(watch, author, colleague):
    from django.core.exceptions import ValidationError

    from recognition.models import Kudos
    from recognition.services import kudos_give

    watch("card", "block", kind="detector", where=["kudos"])
    with pytest.raises(ValidationError):
        kudos_give(
            giver=author,
            recipients=[colleague],
            values=[CompanyValueFactory()],
            message="Card 4111 1111 1111 1111",
            is_private=True,
        )
    assert not Kudos.objects.exists()


def test_a_flagged_post_is_published_and_queued(watch, author, colleague, colleague_client):
    watch("offsite", "flag")
    post = post_create(author=author, body="Offsite plans with @colin")
    assert post.held_at is None
    assert "Offsite plans" in colleague_client.get("/all/").content.decode()
    assert _mentions(colleague) == 1
    assert [h.action for h in RuleHit.objects.filter(case=_case_of(post))] == ["flag"]


def test_an_edit_cannot_slip_past_the_rules(watch, author, colleague_client):
    from django.core.exceptions import ValidationError

    watch("secret project", "block")
    watch("crypto*", "hold")
    post = post_create(author=author, body="Harmless")
    with pytest.raises(ValidationError):
        post_edit(post_id=post.pk, editor=author, body="About the secret project")
    post_edit(post_id=post.pk, editor=author, body="Crypto now")
    post.refresh_from_db()
    assert post.held_at is not None
    assert colleague_client.get(post.get_absolute_url()).status_code == 404


# --- New members' first posts ------------------------------------------------------------------


def test_a_new_members_first_posts_are_held_when_the_setting_says_so(author, moderator):
    rate_policy_update(actor=moderator, limits=policy_current().limits, new_member_days=3, first_posts_held=2)
    first = post_create(author=author, body="Hello, I'm new")
    second = post_create(author=author, body="Second post")
    third = post_create(author=author, body="Third post")
    assert [p.held_at is not None for p in (first, second, third)] == [True, True, False]
    assert "new member" in RuleHit.objects.get(case=_case_of(first)).label
    # Moderators are trusted from the start.
    assert post_create(author=moderator, body="Welcome everyone").held_at is None


def test_no_post_is_held_for_being_early_by_default(author):
    assert post_create(author=author, body="Hello").held_at is None
