"""Times on cards read the way feeds say them."""

from datetime import UTC, datetime, timedelta

import pytest

from common.templatetags.hive_time import ago

NOW = datetime(2026, 12, 1, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("delta", "shown"),
    [
        (timedelta(seconds=-5), "just now"),
        (timedelta(seconds=30), "just now"),
        (timedelta(minutes=1), "1 min ago"),
        (timedelta(minutes=59, seconds=59), "59 min ago"),
        (timedelta(hours=1), "1 h ago"),
        (timedelta(hours=23, minutes=59), "23 h ago"),
        (timedelta(hours=30), "yesterday"),
        (timedelta(days=2), "2 days ago"),
        (timedelta(days=6, hours=23), "6 days ago"),
        (timedelta(days=7), "24 Nov"),
        (timedelta(days=400), "27 Oct 2025"),
    ],
)
def test_how_long_ago(delta, shown, settings):
    settings.TIME_ZONE = "UTC"
    assert ago(NOW - delta, NOW) == shown


def test_dates_are_in_the_companys_time_zone(settings):
    settings.TIME_ZONE = "Asia/Tokyo"  # 23:30 UTC on 20 Nov is 21 Nov in Tokyo
    assert ago(datetime(2026, 11, 20, 23, 30, tzinfo=UTC), NOW) == "21 Nov"
