"""Groups, profiles and kudos can be flagged like posts: the flag button is on their pages for those who
may see them (never for their author), they reach the queue and the case page, and a removal hides the
group's description, the bio or the kudos from everyone until an appeal or an admin brings it back."""

import pytest
from django.contrib.contenttypes.models import ContentType

from communities.models import Community
from communities.services import community_create
from moderation import services
from moderation.models import Case
from profiles.models import Profile
from profiles.services import profile_update
from recognition.models import Kudos
from tests.factories import KudosFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def _flag_url(content) -> str:
    return f"/moderation/flag/{ContentType.objects.get_for_model(content).pk}/{content.pk}/"


def _case(content) -> Case | None:
    return Case.objects.filter(
        content_type=ContentType.objects.get_for_model(content), object_id=content.pk
    ).first()


@pytest.fixture
def group(author):
    return community_create(
        creator=author,
        name="Crypto club",
        description="Buy my coin before it moons",
        category="social",
        visibility="public",
    )


@pytest.fixture
def bio(author):
    profile_update(profile=author, editor=author.user, bio="DM me for cheap watches")
    return author


@pytest.fixture
def private_kudos(author, colleague):
    return KudosFactory(
        giver=author, recipients=[colleague], message="You owe me one now", is_private=True, post=None
    )


# --- Groups ---------------------------------------------------------------------------------------


def test_a_colleague_flags_a_group_from_its_page_and_it_reaches_the_queue(
    group, colleague_client, author_client, moderator_client
):
    page = colleague_client.get(group.get_absolute_url()).content.decode()
    assert f'action="{_flag_url(group)}"' in page
    assert f'action="{_flag_url(group)}"' not in author_client.get(group.get_absolute_url()).content.decode()

    colleague_client.post(_flag_url(group), {"reason": "spam", "next": group.get_absolute_url()})

    case = _case(group)
    assert case is not None and case.content_author_id == group.created_by_id
    assert (case.group_id, case.group_name) == (group.pk, "Crypto club")
    queue = moderator_client.get("/moderation/?kind=community").content.decode()
    assert "Buy my coin" in queue and "Group by" in queue
    assert "Buy my coin" in moderator_client.get(case.get_absolute_url()).content.decode()


def test_removing_a_group_hides_its_description_and_an_admin_restores_it(
    group, colleague, moderator, superuser, colleague_client
):
    case = services.flag_create(flagger=colleague, content=group, reason="spam").case

    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Advertising")

    page = colleague_client.get(group.get_absolute_url()).content.decode()
    assert "Buy my coin" not in page and "removed by a moderator" in page
    assert "Buy my coin" not in colleague_client.get("/groups/").content.decode()
    assert Community.objects.get(pk=group.pk).description == "Buy my coin before it moons"  # kept

    services.case_restore(case_id=case.pk, admin=superuser, note="It was a joke group")
    assert "Buy my coin" in colleague_client.get(group.get_absolute_url()).content.decode()


def test_keeping_a_flagged_group_changes_nothing(group, colleague, moderator, colleague_client):
    case = services.flag_create(flagger=colleague, content=group, reason="other").case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    assert "Buy my coin" in colleague_client.get(group.get_absolute_url()).content.decode()


def test_a_moderator_edits_a_groups_description(group, colleague, moderator):
    case = services.flag_create(flagger=colleague, content=group, reason="spam").case
    services.case_decide(
        case_id=case.pk, moderator=moderator, decision="edit", note="No selling", text="A club about crypto"
    )

    assert Community.objects.get(pk=group.pk).description == "A club about crypto"
    assert Case.objects.get(pk=case.pk).edited_from == "Buy my coin before it moons"


# --- Profiles -------------------------------------------------------------------------------------


def test_a_colleague_flags_a_profile_but_nobody_flags_their_own(bio, author, colleague_client, author_client):
    assert f'action="{_flag_url(bio)}"' in colleague_client.get(bio.get_absolute_url()).content.decode()
    assert f'action="{_flag_url(bio)}"' not in author_client.get(bio.get_absolute_url()).content.decode()

    author_client.post(_flag_url(bio), {"reason": "spam"})
    assert _case(bio) is None
    colleague_client.post(_flag_url(bio), {"reason": "spam"})
    case = _case(bio)
    assert case is not None and case.content_author_id == author.pk and "cheap watches" in case.excerpt


