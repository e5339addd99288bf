"""The weekly adoption report's subject line, as the Communications team sees it in their inbox."""

from datetime import date

import pytest

from analytics.reports import weekly_report_send

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def test_company_name_reads_plainly_in_the_weekly_report_subject(comms, settings, mailoutbox):
    settings.HIVE_COMPANY_NAME = "Smith & O'Brien"

    weekly_report_send(week_start=date(2025, 3, 10))

    assert mailoutbox[0].subject == "Smith & O'Brien adoption, week of 10 Mar: 0 of 1 people active"
