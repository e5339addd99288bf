"""An open tab's poll with nothing new, answered before the session and the rest of Django's stack.

Every open page polls /live/ every 30 s (static/js/live.js); nearly every answer is "nothing new"
(a 304). Through the whole stack that costs the session and user queries and a dozen middlewares,
which is what capped the idle tabs a server carries. A poll that brings the tab's signed poll token
(common.live.poll_token, made for the signed-in person with the page) and an ETag is compared here
with that person's stamps in the cache alone (feed.live.early_poll_answer): a match is the 304 the
view would give. Anything else (no token, a forged or expired one, a changed stamp, an audience not
held, the cache down, a malformed poll) goes on through the session to the view as before, so a tab
only ever learns "nothing new" for the person it was signed in as, and signing out renews that
person's audience stamp (profiles.apps), which ends their tokens' 304s at once.
"""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from feed import live

_TOKEN_META = "HTTP_" + live.TOKEN_HEADER.upper().replace("-", "_")


class LivePollMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.path: str | None = None

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = request.META.get(_TOKEN_META)
        if token and request.method == "GET" and "HTTP_IF_NONE_MATCH" in request.META:
            if self.path is None:
                self.path = reverse("feed:live")
            if request.path == self.path:
                request.get_host()  # DisallowedHost (a 400) for a host Hive does not answer to, as always
                answer = live.early_poll_answer(
                    token=token,
                    after=request.GET.get("after"),
                    scope=request.GET.get("scope", "all"),
                    if_none_match=request.META["HTTP_IF_NONE_MATCH"],
                )
                if answer is not None:
                    return answer
        return self.get_response(request)
