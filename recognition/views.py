from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from profiles.selectors import active_profiles, viewer_profile
from recognition import services
from recognition.forms import KudosForm


@require_http_methods(["GET", "POST"])
def give(request):
    initial = {}
    to = request.GET.get("to", "")
    if to.isdigit():
        person = active_profiles().select_related("user").filter(pk=int(to)).first()
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
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(request, f"Kudos sent to {kudos.recipient.display_name}.")
            return redirect("feed:home")
    return render(request, "recognition/give.html", {"form": form}, status=400 if form.errors else 200)
