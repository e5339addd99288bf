"""The one delivery path for bulk email: plan a run, queue what is owed, send one message at a time.

Every message moves through its own short transactions: claimed with a conditional UPDATE (so two
workers, a broker's redelivery or a rerun never send it twice), sent, then marked sent. A worker
killed at any moment leaves at most the message in flight unmarked; its claim runs out after
HIVE_DELIVERY_LEASE_SECONDS and the sweeper queues it again. So everyone gets their message, and at
most that one message can go twice.
"""

import logging
import smtplib
import time
import uuid
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any, NoReturn

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, connection, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

from common.email import email_transmit
from delivery.kinds import MailKind, Skip, kind_get
from delivery.models import DeliveryMessage, DeliveryRun
from profiles.models import Profile

log = logging.getLogger(__name__)

State = DeliveryMessage.State


class DeliveryInterrupted(Exception):
    """The mail server could not be reached or dropped the connection: the rest of the batch waits
    for the task's retry (with backoff) instead of failing one by one."""


def delivery_plan(
    *,
    kind: str,
    period: str,
    profile_ids: Iterable[int] = (),
    messages: Iterable[tuple[int, int]] = (),
) -> DeliveryRun:
    """Record that these people are owed `kind` for `period` (or, for a kind sent once per event,
    these (person, ref) messages). What is already recorded (a rerun) keeps its row and state, so
    nothing is owed twice."""
    kind_get(kind)  # fail loudly before writing anything for a kind nobody can send
    run, _ = DeliveryRun.objects.get_or_create(kind=kind, period=period)
    DeliveryMessage.objects.bulk_create(
        [DeliveryMessage(run=run, profile_id=pk) for pk in profile_ids]
        + [DeliveryMessage(run=run, profile_id=pk, ref=ref) for pk, ref in messages],
        ignore_conflicts=True,
        batch_size=2000,
    )
    return run


def _due(now) -> Q:
    """Messages owed and not in anyone's hands: never queued, queued to a task that has not reached
    them within the lease (lost with Redis, a dead worker), or claimed by a worker that died."""
    expired = Q(lease_until__isnull=True) | Q(lease_until__lte=now)
    waited = Q(not_before__isnull=True) | Q(not_before__lte=now)
    return Q(state__in=DeliveryMessage.OPEN_STATES) & expired & waited


def delivery_queue(*, run: DeliveryRun | None = None, batch_size: int | None = None) -> int:
    """Hand every message that is due to send tasks, `batch_size` per task; returns how many.

    The rows are leased to their task first (lease_until), so the sweeper leaves them alone while
    the task is on its way; a claim left by a dead worker goes back to queued with a note."""
    from delivery.tasks import delivery_send_batch

    size = batch_size or settings.HIVE_DIGEST_BATCH_SIZE
    now = timezone.now()
    lease = now + timedelta(seconds=settings.HIVE_DELIVERY_LEASE_SECONDS)
    with transaction.atomic():
        due = DeliveryMessage.objects.filter(_due(now))
        if run is not None:
            due = due.filter(run=run)
        # Locked and skipped by a concurrent sweeper, so two sweeps never queue the same rows.
        rows = list(due.select_for_update(skip_locked=True).order_by("id").values_list("id", "state"))
        ids = [pk for pk, _ in rows]
        taken_back = [pk for pk, state in rows if state == State.CLAIMED]
        DeliveryMessage.objects.filter(pk__in=ids).update(
            state=State.QUEUED, lease_until=lease, updated_at=now
        )
        if taken_back:
            log.warning("delivery: %d claims ran out (worker died?), queued again", len(taken_back))
            DeliveryMessage.objects.filter(pk__in=taken_back).update(
                last_error="claim ran out before the message was marked sent; sending again"
            )
    for start in range(0, len(ids), size):
        delivery_send_batch.delay(ids[start : start + size])
    return len(ids)


