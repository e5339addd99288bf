"""What the crash tests run for real: a slow SMTP server on loopback (aiosmtpd) and a Celery worker in
its own process, on Redis, that the test can kill with SIGKILL."""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from aiosmtpd.controller import Controller
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(done: Callable[[], bool], what: str, *, timeout: float, every: float = 0.02) -> None:
    give_up = time.monotonic() + timeout
    while not done():
        if time.monotonic() > give_up:
            raise AssertionError(f"{what}: not within {timeout}s")
        time.sleep(every)


class Inbox:
    """The SMTP handler: accepts each message after `delay` seconds and records who it was for.

    `hang_at`: the message that arrives when this many were already accepted is never accepted; its
    session hangs until the server is stopped or the sender dies, so the test can kill the worker (or
    stop the server) at a moment it knows: with one message in flight, not yet accepted. Once only."""

    def __init__(self, delay: float) -> None:
        self.delay = delay
        self.received: list[tuple[str, str]] = []  # (recipient, subject)
        self.hang_at: int | None = None
        self.hanging = threading.Event()
        self._lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.hang_at is not None and len(self.received) >= self.hang_at:
            self.hang_at = None
            self.hanging.set()
            await asyncio.sleep(3600)  # cancelled when the sender goes or the server stops
        await asyncio.sleep(self.delay)
        subject = next(
            (
                line[len("Subject: ") :]
                for line in envelope.content.decode(errors="replace").splitlines()
                if line.startswith("Subject: ")
            ),
            "",
        )
        with self._lock:
            for rcpt in envelope.rcpt_tos:
                self.received.append((rcpt, subject))
        return "250 Message accepted for delivery"

    def count(self) -> int:
        return len(self.received)

    def per_person(self) -> Counter:
        return Counter(rcpt for rcpt, _ in self.received)


class SmtpServer:
    def __init__(self, inbox: Inbox) -> None:
        self.inbox = inbox
        self.port = free_port()
        self._controller: Controller | None = None

    def start(self) -> None:
        # A new controller each time: a stopped one has closed its event loop.
        self._controller = Controller(self.inbox, hostname="127.0.0.1", port=self.port, ready_timeout=10)
        self._controller.start()

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


class Worker:
    """`celery worker` in a process of its own (solo pool: the process that sends is the one killed),
    on this test process's own queue and the test database."""

    def __init__(self, *, queue: str, smtp_port: int, env: dict[str, str]) -> None:
        self.queue = queue
        self.smtp_port = smtp_port
        self.extra_env = env
        self.process: subprocess.Popen | None = None
        self.kills = 0
        self.log = tempfile.NamedTemporaryFile(prefix="hive-worker-", suffix=".log", delete=False)  # noqa: SIM115

    def _env(self) -> dict[str, str]:
        db = connection.settings_dict
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        host = f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
        return {
            **os.environ,
            "DATABASE_URL": f"postgres://{auth}@{host}/{db['NAME']}",
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "HIVE_CELERY_QUEUE": self.queue,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": str(self.smtp_port),
            "EMAIL_USE_TLS": "false",
            "EMAIL_HOST_USER": "",
            "EMAIL_HOST_PASSWORD": "",
            "EMAIL_TIMEOUT": "3",
            "DATABASE_CONN_MAX_AGE": "0",
            "HIVE_SEMANTIC_MODEL": "off",
            **self.extra_env,
        }

    def start(self) -> None:
        assert self.process is None or self.process.poll() is not None
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--pool=solo",
                "--queues",
                self.queue,
                "--without-heartbeat",
                "--without-gossip",
                "--without-mingle",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=self._env(),
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )

    def kill(self) -> None:
        """SIGKILL: no shutdown, no ack, no cleanup; whatever the worker was doing stops there."""
        assert self.process is not None and self.process.poll() is None, "the worker died before the kill"
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.kills += 1

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def forget_log(self) -> None:
        self.log.close()
        Path(self.log.name).unlink(missing_ok=True)

    def output(self) -> str:
        return Path(self.log.name).read_text(errors="replace")[-6000:]


def redis_forget_queue(client, queue: str) -> None:
    """Drop the queue and the unacknowledged messages a killed worker left for it, so they are not
    restored into Redis after the broker's visibility timeout."""
    for key in client.scan_iter(match=f"{queue}*"):
        client.delete(key)
    for tag, raw in client.hgetall("unacked").items():
        try:
            routing_key = json.loads(raw)[2]
        except (ValueError, IndexError, TypeError):
            continue
        if routing_key == queue:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
