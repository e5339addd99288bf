"""Each survey page runs a fixed, small number of queries, however many people answered."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surveys import services
from surveys.services import QuestionDraft
from tests.factories import DepartmentFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_pages_answer_in_a_fixed_number_of_queries(company, comms, django_assert_max_num_queries):
    surveys = [
        services.survey_create(
            author=comms,
            title=f"Pulse {n}",
            intro="",
            questions=[QuestionDraft("likert", "I feel informed"), QuestionDraft("text", "Anything?")],
            closes_on=timezone.localdate() + timedelta(days=3),
        )  # fmt: skip
        for n in range(2)
    ]
    for survey in surveys:
        services.survey_send(actor=comms, survey_id=survey.pk)
    closed, open_one = surveys
    # Forty more people in eight departments answer the first one, which then closes.
    for n in range(40):
        person = ProfileFactory(department=DepartmentFactory(name=f"Team {n % 8}"))
        services.survey_answer(
            survey_id=closed.pk, profile=person, choices={1: 1 + n % 5}, texts={2: f"T{n}"}
        )
    services.survey_close(actor=comms, survey_id=closed.pk)

    team, seller = signed_in(comms), signed_in(company.sellers[0])
    pages = [
        (seller, "/", None),  # the feed with its banner: one query for the banner
        (seller, "/surveys/", 5),
        (seller, f"/surveys/{open_one.pk}/", 7),
        (team, "/surveys/manage/", 7),
        (team, "/surveys/new/", 6),
        (team, f"/surveys/{open_one.pk}/results/", 8),
        (team, f"/surveys/{closed.pk}/results/", 10),
        (team, f"/surveys/{closed.pk}/results.csv", 9),
        (team, f"/surveys/{closed.pk}/comments.csv", 9),
    ]
    for client, url, most in pages:
        client.get(url)  # the first visit records the day's activity
        if most is None:
            continue
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200, url
    assert "A short survey is waiting for you" in seller.get("/").content.decode()
