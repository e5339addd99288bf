"""Change stamps in the cache, so that a poll can answer "nothing new" without the database.

A stamp is a random token under a key that stands for an audience ("posts by person 7", "posts in
group 12", "unread notifications of user 3"). Whoever changes what the key stands for renews the
token after commit. A poller folds the tokens it depends on into an ETag: while none was renewed,
the ETag is unchanged and the answer is the one the client already has.

The cache is an optimisation, never the truth: a missing stamp gets a fresh token (so every ETag
built on it changes and the next poll recomputes from the database), and when the cache cannot
answer, `stamps_get` returns None and the caller computes from the database. A renewal lost to a
cache outage is bounded by the poller's own expiry (see feed.live).

With REDIS_URL the stamps live in Redis as plain strings, read by a client of their own: a Home
poll reads about 60 of them, and Django's cache API (pickling, key checks per key) cost 0.9 ms of
the poll where MGET costs 0.15. Without Redis (development) they go to Django's cache.
"""

import json
import logging
import secrets
import time

import redis
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

PREFIX = "live:"
# Long enough that idle keys rarely expire (an expired stamp only costs its pollers one recompute).
STAMP_SECONDS = 24 * 3600
# After a failure Redis is left alone this long: an outage costs one refused connection per process
# and window, and a hung Redis at most its socket timeout.
RETRY_AFTER = 5.0
TIMEOUT = 0.5

_client: tuple[str, redis.Redis] | None = None
_down_until = 0.0


def _prefix() -> str:
    # Under the test suite's parallel processes, each one's stamps live under its own prefix
    # (config/settings.py), where its cache clearing finds them. Read once per call, not per key:
    # a Home poll names about 65 keys, and each settings look-up costs a few microseconds.
    own = getattr(settings, "REDIS_KEY_PREFIX", "")
    return f"{own}:{PREFIX}" if own else PREFIX


def _key(key: str) -> str:
    return _prefix() + key


class Unavailable(Exception):
    pass


def _redis(*, retry: bool = False) -> redis.Redis | None:
    global _client
    url = getattr(settings, "REDIS_URL", None)
    if not url:
        return None
    if not retry and time.monotonic() < _down_until:
        raise Unavailable
    if _client is None or _client[0] != url:
        _client = (url, redis.Redis.from_url(url, socket_timeout=TIMEOUT, socket_connect_timeout=TIMEOUT))
    return _client[1]


def _failed(what: str) -> None:
    global _down_until
    _down_until = time.monotonic() + RETRY_AFTER
    log.warning("live stamps: %s; the database answers for %ss", what, RETRY_AFTER, exc_info=True)


def _read(keys: list[str]) -> dict[str, str]:
    client = _redis()
    if client is None:
        return cache.get_many(keys)
    values = client.mget(keys)
    return {
        k: v.decode() if isinstance(v, bytes) else v
        for k, v in zip(keys, values, strict=True)
        if v is not None
    }


def _write(tokens: dict[str, str], *, retry: bool = False) -> None:
    client = _redis(retry=retry)
    if client is None:
        cache.set_many(tokens, timeout=STAMP_SECONDS)
        return
    with client.pipeline(transaction=False) as pipe:
        for key, token in tokens.items():
            pipe.set(key, token, ex=STAMP_SECONDS)
        pipe.execute()


def _token() -> str:
    return secrets.token_hex(6)


def stamps_get(keys: list[str]) -> dict[str, str] | None:
    """The current token of each key (a missing key gets a fresh one); None when the cache is down."""
    prefix = _prefix()
    full = [prefix + k for k in keys]
    try:
        found = _read(full)
        fresh = {k: _token() for k in full if k not in found}
        if fresh:
            # Two pollers may both fill the same key: the later token wins, and a poll that saw the
            # earlier one only recomputes once more.
            _write(fresh)
            found.update(fresh)
    except Unavailable:
        return None
    except Exception:  # any cache failure means "ask the database"
        _failed("unavailable")
        return None
    return {k: found[f] for k, f in zip(keys, full, strict=True)}


def stamps_renew(keys: list[str]) -> None:
    """Give these keys new tokens once the current transaction commits (at once outside one)."""
    if keys:
        keys = list(keys)
        transaction.on_commit(lambda: _renew(keys))


def _renew(keys: list[str]) -> None:
    prefix = _prefix()
    try:
        # Tried even while polls leave Redis alone: a renewal lost is an answer stale for minutes.
        _write({prefix + k: _token() for k in keys}, retry=True)
    except Exception:  # the change is committed; pollers catch up at their expiry
        _failed(f"not renewed: {keys}")


# A person's audience (the stamps their feed depends on) is worked out by the feed and kept with
# their session, together with the token of this stamp: whichever app changes what they follow or
# belong to (feed follows, group membership) renews it, so the next poll works it out again.


def audience_stamp_key(*, user_id: int) -> str:
    return f"aud:{user_id}"


def audience_forget(*, user_id: int) -> None:
    """After commit: what this person follows or belongs to changed."""
    stamps_renew([audience_stamp_key(user_id=user_id)])


# A value kept beside the stamps (a person's audience, see feed.live): JSON under its own key, so a
# poll answered in front of Django (feed.live_gate) can read it.


def value_get(key: str):
    """The value stored under `key`, or None when there is none or the cache cannot answer."""
    try:
        client = _redis()
        raw = cache.get(_key(key)) if client is None else client.get(_key(key))
    except Unavailable:
        return None
    except Exception:
        _failed("unavailable")
        return None
    return None if raw is None else json.loads(raw)


def value_set(key: str, value, *, seconds: int) -> None:
    try:
        client = _redis()
        if client is None:
            cache.set(_key(key), json.dumps(value), timeout=seconds)
        else:
            client.set(_key(key), json.dumps(value), ex=seconds)
    except Unavailable:
        pass
    except Exception:  # the next poll works it out again
        _failed("value not stored")


# A tab's poll token: the page hands it to static/js/live.js, which sends it with every poll, so
# a poll with nothing new can be answered from the stamps before the session is read. It names
# the person it was made for (signed with SECRET_KEY, so nobody can name someone else) and ages:
# an expired token only sends the poll the long way, through the session, whose answer carries a
# fresh one.
TOKEN_SALT = "hive.live.poll"
TOKEN_SECONDS = 15 * 60


def poll_token(*, user_id: int) -> str:
    return signing.TimestampSigner(salt=TOKEN_SALT).sign(str(user_id))


def poll_token_user(token: str) -> int | None:
    """The person a token was made for, or None when it is forged, altered or expired."""
    try:
        return int(signing.TimestampSigner(salt=TOKEN_SALT).unsign(token, max_age=TOKEN_SECONDS))
    except (signing.BadSignature, ValueError):
        return None
