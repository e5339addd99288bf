"""A private group's content never reaches a non-member's digest, however it would have got there:
the group's busiest posts, an announcement, a question in their skills, someone or a tag they follow,
a mention written while they were still a member."""

import pytest
from django.utils import timezone

from communities import services as community_services
from digests.tasks import digest_send_day
from feed import services as feed_services
from feed.models import Post
from tests.factories import PostFactory
from tests.helpers import lists

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]
SECRET = "Project Falcon"


def _everything_they_got(mailoutbox, profile) -> str:
    return "".join(m.body + m.alternatives[0][0] for m in mailoutbox if m.to == [profile.user.email])


def test_a_private_groups_posts_reach_members_only(
    author, colleague, outsider, poster, private_group, mailoutbox
):
    lists(outsider, "Mergers")
    feed_services.follow_person_toggle(follower=outsider, followee=poster)
    feed_services.post_create(author=poster, body="Buying things #mergers", community=private_group)
    feed_services.follow_tag_toggle(
        follower=outsider, tag=Post.objects.get(body__startswith="Buying").tags.get(name="mergers")
    )
    feed_services.post_create(author=poster, body=f"{SECRET}: we are buying Acme", community=private_group)
    secret = Post.objects.get(body__startswith=SECRET)
    Post.objects.filter(pk=secret.pk).update(reaction_count=500, comment_count=80)  # the day's busiest
    feed_services.post_create(
        author=poster,
        kind=Post.Kind.QUESTION,
        body=f"{SECRET} #mergers: who knows the lawyers?",
        community=private_group,
    )
    PostFactory(author=poster, body="Canteen has a new menu")  # so Olga's digest is not empty

    digest_send_day.delay(timezone.localdate().isoformat())

    assert SECRET in _everything_they_got(mailoutbox, colleague)
    olga = _everything_they_got(mailoutbox, outsider)
    assert "Canteen has a new menu" in olga
    assert SECRET not in olga and "Buying things" not in olga


def test_a_mention_from_a_group_they_have_left_is_not_repeated(
    author, outsider, poster, private_group, mailoutbox
):
    request = community_services.join_request_create(community=private_group, profile=outsider)
    community_services.join_request_decide(request_id=request.pk, admin=author, approve=True)
    feed_services.post_create(author=poster, body=f"@olga {SECRET} needs you", community=private_group)
    community_services.community_leave(community=private_group, profile=outsider)
    PostFactory(author=poster, body="Canteen has a new menu")
    mailoutbox.clear()  # the mention's own email went while she was a member

    digest_send_day.delay(timezone.localdate().isoformat())

    olga = _everything_they_got(mailoutbox, outsider)
    assert "Canteen has a new menu" in olga
    assert SECRET not in olga
