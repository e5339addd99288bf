"""Everyone accepts the guidelines in force before posting or commenting, and again when they change,
seeing what changed since the version they accepted."""

import pytest
from django.core.exceptions import ValidationError

from feed.models import Post
from feed.services import comment_create, post_create
from moderation.models import GuidelineAcceptance
from moderation.services import guidelines_accept, guidelines_publish
from tests.factories import PostFactory, ProfileFactory
from tests.helpers import signed_in
from tests.moderation.conftest import GUIDELINES_V1

pytestmark = pytest.mark.django_db


@pytest.fixture
def newcomer(guidelines):
    return ProfileFactory(display_name="Nina Newcomer", guidelines_accepted=False)


def test_nobody_posts_or_comments_before_accepting_the_guidelines(newcomer):
    with pytest.raises(ValidationError, match=r"accept the community guidelines \(version 1\)"):
        post_create(author=newcomer, body="Hello all")
    with pytest.raises(ValidationError, match="accept the community guidelines"):
        comment_create(post_id=PostFactory().pk, author=newcomer, body="Hi")
    assert not Post.objects.filter(author=newcomer).exists()

    guidelines_accept(profile=newcomer, version_number=1)

    assert post_create(author=newcomer, body="Hello all").pk


def test_a_new_version_asks_again_and_shows_what_changed(moderator, newcomer):
    guidelines_accept(profile=newcomer, version_number=1)
    guidelines_publish(
        editor=moderator,
        source=GUIDELINES_V1.replace("Personal sales", "Personal sales and raffles")
        + "\n## Assume good intent\nAsk before judging.",
        change_note="Raffles; good intent",
    )
    client = signed_in(newcomer)

    response = client.post("/", {"body": "Hello", "kind": "update"})
    assert "accept the community guidelines (version 2)" in response.content.decode()
    page = client.get("/guidelines/").content.decode()
    assert "The guidelines changed since you accepted version 1" in page
    assert "New: 4. Assume good intent" in page
    assert "Changed: 3. Stay on topic" in page
    assert "<ins>+ Personal sales and raffles go to the marketplace group.</ins>" in page

    response = client.post("/guidelines/", {"version": "2"}, follow=True)

    assert "Thank you: you can post and comment." in response.content.decode()
    assert GuidelineAcceptance.objects.filter(profile=newcomer, version__number=2).exists()
    assert post_create(author=newcomer, body="Hello").pk


def test_accepting_an_outdated_version_is_refused(moderator, newcomer):
    guidelines_publish(editor=moderator, source=GUIDELINES_V1 + "\n## New\n", change_note="v2")
    with pytest.raises(ValidationError, match="The guidelines changed while you were reading"):
        guidelines_accept(profile=newcomer, version_number=1)
    assert not GuidelineAcceptance.objects.filter(profile=newcomer).exists()


def test_with_no_guidelines_published_nobody_is_asked(author):
    assert post_create(author=author, body="Hello").pk


def test_the_compose_box_links_to_the_guidelines(author_client):
    assert 'href="/guidelines/"' in author_client.get("/").content.decode()