def _permanent(error: smtplib.SMTPException) -> bool:
    """A 5xx answer: the server will refuse this message again, so retrying only holds others up."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return bool(codes) and all(code >= 500 for code in codes)
    if isinstance(error, smtplib.SMTPResponseException):
        return error.smtp_code >= 500
    return False


def _this_message_only(error: smtplib.SMTPException) -> bool:
    """A 4xx answer to this message (mailbox busy, greylisted), not the server going away (421,
    a refused or dropped connection)."""
    if isinstance(error, smtplib.SMTPConnectError):
        return False
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code != 421 for code, _ in error.recipients.values())
    return isinstance(error, smtplib.SMTPResponseException) and error.smtp_code != 421


def _describe(error: BaseException) -> str:
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return "refused by the mail server: " + "; ".join(
            f"{to} {code} {reply.decode(errors='replace') if isinstance(reply, bytes) else reply}"
            for to, (code, reply) in error.recipients.items()
        )
    if isinstance(error, smtplib.SMTPResponseException):
        reply = error.smtp_error
        reply = reply.decode(errors="replace") if isinstance(reply, bytes) else reply
        return f"mail server answered {error.smtp_code} {reply}"
    return f"{type(error).__name__}: {error}"[:2000]


def _claimable(now) -> Q:
    open_claim = Q(state=State.QUEUED) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    dead_claim = Q(state=State.CLAIMED, lease_until__lte=now)
    return open_claim | dead_claim


def _claim_batch(message_ids: list[int], token: str) -> list[int]:
    """Claim every message of the batch still owed and in nobody's hands: two queries, whatever the
    batch's size. Rows another worker is claiming at this moment are skipped, not waited for."""
    now = timezone.now()
    with transaction.atomic():
        ids = list(
            DeliveryMessage.objects.filter(Q(pk__in=message_ids) & _claimable(now))
            .select_for_update(skip_locked=True)
            .values_list("id", flat=True)
        )
        DeliveryMessage.objects.filter(pk__in=ids).update(
            state=State.CLAIMED,
            claim=token,
            lease_until=now + timedelta(seconds=settings.HIVE_DELIVERY_LEASE_SECONDS),
            attempts=F("attempts") + 1,
            updated_at=now,
        )
    return ids


def _fail(message_id: int, *, reason: str) -> None:
    # Never overwrite a final state (a slow worker whose claim was taken back and sent by another).
    DeliveryMessage.objects.filter(pk=message_id, state__in=DeliveryMessage.OPEN_STATES).update(
        state=State.FAILED, last_error=reason, updated_at=timezone.now(), lease_until=None, not_before=None
    )


def _finish_many(outcomes: dict[int, tuple[str, str]], *, token: str) -> None:
    """Record skipped and failed messages, one UPDATE per distinct outcome. Nothing was sent to them,
    so if a crash loses these before they are written, the message is simply decided again."""
    by_outcome: dict[tuple[str, str], list[int]] = {}
    for pk, outcome in outcomes.items():
        by_outcome.setdefault(outcome, []).append(pk)
    now = timezone.now()
    for (state, reason), ids in by_outcome.items():
        DeliveryMessage.objects.filter(pk__in=ids, claim=token, state=State.CLAIMED).update(
            state=state, last_error=reason, updated_at=now, lease_until=None, not_before=None
        )
    outcomes.clear()


def delivery_backoff(attempt: int) -> int:
    """Seconds to wait after the `attempt`-th transient failure: doubling, at most an hour."""
    return min(settings.HIVE_DELIVERY_RETRY_SECONDS * 2 ** (attempt - 1), 3600)


def _release(message: DeliveryMessage, *, reason: str) -> None:
    """A transient failure: back to queued after a backoff, or failed for good after too many tries."""
    attempts = message.attempts  # counted when it was claimed
    if attempts >= settings.HIVE_DELIVERY_MAX_ATTEMPTS:
        _fail(message.pk, reason=f"gave up after {attempts} attempts: {reason}")
        return
    now = timezone.now()
    wait = timedelta(seconds=delivery_backoff(attempts))
    DeliveryMessage.objects.filter(pk=message.pk, state=State.CLAIMED).update(
        state=State.QUEUED,
        last_error=reason,
        not_before=now + wait,
        lease_until=now + wait,
        updated_at=now,
    )


