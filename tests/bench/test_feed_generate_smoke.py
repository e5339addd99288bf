"""The feed benchmark's generator at a tiny size: right counts, counters equal to rows, a usable viewer."""

import pytest
from django.db.models import Count, F, Max

from bench.feed.generate import VIEWER_FOLLOWS_PEOPLE, VIEWER_GROUPS, VIEWER_TAGS, Size, populate
from communities.models import Community, Membership
from feed import selectors
from feed.hashtags import hashtags_find
from feed.models import Comment, FollowPerson, FollowTag, Post, PostTag, Reaction
from profiles.models import Profile
from tests.factories import PostFactory

SIZE = Size.scaled(employees=300, posts=600)


@pytest.fixture
def feed(db):
    return populate(size=SIZE, seed=1, log=lambda line: None)


def test_generator_makes_the_requested_feed(feed):
    assert Profile.objects.count() == SIZE.employees
    assert Community.objects.count() == SIZE.groups
    assert Post.objects.count() == SIZE.posts
    in_groups = Post.objects.filter(community__isnull=False).count() / SIZE.posts
    assert 0.15 < in_groups < 0.45
    assert Community.objects.filter(visibility="private").count() == int(SIZE.groups * SIZE.private_share)
    # Heavy-tailed, but about the asked-for totals, besides the few long threads.
    ordinary_comments = Comment.objects.exclude(post_id__in=feed.hot_post_ids).count()
    ordinary_reactions = Reaction.objects.exclude(post_id__in=feed.hot_post_ids).count()
    assert 0.6 * SIZE.comments < ordinary_comments < 1.4 * SIZE.comments
    assert 0.6 * SIZE.reactions < ordinary_reactions < 1.4 * SIZE.reactions
    assert feed.counts["posts"] == SIZE.posts
    assert feed.counts["comments"] == Comment.objects.count()


def test_counters_match_their_rows(feed):
    posts = Post.objects.annotate(
        comments_n=Count("comments", distinct=True), reactions_n=Count("reactions", distinct=True)
    )
    assert not posts.exclude(comments_n=F("comment_count")).exists()
    assert not posts.exclude(reactions_n=F("reaction_count")).exists()
    groups = Community.objects.annotate(n=Count("memberships"))
    assert not groups.exclude(n=F("member_count")).exists()
    assert Membership.objects.filter(role="admin").count() == SIZE.groups


def test_threads_and_tags_are_well_formed(feed):
    replies = Comment.objects.filter(parent__isnull=False)
    assert replies.exists()
    assert not replies.exclude(parent__post=F("post")).exists()
    assert not replies.filter(parent__parent__isnull=False).exists()  # one level of replies
    assert not Post.objects.filter(best_answer__isnull=False).exclude(best_answer__post=F("pk")).exists()
    tagged = PostTag.objects.select_related("tag", "content_object")[:50]
    assert tagged
    for item in tagged:
        assert item.tag.name in hashtags_find(item.content_object.body)
    assert Post.objects.filter(kind="question").exists()
    assert Post.objects.filter(id__in=feed.hot_post_ids, comment_count=SIZE.hot_comments).count() == len(
        feed.hot_post_ids
    )


def test_viewer_follows_people_groups_and_tags(feed):
    viewer = Profile.objects.get(pk=feed.viewer_id)
    assert viewer.user.is_active
    assert FollowPerson.objects.filter(follower=viewer).count() == VIEWER_FOLLOWS_PEOPLE
    assert FollowTag.objects.filter(follower=viewer).count() == VIEWER_TAGS
    groups = set(Membership.objects.filter(profile=viewer).values_list("community_id", flat=True))
    assert set(feed.viewer_group_ids) == groups
    assert len(feed.viewer_group_ids) == min(VIEWER_GROUPS, SIZE.groups)
    page = selectors.home_feed_page(viewer=viewer, cursor=None)
    assert page is not None and page.items and page.next_cursor


def test_ids_continue_after_the_bulk_load(feed):
    # The sequences were moved past the copied ids: a normal insert does not collide.
    last = Post.objects.aggregate(last=Max("id"))["last"]
    assert PostFactory().pk > last
