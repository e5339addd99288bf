"""Answers cannot be joined to the people who gave them, even by an administrator: the answer tables
hold no person, no time and no ordered key; who answered holds no time and no ordered key either; the
admin site lists neither; and the breakdowns are counts along one axis at a time."""

from datetime import timedelta

import pytest
from django.db import models
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Respondent, Response, Survey, Tally
from surveys.services import QuestionDraft
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def _columns(model) -> dict[str, models.Field]:
    return {f.column: f for f in model._meta.concrete_fields}


@pytest.mark.parametrize("model", [Response, Answer, Tally])
def test_answer_tables_hold_no_person_and_no_time(model):
    for column, field in _columns(model).items():
        assert not isinstance(field, models.DateTimeField | models.DateField), column
        if field.is_relation:  # only to the survey, its question or the response: never a person
            assert field.related_model._meta.label in (
                "surveys.Survey",
                "surveys.Question",
                "surveys.Response",
            )


@pytest.mark.parametrize("model", [Response, Answer, Respondent])
def test_rows_have_random_keys_and_no_time(model):
    """An ordered key (a sequence) or a time would pair the k-th respondent with the k-th response."""
    assert isinstance(model._meta.pk, models.UUIDField)
    fields = model._meta.concrete_fields
    assert not any(isinstance(f, models.DateTimeField | models.DateField) for f in fields)


def test_an_admin_cannot_pair_an_answer_with_the_person_who_gave_it(company, comms):
    survey = services.survey_create(
        author=comms, title="Pulse", intro="", questions=[QuestionDraft("text", "Say anything")],
        closes_on=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    services.survey_send(actor=comms, survey_id=survey.pk)
    # Eight people answer one after another, each with their own words.
    people = company.sellers
    for n, person in enumerate(people):
        services.survey_answer(survey_id=survey.pk, profile=person, choices={}, texts={1: f"answer {n}"})

    # What the tables allow: the answers in any stored order, who answered in any stored order.
    by_key = [a.text for a in Answer.objects.order_by("pk")]
    by_response = [a.text for a in Answer.objects.order_by("response_id")]
    respondents = [r.profile_id for r in Respondent.objects.order_by("pk")]
    in_order = [f"answer {n}" for n in range(8)]
    # With random keys the orders agree with the answering order only by chance (1 in 8! = 40,320
    # for each): the order people answered in cannot be read back from either table.
    assert by_key != in_order or by_response != in_order
    assert respondents != [p.pk for p in people] or by_key != in_order
    # No column of an answer names a person or a moment.
    answer_columns = set(_columns(Answer)) | set(_columns(Response))
    assert answer_columns == {"id", "response_id", "question_id", "choice", "text", "survey_id"}

    # The admin site lists surveys and questions, not answers nor who answered.
    admin = signed_in(ProfileFactory(user__is_superuser=True, user__is_staff=True))
    assert admin.get("/admin/surveys/survey/").status_code == 200
    for model in ("response", "answer", "respondent", "tally"):
        assert admin.get(f"/admin/surveys/{model}/").status_code == 404, model
    # While the survey is open, even an administrator sees how many answered, not what.
    page = admin.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "8 of 18 answered so far" in page and "answer 3" not in page


def test_breakdowns_are_stored_one_axis_at_a_time(company, comms):
    """No stored row combines a department, a location and a tenure band, which could single out
    the one person of a department in an office with a tenure."""
    survey = Survey.objects.create(
        title="Pulse", closes_at=timezone.now() + timedelta(days=2), created_by=comms, sent_at=timezone.now()
    )
    survey.questions.create(position=1, kind="likert", text="Q")
    services.survey_answer(survey_id=survey.pk, profile=company.lawyers[0], choices={1: 2}, texts={})
    rows = list(Tally.objects.values_list("question", "axis", "key", "choice", "count"))
    segment = [("department", company.legal.pk), ("location", company.lisbon.pk), ("tenure", -1)]
    expected = [(q, axis, key, choice, 1) for q, choice in ((0, 0), (1, 0), (1, 2)) for axis, key in segment]
    assert sorted(rows) == sorted(expected)
