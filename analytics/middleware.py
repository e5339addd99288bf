"""Records that a signed-in person used Hive today: at most one write per person per day."""

from datetime import date

from django.db import IntegrityError, transaction
from django.http import HttpRequest

from analytics.models import ActiveDay
from common.middleware import OncePerDayMiddleware


class ActiveDayMiddleware(OncePerDayMiddleware):
    session_key = "hive_active_day"

    def record(self, request: HttpRequest, *, day: date) -> None:
        from profiles.selectors import viewer_profile

        try:
            with transaction.atomic():
                ActiveDay.objects.get_or_create(profile=viewer_profile(request), day=day)
        except IntegrityError:
            pass  # a parallel request recorded it first