def _unclaim(ids: list[int], *, token: str) -> None:
    """Messages of an interrupted batch that were never tried: owed again, to the task's retry (which
    holds them for a lease), without counting an attempt."""
    now = timezone.now()
    DeliveryMessage.objects.filter(pk__in=ids, claim=token, state=State.CLAIMED).update(
        state=State.QUEUED,
        attempts=F("attempts") - 1,
        lease_until=now + timedelta(seconds=settings.HIVE_DELIVERY_LEASE_SECONDS),
        updated_at=now,
    )


def _renew(ids: list[int], *, token: str) -> tuple[set[int], set[int]]:
    """Extend the lease of the batch's messages still to send; returns (still ours, whose person was
    deactivated since the claim). A message whose claim ran out and went to another worker (this one
    stalled longer than a lease) is not ours any more and is left alone."""
    now = timezone.now()
    with transaction.atomic():
        rows = list(
            DeliveryMessage.objects.filter(pk__in=ids, claim=token, state=State.CLAIMED)
            .select_for_update(of=("self",))
            .values_list("id", "profile__user__is_active")
        )
        ours = {pk for pk, _ in rows}
        DeliveryMessage.objects.filter(pk__in=ours).update(
            lease_until=now + timedelta(seconds=settings.HIVE_DELIVERY_LEASE_SECONDS)
        )
    return ours, {pk for pk, active in rows if not active}


def _mark_sent(message_id: int, *, durable: bool) -> None:
    """The one write per message: the server accepted it. Made before the next message's final dot, so a
    crash can repeat only the message in flight.

    One statement by primary key, without the ORM, and unless `durable`, its commit does not wait for
    the disk (synchronous_commit off for this transaction only): an fsync per message (~5 ms here)
    would cap a worker at ~200 messages a second whatever else it does. Why the guarantee holds:

    - the worker killed at any moment: the commit is PostgreSQL's as soon as it returns, visible to
      everyone, and written to disk within 3 x wal_writer_delay (0.6 s) by PostgreSQL itself, whether
      the worker lives or not;
    - PostgreSQL crashing (or stopped with `-m immediate`; a clean restart writes everything first)
      while the worker lives: it may lose those last commits, and the worker's next query fails;
      delivery_send then marks again, durably, every message of the batch the server accepted
      (_marks_restore), retrying until the database is back. They are still claimed under this
      batch's token, so nobody else has sent them meanwhile;
    - the batch's last mark is durable, and writing it out writes every earlier commit too (the WAL
      is written in order): a finished batch leaves nothing at risk.

    Not covered: the worker and PostgreSQL crashing within the same 0.6 s (the machine losing power):
    the messages marked in that moment can go twice."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    table = DeliveryMessage._meta.db_table
    sql = (
        f"UPDATE {table} SET state = %s, last_error = '', updated_at = %s, sent_at = %s,"
        " lease_until = NULL, not_before = NULL WHERE id = %s AND state IN (%s, %s)"
    )
    if not durable and connection.vendor == "postgresql":
        sql = "SET LOCAL synchronous_commit TO OFF; " + sql  # one round trip, one implicit transaction
    with connection.cursor() as cursor:
        cursor.execute(sql, [State.SENT, now, now, message_id, *DeliveryMessage.OPEN_STATES])


def _marks_restore(message_ids: list[int], *, token: str) -> None:
    """After a database error in the middle of a batch: mark sent again, durably, every message the
    server accepted in it, in case PostgreSQL crashed and lost the last marks (see _mark_sent).
    Retries until the database answers, for at most a lease (the messages stay this batch's that
    long); only rows still claimed under this batch's token are touched."""
    give_up = time.monotonic() + settings.HIVE_DELIVERY_LEASE_SECONDS
    while True:
        try:
            if not connection.in_atomic_block:
                connection.close_if_unusable_or_obsolete()  # a connection the crash broke
            _marks_write(message_ids, token=token)
            return
        except DatabaseError:
            if time.monotonic() >= give_up:
                log.error(
                    "delivery: could not mark %d sent messages again; some may go twice", len(message_ids)
                )
                return
            time.sleep(1)


