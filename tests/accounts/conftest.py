"""Sign-in and sign-up fixtures."""

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # allauth counts sign-ups and failed sign-ins per IP in the cache (Redis in tests, kept between
    # tests and runs); every test here comes from 127.0.0.1, so start each one with a clean count.
    cache.clear()
