from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from analytics import selectors
from common.days import company_yesterday
from profiles import roles


def can_see_analytics(user) -> bool:
    return roles.COMMUNICATIONS in roles.user_roles(user)


@require_GET
def dashboard(request):
    if not can_see_analytics(request.user):
        raise PermissionDenied("Adoption figures are for the Communications team.")
    until = company_yesterday()
    days = selectors.company_days(until=until)
    peak = max((d.active_users for d in days), default=0) or 1
    return render(
        request,
        "analytics/dashboard.html",
        {
            "days": days,
            "peak": peak,
            "until": until,
            "departments": selectors.department_totals(until=until),
            "headcount": selectors.active_headcount(),
        },
    )
