"""While Redis is away, people still sign in (with the failed-sign-in limit still holding), read and write,
and Hive goes back to Redis by itself once it returns. Redis here is a real server the test starts on a
free port and kills."""

import socket
import subprocess
import time
from collections.abc import Iterator

import pytest
import redis
from django.core.cache import cache
from django.urls import reverse

from common import cache as resilient_cache
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what UserFactory sets
TOO_MANY = "Too many failed login attempts"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class OwnRedis:
    """A redis-server of the test's own, which it can stop and start again on the same port."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            stdout=subprocess.DEVNULL,
        )
        client = redis.Redis(port=self.port, socket_connect_timeout=0.2)
        for _ in range(100):
            try:
                client.ping()
                return
            except redis.ConnectionError:
                time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def kill(self) -> None:
        assert self.process is not None
        self.process.kill()
        self.process.wait(timeout=10)

    def keys(self) -> list[bytes]:
        return redis.Redis(port=self.port).keys("*")


@pytest.fixture
def own_redis(settings, monkeypatch) -> Iterator[OwnRedis]:
    server = OwnRedis()
    server.start()
    settings.CACHES = {"default": {"BACKEND": "common.cache.ResilientRedisCache", "LOCATION": server.url}}
    monkeypatch.setattr(resilient_cache, "RETRY_AFTER", 0.3)
    yield server
    if server.process and server.process.poll() is None:
        server.kill()


def _fail_sign_ins(client, *, times: int) -> None:
    for n in range(times):
        client.post("/accounts/login/", {"login": f"nobody{n}@example.com", "password": "wrong-password-x"})


def test_people_sign_in_read_and_post_while_redis_is_down(client, own_redis):
    ProfileFactory(display_name="Ada Author", user__email="ada@example.com")
    own_redis.kill()

    signed_in = client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})
    posted = client.post(reverse("feed:home"), {"body": "Posted while the cache was away"})
    home = client.get(reverse("feed:home"))

    assert signed_in.status_code == 302
    assert posted.status_code == 302
    assert home.status_code == 200
    assert "Posted while the cache was away" in home.content.decode()


def test_failed_sign_in_limit_still_holds_while_redis_is_down(client, own_redis):
    ProfileFactory(user__email="ada@example.com")
    own_redis.kill()

    _fail_sign_ins(client, times=12)
    blocked = client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})

    assert blocked.status_code == 200
    assert TOO_MANY in blocked.content.decode()
    assert client.get(reverse("feed:home")).status_code == 302


def test_cache_goes_back_to_redis_when_it_returns(own_redis):
    own_redis.kill()
    cache.set("during-outage", 1)
    assert cache.get("during-outage") == 1  # kept in this process meanwhile

    own_redis.start()
    time.sleep(resilient_cache.RETRY_AFTER + 0.1)
    cache.set("after-outage", 2)

    assert cache.get("after-outage") == 2
    assert any(key.endswith(b"after-outage") for key in own_redis.keys())


def test_a_hung_redis_costs_a_bounded_wait_not_a_hung_request(settings, monkeypatch):
    # A listening socket that never answers: the connection opens, the reply never comes.
    with socket.socket() as silent:
        silent.bind(("127.0.0.1", 0))
        silent.listen(8)
        port = silent.getsockname()[1]
        settings.CACHES = {
            "default": {
                "BACKEND": "common.cache.ResilientRedisCache",
                "LOCATION": f"redis://127.0.0.1:{port}/0",
            }
        }
        started = time.monotonic()
        cache.set("key", "value")
        waited = time.monotonic() - started

        assert cache.redis_is_down  # so the next calls do not wait on it again
        assert cache.get("key") == "value"
    assert waited < 2.0
