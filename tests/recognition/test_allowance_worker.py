"""The allowance reset through a real Celery worker and the real Redis broker, run twice."""

import time

import pytest

from recognition.models import PointsAccount, PointsEntry
from recognition.tasks import allowance_reset
from tests.tasks.test_worker import _wait_for, celery_worker  # noqa: F401  (fixture, used by name)

pytestmark = pytest.mark.django_db(transaction=True)  # the worker reads what the test committed


def test_the_worker_resets_allowances_and_a_second_run_changes_nothing(celery_worker, author, colleague):  # noqa: F811
    allowance_reset.delay("2026-03-10")
    _wait_for(lambda: celery_worker.count("recognition.allowance_reset") == 1, "run the reset")
    assert sorted(PointsAccount.objects.values_list("allowance", flat=True)) == [100, 100]
    rows = PointsEntry.objects.count()

    allowance_reset.delay("2026-03-10")
    _wait_for(lambda: celery_worker.count("recognition.allowance_reset") == 2, "run the rerun")
    time.sleep(0.2)

    assert PointsEntry.objects.count() == rows == 2
    assert sorted(PointsAccount.objects.values_list("allowance", flat=True)) == [100, 100]
