import pytest
from django.utils import timezone

from communities import services as community_services
from communities.models import Community
from tests.factories import ProfileFactory
from tests.helpers import digest_off


@pytest.fixture
def poster(db):
    """Writes the posts the others' digests are made of; gets no digest of their own."""
    return digest_off(ProfileFactory(display_name="Pat Poster", user__email="pat@example.com"))


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def private_group(author, colleague, poster):
    """Ada admins it; Colin and Pat are members; Olga the outsider is not."""
    group = community_services.community_create(
        creator=author, name="M&A deal room", category="work", visibility=Community.Visibility.PRIVATE
    )
    for member in (colleague, poster):
        request = community_services.join_request_create(community=group, profile=member)
        community_services.join_request_decide(request_id=request.pk, admin=author, approve=True)
    group.refresh_from_db()
    return group
