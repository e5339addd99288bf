"""Enough weighted flags hide content pending review: in the flag's own transaction, its author and
moderators are told why, and a keep (or a warning) shows it again as it was; a removal keeps it hidden."""

import pytest
from django.core.exceptions import ValidationError

from feed.models import Comment, Post
from feed.services import comment_create, post_create
from moderation import services
from moderation.models import AuditEntry, Case, Flag
from notifications.models import Notification
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def hide_at_three(settings):
    settings.HIVE_FLAG_HIDE_WEIGHT = 3.0


def _flag(content, n: int) -> Case:
    """n colleagues with no record flag it (each flag weighs 1)."""
    for person in ProfileFactory.create_batch(n):
        services.flag_create(flagger=person, content=content, reason="spam")
    return Case.objects.get(object_id=content.pk, content_type__model=content._meta.model_name)


def test_flags_below_the_threshold_leave_the_post_in_the_feed(hide_at_three, author, colleague_client):
    post = post_create(author=author, body="Selling my bike, ask me")
    case = _flag(post, 2)

    post.refresh_from_db()
    assert post.held_at is None and case.hidden_at is None
    assert colleague_client.get(post.get_absolute_url()).status_code == 200


def test_the_flag_that_reaches_the_threshold_hides_the_post_from_everyone_but_its_author(
    hide_at_three, author, author_client, colleague_client, moderator_client
):
    post = post_create(author=author, body="Selling my bike, ask me")
    case = _flag(post, 3)

    post.refresh_from_db()
    assert post.held_at is not None and case.hidden_at is not None and case.status == Case.Status.OPEN
    # Colleagues no longer reach it, by the feed or by its address.
    assert colleague_client.get(post.get_absolute_url()).status_code == 404
    assert "Selling my bike" not in colleague_client.get("/all/").content.decode()
    # Its author still sees it, marked, and was told why.
    page = author_client.get(post.get_absolute_url()).content.decode()
    assert "Selling my bike" in page and "Waiting for a moderator" in page
    told = Notification.objects.get(recipient=author, kind="moderation")
    assert "hidden until a moderator reviews it" in told.summary and told.url == post.get_absolute_url()
    # Moderators see why it is hidden, in the queue and on the case.
    assert "hidden pending review" in moderator_client.get("/moderation/").content.decode()
    assert "its flags' weights reached 3.0" in moderator_client.get(case.get_absolute_url()).content.decode()
    hide = AuditEntry.objects.get(action="case.hide")
    assert (hide.object_id, hide.detail["after"], hide.detail["threshold"]) == (case.pk, "hidden", 3.0)


def test_weighted_flags_count_by_the_flaggers_record(hide_at_three, author, moderator):
    """Two flags from people whose flags were always upheld weigh more than three: they hide it."""
    trusted = ProfileFactory.create_batch(2)
    for person in trusted:
        for _ in range(4):
            earlier = post_create(author=author, body="Spam again")
            services.flag_create(flagger=person, content=earlier, reason="spam")
            Flag.objects.filter(flagger=person).update(outcome=Flag.Outcome.UPHELD)
    post = post_create(author=author, body="Another sale")
    for person in trusted:
        services.flag_create(flagger=person, content=post, reason="spam")

    post.refresh_from_db()
    assert post.held_at is not None


def test_keeping_a_hidden_post_shows_it_again_where_it_was_announcing_nothing_twice(
    hide_at_three, author, colleague, colleague_client, moderator
):
    post = post_create(author=author, body="Lunch with @colin tomorrow?")
    created_at = post.created_at
    mentions = Notification.objects.filter(recipient=colleague, kind="mention").count()
    case = _flag(post, 3)

    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    post.refresh_from_db()
    assert post.held_at is None and post.created_at == created_at
    assert colleague_client.get(post.get_absolute_url()).status_code == 200
    assert Notification.objects.filter(recipient=colleague, kind="mention").count() == mentions == 1


def test_removing_a_hidden_post_keeps_it_from_everyone(hide_at_three, author, colleague_client, moderator):
    post = post_create(author=author, body="Selling my bike, ask me")
    case = _flag(post, 3)

    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Marketplace only")

    post.refresh_from_db()
    assert post.removed_at is not None
    assert colleague_client.get(post.get_absolute_url()).status_code == 404


def test_a_hidden_comment_leaves_the_count_and_comes_back_on_keep(
    hide_at_three, author, colleague, moderator
):
    post = post_create(author=colleague, body="Plans for Friday")
    comment = comment_create(post_id=post.pk, author=author, body="This is a rude remark")
    replies_told = Notification.objects.filter(recipient=colleague).count()
    case = _flag(comment, 3)

    comment.refresh_from_db()
    assert comment.held_at is not None
    assert Post.objects.get(pk=post.pk).comment_count == 0
    assert comment.body not in signed_in(colleague).get(post.get_absolute_url()).content.decode()

    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    assert Comment.objects.get(pk=comment.pk).held_at is None
    assert Post.objects.get(pk=post.pk).comment_count == 1
    assert Notification.objects.filter(recipient=colleague).count() == replies_told  # no second "reply"


def test_a_kept_post_flagged_again_starts_counting_afresh(hide_at_three, author, moderator):
    post = post_create(author=author, body="Selling my bike, ask me")
    case = _flag(post, 2)
    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    case = _flag(post, 2)  # 2 new flags: 4 in all, but the moderator's keep reset the count

    post.refresh_from_db()
    assert post.held_at is None and case.hidden_at is None and case.score == 2.0
    case = _flag(post, 1)
    post.refresh_from_db()
    assert post.held_at is not None and case.hidden_at is not None


def test_a_threshold_of_zero_never_hides(settings, author):
    settings.HIVE_FLAG_HIDE_WEIGHT = 0
    post = post_create(author=author, body="Selling my bike, ask me")
    _flag(post, 5)

    post.refresh_from_db()
    assert post.held_at is None
    assert not AuditEntry.objects.filter(action="case.hide").exists()


def test_a_refused_flag_hides_nothing(hide_at_three, author):
    post = post_create(author=author, body="Selling my bike, ask me")
    case = _flag(post, 2)
    flagger = case.flags.first().flagger

    with pytest.raises(ValidationError, match="already flagged"):
        services.flag_create(flagger=flagger, content=post, reason="spam")

    post.refresh_from_db()
    assert post.held_at is None
    assert Case.objects.get(pk=case.pk).score == 2.0
