"""Fixed-window counters for rate limits, kept in Redis, that let a request through when Redis is away.

Each limited action has one or more windows (per minute, per day). One Lua script checks every window
and counts the attempt only when all of them have room, in a single round trip, so a refused attempt
never eats into the day's allowance and two concurrent requests never both take the last slot.

Content limits (posts, comments, reactions...) fail open: while Redis is unreachable nobody is refused,
because refusing everyone's posts during an outage costs more than a flood that moderators clean up.
Sign-in limits are not counted here: allauth keeps them in the cache, which falls back to per-process
memory instead (common/cache.py), as security asks.
"""

import logging
import time
from dataclasses import dataclass

from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

from common.cache import RETRY_AFTER, UNREACHABLE, ResilientRedisCache

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Window:
    seconds: int
    limit: int


# KEYS: one counter per window; ARGV: limit1, seconds1, limit2, seconds2...
# Returns 0 when counted, else the seconds until the first full window ends.
_HIT_SCRIPT = """
for i, key in ipairs(KEYS) do
  local used = tonumber(redis.call('GET', key) or '0')
  if used >= tonumber(ARGV[2 * i - 1]) then
    local ttl = redis.call('TTL', key)
    if ttl < 1 then ttl = tonumber(ARGV[2 * i]) end
    return ttl
  end
end
for i, key in ipairs(KEYS) do
  local used = redis.call('INCR', key)
  if used == 1 then redis.call('EXPIRE', key, tonumber(ARGV[2 * i])) end
end
return 0
"""


def _keys(*, name: str, windows: list[Window], now: float) -> list[str]:
    # The window's index is in the key: a new window starts from zero without any cleanup.
    return [f"rl:{name}:{w.seconds}:{int(now // w.seconds)}" for w in windows]


def _seconds_left(window: Window, now: float) -> int:
    return max(1, int(window.seconds - (now % window.seconds)))


def hit(*, name: str, windows: list[Window]) -> int:
    """Count one attempt of `name` (say "posts:42") in every window; 0 when allowed, else the seconds
    to wait before trying again. Allowed, uncounted, when Redis cannot be reached."""
    if not windows:
        return 0
    now = time.time()
    keys = _keys(name=name, windows=windows, now=now)
    backend = caches["default"]  # the backend itself: django.core.cache.cache is a proxy to it
    if isinstance(backend, ResilientRedisCache):
        return _hit_redis(backend, keys=keys, windows=windows)
    return _hit_local(backend, keys=keys, windows=windows, now=now)


def _hit_redis(redis_cache: ResilientRedisCache, *, keys: list[str], windows: list[Window]) -> int:
    if redis_cache.redis_is_down:
        return 0
    args: list[int] = []
    for w in windows:
        args += [w.limit, w.seconds]
    try:
        client = redis_cache._cache.get_client(write=True)
        full_keys = [redis_cache.make_key(k) for k in keys]
        return int(client.eval(_HIT_SCRIPT, len(full_keys), *full_keys, *args))
    except UNREACHABLE as error:
        log.warning(
            "rate limits: Redis unreachable (%s); letting requests through for %ss", error, RETRY_AFTER
        )
        redis_cache._down_until = time.monotonic() + RETRY_AFTER  # as the cache does: no retry per request
        return 0


def _hit_local(cache: BaseCache, *, keys: list[str], windows: list[Window], now: float) -> int:
    """A process's own cache (no REDIS_URL: `make run`): not atomic across processes, nor needed."""
    counts = cache.get_many(keys)
    for key, w in zip(keys, windows, strict=True):
        if counts.get(key, 0) >= w.limit:
            return _seconds_left(w, now)
    for key, w in zip(keys, windows, strict=True):
        if cache.add(key, 1, timeout=w.seconds):
            continue
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=w.seconds)
    return 0
