"""Retrieval by meaning shared by every app (common.retrieval): store texts of a kind, ask for the
rows closest to a draft."""

import pytest

from common import retrieval
from projects.selectors import PROJECT_KIND
from projects.services import project_embeddings_backfill
from tests.helpers import make_project

QUESTIONS = {
    1: "How do I claim back the cost of a train ticket for a client visit?",
    2: "Where do I book a meeting room in the Lisbon office?",
    3: "Who approves a new laptop when mine breaks?",
}

pytestmark = [pytest.mark.django_db, pytest.mark.sentence_model]


def _ids(found: retrieval.Nearest) -> list[int]:
    return [pk for pk, _ in found.rows]


def test_a_question_in_other_words_finds_the_stored_one_first():
    assert retrieval.text_vectors_store(kind="test.question", texts=QUESTIONS) == 3
    found = retrieval.nearest_by_meaning(
        kind="test.question", text="Can I get my rail fare refunded after seeing a customer?", k=2
    )
    assert found.available and _ids(found)[0] == 1 and len(found.rows) == 2
    assert found.rows[0][1] > found.rows[1][1] > 0


def test_kinds_do_not_mix_and_the_cosines_of_other_candidates_come_along():
    retrieval.text_vectors_store(kind="test.question", texts=QUESTIONS)
    retrieval.text_vectors_store(kind="test.group", texts={1: "Lisbon office social club"})
    found = retrieval.nearest_by_meaning(kind="test.group", text="Meeting rooms in Lisbon", k=5, also=[1, 99])
    assert _ids(found) == [1] and set(found.also) == {1}  # 99 has no vector


def test_a_changed_text_is_found_by_its_new_words_and_a_forgotten_row_not_at_all():
    retrieval.text_vectors_store(kind="test.question", texts=QUESTIONS)
    draft = "My laptop screen cracked, who signs off a replacement?"
    before = retrieval.nearest_by_meaning(kind="test.question", text=draft, k=1)
    assert _ids(before) == [3]
    retrieval.text_vectors_store(kind="test.question", texts={3: "Which canteen serves vegetarian lunch?"})
    retrieval.text_vectors_forget(kind="test.question", ids=[1])
    after = dict(retrieval.nearest_by_meaning(kind="test.question", text=draft, k=3).rows)
    assert set(after) == {2, 3} and after[3] < before.rows[0][1] - 0.2
    assert retrieval.text_vectors_missing(kind="test.question", ids=[1, 2, 3]) == [1]


def test_projects_are_read_through_the_same_selector(colleague):
    sso = make_project(colleague, name="Single sign-on rollout", summary="Okta in front of every SaaS tool.")
    make_project(colleague, name="Office plant care rota", summary="Who waters the plants in August.")
    project_embeddings_backfill()
    found = retrieval.nearest_by_meaning(kind=PROJECT_KIND, text="One login for all our company apps", k=1)
    assert _ids(found) == [sso.pk]


@pytest.mark.parametrize("text", ["", "x" * 20_000, "Wo buche ich einen Besprechungsraum?"])
def test_odd_drafts_get_rows_not_an_error(text):
    retrieval.text_vectors_store(kind="test.question", texts=QUESTIONS)
    assert len(retrieval.nearest_by_meaning(kind="test.question", text=text, k=2).rows) == 2


def test_without_a_sentence_model_nothing_is_stored_and_callers_are_told(settings):
    settings.HIVE_SEMANTIC_MODEL = "off"
    assert retrieval.text_vectors_store(kind="test.question", texts=QUESTIONS) == 0
    found = retrieval.nearest_by_meaning(kind="test.question", text="train ticket refund", k=3)
    assert not found.available and found.rows == []