def _marks_write(message_ids: list[int], *, token: str) -> None:
    now = timezone.now()
    DeliveryMessage.objects.filter(
        pk__in=message_ids, claim=token, state__in=DeliveryMessage.OPEN_STATES
    ).update(state=State.SENT, last_error="", updated_at=now, lease_until=None, not_before=None, sent_at=now)


class _Batch:
    """One delivery_send call. Two threads: this one claims, reads, builds each message and records
    every outcome in the database; a sending thread with the mail connection hands the message built
    before to the server meanwhile. Exactly one message is on the wire at a time, and it is marked sent
    before the next one goes, so a crash still repeats only the message in flight."""

    def __init__(self, messages: list[DeliveryMessage], *, token: str, counts: dict[str, int]) -> None:
        self.messages = messages
        self.token = token
        self.counts = counts
        self.people: dict[int, list[Profile]] = {}
        self.refs: dict[int, list[int]] = {}
        for message in messages:
            self.people.setdefault(message.run_id, []).append(message.profile)
            self.refs.setdefault(message.run_id, []).append(message.ref)
        self.prepared: dict[int, Any] = {}
        self.decided: dict[int, tuple[str, str]] = {}  # skipped or failed, written in bulk
        self.gone: set[int] = set()  # claims another worker took over (this one stalled past a lease)
        self.accepted: list[int] = []  # by the server, in this batch
        self.in_flight: tuple[int, Future] | None = None  # (index in messages, its sending)
        self.mail = get_connection()
        self.wire = ThreadPoolExecutor(max_workers=1, thread_name_prefix="delivery-smtp")

    def run(self) -> None:
        # Well inside the lease, so a live worker never loses a claim it is about to use.
        renew_every = min(settings.HIVE_DELIVERY_RENEW_SECONDS, settings.HIVE_DELIVERY_LEASE_SECONDS / 3)
        renewed_at = time.monotonic()
        try:
            for index, message in enumerate(self.messages):
                if time.monotonic() - renewed_at > renew_every:
                    self._renew(self.in_flight[0] if self.in_flight else index)
                    renewed_at = time.monotonic()
                if message.pk in self.gone:
                    self.counts["not_claimed"] += 1
                    continue
                email = self._build(message)
                if email is None:
                    continue
                self._settle(durable=False)  # the message before: wait for the server, mark it sent
                self.in_flight = (index, self.wire.submit(email_transmit, self.mail, email))
            self._settle(durable=True)
        except BaseException:
            try:
                self._settle(durable=True)  # whatever happened here, the message on the wire is recorded
            except (DeliveryInterrupted, DatabaseError):
                pass
            if self.accepted:
                _marks_restore(self.accepted, token=self.token)
            raise
        finally:
            self.wire.shutdown(wait=True)
            if self.decided:
                try:
                    _finish_many(self.decided, token=self.token)
                except DatabaseError:  # their claims run out and they are decided again; none was sent
                    log.warning("delivery: could not record %d skipped or failed messages", len(self.decided))
            try:
                self.mail.close()
            except Exception:  # a dead connection cannot be closed politely; nothing is lost
                log.debug("delivery: closing the mail connection failed", exc_info=True)

    def _renew(self, first: int) -> None:
        rest = self.messages[first:]
        ours, deactivated = _renew([m.pk for m in rest], token=self.token)
        self.gone |= {m.pk for m in rest} - ours
        for message in rest:
            if message.pk in deactivated:
                message.profile.user.is_active = False
        _finish_many(self.decided, token=self.token)

    def _decide(self, message: DeliveryMessage, state: str, reason: str) -> None:
        self.decided[message.pk] = (state, reason)
        self.counts[state] += 1

    def _build(self, message: DeliveryMessage):
        """The message, serialised; None when it was skipped or failed (recorded)."""
        run = message.run
        profile = message.profile
        if not profile.user.is_active:
            self._decide(message, State.SKIPPED, "deactivated before the message went out")
            return None
        try:
            kind: MailKind = kind_get(run.kind)
            if run.pk not in self.prepared:
                shared = kind.prepare(run.period)
                if kind.prepare_batch is not None:
                    shared = kind.prepare_batch(run.period, shared, self.people[run.pk], self.refs[run.pk])
                self.prepared[run.pk] = shared
            email = kind.build(
                profile=profile, period=run.period, prepared=self.prepared[run.pk], ref=message.ref
            )
            email.message()  # serialised here (BulkEmail keeps it), so a bad header fails this one alone
        except Skip as skip:
            self._decide(message, State.SKIPPED, str(skip))
            return None
        except DatabaseError:
            raise  # the database, not this message: the claim runs out and it is sent later
        except Exception as error:  # a template or data error for this person: theirs alone
            log.exception("delivery %s: could not build the message for %s", run, profile.user.email)
            self._decide(message, State.FAILED, f"could not build: {_describe(error)}")
            return None
        return email

    def _settle(self, *, durable: bool) -> None:
        """Wait for the server's answer to the message on the wire and record it."""
        if self.in_flight is None:
            return
        index, sending = self.in_flight
        self.in_flight = None
        message = self.messages[index]
        try:
            sending.result()
        except smtplib.SMTPException as error:
            if _permanent(error):
                log.warning(
                    "delivery %s: %s refused for good: %s", message.run, message.profile.user.email, error
                )
                self._decide(message, State.FAILED, _describe(error))
                return
            _release(message, reason=_describe(error))
            if _this_message_only(error):
                return  # a 4xx for this message only: retried later, the others go on
            self._interrupted(index, error)
        except OSError as error:  # refused connection, timeout, reset
            _release(message, reason=_describe(error))
            self._interrupted(index, error)
        self.accepted.append(message.pk)
        _mark_sent(message.pk, durable=durable)
        self.counts[State.SENT] += 1

    def _interrupted(self, index: int, error: Exception) -> NoReturn:
        """The server is away: the messages after this one were not tried; owed again, to the task's retry."""
        _unclaim([m.pk for m in self.messages[index + 1 :] if m.pk not in self.decided], token=self.token)
        raise DeliveryInterrupted(_describe(error)) from error


