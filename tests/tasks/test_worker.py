"""Tasks through a real Celery worker and the real Redis broker (REDIS_URL), as they run in production:
messages are serialised, queued, picked up by another thread and committed on their own connection."""

import signal
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from datetime import time as clock

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.conf import settings
from django.db import connections
from django.utils import timezone

from analytics.models import ActiveDay, DailyRollup
from analytics.tasks import rollup_day
from config.celery import app as celery_app
from delivery.models import DeliveryMessage
from digests.tasks import digest_send_day
from feed.models import Post, ScheduledPost
from feed.scheduling import scheduled_post_create
from feed.tasks import scheduled_posts_publish
from tests.factories import PostFactory, ProfileFactory
from tests.helpers import digest_off

# Committed data: the worker thread reads and writes through its own database connection.
pytestmark = pytest.mark.django_db(transaction=True)

DAY = date(2025, 3, 10)
# Upper bounds, so a broken broker or worker fails the test instead of hanging the suite.
WORKER_DEADLINE_SECONDS = 90
RESULT_WAIT_SECONDS = 30


@contextmanager
def _deadline(seconds: int) -> Iterator[None]:
    """Raise TimeoutError in the test if it is still running after `seconds` (a worker that never starts
    would otherwise block start_worker forever)."""

    def expire(signum, frame):
        raise TimeoutError(f"the Celery worker test took more than {seconds}s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


class Ran:
    """The tasks the worker finished, with the thread each ran in."""

    def __init__(self) -> None:
        self.tasks: list[tuple[str, str]] = []

    def finished(self, task=None, **kwargs) -> None:
        self.tasks.append((task.name, threading.current_thread().name))
        # Its idle connection would otherwise outlive the test and block dropping the test database.
        connections.close_all()

    def count(self, name: str) -> int:
        return sum(1 for task, _ in self.tasks if task == name)


def _wait_for(done: Callable[[], bool], what: str) -> None:
    give_up = time.monotonic() + RESULT_WAIT_SECONDS
    while not done():
        if time.monotonic() > give_up:
            pytest.fail(f"the worker did not {what} within {RESULT_WAIT_SECONDS}s")
        time.sleep(0.1)


@pytest.fixture
def celery_worker():
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL must point at a Redis for this test (`make test` sets it).")
    with celery_app.connection_for_write() as connection:
        # Fails within seconds if the broker is down, before start_worker could wait forever.
        connection.ensure_connection(max_retries=1, timeout=5)
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False
    ran = Ran()
    task_postrun.connect(ran.finished, weak=False)
    try:
        with _deadline(WORKER_DEADLINE_SECONDS):
            celery_app.control.purge()  # nothing left over from an earlier run
            with start_worker(celery_app, perform_ping_check=False, shutdown_timeout=10):
                yield ran
    finally:
        task_postrun.disconnect(ran.finished)
        celery_app.conf.task_always_eager = eager


def test_worker_fills_the_rollup_queued_through_redis(celery_worker, author, colleague):
    ActiveDay.objects.create(profile=author, day=DAY)
    ActiveDay.objects.create(profile=colleague, day=DAY)

    rollup_day.delay(DAY.isoformat())

    _wait_for(lambda: celery_worker.count("analytics.rollup_day") == 1, "run the rollup")
    assert DailyRollup.objects.filter(day=DAY).count() == 2  # the company and Engineering
    assert DailyRollup.objects.get(day=DAY, department=None).active_users == 2
    # Really the worker's doing, not an eager call in the test's own thread.
    assert all(thread != threading.main_thread().name for _, thread in celery_worker.tasks)


def test_worker_sends_the_digest_through_batches_queued_on_redis(
    celery_worker, author, colleague, settings, mailoutbox
):
    settings.HIVE_DIGEST_BATCH_SIZE = 1  # two recipients: the day's task queues two batch tasks
    nine = datetime.combine(DAY, clock(9), tzinfo=timezone.get_current_timezone())
    PostFactory(author=digest_off(ProfileFactory()), body="Launch is live", created_at=nine)

    digest_send_day.delay(DAY.isoformat())

    _wait_for(lambda: celery_worker.count("delivery.send_batch") == 2, "send both batches")
    assert DeliveryMessage.objects.filter(run__period=DAY.isoformat(), state="sent").count() == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.com", "colin@example.com"]
    assert all("Launch is live" in m.body for m in mailoutbox)

    digest_send_day.delay(DAY.isoformat())  # a rerun, also through the broker

    _wait_for(lambda: celery_worker.count("digests.send_day") == 2, "run the rerun")
    time.sleep(0.5)  # time for a batch the rerun might (wrongly) have queued to run
    assert celery_worker.count("delivery.send_batch") == 2
    assert len(mailoutbox) == 2


def test_two_beat_runs_through_the_broker_publish_a_due_scheduled_post_once(celery_worker, author):
    """Issue 15: scheduled posts are published by the minute beat job; two runs queued at once (a
    beat restarted, two beat processes) are both picked up by the worker, and the post appears once,
    dated at its scheduled time."""
    scheduled = scheduled_post_create(
        author=author, body="The Q3 plan is out", publish_at=timezone.now() + timedelta(minutes=5)
    )
    due = timezone.now() - timedelta(minutes=1)
    ScheduledPost.objects.filter(pk=scheduled.pk).update(publish_at=due)  # its time has come

    scheduled_posts_publish.delay()
    scheduled_posts_publish.delay()

    _wait_for(lambda: celery_worker.count("feed.scheduled_posts_publish") == 2, "run both beat jobs")
    published = Post.objects.filter(author=author, body="The Q3 plan is out")
    assert published.count() == 1
    scheduled.refresh_from_db()
    assert scheduled.status == ScheduledPost.Status.PUBLISHED and scheduled.post_id == published.get().pk
    assert published.get().created_at == due
    assert all(thread != threading.main_thread().name for _, thread in celery_worker.tasks)
