"""Analytics fixtures."""

import pytest

from config.celery import app as celery_app


@pytest.fixture
def celery_eager():
    """Run tasks in the test's thread and transaction, whatever the environment asks for."""
    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous
