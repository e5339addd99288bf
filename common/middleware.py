"""A middleware base for what is recorded about a signed-in person at most once a day."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.http import HttpRequest, HttpResponse

from common.days import company_today


class OncePerDayMiddleware:
    """Calls record(request) after a successful signed-in request, once per person per company day: the
    session remembers the day already recorded, so most requests write nothing."""

    session_key: str

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and response.status_code < 400:
            today = company_today()
            if request.session.get(self.session_key) != today.isoformat():
                self.record(request, day=today)
                request.session[self.session_key] = today.isoformat()
        return response

    def record(self, request: HttpRequest, *, day: date) -> None:
        raise NotImplementedError
