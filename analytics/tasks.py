"""Celery adapters for analytics."""

from datetime import date, timedelta

from celery import shared_task
from django.db import OperationalError

from analytics import reports
from analytics.fill import groups_fill, placements_record, segments_fill
from analytics.services import rollup_fill
from common.days import company_today, company_yesterday


@shared_task(
    name="analytics.rollup_day", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def rollup_day(day_iso: str) -> int:
    """Idempotent: re-running a day rewrites that day."""
    return len(rollup_fill(day=date.fromisoformat(day_iso)))


@shared_task(
    name="analytics.figures_day", acks_late=True, autoretry_for=(OperationalError,), retry_backoff=True
)
def figures_day(day_iso: str) -> int:
    """Records where people sit from today on, then fills the day's figures. Idempotent."""
    placements_record(day=company_today())
    groups_fill(day=date.fromisoformat(day_iso))
    return segments_fill(day=date.fromisoformat(day_iso))


@shared_task(name="analytics.rollup_yesterday")
def rollup_yesterday() -> None:
    """Beat's nightly job: yesterday's weekly-report rollup and its dashboard figures."""
    rollup_day.delay(company_yesterday().isoformat())
    figures_day.delay(company_yesterday().isoformat())


@shared_task(
    name="analytics.weekly_report_send",
    acks_late=True,
    autoretry_for=(OperationalError, OSError),
    retry_backoff=True,
    max_retries=5,
)
def weekly_report_send(week_start_iso: str) -> int:
    return reports.weekly_report_send(week_start=date.fromisoformat(week_start_iso))


@shared_task(name="analytics.weekly_report_last_week")
def weekly_report_last_week() -> None:
    """Beat's Monday job: the week (Monday to Sunday) that just ended."""
    today = company_today()
    last_monday = today - timedelta(days=today.weekday() + 7)
    weekly_report_send.delay(last_monday.isoformat())
