"""A Redis cache that keeps Hive working while Redis is away.

Sign-in rate limits, cached counts and the live prompt all use the cache. With Django's plain
RedisCache an unreachable Redis turns each of them into a 500, and signing in stops. Here every call
that cannot reach Redis is answered by a cache local to the process instead, and Redis is not tried
again for `RETRY_AFTER` seconds, so an outage costs one refused connection per process and window, not
one per call. Limits still hold while Redis is down, counted per process: with W web processes a
person gets at most W times the allowance, never an unlimited number of password guesses.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

log = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError, OSError)
RETRY_AFTER = 5.0  # seconds between tries of an unreachable Redis
# Connect and answer quickly or count as down: a hung Redis must not hang every request.
DEFAULT_OPTIONS = {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}


class ResilientRedisCache(RedisCache):
    _cache: RedisCacheClient  # RedisCache's client (a cached property that django-stubs leaves out)

    def __init__(self, server, params):
        params = {**params, "OPTIONS": {**DEFAULT_OPTIONS, **params.get("OPTIONS", {})}}
        super().__init__(server, params)
        self._local = LocMemCache(f"hive-fallback-{id(self)}", {"OPTIONS": {"MAX_ENTRIES": 10_000}})
        self._down_until = 0.0

    @property
    def redis_is_down(self) -> bool:
        return time.monotonic() < self._down_until

    def _call(self, name: str, *args, **kwargs):
        return self._either(getattr(super(), name), getattr(self._local, name), *args, **kwargs)

    def _either(self, on_redis: Callable[..., Any], on_local: Callable[..., Any], *args, **kwargs):
        if not self.redis_is_down:
            try:
                return on_redis(*args, **kwargs)
            except UNREACHABLE as error:
                log.warning("cache: Redis unreachable (%s); memory serves for %ss", error, RETRY_AFTER)
                self._down_until = time.monotonic() + RETRY_AFTER
        return on_local(*args, **kwargs)

    def add(self, *args, **kwargs):
        return self._call("add", *args, **kwargs)

    def get(self, *args, **kwargs):
        return self._call("get", *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._call("set", *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._call("touch", *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._call("delete", *args, **kwargs)

    def get_many(self, *args, **kwargs):
        return self._call("get_many", *args, **kwargs)

    def has_key(self, *args, **kwargs):
        return self._call("has_key", *args, **kwargs)

    def incr(self, *args, **kwargs):
        return self._call("incr", *args, **kwargs)

    def set_many(self, *args, **kwargs):
        return self._call("set_many", *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._call("delete_many", *args, **kwargs)

    def clear(self):
        self._local.clear()
        if not self.key_prefix:
            return self._call("clear")
        # FLUSHDB would also empty the keys of whoever else uses this Redis database under another
        # KEY_PREFIX (the test suite's parallel processes: config/settings.py): only ours go.
        return self._either(self._delete_prefixed, lambda: True)

    def _delete_prefixed(self) -> bool:
        client = self._cache.get_client(write=True)
        keys = list(client.scan_iter(match=f"{self.key_prefix}:*", count=1000))
        if keys:
            client.delete(*keys)
        return True
