"""While PostgreSQL restarts, people get a clear "back in a moment" page (503, not a stack trace), and
Hive serves again as soon as it is back, without restarting the web process."""

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import psycopg2
import pytest
from django.conf import settings
from django.db import OperationalError, connection
from django.test import Client
from django.urls import reverse

from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)  # connections behave as between real requests


@pytest.fixture
def ada_browser(db):
    profile = ProfileFactory(display_name="Ada Author", user__email="ada@example.com")
    browser = Client(raise_request_exception=False)  # see the page a person would see
    browser.force_login(profile.user)
    return browser


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "127.0.0.1", port 5432 failed: Connection refused')

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)


def _terminate_hives_connections() -> int:
    """What a PostgreSQL restart does to the web server: every connection it held is gone. (The test's
    own connection is spared: it has to clean up afterwards.)"""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (tests_own,) = cursor.fetchone()
    params = connection.get_connection_params()
    admin = psycopg2.connect(**{k: v for k, v in params.items() if k != "cursor_factory"})
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid NOT IN (pg_backend_pid(), %s)",
            [tests_own],
        )
        (killed,) = cursor.fetchone()
    admin.close()
    return killed


def test_database_outage_gives_a_clear_503_page(ada_browser, database_down):
    response = ada_browser.get(reverse("feed:home"))

    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    page = response.content.decode()
    assert "Hive is back in a moment" in page
    assert "Traceback" not in page and "OperationalError" not in page


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str, session: str) -> tuple[int, str]:
    request = urllib.request.Request(url, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def web_server():
    """Hive under gunicorn, on the test database, as in production: Django's test client skips the
    per-request connection checks that a real server makes."""
    port = _free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.config.server_settings",
        "DATABASE_URL": "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**connection.settings_dict),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "config.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise RuntimeError("gunicorn did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_hive_serves_again_as_soon_as_its_database_connections_come_back(web_server):
    profile = ProfileFactory(display_name="Ada Author", user__email="ada@example.com")
    browser = Client()
    browser.force_login(profile.user)
    session = browser.cookies[settings.SESSION_COOKIE_NAME].value
    assert _get(f"{web_server}/", session)[0] == 200
    assert _terminate_hives_connections() >= 1  # what a PostgreSQL restart does to the server

    status, page = _get(f"{web_server}/", session)  # the very next request, no restart of gunicorn

    assert status == 200
    assert "Ada Author" in page


def test_other_errors_still_get_the_plain_500_page(ada_browser, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("feed.selectors.home_feed_page", broken)

    response = ada_browser.get(reverse("feed:home"))

    assert response.status_code == 500
    assert "Something went wrong on our side" in response.content.decode()
