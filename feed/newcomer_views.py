"""Pages of the newcomer path (feed/newcomers.py): hiding the checklist, and what Communications sees."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from common.views import action_run, redirect_next
from feed import newcomers
from profiles import roles
from profiles.selectors import viewer_profile


@require_POST
def checklist_dismiss(request):
    action_run(
        request,
        lambda: newcomers.checklist_dismiss(profile=viewer_profile(request)),
        success="The checklist is hidden.",
    )
    return redirect_next(request, fallback="feed:home")


@require_GET
def newcomer_figures(request):
    if roles.COMMUNICATIONS not in roles.user_roles(request.user) and not request.user.is_superuser:
        raise PermissionDenied("Only the Communications group sees these figures.")
    context = {"cohorts": newcomers.newcomer_figures(), "min_cohort": newcomers.MIN_COHORT}
    return render(request, "feed/newcomer_figures.html", context)
