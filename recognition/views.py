from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from common.views import form_errors_add
from moderation.ratelimit import rate_limited
from profiles.selectors import profile_by_id, viewer_profile
from recognition import services
from recognition.forms import KudosForm


@require_http_methods(["GET", "POST"])
@rate_limited("kudos")
def give(request):
    initial = {}
    to = request.GET.get("to", "")
    if to.isdigit():
        person = profile_by_id(profile_id=int(to), active_only=True)
        if person is not None:
            initial["recipient"] = f"{person.display_name} <{person.user.email}>"
    form = KudosForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            kudos = services.kudos_give(
                giver=viewer_profile(request),
                recipient=form.cleaned_data["recipient"],
                value=form.cleaned_data["value"],
                message=form.cleaned_data["message"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, f"Kudos sent to {kudos.recipient.display_name}.")
            return redirect("feed:home")
    return render(request, "recognition/give.html", {"form": form}, status=400 if form.errors else 200)
