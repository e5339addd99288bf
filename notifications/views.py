from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import bad_cursor_400, redirect_next
from notifications import selectors, services
from notifications.forms import PreferencesForm
from profiles.selectors import viewer_profile


@bad_cursor_400
@require_GET
def index(request):
    page = selectors.notifications_page(recipient=viewer_profile(request), cursor=request.GET.get("cursor"))
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
    notification = selectors.notification_of(
        recipient=viewer_profile(request), notification_id=notification_id
    )
    if notification is None:
        raise Http404("No such notification.")
    services.notifications_mark_read(recipient=notification.recipient, notification_id=notification.pk)
    return redirect_next(request, target=notification.url, fallback="notifications:index")


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
