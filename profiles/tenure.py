"""Tenure bands (years since a person's start date): the adoption figures and pulse surveys break
the company down by them, so both count a person in the same band on the same day."""

from datetime import date
from enum import Enum

from django.db.models import Q


class TenureBand(Enum):
    """Years since a person's start date, on the day counted."""

    UNDER_1 = 1
    FROM_1_TO_3 = 2
    FROM_3_TO_10 = 3
    OVER_10 = 4

    @property
    def label(self) -> str:
        return TENURE_LABELS[self.value]


TENURE_UNKNOWN = -1
TENURE_LABELS = {
    1: "Under 1 year",
    2: "1–3 years",
    3: "3–10 years",
    4: "10 years or more",
    TENURE_UNKNOWN: "Start date unknown",
}


def years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def tenure_band(start: date | None, day: date) -> int:
    """The band of someone who started on `start`, on `day` (-1 when the start date is unknown)."""
    if start is None:
        return TENURE_UNKNOWN
    if start > years_before(day, 1):
        return TenureBand.UNDER_1.value
    if start > years_before(day, 3):
        return TenureBand.FROM_1_TO_3.value
    if start > years_before(day, 10):
        return TenureBand.FROM_3_TO_10.value
    return TenureBand.OVER_10.value


def tenure_q(band: int, *, today: date, field: str = "start_date") -> Q:
    """The condition on a start date for being in `band` on `today` (tenure_band's rule)."""
    if band == TENURE_UNKNOWN:
        return Q(**{f"{field}__isnull": True})
    bounds = {1: (None, 1), 2: (1, 3), 3: (3, 10), 4: (10, None)}
    if band not in bounds:
        raise ValueError(f"No tenure band {band}.")
    at_least, under = bounds[band]
    condition = Q(**{f"{field}__isnull": False})
    if at_least is not None:
        condition &= Q(**{f"{field}__lte": years_before(today, at_least)})
    if under is not None:
        condition &= Q(**{f"{field}__gt": years_before(today, under)})
    return condition
