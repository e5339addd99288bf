"""Change stamps in the cache, so that a poll can answer "nothing new" without the database.

A stamp is a random token under a key that stands for an audience ("posts by person 7", "posts in
group 12", "unread notifications of user 3"). Whoever changes what the key stands for renews the
token after commit. A poller folds the tokens it depends on into an ETag: while none was renewed,
the ETag is unchanged and the answer is the one the client already has.

The cache is an optimisation, never the truth: a missing stamp gets a fresh token (so every ETag
built on it changes and the next poll recomputes from the database), and when the cache cannot
answer, `stamps_get` returns None and the caller computes from the database. A renewal lost to a
cache outage is bounded by the poller's own expiry (see feed.live).
"""

import logging
import secrets

from django.core.cache import cache
from django.db import transaction

log = logging.getLogger(__name__)

PREFIX = "live:"
# Long enough that idle keys rarely expire (an expired stamp only costs its pollers one recompute).
STAMP_SECONDS = 24 * 3600


def _token() -> str:
    return secrets.token_hex(6)


def stamps_get(keys: list[str]) -> dict[str, str] | None:
    """The current token of each key (a missing key gets a fresh one); None when the cache is down."""
    full = [PREFIX + k for k in keys]
    try:
        found = cache.get_many(full)
        fresh = {k: _token() for k in full if k not in found}
        if fresh:
            # Two pollers may both fill the same key: the later token wins, and a poll that saw the
            # earlier one only recomputes once more.
            cache.set_many(fresh, timeout=STAMP_SECONDS)
            found.update(fresh)
    except Exception:  # any cache failure means "ask the database"
        log.warning("live stamps unavailable; answering from the database", exc_info=True)
        return None
    return {k: found[PREFIX + k] for k in keys}


def stamps_renew(keys: list[str]) -> None:
    """Give these keys new tokens once the current transaction commits (at once outside one)."""
    if keys:
        keys = list(keys)
        transaction.on_commit(lambda: _renew(keys))


def _renew(keys: list[str]) -> None:
    try:
        cache.set_many({PREFIX + k: _token() for k in keys}, timeout=STAMP_SECONDS)
    except Exception:  # the change is committed; pollers catch up at their expiry
        log.warning("live stamps not renewed: %s", keys, exc_info=True)


def value_get(key: str):
    """A cached value under the live prefix, or None (also when the cache is down)."""
    try:
        return cache.get(PREFIX + key)
    except Exception:
        log.warning("live cache unavailable", exc_info=True)
        return None


def value_set(key: str, value, *, seconds: int) -> None:
    try:
        cache.set(PREFIX + key, value, timeout=seconds)
    except Exception:
        log.warning("live cache unavailable", exc_info=True)


def values_forget(keys: list[str]) -> None:
    """Drop cached values once the current transaction commits."""
    if keys:
        keys = list(keys)
        transaction.on_commit(lambda: _forget(keys))


def _forget(keys: list[str]) -> None:
    try:
        cache.delete_many([PREFIX + k for k in keys])
    except Exception:  # a stale audience list expires by itself (feed.live)
        log.warning("live cache not cleared: %s", keys, exc_info=True)


# A person's audience list (the stamps their feeds depend on) is cached per scope by the feed and
# dropped by whichever app changes what they follow or belong to (feed follows, group membership).
AUDIENCE_SCOPES = ("home", "all")


def audience_key(*, user_id: int, scope: str) -> str:
    return f"aud:{scope}:{user_id}"


def audience_forget(*, user_id: int) -> None:
    """After commit: what this person follows or belongs to changed."""
    values_forget([audience_key(user_id=user_id, scope=scope) for scope in AUDIENCE_SCOPES])
