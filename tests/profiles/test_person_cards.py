"""Person cards rendered once per process and reused (profiles/templatetags/people_cards.py): a card seen
before still shows what the person's profile says now, exactly as the include rendered it."""

import re

import pytest
from django.template import engines

from profiles.templatetags import people_cards
from tests.factories import DepartmentFactory, LocationFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _empty_memo():
    people_cards.cards.clear()
    yield
    people_cards.cards.clear()


def _card(response, person) -> str:
    match = re.search(rf'<a class="card" href="/people/{person.pk}/".*?</a>', response.content.decode(), re.S)
    assert match, f"no card for {person.display_name}"
    return match.group(0)


def test_a_card_seen_before_shows_a_new_name_title_department_office_and_photo(viewer_client):
    person = ProfileFactory(display_name="Ada Lovelace", job_title="Engineer")
    first = _card(viewer_client.get("/people/"), person)
    assert "Ada Lovelace" in first
    assert _card(viewer_client.get("/people/"), person) == first

    person.display_name, person.job_title = "Ada King", "Countess"
    person.department = DepartmentFactory(name="Analytical Engines")
    person.location = LocationFactory(name="London")
    person.photo.name = "profile-photos/2026/12/ada.png"
    person.save()

    card = _card(viewer_client.get("/people/"), person)
    for shown in ("Ada King", "Countess", "Analytical Engines", "London", "profile-photos/2026/12/ada.png"):
        assert shown in card
    assert "Ada Lovelace" not in card and "AL" not in card


def test_the_card_is_the_include_s_html_with_or_without_department_office_and_photo():
    with_all = ProfileFactory(display_name="Grace Hopper")
    with_all.photo.name = "profile-photos/2026/12/grace.png"
    bare = ProfileFactory(display_name="Alan", department=None, location=None, job_title="")
    tag = engines["django"].from_string("{% load people_cards %}{% person_card person %}")
    include = engines["django"].from_string('{% include "profiles/_person_card.html" %}')
    for person in (with_all, bare, with_all, bare):  # the second time from the memo
        assert tag.render({"person": person}) == include.render({"person": person})
