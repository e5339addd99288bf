"""Suggested kudos: the asker is offered to thank whoever gave the best answer, and the kudos form lists
recent answerers the viewer has not recognised yet."""

import pytest

from feed.services import answer_mark, comment_create
from recognition import services
from recognition.selectors import kudos_suggestions
from tests.factories import PostFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _answer(question, who, body="Try this"):
    return comment_create(post_id=question.pk, author=who, body=body)


def test_the_asker_is_offered_kudos_for_the_best_answer_and_nobody_else_is(author, colleague, outsider):
    question = PostFactory(author=author, body="How do I deploy?", kind="question")
    answer = _answer(question, colleague)
    answer_mark(post_id=question.pk, comment_id=answer.pk, actor=author)

    asker_page = signed_in(author).get(question.get_absolute_url()).content.decode()
    assert f'href="/kudos/give/?to={colleague.pk}">Thank them with kudos</a>' in asker_page
    assert (
        "Thank them with kudos" not in signed_in(outsider).get(question.get_absolute_url()).content.decode()
    )
    assert (
        "Thank them with kudos" not in signed_in(colleague).get(question.get_absolute_url()).content.decode()
    )


def test_recent_answerers_are_suggested_best_first_until_the_viewer_recognises_them(
    author, colleague, teamwork
):
    helper = ProfileFactory(display_name="Hal Helper")
    gone = ProfileFactory(display_name="Gus Gone")
    first = PostFactory(author=author, body="Q1?", kind="question")
    second = PostFactory(author=author, body="Q2?", kind="question")
    _answer(first, helper)
    _answer(first, author, body="Own follow-up")  # the asker is never suggested
    best = _answer(second, colleague)
    answer_mark(post_id=second.pk, comment_id=best.pk, actor=author)
    _answer(second, gone)
    gone.user.is_active = False
    gone.user.save()

    suggested = kudos_suggestions(viewer=author)
    assert [(s.profile, s.best) for s in suggested] == [(colleague, True), (helper, False)]
    page = signed_in(author).get("/kudos/give/").content.decode()
    assert "People you might thank" in page and "Hal Helper" in page and "gave the best answer to" in page

    services.kudos_give(giver=author, recipients=[colleague], values=[teamwork], message="Thanks!")

    assert [s.profile for s in kudos_suggestions(viewer=author)] == [helper]


def test_nobody_is_suggested_without_answers(author):
    assert kudos_suggestions(viewer=author) == []
    assert "People you might thank" not in signed_in(author).get("/kudos/give/").content.decode()


def test_the_kudos_form_runs_as_many_queries_for_one_answerer_as_for_many(
    author, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    question = PostFactory(author=author, body="Anyone?", kind="question")
    browser = signed_in(author)

    def queries() -> int:
        browser.get("/kudos/give/")
        with CaptureQueriesContext(connection) as captured:
            assert "People you might thank" in browser.get("/kudos/give/").content.decode()
        return len(captured.captured_queries)

    _answer(question, ProfileFactory())
    one = queries()
    for _ in range(8):
        _answer(question, ProfileFactory())
    assert queries() == one
