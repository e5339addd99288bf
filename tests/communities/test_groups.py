"""Creating, joining, asking to join, deciding, leaving: groups as their members use them."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import services
from communities.models import Community, JoinRequest, Membership
from tests.factories import PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def test_creator_starts_a_group_through_the_page_and_is_its_admin(author, author_client):
    response = author_client.post(
        "/groups/new/",
        {"name": "Data guild", "description": "SQL tips", "category": "work", "visibility": "public"},
    )

    group = Community.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/groups/{group.slug}/"
    assert Membership.objects.get(community=group).role == Membership.Role.ADMIN
    assert group.member_count == 1


def test_a_second_group_with_the_same_name_is_refused_clearly(author_client, public_group):
    response = author_client.post(
        "/groups/new/", {"name": "running CLUB", "category": "social", "visibility": "public"}
    )

    assert response.status_code == 400
    assert "There is already a group called running CLUB" in response.content.decode()
    assert Community.objects.count() == 1


def test_empty_name_is_refused_and_nothing_saved(author_client):
    response = author_client.post("/groups/new/", {"name": "  ", "category": "work", "visibility": "public"})

    assert response.status_code == 400
    assert "Give the group a name." in response.content.decode()
    assert not Community.objects.exists()


def test_anyone_joins_a_public_group_and_posts_in_its_feed(outsider, outsider_client, public_group):
    outsider_client.post(f"/groups/{public_group.slug}/join/")
    outsider_client.post(f"/groups/{public_group.slug}/", {"body": "Who's in for Thursday?"})

    public_group.refresh_from_db()
    assert public_group.member_count == 2
    page = outsider_client.get(f"/groups/{public_group.slug}/").content.decode()
    assert "Who&#x27;s in for Thursday?" in page or "Who's in for Thursday?" in page
    home = outsider_client.get("/").content.decode()
    assert f'in <a href="/groups/{public_group.slug}/">Running club</a>' in home


def test_private_group_needs_an_admins_approval(
    author, outsider, outsider_client, author_client, private_group
):
    outsider_client.post(f"/groups/{private_group.slug}/join/", {"message": "I run the numbers"})
    request = JoinRequest.objects.get(profile=outsider)
    assert not Membership.objects.filter(community=private_group, profile=outsider).exists()
    assert "I run the numbers" in author_client.get(f"/groups/{private_group.slug}/").content.decode()

    author_client.post(f"/groups/{private_group.slug}/requests/{request.pk}/", {"decision": "approve"})

    assert Membership.objects.filter(community=private_group, profile=outsider).exists()
    private_group.refresh_from_db()
    assert private_group.member_count == 3


def test_asking_twice_is_refused_with_a_message(outsider, private_group):
    services.join_request_create(community=private_group, profile=outsider)

    with pytest.raises(ValidationError, match="already asked to join"):
        services.join_request_create(community=private_group, profile=outsider)
    assert JoinRequest.objects.filter(profile=outsider).count() == 1


def test_only_an_admin_decides_on_requests(colleague, outsider, private_group):
    request = services.join_request_create(community=private_group, profile=outsider)

    with pytest.raises(PermissionDenied):
        services.join_request_decide(request_id=request.pk, admin=colleague, approve=True)
    request.refresh_from_db()
    assert request.status == JoinRequest.Status.PENDING


def test_the_only_admin_cannot_leave_members_without_an_admin(author, colleague, private_group):
    with pytest.raises(ValidationError, match="only admin"):
        services.community_leave(community=private_group, profile=author)

    services.membership_role_set(
        community=private_group, admin=author, member_id=colleague.pk, role=Membership.Role.ADMIN
    )
    services.community_leave(community=private_group, profile=author)
    private_group.refresh_from_db()
    assert private_group.member_count == 1


def test_joining_a_private_group_directly_is_refused(outsider, private_group):
    with pytest.raises(ValidationError, match="private"):
        services.community_join(community=private_group, profile=outsider)


def test_group_pages_run_a_fixed_number_of_queries(
    author, author_client, public_group, django_assert_max_num_queries
):
    def fill(n):
        for i in range(n):
            member = ProfileFactory()
            services.community_join(community=public_group, profile=member)
            PostFactory(author=member, community=public_group)
            services.community_create(
                creator=member, name=f"Group {n}-{i}", category="work", visibility="public"
            )

    fill(3)
    author_client.get("/groups/")
    with django_assert_max_num_queries(20) as small:
        author_client.get("/groups/")
        author_client.get(f"/groups/{public_group.slug}/")
    fill(25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        author_client.get("/groups/")
        author_client.get(f"/groups/{public_group.slug}/")


# Session, user, viewer profile, roles, the group, the viewer's groups, one page of members with
# their department and office.
MEMBERS_PAGE_MAX_QUERIES = 7


@pytest.mark.parametrize("size", [3, 40])
def test_members_page_queries_stay_fixed_however_many_members(
    author, colleague_client, public_group, django_assert_max_num_queries, size
):
    from tests.factories import DepartmentFactory, LocationFactory

    for n in range(size):
        member = ProfileFactory(
            display_name=f"Member {n:02d}",
            department=DepartmentFactory(name=f"Dept {n}"),
            location=LocationFactory(name=f"Office {n}"),
        )
        services.community_join(community=public_group, profile=member)
    url = f"/groups/{public_group.slug}/members/"
    colleague_client.get(url)

    with django_assert_max_num_queries(MEMBERS_PAGE_MAX_QUERIES):
        page = colleague_client.get(url).content.decode()

    assert "Member 00" in page and f"Office {min(size, 39) - 1}" in page
