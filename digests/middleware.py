"""Records when each signed-in person was last in Hive, for their digest: at most one write a day."""

from datetime import date

from django.http import HttpRequest
from django.utils import timezone

from common.middleware import OncePerDayMiddleware


class LastSeenMiddleware(OncePerDayMiddleware):
    session_key = "hive_digest_seen_day"

    def record(self, request: HttpRequest, *, day: date) -> None:
        from digests.services import digest_seen
        from profiles.selectors import viewer_profile

        digest_seen(profile=viewer_profile(request), at=timezone.now())
