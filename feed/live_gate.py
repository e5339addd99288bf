"""An open tab's poll with nothing new, answered in front of Django (config/wsgi.py wraps Hive in it).

Every open page polls /live/ (static/js/live.js) and nearly every answer is "nothing new", a 304.
Through Django that costs the request handler, its signals and every middleware even when the
session is never read; here the poll costs one signature check and the stamps in the cache
(feed.live.early_poll_answer). A poll that brings the tab's signed poll token (common.live.poll_token,
made for the signed-in person with the page) and an ETag is compared with that person's stamps
alone: a match is the 304 the view would give, with the headers Django's SecurityMiddleware gives
every answer. Anything else (no token, a forged or expired one, a changed stamp, an audience not
held, the cache down, a malformed poll, a host Hive does not answer to, plain HTTP where HTTPS is
required, any error here) goes on to Django as every other request does, so a tab only ever learns
"nothing new" for the person it was signed in as, and signing out renews that person's audience
stamp (profiles.apps), which ends their tokens' 304s at once.
"""

import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import DisallowedHost
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponse
from django.middleware.security import SecurityMiddleware
from django.urls import reverse

from feed import live

log = logging.getLogger(__name__)

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

_TOKEN_META = "HTTP_" + live.TOKEN_HEADER.upper().replace("-", "_")


def _never_called(request):  # SecurityMiddleware wants a next step; only its hooks are used here
    raise AssertionError("the gate answers itself or hands the environ to Django")


class LivePollGate:
    def __init__(self, app: WSGIApp) -> None:
        self.app = app
        # Under the root script prefix: PATH_INFO is the path below wherever Hive is mounted.
        self.path = reverse("feed:live")
        self.security = SecurityMiddleware(_never_called)

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        token = environ.get(_TOKEN_META)
        if (
            token
            and environ.get("PATH_INFO") == self.path
            and environ.get("REQUEST_METHOD") == "GET"
            and environ.get("HTTP_IF_NONE_MATCH")
        ):
            try:
                answer = self.not_modified(environ, token)
            except Exception:  # the long way answers it, as it would without the gate
                log.exception("live poll gate: passed to Django")
                answer = None
            if answer is not None:
                start_response(f"{answer.status_code} {answer.reason_phrase}", list(answer.items()))
                return []
        return self.app(environ, start_response)

    def not_modified(self, environ: dict[str, Any], token: str) -> HttpResponse | None:
        """The 304 for this poll, or None to let Django answer it."""
        request = WSGIRequest(environ)
        try:
            request.get_host()  # Django answers a host it does not serve with a 400
        except DisallowedHost:
            return None
        if self.security.process_request(request) is not None:  # the redirect to HTTPS
            return None
        answer = live.early_poll_answer(
            token=token,
            after=request.GET.get("after"),
            scope=request.GET.get("scope", "all"),
            if_none_match=environ["HTTP_IF_NONE_MATCH"],
        )
        return None if answer is None else self.security.process_response(request, answer)
