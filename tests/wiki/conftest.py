import pytest

from communities import services as communities
from profiles import roles
from tests.factories import ProfileFactory, in_group
from wiki import services


@pytest.fixture
def editor(db):
    """In the Communications team: writes the company wiki."""
    return in_group(
        ProfileFactory(display_name="Eve Editor", user__email="eve@example.com"), roles.COMMUNICATIONS
    )


@pytest.fixture
def secret_group(author, colleague):
    """A private group: Ada (admin) and Colin are in it."""
    group = communities.community_create(
        creator=author, name="Falcon team", category="work", visibility="private"
    )
    communities.invitation_answer(
        invitation_id=communities.invitation_create(community=group, inviter=author, invitee=colleague).pk,
        invitee=colleague,
        accept=True,
    )
    return group


@pytest.fixture
def secret_page(author, secret_group):
    return services.page_create(
        author=author,
        community=secret_group,
        title="Falcon launch plan",
        body="The zanzibar acquisition closes in March.",
    )
