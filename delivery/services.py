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
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.mail import get_connection
from django.db import DatabaseError, transaction
from django.db.models import Count, F, Q
from django.utils import timezone

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


def _finish(message_id: int, *, state: str, reason: str = "") -> None:
    now = timezone.now()
    # Never overwrite a final state (a slow worker whose claim was taken back and sent by another).
    DeliveryMessage.objects.filter(pk=message_id, state__in=DeliveryMessage.OPEN_STATES).update(
        state=state,
        last_error=reason,
        updated_at=now,
        lease_until=None,
        not_before=None,
        sent_at=now if state == State.SENT else None,
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
        _finish(message.pk, state=State.FAILED, reason=f"gave up after {attempts} attempts: {reason}")
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


def delivery_send(*, message_ids: list[int]) -> dict[str, int]:
    """Send these messages; returns counts by outcome.

    The batch costs a fixed number of queries whatever its size: one claim for all, one read of the
    messages with their people, the kind's batch reads, one UPDATE per distinct skip or failure
    reason, and a lease renewal every HIVE_DELIVERY_RENEW_SECONDS (which also notices people
    deactivated since the claim). The one write per message is the mark that it was sent, made as
    soon as the server accepted it: a crash can then repeat only the message in flight.

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
    people: dict[int, list[Profile]] = {}
    refs: dict[int, list[int]] = {}
    for message in messages:
        people.setdefault(message.run_id, []).append(message.profile)
        refs.setdefault(message.run_id, []).append(message.ref)
    prepared: dict[int, Any] = {}
    decided: dict[int, tuple[str, str]] = {}  # skipped or failed, written in bulk
    # Well inside the lease, so a live worker never loses a claim it is about to use.
    renew_every = min(settings.HIVE_DELIVERY_RENEW_SECONDS, settings.HIVE_DELIVERY_LEASE_SECONDS / 3)
    renewed_at = time.monotonic()
    gone: set[int] = set()
    connection = get_connection()
    try:
        for index, message in enumerate(messages):
            if time.monotonic() - renewed_at > renew_every:
                rest = [m.pk for m in messages[index:]]
                ours, deactivated = _renew(rest, token=token)
                gone |= set(rest) - ours
                for pk in deactivated:
                    message_of = next(m for m in messages[index:] if m.pk == pk)
                    message_of.profile.user.is_active = False
                _finish_many(decided, token=token)
                renewed_at = time.monotonic()
            if message.pk in gone:
                counts["not_claimed"] += 1
                continue
            run = message.run
            profile = message.profile
            user = profile.user
            if not user.is_active:
                decided[message.pk] = (State.SKIPPED, "deactivated before the message went out")
                counts[State.SKIPPED] += 1
                continue
            try:
                kind: MailKind = kind_get(run.kind)
                if run.pk not in prepared:
                    shared = kind.prepare(run.period)
                    if kind.prepare_batch is not None:
                        shared = kind.prepare_batch(run.period, shared, people[run.pk], refs[run.pk])
                    prepared[run.pk] = shared
                email = kind.build(
                    profile=profile, period=run.period, prepared=prepared[run.pk], ref=message.ref
                )
            except Skip as skip:
                decided[message.pk] = (State.SKIPPED, str(skip))
                counts[State.SKIPPED] += 1
                continue
            except DatabaseError:
                raise  # the database, not this message: the claim runs out and it is sent later
            except Exception as error:  # a template or data error for this person: theirs alone
                log.exception("delivery %s: could not build the message for %s", run, user.email)
                decided[message.pk] = (State.FAILED, f"could not build: {_describe(error)}")
                counts[State.FAILED] += 1
                continue
            try:
                connection.open()  # once: later messages reuse the open connection
                connection.send_messages([email])
            except smtplib.SMTPException as error:
                if _permanent(error):
                    log.warning("delivery %s: %s refused for good: %s", run, user.email, error)
                    decided[message.pk] = (State.FAILED, _describe(error))
                    counts[State.FAILED] += 1
                    continue
                _release(message, reason=_describe(error))
                if _this_message_only(error):
                    continue  # a 4xx for this message only: retried later, the others go on
                _unclaim([m.pk for m in messages[index + 1 :]], token=token)
                raise DeliveryInterrupted(_describe(error)) from error
            except OSError as error:  # refused connection, timeout, reset
                _release(message, reason=_describe(error))
                _unclaim([m.pk for m in messages[index + 1 :]], token=token)
                raise DeliveryInterrupted(_describe(error)) from error
            _finish(message.pk, state=State.SENT)
            counts[State.SENT] += 1
    finally:
        if decided:
            try:
                _finish_many(decided, token=token)
            except DatabaseError:  # their claims run out and they are decided again; none was sent
                log.warning("delivery: could not record %d skipped or failed messages", len(decided))
        try:
            connection.close()
        except Exception:  # a dead connection cannot be closed politely; nothing is lost
            log.debug("delivery: closing the mail connection failed", exc_info=True)
    return counts


def delivery_run_counts(*, run: DeliveryRun) -> dict[str, int]:
    rows = DeliveryMessage.objects.filter(run=run).values("state").annotate(n=Count("id"))
    counts = {state: 0 for state in State.values}
    counts.update({row["state"]: row["n"] for row in rows})
    return counts
