"""The plain search backend (the SQLite demo's): what search.selectors reads from it.

Its functions are plain ORM, so they run on the test database as they do on SQLite.
"""

import pytest

from search.backends import simple
from search.selectors import EXACT
from tests.factories import ProfileFactory
from tests.helpers import skill_give

pytestmark = pytest.mark.django_db


def test_skills_come_closest_first_and_the_exact_name_scores_as_exact(author):
    for name in ("Kubernetes", "Kubernetes operators", "Python"):
        skill_give(author, name)

    matches = simple.skills_matching("kubernetes", limit=10)

    assert [m.skill.name for m in matches] == ["Kubernetes", "Kubernetes operators"]
    assert matches[0].similarity >= EXACT
    assert matches[0].similarity > matches[1].similarity


def test_a_misspelt_skill_is_still_found(author):
    skill_give(author, "Kubernetes")

    assert [m.skill.name for m in simple.skills_matching("kubernets", limit=10)] == ["Kubernetes"]


def test_people_come_best_name_first_and_a_typo_still_finds_them():
    ProfileFactory(display_name="Maria Lopez Garcia")
    ProfileFactory(display_name="Maria Lopez")

    by_name = simple.people_matching("Maria Lopez", limit=10)
    by_typo = simple.people_matching("Maria Lopz", limit=10)

    assert [m.person.display_name for m in by_name] == ["Maria Lopez", "Maria Lopez Garcia"]
    assert by_name[0].rank >= EXACT > by_name[1].rank
    assert by_typo and by_typo[0].person.display_name == "Maria Lopez"
