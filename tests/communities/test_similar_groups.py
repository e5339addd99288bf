""" "A similar group exists": while a group is being created, existing groups with the same purpose,
found by meaning and by words (communities.selectors.similar_groups, common.similar_text)."""

import pytest
from django.urls import reverse

from common.models import TextVector
from common.similar_text import vectors_backfill
from communities.models import Community
from communities.selectors import GROUP_KIND, similar_groups
from communities.services import community_create


def _group(creator, name, description="", visibility=Community.Visibility.PUBLIC):
    return community_create(
        creator=creator, name=name, description=description, category="social", visibility=visibility
    )


@pytest.fixture
def groups(author):
    made = [
        _group(author, "Running club", "Lunchtime runs around the park, all paces welcome."),
        _group(author, "Board games", "Games night on Thursdays in the canteen."),
        _group(author, "Kubernetes guild", "Running containers in production: clusters, upgrades, on-call."),
        _group(
            author,
            "Parents",
            "Childcare tips, school holidays, flexible hours.",
            Community.Visibility.PRIVATE,
        ),
    ]
    vectors_backfill(kind=GROUP_KIND)
    return made


def _names(found) -> list[str]:
    return [g.community.name for g in found]


@pytest.mark.sentence_model
def test_a_group_for_the_same_purpose_in_other_words_is_found(groups):
    assert _names(similar_groups(name="Runners", description="We go jogging together after work."))[:1] == [
        "Running club"
    ]


@pytest.mark.sentence_model
def test_an_unrelated_group_finds_nothing(groups):
    assert similar_groups(name="Photography", description="Share your best shots and learn editing.") == []


@pytest.mark.sentence_model
def test_private_groups_are_found_too_as_the_directory_lists_them(groups):
    found = similar_groups(name="Working mums and dads", description="Balancing kids and work.")
    assert "Parents" in _names(found)


def test_without_a_sentence_model_shared_words_find_a_group(author):
    _group(author, "Board games", "Games night on Thursdays in the canteen.")
    _group(author, "Cycling", "Weekend rides.")
    found = similar_groups(name="Games night", description="")
    assert _names(found) == ["Board games"] and found[0].reason == "shares words with yours"


def test_the_same_name_in_another_case_comes_first(author):
    _group(author, "Cycling", "Weekend rides.")
    _group(author, "Cycling to work", "Bike storage and showers.")
    assert _names(similar_groups(name="cycling"))[0] == "Cycling"


def test_nothing_is_looked_up_for_an_empty_draft(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert similar_groups(name=" ", description="") == []


@pytest.mark.sentence_model
def test_a_new_group_gets_its_vector_after_commit(author, celery_eager, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        group = _group(author, "Chess", "Lunchtime games.")
    assert TextVector.objects.filter(kind=GROUP_KIND, object_id=group.pk).exists()


def test_the_create_page_asks_as_the_group_is_written(author_client, author):
    html = author_client.get(reverse("communities:create")).content.decode()
    assert 'id="similar-groups"' in html and reverse("communities:similar") in html
    _group(author, "Board games", "Games night <b>on</b> Thursdays.")
    panel = author_client.get(reverse("communities:similar"), {"name": "Games night"}).content.decode()
    assert "A similar group exists" in panel and "Board games" in panel and "<b>on</b>" not in panel
    assert author_client.get(reverse("communities:similar"), {"name": ""}).content.strip() == b""
