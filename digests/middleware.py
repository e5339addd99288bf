"""Records when each signed-in person was last in Hive, for their digest: at most one write a day."""

from django.utils import timezone

from common.days import company_today

SESSION_KEY = "hive_digest_seen_day"


class LastSeenMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and response.status_code < 400:
            today = company_today().isoformat()
            # The session remembers the day already recorded, so most requests write nothing.
            if request.session.get(SESSION_KEY) != today:
                from digests.services import digest_seen
                from profiles.selectors import viewer_profile

                digest_seen(profile=viewer_profile(request), at=timezone.now())
                request.session[SESSION_KEY] = today
        return response
