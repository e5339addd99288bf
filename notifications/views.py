from django.contrib import messages
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.pagination import BadCursor
from notifications import selectors, services
from notifications.forms import PreferencesForm
from notifications.models import Notification
from profiles.selectors import viewer_profile


@require_GET
def index(request):
    try:
        page = selectors.notifications_page(
            recipient=viewer_profile(request), cursor=request.GET.get("cursor")
        )
    except BadCursor:
        return HttpResponseBadRequest("That page link is not valid.")
    return render(request, "notifications/index.html", {"page": page})


@require_GET
def badge(request):
    """htmx, loaded after the page: the unread count costs the page itself no query."""
    return render(
        request,
        "notifications/_badge.html",
        {"count": selectors.unread_count(recipient=viewer_profile(request))},
    )


@require_POST
def open_one(request, notification_id: int):
    notification = Notification.objects.filter(pk=notification_id, recipient=viewer_profile(request)).first()
    if notification is None:
        raise Http404("No such notification.")
    services.notifications_mark_read(recipient=notification.recipient, notification_id=notification.pk)
    target = notification.url
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "notifications:index"
    return redirect(target)


@require_POST
def mark_all_read(request):
    changed = services.notifications_mark_read(recipient=viewer_profile(request))
    messages.success(request, f"Marked {changed} notification{'s' if changed != 1 else ''} as read.")
    return redirect("notifications:index")


@require_http_methods(["GET", "POST"])
def preferences(request):
    viewer = viewer_profile(request)
    form = PreferencesForm(request.POST or None, initial_channels=selectors.preferences_of(profile=viewer))
    if request.method == "POST" and form.is_valid():
        services.preferences_set(profile=viewer, choices=form.cleaned_data)
        messages.success(request, "Notification settings saved.")
        return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
