"""When an open tab polls (static/js/live.js), played on a stand-in page and clock by node
(live_js_clock.mjs): every 30 s while in use, every 2 minutes once left untouched for 5, never
while hidden, and at once when someone comes back to it."""

import json
import subprocess
from pathlib import Path

from django.conf import settings

HERE = Path(__file__).resolve().parent


def polls(*script: tuple[int, str]) -> list[float]:
    """The seconds since the page loaded at which the tab asked /live/, through the given events."""
    live_js = settings.BASE_DIR / "static" / "js" / "live.js"
    out = subprocess.run(
        ["node", str(HERE / "live_js_clock.mjs"), str(live_js), json.dumps(script)],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout
    return json.loads(out)


def test_a_tab_in_use_asks_every_30_seconds_and_not_at_once_on_load():
    asked = polls((100, "document:keydown"), (200, "document:pointermove"), (300, "end"))

    assert asked == [30, 60, 90, 120, 150, 180, 210, 240, 270, 300]


def test_a_tab_left_untouched_for_5_minutes_asks_every_2_minutes():
    asked = polls((1500, "end"))

    assert asked[:10] == [30 * n for n in range(1, 11)]
    assert asked[10:] == [420, 540, 660, 780, 900, 1020, 1140, 1260, 1380, 1500]


def test_coming_back_to_a_left_tab_asks_at_once_then_every_30_seconds():
    for event in ("document:keydown", "document:pointerdown", "document:scroll", "window:focus"):
        asked = polls((560, event), (650, "end"))

        assert asked[-4:] == [560, 590, 620, 650], event


def test_a_hidden_tab_never_asks_and_asks_at_once_when_shown():
    asked = polls((45, "hide"), (4000, "show"), (4060, "end"))

    assert asked == [30, 4000, 4030, 4060]


def test_a_tab_hidden_for_long_is_in_use_again_when_shown():
    asked = polls((10, "hide"), (900, "show"), (1000, "end"))

    assert asked == [900, 930, 960, 990]
