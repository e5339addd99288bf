"""Hand a task to Celery once the transaction commits, without losing it when the broker is away.

`task.delay()` in `on_commit` raised after the change had committed when Redis was down: the request
failed although its change was saved, and the task was lost. Here the task is written to PostgreSQL
in the change's own transaction; after commit it is sent and its row deleted. If the broker cannot
be reached the row stays, the request succeeds, and `outbox_relay` (every minute) sends it later.
A task can run twice (sent, then the row's delete lost), never zero times: tasks must be idempotent.
"""

import logging
from datetime import timedelta

from celery import Task, current_app
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerError

from common.models import OutboxTask

log = logging.getLogger(__name__)

BROKER_UNREACHABLE = (BrokerError, ConnectionError, OSError)
# The relay leaves younger rows to their own on_commit, which may be sending them right now.
RELAY_GRACE = timedelta(seconds=30)
RELAY_BATCH = 500


def enqueue_on_commit(task: Task, *args) -> None:
    """Queue `task(*args)` (plain JSON values) to run once the current transaction commits."""
    row = OutboxTask.objects.create(task_name=task.name, args=list(args))
    transaction.on_commit(lambda: _send_now(row.pk, task, list(args)))


def _publish(task: Task, args: list) -> None:
    # apply_async keeps eager mode (tests, `make run`) running it in-process; no publish retries:
    # the outbox is the retry.
    task.apply_async(args=args, retry=False)


def _send_now(pk: int, task: Task, args: list) -> None:
    try:
        _publish(task, args)
    except BROKER_UNREACHABLE as error:
        log.warning("outbox: broker unreachable, %s kept for the relay (%s)", task.name, error)
        OutboxTask.objects.filter(pk=pk).update(attempts=1, last_error=str(error)[:1000])
        return
    OutboxTask.objects.filter(pk=pk).delete()


def outbox_relay(*, now=None) -> int:
    """Send the tasks the broker missed, oldest first; stops at the first failure. Returns how many
    were sent. Safe to run in several processes at once: each row is locked by the one sending it."""
    cutoff = (now or timezone.now()) - RELAY_GRACE
    current_app.loader.import_default_modules()  # every app's tasks.py, as a worker has them
    sent = 0
    while True:
        with transaction.atomic():
            rows = list(
                OutboxTask.objects.select_for_update(skip_locked=True)
                .filter(created_at__lte=cutoff)
                .order_by("created_at", "pk")[:RELAY_BATCH]
            )
            if not rows:
                return sent
            done: list[int] = []
            for row in rows:
                try:
                    _publish(current_app.tasks[row.task_name], row.args)
                except BROKER_UNREACHABLE as error:
                    OutboxTask.objects.filter(pk=row.pk).update(
                        attempts=row.attempts + 1, last_error=str(error)[:1000]
                    )
                    OutboxTask.objects.filter(pk__in=done).delete()
                    return sent + len(done)
                done.append(row.pk)
            OutboxTask.objects.filter(pk__in=done).delete()
            sent += len(done)
