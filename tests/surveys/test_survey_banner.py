"""The feed's survey banner is asked of a cached "open until" (surveys.selectors.surveys_open_until):
it still shows as soon as a survey is sent or its closing date moved, and goes when it closes."""

from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.test import RequestFactory
from django.utils import timezone

from surveys import services
from surveys.models import Survey
from surveys.services import QuestionDraft
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

WAITING = "A short survey is waiting for you"


def _draft(comms) -> Survey:
    return services.survey_create(
        author=comms,
        title="Pulse",
        intro="",
        questions=[QuestionDraft("likert", "I feel informed")],
        closes_on=timezone.localdate() + timedelta(days=3),
    )


def test_the_banner_follows_sending_and_closing_though_home_was_seen_before(
    company, comms, django_capture_on_commit_callbacks
):
    seller = signed_in(company.sellers[0])
    survey = _draft(comms)
    assert WAITING not in seller.get("/").content.decode()  # "no survey open" is cached now
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_send(actor=comms, survey_id=survey.pk)
    assert WAITING in seller.get("/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_close(actor=comms, survey_id=survey.pk)
    assert WAITING not in seller.get("/").content.decode()


def test_a_closing_date_moved_in_admin_brings_the_banner_back(
    company, comms, django_capture_on_commit_callbacks
):
    seller = signed_in(company.sellers[0])
    survey = _draft(comms)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_send(actor=comms, survey_id=survey.pk)
        services.survey_close(actor=comms, survey_id=survey.pk)
    assert WAITING not in seller.get("/").content.decode()

    survey.refresh_from_db()
    survey.closes_at = timezone.now() + timedelta(days=2)
    request = RequestFactory().post("/admin/")
    with django_capture_on_commit_callbacks(execute=True):
        site._registry[Survey].save_model(request, survey, form=None, change=True)
    assert WAITING in seller.get("/").content.decode()


def test_no_survey_query_on_home_when_none_is_open(company, comms, django_assert_max_num_queries):
    seller = signed_in(company.sellers[0])
    seller.get("/")
    with django_assert_max_num_queries(50) as captured:
        seller.get("/")
    assert not [q for q in captured.captured_queries if "surveys_survey" in q["sql"]]
