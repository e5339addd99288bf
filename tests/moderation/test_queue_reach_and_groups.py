"""The queue weighs reach beside the flags' score (a post the whole company reads comes before the same
flags on a small group's post) and filters by the group the content was written in, in the same
fixed number of queries."""

import pytest

from communities.models import Community
from communities.services import community_create
from feed.services import comment_create, post_create
from moderation import services
from moderation.models import Case
from moderation.selectors import QueueFilter, queue_page
from tests.factories import PostFactory, ProfileFactory
from tests.moderation.test_views import QUEUE_MAX_QUERIES

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_group(author):
    return community_create(creator=author, name="Bike club", category="social", visibility="public")


def _flag(content, flagger=None) -> Case:
    return services.flag_create(flagger=flagger or ProfileFactory(), content=content, reason="spam").case


def test_a_case_records_its_group_and_how_many_can_read_it(author, small_group):
    ProfileFactory.create_batch(9)
    company = _flag(post_create(author=author, body="For everyone"))
    in_group = _flag(post_create(author=author, body="For the club", community=small_group))
    comment = _flag(comment_create(post_id=in_group.object_id, author=ProfileFactory(), body="Me too"))

    assert (company.group_id, company.reach) == (None, services.company_audience())
    assert company.reach >= 10
    assert (in_group.group_id, in_group.group_name, in_group.reach) == (small_group.pk, "Bike club", 1)
    assert (comment.group_id, comment.reach) == (small_group.pk, 1)


def test_with_equal_flags_the_post_more_people_read_comes_first(author, small_group):
    ProfileFactory.create_batch(20)
    older_small = _flag(post_create(author=author, body="For the club", community=small_group))
    newer_company = _flag(post_create(author=author, body="For everyone"))

    order = [c.pk for c in queue_page(cursor=None).items]

    assert order == [newer_company.pk, older_small.pk]
    assert newer_company.priority > older_small.priority
    assert newer_company.score == older_small.score


def test_a_well_founded_flag_on_a_small_groups_post_still_outranks_a_lone_flag(author, small_group):
    ProfileFactory.create_batch(20)
    lone = _flag(post_create(author=author, body="For everyone"))
    small = post_create(author=author, body="For the club", community=small_group)
    for _ in range(2):
        case = _flag(small)

    assert [c.pk for c in queue_page(cursor=None).items] == [case.pk, lone.pk]


def test_the_queue_filters_by_group(author, small_group, moderator_client):
    other = community_create(creator=author, name="Chess", category="social", visibility="public")
    club = _flag(post_create(author=author, body="Club post", community=small_group))
    _flag(post_create(author=author, body="Chess post", community=other))
    _flag(post_create(author=author, body="Company post"))

    assert [c.pk for c in queue_page(cursor=None, filters=QueueFilter(group_id=small_group.pk)).items] == [
        club.pk
    ]
    page = moderator_client.get(f"/moderation/?group={small_group.pk}").content.decode()
    assert "Club post" in page and "Chess post" not in page and "Company post" not in page
    assert f'<option value="{small_group.pk}" selected>Bike club (1)</option>' in page
    assert f'<option value="{other.pk}">Chess (1)</option>' in page


def test_a_bad_group_in_the_address_is_ignored(moderator_client, author):
    _flag(post_create(author=author, body="Company post"))
    for bad in ("x", "-1", "9" * 40):
        page = moderator_client.get(f"/moderation/?group={bad}")
        assert page.status_code == 200 and "Company post" in page.content.decode()


@pytest.mark.parametrize("size", [3, 20])
def test_the_group_filtered_queue_runs_a_fixed_number_of_queries(
    moderator_client, django_assert_max_num_queries, size, author
):
    groups = [
        community_create(creator=author, name=f"Group {i}", category="work", visibility="public")
        for i in range(3)
    ]
    for i in range(size):
        _flag(PostFactory(community=groups[i % 3]))
    moderator_client.get("/moderation/")

    with django_assert_max_num_queries(QUEUE_MAX_QUERIES):
        page = moderator_client.get(f"/moderation/?group={groups[0].pk}")

    shown = page.content.decode().count('<article class="card" id="case-')
    assert shown == Case.objects.filter(group_id=groups[0].pk).count() == len(range(0, size, 3))


def test_the_group_name_stays_as_it_was_when_flagged(author, small_group):
    case = _flag(post_create(author=author, body="Club post", community=small_group))
    Community.objects.filter(pk=small_group.pk).update(name="Cycling")

    assert Case.objects.get(pk=case.pk).group_name == "Bike club"
