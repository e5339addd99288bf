"""The crash tests' rig: a slow SMTP server on loopback and a killable Celery worker process, each on
ports and a queue of this test process's own (pytest-xdist may run several side by side)."""

import logging
import os
import time

import pytest
from django.conf import settings

from config.celery import app as celery_app
from tests.delivery.rig import Inbox, SmtpServer, Worker, redis_forget_queue, wait_for

# Each message takes the server this long to accept: sending is slow enough to kill the worker
# half-way through a batch, fast enough for a test of a few hundred messages.
SMTP_DELAY_SECONDS = 0.01
# An upper bound for each wait, reached only when something is broken.
SEND_TIMEOUT_SECONDS = (
    240  # a loaded shared machine took 60+ s for 216 messages; only a broken run waits it out
)


class Rig:
    def __init__(self, *, queue: str, inbox: Inbox, smtp: SmtpServer, env: dict[str, str]) -> None:
        self.queue = queue
        self.inbox = inbox
        self.smtp = smtp
        self.worker = Worker(queue=queue, smtp_port=smtp.port, env=env)
        self.started = time.monotonic()

    def wait_for(self, done, what: str, *, every: float = 0.05) -> None:
        """Poll until `done()`; on timeout, fail with the worker's log (why it did not get there)."""
        try:
            wait_for(done, what, timeout=SEND_TIMEOUT_SECONDS, every=every)
        except AssertionError as timeout:
            raise AssertionError(f"{timeout}\n--- worker log ---\n{self.worker.output()}") from None

    def send_task(self, name: str, *args) -> None:
        """Through Redis to the worker process, as beat or an operator would."""
        celery_app.send_task(name, args=list(args), queue=self.queue)


@pytest.fixture
def crash_rig():
    if not settings.REDIS_URL:
        pytest.fail("REDIS_URL must point at a Redis for the crash tests (`make test` sets it).")
    with celery_app.connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=5)  # fail fast if the broker is down
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    eager = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = False  # the tasks go through Redis to the worker process
    queue = f"hive-test-{os.environ.get('PYTEST_XDIST_WORKER', 'main')}-{os.getpid()}"
    inbox = Inbox(delay=SMTP_DELAY_SECONDS)
    smtp = SmtpServer(inbox)
    smtp.start()
    rig = Rig(
        queue=queue,
        inbox=inbox,
        smtp=smtp,
        env={
            # A dead worker's claim comes back after seconds here, minutes in production.
            "HIVE_DELIVERY_LEASE_SECONDS": "2",
            "HIVE_DELIVERY_RETRY_SECONDS": "1",
            "HIVE_DIGEST_BATCH_SIZE": "40",
        },
    )
    try:
        yield rig
    finally:
        celery_app.conf.task_always_eager = eager
        rig.worker.stop()
        rig.worker.forget_log()
        smtp.stop()
        with celery_app.connection_for_write() as connection:
            redis_forget_queue(connection.default_channel.client, queue)
