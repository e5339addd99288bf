"""What the delivery path does when a message cannot go out as planned: a refused address, a busy or
vanished mail server, a person deactivated between claim and send, a template that fails for one
person, a worker that died holding a claim. Each time: a clear record, nobody else held up, nobody
mailed twice."""

import smtplib
from collections import Counter
from datetime import date, datetime, time, timedelta

import pytest
from django.db import OperationalError
from django.template import TemplateSyntaxError
from django.utils import timezone

from delivery import services
from delivery.models import DeliveryMessage, DeliveryRun
from delivery.services import DeliveryInterrupted, delivery_plan, delivery_queue, delivery_send
from delivery.tasks import delivery_sweep
from digests import mail as digest
from tests.factories import PostFactory, ProfileFactory, UserFactory
from tests.helpers import digest_off
from tests.tasks.flaky_mail import FlakyEmailBackend

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

DAY = date(2025, 3, 10)


@pytest.fixture
def day_with_a_post(db):
    """A post by someone who gets no digest, so everyone else's digest holds it."""
    PostFactory(
        author=digest_off(ProfileFactory(user__email="poster@example.com")),
        body="Launch is live",
        created_at=datetime.combine(DAY, time(9), tzinfo=timezone.get_current_timezone()),
    )


@pytest.fixture
def flaky_mail(settings):
    settings.EMAIL_BACKEND = "tests.tasks.flaky_mail.FlakyEmailBackend"
    FlakyEmailBackend.reset()
    yield FlakyEmailBackend
    FlakyEmailBackend.reset()


@pytest.fixture
def five(author, colleague):
    """Ada, Colin and three more people, all owed the day's digest."""
    extra = [ProfileFactory(user__email=f"extra{n}@example.com") for n in range(3)]
    return [author, colleague, *extra]


def _plan(profiles) -> list[int]:
    run = delivery_plan(kind=digest.DIGEST, period=DAY.isoformat(), profile_ids=[p.pk for p in profiles])
    return list(DeliveryMessage.objects.filter(run=run).order_by("id").values_list("id", flat=True))


def _state(profile) -> DeliveryMessage:
    return DeliveryMessage.objects.get(profile=profile, run__kind=digest.DIGEST)


def _recipients(outbox) -> list[str]:
    return sorted(m.to[0] for m in outbox)


def _make_due() -> None:
    """As if the backoff and the lease had run out."""
    past = timezone.now() - timedelta(seconds=1)
    DeliveryMessage.objects.exclude(state__in=["sent", "skipped", "failed"]).update(
        not_before=past, lease_until=past
    )


def test_an_address_the_server_refuses_for_good_fails_alone_and_is_not_retried(
    day_with_a_post, five, colleague, flaky_mail, mailoutbox
):
    flaky_mail.refused = {"colin@example.com": 550}
    ids = _plan(five)

    counts = delivery_send(message_ids=ids)

    assert (counts["sent"], counts["failed"]) == (4, 1)
    assert "colin@example.com" not in _recipients(mailoutbox) and len(mailoutbox) == 4
    refused = _state(colleague)
    assert refused.state == "failed"
    assert refused.last_error == "refused by the mail server: colin@example.com 550 No such user"
    assert refused.attempts == 1
    # Neither the sweeper nor a rerun of the day tries it again.
    _make_due()
    assert delivery_sweep.delay().get() == 0
    assert digest.digest_send(day=DAY) == 0
    assert len(mailoutbox) == 4


def test_a_busy_mailbox_is_retried_later_without_holding_up_the_others(
    day_with_a_post, five, colleague, flaky_mail, mailoutbox
):
    flaky_mail.refused = {"colin@example.com": 452}
    ids = _plan(five)

    counts = delivery_send(message_ids=ids)

    assert (counts["sent"], counts["failed"]) == (4, 0)
    waiting = _state(colleague)
    assert (waiting.state, waiting.attempts) == ("queued", 1)
    assert waiting.not_before > timezone.now() + timedelta(seconds=20)  # backoff, HIVE_DELIVERY_RETRY_SECONDS
    assert delivery_sweep.delay().get() == 0  # not before its backoff

    flaky_mail.refused = {}
    _make_due()
    assert delivery_sweep.delay().get() == 1

    assert _recipients(mailoutbox).count("colin@example.com") == 1
    assert len(mailoutbox) == 5
    assert _state(colleague).state == "sent"


def test_a_dropped_connection_stops_the_batch_and_the_retry_mails_the_rest_once(
    day_with_a_post, five, flaky_mail, mailoutbox
):
    flaky_mail.fail_after = 2
    ids = _plan(five)

    with pytest.raises(DeliveryInterrupted):
        delivery_send(message_ids=ids)
    assert len(mailoutbox) == 2
    states = list(DeliveryMessage.objects.order_by("id").values_list("state", flat=True))
    assert states == ["sent", "sent", "queued", "queued", "queued"]

    flaky_mail.fail_after = None
    counts = delivery_send(message_ids=ids)  # the task's retry

    # The one that met the dropped connection waits for its backoff; the other two go now.
    assert counts["sent"] == 2
    _make_due()
    delivery_sweep.delay()
    addresses = _recipients(mailoutbox)
    assert len(addresses) == len(set(addresses)) == 5


