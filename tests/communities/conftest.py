import pytest

from communities import services
from communities.models import Community
from feed.services import post_create


@pytest.fixture
def public_group(author):
    return services.community_create(
        creator=author,
        name="Running club",
        description="Lunchtime runs",
        category="social",
        visibility="public",
    )


@pytest.fixture
def private_group(author, colleague):
    """Ada admins it; Colin is a member; Olga the outsider is not."""
    group = services.community_create(
        creator=author, name="M&A deal room", category="work", visibility=Community.Visibility.PRIVATE
    )
    request = services.join_request_create(community=group, profile=colleague)
    services.join_request_decide(request_id=request.pk, admin=author, approve=True)
    group.refresh_from_db()
    return group


@pytest.fixture
def secret_post(author, private_group):
    return post_create(author=author, body="Project Falcon: we are buying Acme", community=private_group)
