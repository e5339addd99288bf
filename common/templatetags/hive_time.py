"""{{ when|ago }}: how long ago, the short way feeds say it ("5 min ago", "3 h ago", "12 Mar").

Django's timesince says "3 hours, 5 minutes" and goes through the translation machinery on every
call, a measurable share of a feed page that shows forty of them (bench/feed).
"""

from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()

_MINUTE, _HOUR, _DAY = 60, 3600, 86400


@register.filter
def ago(value: datetime | None, now: datetime | None = None) -> str:
    if not value:
        return ""
    now = now or timezone.now()
    seconds = (now - value).total_seconds()
    if seconds < _MINUTE:
        return "just now"  # also a clock a little ahead of the database's
    if seconds < _HOUR:
        return f"{int(seconds // _MINUTE)} min ago"
    if seconds < _DAY:
        return f"{int(seconds // _HOUR)} h ago"
    if seconds < 2 * _DAY:
        return "yesterday"
    if seconds < 7 * _DAY:
        return f"{int(seconds // _DAY)} days ago"
    local = timezone.localtime(value)
    if local.year == timezone.localtime(now).year:
        return f"{local.day} {local:%b}"
    return f"{local.day} {local:%b} {local.year}"
