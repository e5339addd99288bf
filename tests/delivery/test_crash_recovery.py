"""Bulk email survives crashes, for real: a Celery worker process on Redis sends to an SMTP server
on loopback; the worker is killed with SIGKILL half-way through a batch (or the mail server goes
away) and restarted, the job is run again, and beat's sweeper runs as it does every minute.
Everyone gets their email exactly once, except at most the one message in flight at each kill."""

import time
from collections import Counter
from datetime import date, datetime
from datetime import time as clock

import pytest
from django.utils import timezone

from delivery.models import DeliveryMessage
from notifications.models import Kind, Notification
from profiles import roles
from profiles.models import Profile
from tests.factories import PostFactory, ProfileFactory, in_group
from tests.helpers import digest_off

# Committed data, for the worker process.
pytestmark = pytest.mark.django_db(transaction=True)

PEOPLE = 216
DAY = date(2025, 3, 10)
MONDAY = date(2025, 3, 10)
KILL_AFTER = 100  # messages accepted by the server: the kill lands in the third batch of 40
BATCH = 40  # HIVE_DIGEST_BATCH_SIZE in the rig


def _company(count: int, *, comms: bool = False) -> set[str]:
    people = [ProfileFactory(user__email=f"person{n:03d}@example.com") for n in range(count)]
    if comms:
        for person in people:
            in_group(person, roles.COMMUNICATIONS)
    return {p.user.email for p in people}


def _all_sent(kind: str, expected: int) -> bool:
    return DeliveryMessage.objects.filter(run__kind=kind, state="sent").count() == expected


def _assert_killed_mid_batch(kind: str) -> None:
    """The kill left what a crash leaves: the batch's messages claimed and not marked (the one in flight
    and those after it), the batches after it still queued."""
    states = Counter(DeliveryMessage.objects.filter(run__kind=kind).values_list("state", flat=True))
    assert states["sent"] == KILL_AFTER, states
    assert states["claimed"] == BATCH - KILL_AFTER % BATCH, states
    assert states["queued"] == PEOPLE - KILL_AFTER - states["claimed"], states


def _finish_with_sweeps(rig, *, kind: str, people: int) -> None:
    """Beat's sweeper, every half second instead of every minute, until every message is marked sent
    (then nothing can be sent any more: only open messages are ever claimed)."""
    last = 0.0

    def done() -> bool:
        nonlocal last
        if _all_sent(kind, people):
            return True
        if time.monotonic() - last > 0.5:
            rig.send_task("delivery.sweep")
            last = time.monotonic()
        return False

    rig.wait_for(done, f"every {kind} marked sent")


def _report(what: str, rig, people: set[str], *, kills: int) -> tuple[int, int]:
    per_person = rig.inbox.per_person()
    missing = people - set(per_person)
    duplicates = sum(n - 1 for n in per_person.values() if n > 1)
    print(
        f"\n{what}: people={len(people)} kills={kills} accepted={rig.inbox.count()} "
        f"duplicates={duplicates} missing={len(missing)} seconds={time.monotonic() - rig.started:.1f}"
    )
    assert not set(per_person) - people, "mail went to someone not owed it"
    return duplicates, len(missing)


def test_digest_reaches_everyone_once_when_the_worker_is_killed_mid_batch(crash_rig):
    rig = crash_rig
    rig.worker.start()  # boots while the company is built
    people = _company(PEOPLE)
    nine = datetime.combine(DAY, clock(9), tzinfo=timezone.get_current_timezone())
    PostFactory(author=digest_off(ProfileFactory()), body="Launch is live", created_at=nine)
    rig.inbox.hang_at = KILL_AFTER

    rig.send_task("digests.send_day", DAY.isoformat())
    rig.wait_for(rig.inbox.hanging.is_set, "half the digests accepted")
    rig.worker.kill()
    _assert_killed_mid_batch("digest")

    rig.worker.start()
    rig.send_task("digests.send_day", DAY.isoformat())  # the operator runs the day's job again
    _finish_with_sweeps(rig, kind="digest", people=PEOPLE)

    duplicates, missing = _report("digest", rig, people, kills=rig.worker.kills)
    assert missing == 0
    assert duplicates <= rig.worker.kills
    assert all(
        subject == "Hive digest: 1 new for you since Monday 10 March" for _, subject in rig.inbox.received
    )


