"""The Redis cache (common/cache.py) shares its database politely: with a KEY_PREFIX, clearing it deletes
only its own keys. The suite's parallel processes rely on it (config/settings.py)."""

import uuid

from django.conf import settings

from common.cache import ResilientRedisCache


def test_clearing_a_prefixed_cache_leaves_other_prefixes_keys_alone():
    run = uuid.uuid4().hex[:8]
    ours = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"ours-{run}"})
    theirs = ResilientRedisCache(settings.REDIS_URL, {"KEY_PREFIX": f"theirs-{run}"})
    ours.set_many({"count": 1, "limit": 2})
    theirs.set("count", 3)

    ours.clear()

    assert ours.get_many(["count", "limit"]) == {}
    assert theirs.get("count") == 3
    theirs.clear()
    assert theirs.get("count") is None
