"""Calendar days in the company's time zone (settings.TIME_ZONE), as aware datetime ranges."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone


def day_bounds(day: date) -> tuple[datetime, datetime]:
    """[start, end) of `day` in the company's time zone."""
    tz = timezone.get_default_timezone()
    start = datetime.combine(day, time.min, tzinfo=tz)
    return start, start + timedelta(days=1)


def company_today() -> date:
    return timezone.localdate()


def company_yesterday() -> date:
    return company_today() - timedelta(days=1)