def delivery_send(*, message_ids: list[int]) -> dict[str, int]:
    """Send these messages; returns counts by outcome.

    The batch costs a fixed number of queries whatever its size: one claim for all, one read of the
    messages with their people, the kind's batch reads, one UPDATE per distinct skip or failure
    reason, and a lease renewal every HIVE_DELIVERY_RENEW_SECONDS (which also notices people
    deactivated since the claim). The one write per message is the mark that it was sent, made as
    soon as the server accepted it and before the next message goes: a crash can then repeat only the
    message in flight. Each message is built while the one before is on the wire (_Batch).

    An address refused for good (5xx) or a message that cannot be built fails alone and the batch
    goes on; a person deactivated or no longer wanting it is skipped. A server that is down or drops
    the connection stops the batch with DeliveryInterrupted so the task retries after a backoff."""
    counts = {State.SENT: 0, State.SKIPPED: 0, State.FAILED: 0, "not_claimed": 0}
    token = uuid.uuid4().hex
    claimed = _claim_batch(list(message_ids), token)
    counts["not_claimed"] = len(set(message_ids)) - len(claimed)
    if not claimed:
        return counts
    # Read after the claim: someone deactivated (or opted out) since the run was planned gets nothing.
    messages = list(
        DeliveryMessage.objects.filter(pk__in=claimed, claim=token)
        .select_related("run", "profile__user")
        .order_by("id")
    )
    _Batch(messages, token=token, counts=counts).run()
    return counts


def delivery_run_counts(*, run: DeliveryRun) -> dict[str, int]:
    rows = DeliveryMessage.objects.filter(run=run).values("state").annotate(n=Count("id"))
    counts = {state: 0 for state in State.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
