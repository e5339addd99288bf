"""A private group's content never reaches non-members: not in any page, count, email or action."""

from datetime import timedelta

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone

from digests.tasks import digest_send_day
from feed import services as feed_services
from feed.models import Comment, Post, Reaction
from moderation.models import Flag
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db
SECRET = "Project Falcon"


def test_members_see_the_private_post_everywhere_they_look(colleague_client, secret_post, private_group):
    assert SECRET in colleague_client.get("/").content.decode()
    assert SECRET in colleague_client.get(f"/posts/{secret_post.pk}/").content.decode()
    assert SECRET in colleague_client.get(f"/groups/{private_group.slug}/").content.decode()


def test_outsider_sees_no_trace_in_the_feed_post_page_or_group(outsider_client, secret_post, private_group):
    assert SECRET not in outsider_client.get("/").content.decode()
    assert outsider_client.get(f"/posts/{secret_post.pk}/").status_code == 404
    group_page = outsider_client.get(f"/groups/{private_group.slug}/").content.decode()
    assert SECRET not in group_page
    assert "only its members see its posts" in group_page
    assert outsider_client.get(f"/groups/{private_group.slug}/members/").status_code == 403


def test_outsider_does_not_see_it_in_the_authors_recent_activity(outsider, colleague, author, secret_post):
    from feed.selectors import author_posts

    assert secret_post not in author_posts(viewer=outsider, author=author)
    assert secret_post in author_posts(viewer=colleague, author=author)


def test_outsider_is_not_told_of_new_private_posts(outsider, outsider_client, author, private_group):
    older = PostFactory(author=author, created_at=timezone.now() - timedelta(minutes=5))
    feed_services.post_create(author=author, body=f"{SECRET} update", community=private_group)

    assert "new post" not in outsider_client.get(f"/new-posts/?after={older.pk}").content.decode()


def test_outsider_cannot_comment_react_or_flag_it(outsider, outsider_client, secret_post):
    outsider_client.post(f"/posts/{secret_post.pk}/", {"body": "What is Falcon?"})
    outsider_client.post(f"/posts/{secret_post.pk}/react/", {"kind": "like"})
    content_type = ContentType.objects.get_for_model(Post)
    flag = outsider_client.post(f"/moderation/flag/{content_type.pk}/{secret_post.pk}/", {"reason": "spam"})

    assert flag.status_code == 404
    assert not Comment.objects.exists() and not Reaction.objects.exists() and not Flag.objects.exists()
    with pytest.raises(ValidationError):
        feed_services.reaction_toggle(post_id=secret_post.pk, profile=outsider, kind="like")


def test_private_posts_never_go_out_in_the_digest(author, colleague, outsider, secret_post, mailoutbox):
    PostFactory(author=author, body="Canteen has a new menu")
    digest_send_day.delay(timezone.localdate().isoformat())

    assert mailoutbox, "the public post should still make a digest"
    for message in [m for m in mailoutbox if m.to == [outsider.user.email]]:
        assert SECRET not in message.body
        assert SECRET not in message.alternatives[0][0]


def test_only_members_post_in_a_group(outsider, outsider_client, public_group):
    response = outsider_client.post(f"/groups/{public_group.slug}/", {"body": "Hello runners"})

    assert response.status_code == 403
    assert not Post.objects.exists()
