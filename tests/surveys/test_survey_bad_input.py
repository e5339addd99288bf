"""Bad input to pulse surveys: a clear message, and nothing saved wrongly."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from surveys import services
from surveys.models import Answer, Question, Respondent, Response, Survey, Tally
from surveys.services import QuestionDraft
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def form(**changes):
    data = {
        "title": "Pulse",
        "closes_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
        "q1_text": "I feel informed",
        "q1_kind": "likert",
    }
    data.update(changes)
    return data


def nothing_saved():
    return Survey.objects.count() == Question.objects.count() == 0


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"q1_text": "  "}, "A survey needs at least one question."),
        ({"closes_on": timezone.localdate().isoformat()}, "The closing date must be after today."),
        ({"closes_on": (timezone.localdate() - timedelta(days=3)).isoformat()}, "must be after today"),
        ({"department": "999999"}, "There is no such department: choose one from the list."),
        ({"location": "abc"}, "There is no such location: choose one from the list."),
        ({"tenure": "9"}, "There is no such tenure: choose one from the list."),
        ({"title": ""}, "This field is required."),
    ],
)
def test_the_editor_refuses_bad_surveys_and_saves_nothing(company, comms, changes, message):
    response = signed_in(comms).post("/surveys/new/", form(**changes))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert nothing_saved()


def test_a_segment_of_fewer_than_five_people_is_refused(company, comms):
    response = signed_in(comms).post("/surveys/new/", form(department=str(company.legal.pk)))
    assert response.status_code == 400
    assert "This audience has 3 people: results are shown only where at least 5" in response.content.decode()
    assert nothing_saved()


def test_a_segment_naming_nothing_is_refused_by_the_service_too(company, comms):
    with pytest.raises(ValidationError, match="no such location"):
        services.survey_create(
            author=comms, title="x", intro="", questions=[QuestionDraft("likert", "Q")],
            closes_on=timezone.localdate() + timedelta(days=3), location_id=987654,
        )  # fmt: skip
    with pytest.raises(ValidationError, match="Unknown kind"):
        services.survey_create(
            author=comms, title="x", intro="", questions=[QuestionDraft("stars", "Q")],
            closes_on=timezone.localdate() + timedelta(days=3),
        )  # fmt: skip
    assert nothing_saved()


@pytest.fixture
def open_survey(company, comms):
    survey = services.survey_create(
        author=comms, title="Pulse", intro="",
        questions=[QuestionDraft("likert", "I feel informed"), QuestionDraft("text", "Anything else?")],
        closes_on=timezone.localdate() + timedelta(days=3),
    )  # fmt: skip
    services.survey_send(actor=comms, survey_id=survey.pk)
    return survey


def stored() -> tuple[int, ...]:
    return (
        Respondent.objects.count(),
        Response.objects.count(),
        Answer.objects.count(),
        sum(Tally.objects.values_list("count", flat=True)),
        sum(Survey.objects.values_list("respondents", flat=True)),
    )


def test_a_second_answer_is_refused_and_changes_nothing(company, open_survey):
    client = signed_in(company.sellers[0])
    assert client.post(f"/surveys/{open_survey.pk}/", {"q1": "4", "q2": "Fine"}).status_code == 302
    before = stored()
    assert before[:3] == (1, 1, 2)
    response = client.post(f"/surveys/{open_survey.pk}/", {"q1": "1"})
    assert response.status_code == 400
    assert "You already answered this survey: each person answers once." in response.content.decode()
    with pytest.raises(ValidationError, match="You already answered this survey"):
        services.survey_answer(survey_id=open_survey.pk, profile=company.sellers[0], choices={1: 1}, texts={})
    assert stored() == before


@pytest.mark.parametrize(
    ("post", "message"),
    [
        ({}, "Your answer is empty: answer at least one question."),
        ({"q2": "   "}, "Your answer is empty"),
        ({"q1": "7"}, "Question 1: choose one of the five answers."),
        ({"q1": "x"}, "Question 1: choose one of the five answers."),
        ({"q1": "3", "q2": "x" * 2001}, "Question 2: at most 2000 characters"),
    ],
)
def test_bad_answers_are_refused_and_nothing_is_saved(company, open_survey, post, message):
    response = signed_in(company.sellers[0]).post(f"/surveys/{open_survey.pk}/", post)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert stored() == (0, 0, 0, 0, 0)


def test_a_closed_survey_takes_no_answer(company, comms, open_survey):
    services.survey_close(actor=comms, survey_id=open_survey.pk)
    with pytest.raises(ValidationError, match="answers are no longer taken"):
        services.survey_answer(survey_id=open_survey.pk, profile=company.sellers[0], choices={1: 4}, texts={})
    page = signed_in(company.sellers[0]).get(f"/surveys/{open_survey.pk}/").content.decode()
    assert "This survey is closed" in page
    assert stored() == (0, 0, 0, 0, 0)
    # A closed survey cannot be closed, sent or deleted again.
    for act in (services.survey_close, services.survey_send, services.survey_delete):
        with pytest.raises(ValidationError):
            act(actor=comms, survey_id=open_survey.pk)


def test_an_answer_to_a_question_the_survey_does_not_have_is_refused(company, open_survey):
    with pytest.raises(ValidationError, match="This survey has no question 9"):
        services.survey_answer(
            survey_id=open_survey.pk, profile=company.sellers[0], choices={1: 4, 9: 2}, texts={}
        )
    assert stored() == (0, 0, 0, 0, 0)