def test_removing_a_profiles_text_hides_the_bio_until_its_owner_writes_a_new_one(
    bio, author, colleague, moderator, colleague_client, author_client
):
    case = services.flag_create(flagger=colleague, content=bio, reason="spam").case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Selling")

    page = colleague_client.get(bio.get_absolute_url()).content.decode()
    assert "cheap watches" not in page and "removed by a moderator" in page
    assert "A moderator removed your bio" in author_client.get(bio.get_absolute_url()).content.decode()
    assert Profile.objects.get(pk=author.pk).bio == "DM me for cheap watches"  # kept for an appeal

    profile_update(profile=Profile.objects.get(pk=author.pk), editor=author.user, bio="Backend engineer")
    assert "Backend engineer" in colleague_client.get(bio.get_absolute_url()).content.decode()


def test_an_overturned_appeal_brings_the_bio_back(
    bio, author, colleague, moderator, superuser, colleague_client
):
    case = services.flag_create(flagger=colleague, content=bio, reason="spam").case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Selling")
    services.appeal_create(case_id=case.pk, appellant=author, reason="It's a joke")
    services.appeal_decide(case_id=case.pk, moderator=superuser, overturn=True, note="Fair enough")

    assert "cheap watches" in colleague_client.get(bio.get_absolute_url()).content.decode()


# --- Kudos ----------------------------------------------------------------------------------------


def test_a_recipient_flags_a_private_kudos_but_an_outsider_cannot_reach_it(
    private_kudos, colleague_client, outsider_client, author_client
):
    url = private_kudos.get_absolute_url()
    assert f'action="{_flag_url(private_kudos)}"' in colleague_client.get(url).content.decode()
    assert f'action="{_flag_url(private_kudos)}"' not in author_client.get(url).content.decode()

    assert outsider_client.post(_flag_url(private_kudos), {"reason": "spam"}).status_code == 404
    assert _case(private_kudos) is None
    colleague_client.post(_flag_url(private_kudos), {"reason": "other", "note": "Pressure"})
    case = _case(private_kudos)
    assert case is not None and case.reach == 2 and "You owe me one" in case.excerpt


def test_removing_a_private_kudos_hides_it_from_its_recipients(
    private_kudos, colleague, moderator, colleague_client
):
    case = services.flag_create(flagger=colleague, content=private_kudos, reason="spam").case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Not kudos")

    assert colleague_client.get(private_kudos.get_absolute_url()).status_code == 404
    assert "You owe me one" not in colleague_client.get(colleague.get_absolute_url()).content.decode()
    assert Kudos.objects.get(pk=private_kudos.pk).message == "You owe me one now"


def test_a_public_kudos_is_flagged_and_removed_as_its_feed_post(
    author, colleague, moderator, colleague_client
):
    kudos = KudosFactory(giver=author, recipients=[colleague], message="Thanks for nothing")
    case = services.flag_create(flagger=ProfileFactory(), content=kudos.post, reason="spam").case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Sarcasm")

    assert colleague_client.get(kudos.post.get_absolute_url()).status_code == 404
    assert "Thanks for nothing" not in colleague_client.get(colleague.get_absolute_url()).content.decode()


def test_the_queue_offers_every_kind_that_can_be_flagged(moderator_client):
    page = moderator_client.get("/moderation/").content.decode()
    for kind in ("post", "comment", "community", "profile", "kudos"):
        assert f'<option value="{kind}"' in page


def test_each_kind_shows_in_the_queue_in_a_fixed_number_of_queries(
    group, bio, private_kudos, colleague, moderator_client, django_assert_max_num_queries
):
    """18 cases of three new kinds: the same queries as for 3."""
    from tests.moderation.test_views import QUEUE_MAX_QUERIES

    more = [
        community_create(creator=ProfileFactory(), name=f"Club {i}", category="social", visibility="public")
        for i in range(5)
    ]
    more += ProfileFactory.create_batch(5, bio="Some text")
    more += [
        KudosFactory(giver=ProfileFactory(), recipients=[colleague], is_private=True, post=None)
        for _ in range(5)
    ]
    for content in (group, bio, private_kudos, *more):
        services.flag_create(flagger=ProfileFactory(), content=content, reason="spam")
    moderator_client.get("/moderation/")

    # The queue loads each kind of content on the page in one query (3 kinds here, 2 in test_views).
    with django_assert_max_num_queries(QUEUE_MAX_QUERIES + 1):
        page = moderator_client.get("/moderation/").content.decode()

    assert page.count('<article class="card" id="case-') == 18
