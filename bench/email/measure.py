"""Digest delivery at scale: each person's digest for the feed bench's company (100,000 people), built
and handed to an SMTP server on loopback by one process, batch after batch, as one Celery worker does.

    .venv/bin/python bench/feed/generate.py --fresh --database hive_emailbench
    nice -n 10 .venv/bin/python bench/email/measure.py --database hive_emailbench            # everyone
    nice -n 10 .venv/bin/python bench/email/measure.py --database hive_emailbench --people 20000

The digest covers the last day of the generated feed. Nobody has a digest setting or a recorded visit
in that data, so everyone is due one and every one of them has something in it (the day's popular
posts at least): the most mail the company can owe in a day. The SMTP server is aiosmtpd's Sink in a
process of its own (it accepts and discards). Each batch goes through delivery.services.delivery_send,
the function the delivery.send_batch task calls. Prints people per second, the queries of each batch
(split into the fixed reads and the one "sent" mark per message), the projection for 100,000 people,
and as a baseline from the same run, the rate at which bare pre-built messages go to the same server.
Writes bench/email/results.json. Re-running deletes the day's digest run first.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.people.measure import bench_parser, django_for_bench, results_write  # noqa: E402

RESULTS = Path(__file__).with_name("results.json")
DEFAULT_DATABASE = "hive_emailbench"
COMPANY = 100_000
TARGET_SECONDS = 600  # the issue: 100,000 digests in under 10 minutes with one worker process


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _smtp_sink(port: int) -> subprocess.Popen:
    process = subprocess.Popen(
        [sys.executable, "-m", "aiosmtpd", "-n", "-l", f"127.0.0.1:{port}", "-c", "aiosmtpd.handlers.Sink"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    give_up = time.monotonic() + 15
    while time.monotonic() < give_up:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process
        except OSError:
            time.sleep(0.1)
    process.kill()
    raise SystemExit("the SMTP sink did not start")


def _cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (Linux /proc): what each message costs in CPU does not
    depend on how busy the machine is, unlike its wall time."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _baseline(count: int, sample: tuple[str, list[str], bytes]) -> float:
    """A digest already built, sent again and again over one connection (no database, no building): the
    rate of the SMTP hand-off alone, to this server, for messages of this size."""
    from django.core.mail import get_connection

    started = time.perf_counter()
    with get_connection() as connection:
        for _ in range(count):
            connection.connection.sendmail(*sample)
    return count / (time.perf_counter() - started)


class _Wire:
    """What the sending side costs: the time from handing each message to the server to its answer, and
    the message's size. Wraps smtplib's sendmail (one call per message, whatever calls it)."""

    def __init__(self) -> None:
        self.seconds = 0.0
        self.bytes = 0
        self.count = 0
        self.last: tuple[str, list[str], bytes] | None = None

    def install(self) -> None:
        import smtplib

        sendmail = smtplib.SMTP.sendmail

        def timed(smtp, from_addr, to_addrs, msg, *args, **kwargs):
            started = time.perf_counter()
            refused = sendmail(smtp, from_addr, to_addrs, msg, *args, **kwargs)
            self.seconds += time.perf_counter() - started
            self.bytes += len(msg)
            self.count += 1
            self.last = (from_addr, to_addrs, msg)
            return refused

        smtplib.SMTP.sendmail = timed


def main(argv: list[str] | None = None) -> int:
    parser = bench_parser(__doc__, database=DEFAULT_DATABASE, results=RESULTS)
    parser.add_argument("--people", type=int, default=None, help="send to the first N due (default: all)")
    parser.add_argument("--batch", type=int, default=500, help="messages per batch (HIVE_DIGEST_BATCH_SIZE)")
    parser.add_argument("--baseline", type=int, default=2000, help="bare messages for the SMTP baseline")
    args = parser.parse_args(argv)

    port = _free_port()
    os.environ.update(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(port),
        EMAIL_USE_TLS="false",
        EMAIL_HOST_USER="",
        EMAIL_HOST_PASSWORD="",
    )
    django_for_bench(database=args.database, server=args.server, migrate=not args.no_migrate)
    load_before = os.getloadavg()
    sink = _smtp_sink(port)
    try:
        return _measure(args, load_before, sink_pid=sink.pid)
    finally:
        sink.terminate()
        sink.wait(timeout=10)


def _measure(args, load_before, *, sink_pid: int) -> int:
    import dataclasses

    from django.db import connection
    from django.db.models import Max
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from delivery.kinds import kind_get, kind_register
    from delivery.models import DeliveryMessage, DeliveryRun
    from delivery.services import delivery_plan, delivery_send
    from digests.mail import digest_recipient_ids
    from digests.selectors import DIGEST
    from feed.models import Post

    latest = Post.objects.aggregate(last=Max("created_at"))["last"]
    if latest is None:
        raise SystemExit(f"{args.database} has no posts: run bench/feed/generate.py first")
    day = timezone.localdate(latest)
    DeliveryRun.objects.filter(kind=DIGEST, period=day.isoformat()).delete()  # a rerun measures again

    # Time spent choosing each person's content, apart from rendering and sending.
    kind = kind_get(DIGEST)
    choosing = [0.0]

    def timed_prepare_batch(*a):
        started = time.perf_counter()
        try:
            return kind.prepare_batch(*a)
        finally:
            choosing[0] += time.perf_counter() - started

    kind_register(dataclasses.replace(kind, prepare_batch=timed_prepare_batch))
    wire = _Wire()
    wire.install()

    started = time.perf_counter()
    due = digest_recipient_ids(day=day)
    people = due[: args.people] if args.people else due
    run = delivery_plan(kind=DIGEST, period=day.isoformat(), profile_ids=people)
    ids = list(DeliveryMessage.objects.filter(run=run).order_by("id").values_list("id", flat=True))
    planning = time.perf_counter() - started
    print(f"Digest of {day} for {len(ids):,} of {len(due):,} people due; planned in {planning:.1f} s")

    totals = {"sent": 0, "skipped": 0, "failed": 0}
    reads: list[int] = []
    batch_seconds: list[float] = []
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (backend_pid,) = cursor.fetchone()
    cpu_started = {
        "process": time.process_time(),
        "building thread": time.thread_time(),
        "SMTP server": _cpu_seconds(sink_pid),
        "PostgreSQL backend": _cpu_seconds(backend_pid),
    }
    sending_started = time.perf_counter()
    for start in range(0, len(ids), args.batch):
        batch = ids[start : start + args.batch]
        t0 = time.perf_counter()
        connection.queries_log.clear()  # Django keeps the last 9,000: counts past that went negative
        with CaptureQueriesContext(connection) as queries:
            counts = delivery_send(message_ids=batch)
        batch_seconds.append(time.perf_counter() - t0)
        for key in totals:
            totals[key] += counts[key]
        reads.append(len(queries.captured_queries) - counts["sent"])  # one "sent" mark per sent message
        done = start + len(batch)
        if len(batch_seconds) % 10 == 0 or done == len(ids):
            rate = done / (time.perf_counter() - sending_started)
            print(f"  {done:>7,} people  {rate:6.1f} people/s  reads in the last batch {reads[-1]}")
    sending = time.perf_counter() - sending_started
    cpu_now = {
        "process": time.process_time(),
        "building thread": time.thread_time(),
        "SMTP server": _cpu_seconds(sink_pid),
        "PostgreSQL backend": _cpu_seconds(backend_pid),
    }
    cpu_ms = {k: (cpu_now[k] - cpu_started[k]) * 1000 / max(len(ids), 1) for k in cpu_now}

    rate = len(ids) / sending
    projected = COMPANY / rate + planning * COMPANY / max(len(ids), 1)
    wire_seconds, wire_count, size = wire.seconds, wire.count, wire.bytes / max(wire.count, 1)
    baseline = _baseline(args.baseline, wire.last)
    sent_rows = DeliveryMessage.objects.filter(run=run, state="sent").count()
    print(
        f"\nsent {totals['sent']:,}, skipped {totals['skipped']:,}, failed {totals['failed']:,} "
        f"(rows marked sent: {sent_rows:,}) in {sending:.1f} s: {rate:.1f} people/s"
    )
    print(
        f"queries per batch of {args.batch}: {min(reads)}-{max(reads)} reads and claim/renew/skip writes "
        f"(fixed whatever the batch size) + 1 'sent' mark per message"
    )
    print(f"choosing content: {choosing[0]:.1f} s of {sending:.1f} s ({choosing[0] / sending:.0%})")
    print(
        f"on the wire (sending thread, handing each message over until the server's answer): "
        f"{wire_seconds:.1f} s of {sending:.1f} s, {wire_seconds / max(wire_count, 1) * 1000:.1f} ms "
        f"a message of {size / 1024:.1f} KiB on average"
    )
    print(
        "CPU per message (whatever the load): this process {process:.2f} ms (building thread "
        "{building thread:.2f} ms), SMTP server {SMTP server:.2f} ms, PostgreSQL backend "
        "{PostgreSQL backend:.2f} ms".format_map(cpu_ms)
    )
    print(f"baseline, one digest sent again and again to the same server: {baseline:.1f} messages/s")
    print(f"digests at {rate / baseline:.0%} of the bare SMTP rate")
    verdict = "under" if projected < TARGET_SECONDS else "OVER"
    print(f"projected for {COMPANY:,} people: {projected / 60:.1f} min ({verdict} the 10 min target)")
    results_write(
        args.output,
        database=args.database,
        load_before=load_before,
        day=day.isoformat(),
        people=len(ids),
        batch_size=args.batch,
        sent=totals["sent"],
        skipped=totals["skipped"],
        failed=totals["failed"],
        planning_seconds=round(planning, 2),
        sending_seconds=round(sending, 2),
        people_per_second=round(rate, 1),
        choosing_content_seconds=round(choosing[0], 2),
        reads_per_batch={"min": min(reads), "max": max(reads)},
        writes_per_message=1,
        on_the_wire_seconds=round(wire_seconds, 2),
        cpu_ms_per_message={k: round(v, 2) for k, v in cpu_ms.items()},
        average_message_bytes=round(size),
        baseline_bare_smtp_per_second=round(baseline, 1),
        projected_minutes_for_100000=round(projected / 60, 1),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