def test_weekly_report_reaches_everyone_once_when_the_worker_is_killed_mid_batch(crash_rig):
    rig = crash_rig
    rig.worker.start()
    people = _company(PEOPLE, comms=True)
    rig.inbox.hang_at = KILL_AFTER

    rig.send_task("analytics.weekly_report_send", MONDAY.isoformat())
    rig.wait_for(rig.inbox.hanging.is_set, "half the reports accepted")
    rig.worker.kill()
    _assert_killed_mid_batch("weekly_report")

    rig.worker.start()
    rig.send_task("analytics.weekly_report_send", MONDAY.isoformat())
    _finish_with_sweeps(rig, kind="weekly_report", people=PEOPLE)

    duplicates, missing = _report("weekly report", rig, people, kills=rig.worker.kills)
    assert missing == 0
    assert duplicates <= rig.worker.kills
    assert all("adoption, week of 10 Mar" in subject for _, subject in rig.inbox.received)


def test_notification_emails_reach_everyone_once_when_the_worker_is_killed_mid_batch(crash_rig):
    rig = crash_rig
    rig.worker.start()
    people = _company(PEOPLE)
    author = ProfileFactory(display_name="Ada Author")
    notes = Notification.objects.bulk_create(
        Notification(
            recipient=profile,
            kind=Kind.MENTION,
            actor=author,
            summary="Ada Author mentioned you: launch checklist",
            url="/posts/1/",
        )
        for profile in Profile.objects.filter(user__email__in=people)
    )
    rig.inbox.hang_at = KILL_AFTER

    # What notify() hands the worker after its transaction commits (through the outbox).
    rig.send_task("notifications.email", [n.pk for n in notes])
    rig.wait_for(rig.inbox.hanging.is_set, "half the notification emails accepted")
    rig.worker.kill()
    _assert_killed_mid_batch("notification")

    rig.worker.start()
    rig.send_task("notifications.email", [n.pk for n in notes])  # the outbox relay may send it again
    _finish_with_sweeps(rig, kind="notification", people=PEOPLE)

    duplicates, missing = _report("notification emails", rig, people, kills=rig.worker.kills)
    assert missing == 0
    assert duplicates <= rig.worker.kills
    assert all(subject == "Ada Author mentioned you: launch checklist" for _, subject in rig.inbox.received)


def test_digest_reaches_everyone_exactly_once_when_the_mail_server_goes_away_and_comes_back(crash_rig):
    rig = crash_rig
    rig.worker.start()
    people = _company(PEOPLE)
    nine = datetime.combine(DAY, clock(9), tzinfo=timezone.get_current_timezone())
    PostFactory(author=digest_off(ProfileFactory()), created_at=nine)
    rig.inbox.hang_at = KILL_AFTER

    rig.send_task("digests.send_day", DAY.isoformat())
    rig.wait_for(rig.inbox.hanging.is_set, "the server reached the message it hangs on")
    rig.smtp.stop()
    rig.inbox.hang_at = None
    # The worker notices (a dropped connection, then refused ones) and records it.
    rig.wait_for(
        lambda: DeliveryMessage.objects.filter(state="queued").exclude(last_error="").exists(),
        "the worker recorded the outage",
    )
    outage = DeliveryMessage.objects.exclude(last_error="").values_list("last_error", flat=True).first()
    rig.smtp.start()
    _finish_with_sweeps(rig, kind="digest", people=PEOPLE)

    duplicates, missing = _report("digest, server outage", rig, people, kills=0)
    print(f"recorded outage: {outage}")
    assert missing == 0
    assert duplicates == 0
    assert max(DeliveryMessage.objects.values_list("attempts", flat=True)) >= 2  # retried, not lost
