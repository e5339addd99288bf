"""Fixtures for search tests: a colleague's browser that has already been seen today."""

import pytest

from common.days import company_today
from tests.helpers import client_for


@pytest.fixture
def viewer_client(client, colleague, monkeypatch):
    """Signed in, with the day's first request behind it: that request also records the viewer as
    active (analytics, digests), queries no search page budget counts. The day is pinned for the
    whole test, so a test running across midnight is not measured on the next day's first request."""
    today = company_today()
    monkeypatch.setattr("common.middleware.company_today", lambda: today)
    client_for(client, colleague)
    client.get("/search/")
    return client
