"""/healthz for the load balancer: 200 while the database and the broker answer, 503 naming what does not."""

import pytest
from django.contrib.staticfiles import finders
from django.db import OperationalError

from config.celery import app as celery_app

pytestmark = pytest.mark.django_db

# Nothing listens on port 1: the connection is refused at once.
DEAD_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def broker_down(monkeypatch, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setitem(celery_app.conf, "broker_url", DEAD_BROKER)


@pytest.fixture
def database_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise OperationalError('connection to server at "db.internal" (10.0.0.5), port 5432 failed')

    monkeypatch.setattr("django.db.backends.utils.CursorWrapper.execute", refuse)


def test_healthy_when_database_and_broker_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "failing": {}, "checks": {"database": "ok", "broker": "ok"}}
    assert "no-cache" in response["Cache-Control"]


def test_unreachable_broker_gives_503_naming_the_broker(client, broker_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert list(body["failing"]) == ["broker"]
    assert body["checks"] == {"database": "ok", "broker": "failing"}


def test_failing_database_gives_503_naming_the_database(client, database_down):
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert list(body["failing"]) == ["database"]
    assert body["checks"] == {"database": "failing", "broker": "ok"}


def test_failure_details_go_to_the_log_not_to_anonymous_callers(client, database_down, caplog):
    response = client.get("/healthz")

    assert "db.internal" not in response.content.decode()
    assert "10.0.0.5" not in response.content.decode()
    assert "db.internal" in caplog.text


def test_without_a_broker_configured_tasks_run_in_process_and_only_the_database_is_checked(
    client, monkeypatch, settings
):
    settings.REDIS_URL = ""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setitem(celery_app.conf, "broker_url", DEAD_BROKER)

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["checks"]["broker"] == "ok"


def test_healthz_is_not_redirected_to_https(client, settings):
    # The load balancer probes over plain HTTP while every other page is forced to HTTPS.
    settings.SECURE_SSL_REDIRECT = True

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def test_healthz_answers_get_and_head_only(client):
    assert client.head("/healthz").status_code == 200  # some load balancers probe with HEAD
    assert client.post("/healthz").status_code == 405


def test_favicon_is_found_by_browsers_that_ask_for_favicon_ico(client):
    response = client.get("/favicon.ico")

    assert response.status_code == 301
    assert response["Location"] == "/static/favicon.svg"
    assert finders.find("favicon.svg")