def test_a_server_that_is_down_is_retried_and_finally_recorded_as_failed(
    day_with_a_post, author, flaky_mail, mailoutbox, settings
):
    settings.HIVE_DELIVERY_MAX_ATTEMPTS = 3
    flaky_mail.fail_after = 0
    ids = _plan([author])

    for _ in range(3):
        with pytest.raises(DeliveryInterrupted):
            delivery_send(message_ids=ids)
        _make_due()

    message = _state(author)
    assert (message.state, message.attempts) == ("failed", 3)
    assert (
        message.last_error
        == "gave up after 3 attempts: SMTPServerDisconnected: Connection unexpectedly closed"
    )
    assert mailoutbox == []


def test_someone_deactivated_between_claim_and_send_is_skipped_and_recorded(
    day_with_a_post, author, colleague, mailoutbox, monkeypatch
):
    ids = _plan([author, colleague])
    claim = services._claim_batch

    def claim_then_deactivate(message_ids: list[int], token: str) -> list[int]:
        claimed = claim(message_ids, token)
        UserFactory._meta.model.objects.filter(pk=colleague.user_id).update(is_active=False)
        return claimed

    monkeypatch.setattr(services, "_claim_batch", claim_then_deactivate)

    counts = delivery_send(message_ids=ids)

    assert (counts["sent"], counts["skipped"]) == (1, 1)
    assert [m.to for m in mailoutbox] == [["ada@example.com"]]
    skipped = _state(colleague)
    assert (skipped.state, skipped.last_error) == ("skipped", "deactivated before the message went out")


def test_a_template_failure_for_one_person_fails_theirs_only_and_sends_nobody_twice(
    day_with_a_post, five, colleague, mailoutbox, monkeypatch
):
    build = digest.email_build

    def breaks_for_colin(**kwargs):
        if kwargs["to"] == "colin@example.com":
            raise TemplateSyntaxError("Invalid filter: 'shout'")
        return build(**kwargs)

    monkeypatch.setattr(digest, "email_build", breaks_for_colin)

    assert digest.digest_send(day=DAY) == 5

    assert len(mailoutbox) == 4 and "colin@example.com" not in _recipients(mailoutbox)
    failed = _state(colleague)
    assert failed.state == "failed"
    assert failed.last_error == "could not build: TemplateSyntaxError: Invalid filter: 'shout'"

    monkeypatch.setattr(digest, "email_build", build)  # fixed: a rerun still sends nobody twice
    assert digest.digest_send(day=DAY) == 0
    assert len(mailoutbox) == 4


def test_a_database_error_while_building_is_not_blamed_on_the_message(
    day_with_a_post, author, colleague, mailoutbox, monkeypatch
):
    build = digest.email_build

    def database_away_for_colin(**kwargs):
        if kwargs["to"] == "colin@example.com":
            raise OperationalError("the database system is shutting down")
        return build(**kwargs)

    monkeypatch.setattr(digest, "email_build", database_away_for_colin)
    ids = _plan([author, colleague])
    with pytest.raises(OperationalError):
        delivery_send(message_ids=ids)  # the task retries on OperationalError
    assert _state(colleague).state == "claimed"  # not failed: the sweeper takes it back

    monkeypatch.setattr(digest, "email_build", build)
    _make_due()
    delivery_sweep.delay()

    assert _recipients(mailoutbox) == ["ada@example.com", "colin@example.com"]


def test_a_claim_left_by_a_dead_worker_is_taken_back_after_the_lease_only(
    day_with_a_post, author, colleague, mailoutbox
):
    ids = _plan([author, colleague])
    soon = timezone.now() + timedelta(minutes=4)
    # Ada's worker is still within its lease; Colin's died a while ago.
    DeliveryMessage.objects.filter(pk=ids[0]).update(state="claimed", lease_until=soon, attempts=1)
    DeliveryMessage.objects.filter(pk=ids[1]).update(
        state="claimed", lease_until=timezone.now() - timedelta(seconds=1), attempts=1
    )

    assert delivery_sweep.delay().get() == 1

    assert [m.to for m in mailoutbox] == [["colin@example.com"]]
    assert _state(colleague).state == "sent"
    assert _state(colleague).attempts == 2
    assert _state(author).state == "claimed"
    # A duplicate of Ada's batch (the broker's redelivery) does not touch a live claim either.
    assert delivery_send(message_ids=ids)["sent"] == 0


