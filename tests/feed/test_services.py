"""Feed services against the real database: what changes, and what bad input leaves untouched."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from feed import services
from feed.models import Comment, Post, Reaction
from moderation.models import AuditEntry
from tests.factories import PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def post(author):
    return PostFactory(author=author, body="Shipped the new onboarding flow")


# --- Posts ---------------------------------------------------------------------------------


def test_author_creates_post_with_surrounding_whitespace_trimmed(author):
    post = services.post_create(author=author, body="  Hello Hive  \n")

    post.refresh_from_db()
    assert post.author == author
    assert post.body == "Hello Hive"
    assert post.kind == Post.Kind.UPDATE
    assert post.removed_at is None


@pytest.mark.parametrize("body", ["", "   \n\t  ", None])
def test_empty_post_is_refused_and_nothing_saved(author, body):
    with pytest.raises(ValidationError, match="Your post is empty"):
        services.post_create(author=author, body=body)
    assert not Post.objects.exists()


def test_post_over_the_limit_is_refused_and_nothing_saved(author, settings):
    with pytest.raises(ValidationError, match="5001 characters long; the limit is 5000"):
        services.post_create(author=author, body="x" * (settings.HIVE_POST_MAX_LENGTH + 1))
    assert not Post.objects.exists()


def test_post_exactly_at_the_limit_is_accepted(author, settings):
    post = services.post_create(author=author, body="x" * settings.HIVE_POST_MAX_LENGTH)
    assert len(post.body) == settings.HIVE_POST_MAX_LENGTH


def test_author_edits_own_post_and_it_is_marked_edited(author, post):
    services.post_edit(post_id=post.pk, editor=author, body="Shipped the new onboarding flow (v2)")

    post.refresh_from_db()
    assert post.body == "Shipped the new onboarding flow (v2)"
    assert post.edited_at is not None


def test_colleague_cannot_edit_someone_elses_post(colleague, post):
    with pytest.raises(PermissionDenied):
        services.post_edit(post_id=post.pk, editor=colleague, body="Hijacked")

    post.refresh_from_db()
    assert post.body == "Shipped the new onboarding flow"
    assert post.edited_at is None


def test_edit_to_an_empty_body_is_refused_and_the_post_unchanged(author, post):
    with pytest.raises(ValidationError, match="empty"):
        services.post_edit(post_id=post.pk, editor=author, body="   ")

    post.refresh_from_db()
    assert post.body == "Shipped the new onboarding flow"
    assert post.edited_at is None


def test_kudos_post_cannot_be_edited(author):
    kudos_post = PostFactory(author=author, kind=Post.Kind.KUDOS, body="Thanks Colin")

    with pytest.raises(ValidationError, match="Kudos can't be edited"):
        services.post_edit(post_id=kudos_post.pk, editor=author, body="Thanks nobody")

    kudos_post.refresh_from_db()
    assert kudos_post.body == "Thanks Colin"


def test_author_deletes_own_post_softly_and_it_is_audited(author, post):
    services.post_delete(post_id=post.pk, actor=author)

    post.refresh_from_db()  # the row stays, for moderation and the audit trail
    assert post.removed_at is not None
    assert post.removed_by == author
    entry = AuditEntry.objects.get(action="post.delete")
    assert entry.actor == author
    assert entry.target == post


def test_colleague_cannot_delete_someone_elses_post(colleague, post):
    with pytest.raises(PermissionDenied):
        services.post_delete(post_id=post.pk, actor=colleague)

    post.refresh_from_db()
    assert post.removed_at is None
    assert not AuditEntry.objects.exists()


def test_deleted_post_can_be_neither_edited_nor_deleted_again(author, post):
    services.post_delete(post_id=post.pk, actor=author)

    with pytest.raises(ValidationError, match="no longer exists"):
        services.post_edit(post_id=post.pk, editor=author, body="Back from the dead")
    with pytest.raises(ValidationError, match="no longer exists"):
        services.post_delete(post_id=post.pk, actor=author)
    assert AuditEntry.objects.filter(action="post.delete").count() == 1


# --- Comments ------------------------------------------------------------------------------


def test_comment_is_saved_and_counted_on_the_post(colleague, outsider, post):
    services.comment_create(post_id=post.pk, author=colleague, body="  Congrats!  ")
    services.comment_create(post_id=post.pk, author=outsider, body="Nice work")

    post.refresh_from_db()
    assert post.comment_count == 2
    assert list(post.comments.order_by("id").values_list("author", "body")) == [
        (colleague.pk, "Congrats!"),
        (outsider.pk, "Nice work"),
    ]


@pytest.mark.parametrize("body", ["", "  \n "])
def test_empty_comment_is_refused_and_nothing_saved(colleague, post, body):
    with pytest.raises(ValidationError, match="Your comment is empty"):
        services.comment_create(post_id=post.pk, author=colleague, body=body)

    post.refresh_from_db()
    assert post.comment_count == 0
    assert not Comment.objects.exists()


def test_comment_over_the_limit_is_refused_and_not_counted(colleague, post, settings):
    with pytest.raises(ValidationError, match="the limit is 2000"):
        services.comment_create(
            post_id=post.pk, author=colleague, body="x" * (settings.HIVE_COMMENT_MAX_LENGTH + 1)
        )

    post.refresh_from_db()
    assert post.comment_count == 0
    assert not Comment.objects.exists()


def test_comment_on_a_removed_post_is_refused(author, colleague, post):
    services.post_delete(post_id=post.pk, actor=author)

    with pytest.raises(ValidationError, match="no longer exists"):
        services.comment_create(post_id=post.pk, author=colleague, body="Too late")
    assert not Comment.objects.exists()


# --- Reactions -----------------------------------------------------------------------------


def test_reacting_records_the_reaction_and_counts_it(colleague, post):
    reaction = services.reaction_toggle(post_id=post.pk, profile=colleague, kind=Reaction.Kind.CELEBRATE)

    post.refresh_from_db()
    assert reaction.kind == Reaction.Kind.CELEBRATE
    assert post.reaction_count == 1


def test_reacting_again_with_the_same_kind_takes_it_back(colleague, post):
    services.reaction_toggle(post_id=post.pk, profile=colleague, kind=Reaction.Kind.LIKE)
    result = services.reaction_toggle(post_id=post.pk, profile=colleague, kind=Reaction.Kind.LIKE)

    post.refresh_from_db()
    assert result is None
    assert post.reaction_count == 0
    assert not Reaction.objects.exists()


def test_reacting_with_another_kind_switches_without_counting_twice(colleague, post):
    services.reaction_toggle(post_id=post.pk, profile=colleague, kind=Reaction.Kind.LIKE)
    services.reaction_toggle(post_id=post.pk, profile=colleague, kind=Reaction.Kind.INSIGHTFUL)

    post.refresh_from_db()
    assert post.reaction_count == 1
    assert Reaction.objects.get().kind == Reaction.Kind.INSIGHTFUL


def test_reaction_count_matches_the_reactions_after_many_people_toggle(post):
    people = ProfileFactory.create_batch(4)
    sequence = [
        (people[0], "like"),
        (people[1], "like"),
        (people[2], "support"),
        (people[0], "celebrate"),  # switch
        (people[1], "like"),  # take back
        (people[3], "insightful"),
        (people[2], "support"),  # take back
        (people[2], "like"),
    ]
    for person, kind in sequence:
        services.reaction_toggle(post_id=post.pk, profile=person, kind=kind)

    post.refresh_from_db()
    assert post.reaction_count == Reaction.objects.filter(post=post).count() == 3
    assert dict(Reaction.objects.values_list("profile", "kind")) == {
        people[0].pk: "celebrate",
        people[2].pk: "like",
        people[3].pk: "insightful",
    }


@pytest.mark.parametrize("kind", ["", "love", "LIKE"])
def test_unknown_reaction_is_refused(colleague, post, kind):
    with pytest.raises(ValidationError, match="Unknown reaction"):
        services.reaction_toggle(post_id=post.pk, profile=colleague, kind=kind)

    post.refresh_from_db()
    assert post.reaction_count == 0
    assert not Reaction.objects.exists()


def test_reacting_to_a_removed_post_fails(author, colleague, post):
    services.post_delete(post_id=post.pk, actor=author)

    with pytest.raises(ValidationError, match="no longer exists"):
        services.reaction_toggle(post_id=post.pk, profile=colleague, kind=Reaction.Kind.LIKE)

    post.refresh_from_db()
    assert post.reaction_count == 0
    assert not Reaction.objects.exists()
