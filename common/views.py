"""What Hive's views share: a bad page link answered with a 400, a service's errors put on a form,
an action run with its success message, and the safe redirect to a "next" address."""

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme

from common.pagination import BadCursor

BAD_PAGE_LINK = "That page link is not valid."
# What a view answers: a response, or a part of a page another view includes (feed.group_feed).
_Answer = TypeVar("_Answer")


def bad_cursor_400(view: Callable[..., _Answer]) -> Callable[..., _Answer | HttpResponseBadRequest]:
    """A cursor that Hive did not make (an edited page link) gets a 400, not a server error."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> _Answer | HttpResponseBadRequest:
        try:
            return view(request, *args, **kwargs)
        except BadCursor:
            return HttpResponseBadRequest(BAD_PAGE_LINK)

    return wrapper


def form_errors_add(form: forms.BaseForm, exc: ValidationError, *, field: str | None = None) -> None:
    """Put a service's ValidationError on the form: field by field when it names the form's fields,
    else every message on `field` (None: the form's own errors)."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        for message in exc.messages:
            form.add_error(field, message)


def action_run(
    request: HttpRequest, action: Callable[[], Any], *, success: str | Callable[[Any], str]
) -> bool:
    """Run a service call; its ValidationError becomes the page's error message, else `success` is
    shown (a callable gets the call's result, e.g. "You follow ..." or "You no longer follow ...").
    Returns whether it succeeded."""
    try:
        result = action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return False
    messages.success(request, success(result) if callable(success) else success)
    return True


def redirect_next(request: HttpRequest, *, fallback: Any, target: str | None = None) -> HttpResponseRedirect:
    """Go to `target` (by default the form's "next"), or to `fallback` when it leads to another site:
    the address comes from the browser, so it may have been pointed anywhere."""
    if target is None:
        target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(fallback)
    return redirect(target)
