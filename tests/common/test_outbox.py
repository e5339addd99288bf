"""Background work survives a broker outage: the change is saved, the request succeeds, and the task
waits in PostgreSQL until the relay hands it to Celery once the broker is back."""

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from common.models import OutboxTask
from common.outbox import outbox_relay
from config.celery import app as celery_app
from recognition.models import Kudos
from tests.factories import CompanyValueFactory

pytestmark = pytest.mark.django_db(transaction=True)  # on_commit runs as in production

DEAD_BROKER = "redis://127.0.0.1:1/0"  # nothing listens on port 1: refused at once
# What giving kudos queues after its commit, by name.
KUDOS_TASKS = ["notifications.email", "recognition.badges_award"]


def _later():
    """Past the relay's grace for rows that may still be being sent."""
    return timezone.now() + timedelta(minutes=5)


@pytest.fixture
def company_value(db):
    return CompanyValueFactory(name="Teamwork")


@pytest.fixture
def broker_down(monkeypatch, settings):
    monkeypatch.setitem(celery_app.conf, "task_always_eager", False)
    monkeypatch.setitem(celery_app.conf, "broker_url", DEAD_BROKER)
    # Forget connections made to the real broker earlier in this process.
    monkeypatch.setattr(celery_app, "_pool", None)
    monkeypatch.setattr(celery_app.amqp, "_producer_pool", None)


def _give_kudos(client, colleague, value):
    return client.post(
        "/kudos/give/", {"recipient": colleague.user.email, "values": value.pk, "message": "Fixed the build"}
    )


def test_kudos_given_while_the_broker_is_down_is_saved_and_its_email_sent_later(
    author_client, colleague, company_value, broker_down, monkeypatch
):
    response = _give_kudos(author_client, colleague, company_value)

    assert response.status_code == 302  # one clean answer: the giver is not invited to try again
    assert Kudos.objects.filter(recipients=colleague).count() == 1
    # The recipient's email and the kudos' badge check (recognition, after commit) both wait.
    waiting = list(OutboxTask.objects.order_by("task_name"))
    assert [task.task_name for task in waiting] == KUDOS_TASKS
    assert all(task.attempts == 1 and "refused" in task.last_error.lower() for task in waiting)
    assert mail.outbox == []

    # The broker is back (tasks run in-process here); the relay sends what waited, once.
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    assert outbox_relay(now=_later()) == len(KUDOS_TASKS)
    assert outbox_relay(now=_later()) == 0

    assert not OutboxTask.objects.exists()
    assert [m.to for m in mail.outbox] == [[colleague.user.email]]
    assert "kudos" in mail.outbox[0].subject.lower()


def test_relay_leaves_everything_in_place_while_the_broker_is_still_down(
    author_client, colleague, company_value, broker_down
):
    _give_kudos(author_client, colleague, company_value)

    assert outbox_relay(now=_later()) == 0

    # Every row stays; the relay tried the oldest and stopped there, the broker being still away.
    attempts = list(OutboxTask.objects.order_by("created_at", "pk").values_list("attempts", flat=True))
    assert attempts == [2] + [1] * (len(KUDOS_TASKS) - 1)


def test_relay_leaves_young_rows_to_their_own_commit_hook(
    author_client, colleague, company_value, broker_down
):
    _give_kudos(author_client, colleague, company_value)

    assert outbox_relay() == 0  # written seconds ago: maybe being sent right now
    assert [task.attempts for task in OutboxTask.objects.all()] == [1] * len(KUDOS_TASKS)


def test_with_the_broker_up_nothing_is_left_in_the_outbox(
    author_client, colleague, company_value, celery_eager
):
    _give_kudos(author_client, colleague, company_value)

    assert not OutboxTask.objects.exists()
    assert len(mail.outbox) == 1
