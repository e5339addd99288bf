"""common.pagination.keyset_page: every app's pages, including orders mixing directions."""

from datetime import date

import pytest

from common.pagination import BadCursor, keyset_page
from profiles.models import Profile
from tests.factories import ProfileFactory

MIXED_KEYS = ("start_date", "display_name", "id")
NEWEST_FIRST_THEN_BY_NAME = (True, False, False)


def _walk(qs, size):
    seen, cursor = [], None
    while True:
        page = keyset_page(
            qs, keys=MIXED_KEYS, cursor=cursor, size=size, descending=NEWEST_FIRST_THEN_BY_NAME
        )
        seen += [p.display_name for p in page.items]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


@pytest.mark.django_db
def test_mixed_directions_walk_every_row_once_newest_joiner_first_then_by_name():
    for name, start in [("Cy", 2024), ("Al", 2024), ("Bo", 2020), ("Di", 2026), ("Ed", 2024), ("Fa", 2020)]:
        ProfileFactory(display_name=name, start_date=date(start, 1, 1))
    names = _walk(Profile.objects.all(), size=2)
    assert names == ["Di", "Al", "Cy", "Ed", "Bo", "Fa"]


@pytest.mark.django_db
def test_a_cursor_for_other_keys_or_an_edited_one_is_a_bad_cursor():
    with pytest.raises(BadCursor):
        keyset_page(
            Profile.objects.all(),
            keys=MIXED_KEYS,
            cursor="garbage",
            size=2,
            descending=NEWEST_FIRST_THEN_BY_NAME,
        )


def test_directions_must_match_the_keys():
    with pytest.raises(ValueError, match="every key"):
        keyset_page(Profile.objects.all(), keys=MIXED_KEYS, cursor=None, size=2, descending=(True, False))
