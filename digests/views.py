from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from digests import mail, selectors, services
from digests.forms import DigestSettingForm
from profiles.selectors import viewer_profile


@require_http_methods(["GET", "POST"])
def email_settings(request):
    """The person's own digest settings: how often, which weekday, only when away."""
    viewer = viewer_profile(request)
    setting = selectors.digest_setting_of(profile_id=viewer.pk)
    form = DigestSettingForm(
        request.POST if request.method == "POST" else None,
        initial={
            "frequency": setting.frequency,
            "weekday": setting.weekday,
            "only_when_away": setting.only_when_away,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.digest_settings_set(profile=viewer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, "Email settings saved.")
            return redirect("digests:settings")
    return render(request, "digests/settings.html", {"form": form, "setting": setting})


@login_not_required
@csrf_exempt  # the signed token is the credential; mail clients' one-click POST (RFC 8058) has no CSRF cookie
@require_http_methods(["GET", "POST"])
def unsubscribe(request, token: str):
    """From the digest's link: works signed out, and only a POST changes anything."""
    try:
        profile_id = mail.unsubscribe_profile_id(token)
    except mail.UnsubscribeLinkExpired:
        return render(
            request,
            "digests/unsubscribe.html",
            {"expired": True, "link_days": settings.HIVE_UNSUBSCRIBE_LINK_DAYS},
            status=410,
        )
    if profile_id is None:
        return render(request, "digests/unsubscribe.html", {"invalid": True}, status=400)
    done = False
    if request.method == "POST":
        services.digest_unsubscribe(profile_id=profile_id)
        done = True
    return render(request, "digests/unsubscribe.html", {"done": done})
