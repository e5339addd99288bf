"""Records that a signed-in person used Hive today: at most one write per person per day."""

from django.db import IntegrityError, transaction

from analytics.models import ActiveDay
from common.days import company_today

SESSION_KEY = "hive_active_day"


class ActiveDayMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and response.status_code < 400:
            today = company_today().isoformat()
            # The session remembers the day already recorded, so most requests write nothing.
            if request.session.get(SESSION_KEY) != today:
                self._record(request, today)
        return response

    @staticmethod
    def _record(request, today: str) -> None:
        from profiles.selectors import viewer_profile

        profile = viewer_profile(request)
        try:
            with transaction.atomic():
                ActiveDay.objects.get_or_create(profile=profile, day=today)
        except IntegrityError:
            pass  # a parallel request recorded it first
        request.session[SESSION_KEY] = today