def test_a_lost_batch_task_is_queued_again_by_the_sweeper_once_its_lease_runs_out(
    day_with_a_post, five, mailoutbox, settings, monkeypatch
):
    monkeypatch.setattr("delivery.tasks.delivery_send_batch.delay", lambda ids: None)  # Redis lost it
    run = DeliveryRun.objects.get(pk=delivery_plan(kind="digest", period=DAY.isoformat(), profile_ids=[]).pk)
    delivery_plan(kind="digest", period=DAY.isoformat(), profile_ids=[p.pk for p in five])
    assert delivery_queue(run=run) == 5
    monkeypatch.undo()

    assert delivery_sweep.delay().get() == 0  # still leased to the lost task
    assert mailoutbox == []

    _make_due()
    assert delivery_sweep.delay().get() == 5
    assert len(mailoutbox) == 5


def _database_goes_away_at_the_third_mark(monkeypatch, *, loses_unflushed_marks: bool) -> list[int]:
    """The database goes away just after the server accepted the third message. If it crashed, it comes
    back without the marks it had not yet written to disk (the first two: their commits did not wait
    for it)."""
    mark = services._mark_sent
    marked: list[int] = []

    def mark_or_fail(message_id: int, *, durable: bool) -> None:
        marked.append(message_id)
        if len(marked) == 3:
            if loses_unflushed_marks:
                DeliveryMessage.objects.filter(pk__in=marked[:2]).update(state="claimed", sent_at=None)
            raise OperationalError("server closed the connection unexpectedly")
        mark(message_id, durable=durable)

    monkeypatch.setattr(services, "_mark_sent", mark_or_fail)
    monkeypatch.setattr(services.time, "sleep", lambda seconds: None)
    return marked


def test_marks_a_database_crash_lost_are_made_again_when_it_answers_and_nobody_is_mailed_twice(
    day_with_a_post, five, mailoutbox, monkeypatch
):
    ids = _plan(five)
    marked = _database_goes_away_at_the_third_mark(monkeypatch, loses_unflushed_marks=True)
    write = services._marks_write
    tries = []

    def answers_at_the_third_try(message_ids: list[int], *, token: str) -> None:
        tries.append(message_ids)
        if len(tries) < 3:
            raise OperationalError("the database system is starting up")
        write(message_ids, token=token)

    monkeypatch.setattr(services, "_marks_write", answers_at_the_third_try)
    with pytest.raises(OperationalError):
        delivery_send(message_ids=ids)  # the task retries on OperationalError
    monkeypatch.undo()

    assert tries == [marked] * 3  # every message the server accepted, until the database answered
    states = list(DeliveryMessage.objects.order_by("id").values_list("state", flat=True))
    assert states == ["sent", "sent", "sent", "claimed", "claimed"]
    _make_due()  # the claims of the two never sent run out
    delivery_sweep.delay()
    addresses = _recipients(mailoutbox)
    assert len(addresses) == len(set(addresses)) == 5


def test_a_database_away_for_longer_than_a_lease_repeats_the_message_in_flight_only(
    day_with_a_post, five, mailoutbox, monkeypatch, settings
):
    ids = _plan(five)
    _database_goes_away_at_the_third_mark(monkeypatch, loses_unflushed_marks=False)

    def still_away(message_ids: list[int], *, token: str) -> None:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(services, "_marks_write", still_away)
    settings.HIVE_DELIVERY_LEASE_SECONDS = 0  # the worker gives up at once
    with pytest.raises(OperationalError):
        delivery_send(message_ids=ids)
    monkeypatch.undo()
    assert len(mailoutbox) == 3

    _make_due()  # the claim of the third runs out
    delivery_sweep.delay()

    per_person = Counter(m.to[0] for m in mailoutbox)
    assert len(per_person) == 5
    assert [n for n in per_person.values() if n > 1] == [2]  # the one in flight, nobody else


def test_beat_runs_the_sweeper_every_minute(settings):
    from config.celery import app

    (entry,) = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "delivery.sweep"]
    assert entry["schedule"].minute == set(range(60))
    assert "delivery.sweep" in app.tasks


def test_planning_an_unknown_kind_fails_loudly_and_writes_nothing(author):
    with pytest.raises(LookupError, match="no mail kind 'newsletter'"):
        delivery_plan(kind="newsletter", period="2025-03", profile_ids=[author.pk])
    assert not DeliveryRun.objects.exists()


def test_a_permanent_answer_is_told_from_a_transient_one():
    assert services._permanent(smtplib.SMTPRecipientsRefused({"a@x": (550, b"no")}))
    assert not services._permanent(smtplib.SMTPRecipientsRefused({"a@x": (451, b"later")}))
    assert services._permanent(smtplib.SMTPDataError(554, b"spam"))
    assert not services._permanent(smtplib.SMTPServerDisconnected("gone"))
