"""The leadership corner: the Leadership group's posts and events on one page, and one button to follow
the whole team."""

from datetime import timedelta

import pytest
from django.utils import timezone

from communities import services as communities
from events import services
from feed import services as feed
from feed.models import FollowPerson
from profiles import roles
from tests.factories import ProfileFactory, in_group
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


@pytest.fixture
def team(db):
    return [
        in_group(ProfileFactory(display_name="Ceo Carla"), roles.LEADERSHIP),
        in_group(ProfileFactory(display_name="Cfo Frank"), roles.LEADERSHIP),
    ]


def test_the_corner_gathers_leaders_posts_and_events_and_nobody_elses(team, author, colleague, outsider):
    carla, frank = team
    feed.post_create(author=carla, body="Our strategy for next year")
    feed.post_create(author=author, body="Lunch anyone?")
    board = communities.community_create(creator=frank, name="Board", category="work", visibility="private")
    feed.post_create(author=frank, body="Board minutes draft", community=board)
    starts = timezone.now() + timedelta(days=1)
    services.event_create(
        creator=carla, title="Ask Carla anything", description="", hosts=[carla],
        starts_at=starts, ends_at=starts + timedelta(hours=1),
    )  # fmt: skip

    page = signed_in(colleague).get("/leadership/").content.decode()
    assert "Ceo Carla" in page and "Cfo Frank" in page
    assert "Our strategy for next year" in page and "Ask Carla anything" in page
    assert "Lunch anyone?" not in page  # not a leader
    assert "Board minutes draft" not in page  # a private group he is not in


def test_one_button_follows_and_unfollows_the_whole_team(team, colleague):
    leaving = in_group(ProfileFactory(display_name="Gone Gary"), roles.LEADERSHIP)
    leaving.user.is_active = False
    leaving.user.save()
    client = signed_in(colleague)

    response = client.post("/leadership/follow/", {"follow": "1"}, follow=True)
    assert "You follow the leadership team" in response.content.decode()
    assert set(FollowPerson.objects.filter(follower=colleague).values_list("followee_id", flat=True)) == {
        p.pk for p in team
    }
    assert "Following the leadership team: stop" in client.get("/leadership/").content.decode()
    client.post("/leadership/follow/", {"follow": "1"})  # twice: still one follow each
    assert FollowPerson.objects.filter(follower=colleague).count() == 2

    client.post("/leadership/follow/", {"follow": "0"})
    assert not FollowPerson.objects.filter(follower=colleague).exists()


def test_a_leader_following_the_team_does_not_follow_themselves(team):
    carla, frank = team
    assert feed.follow_people_set(follower=carla, followees=team, follow=True) == 1
    assert list(FollowPerson.objects.values_list("followee_id", flat=True)) == [frank.pk]
