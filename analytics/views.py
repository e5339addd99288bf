import csv

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from analytics import selectors
from analytics.figures import FIGURES
from analytics.forms import DashboardFilterForm
from common.days import company_today
from profiles import roles


def can_see_analytics(user) -> bool:
    return roles.COMMUNICATIONS in roles.user_roles(user)


def _require_comms(request) -> None:
    if not can_see_analytics(request.user):
        raise PermissionDenied("Adoption figures are for the Communications team.")


def _chart_data(board: selectors.Dashboard) -> dict:
    """What static/js/analytics-charts.js draws: the trend and weekly active share per department."""
    departments = board.breakdowns.get("department", [])
    return {
        "trend": {
            "labels": [d["day"].isoformat() for d in board.days],
            "series": [
                {"label": f.label, "data": [d[f.name] for d in board.days]}
                for f in FIGURES
                if f.name in ("active", "active_7", "active_28")
            ],
        },
        "departments": {
            "labels": [r.label for r in departments],
            "data": [round(100 * (r.share("active_7") or 0), 1) for r in departments],
        },
    }


@require_GET
def dashboard(request):
    _require_comms(request)
    names = selectors.labels()
    form = DashboardFilterForm(request.GET or None, names=names, today=company_today())
    if request.GET and not form.is_valid():
        return render(
            request, "analytics/dashboard.html", {"form": form, "board": None, "figures": FIGURES}, status=400
        )
    if not request.GET:
        form = DashboardFilterForm({}, names=names, today=company_today())
        form.is_valid()
    board = selectors.dashboard(
        start=form.cleaned_data["start"], end=form.cleaned_data["end"], segment=form.segment(), names=names
    )
    return render(
        request,
        "analytics/dashboard.html",
        {
            "form": form,
            "board": board,
            "figures": FIGURES,
            "chart_data": _chart_data(board),
            "query": request.GET.urlencode(),
            "tables": [(axis, board.breakdowns[axis]) for axis in selectors.AXES if axis in board.breakdowns],
        },
    )


@require_GET
def export(request, table: str):
    """Every dashboard table as CSV: the same rows the page shows, nothing the privacy rule withheld."""
    _require_comms(request)
    if table not in ("trend", *selectors.AXES):
        raise Http404("No such table.")
    names = selectors.labels()
    form = DashboardFilterForm(request.GET, names=names, today=company_today())
    if not form.is_valid():
        errors = "; ".join(str(e) for errs in form.errors.values() for e in errs)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
    board = selectors.dashboard(
        start=form.cleaned_data["start"], end=form.cleaned_data["end"], segment=form.segment(), names=names
    )
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="hive-{table}-{board.start.isoformat()}-{board.end.isoformat()}.csv"'
    )
    writer = csv.writer(response)
    if table == "trend":
        writer.writerow(["day", *[f.name for f in FIGURES]])
        for d in board.days:
            writer.writerow([d["day"].isoformat(), *[d[f.name] for f in FIGURES]])
    else:
        writer.writerow([table, *[f.name for f in FIGURES]])
        for row in board.breakdowns.get(table, []):
            writer.writerow([_csv_text(row.label), *[_csv_number(row.figures[f.name]) for f in FIGURES]])
    return response


def _csv_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _csv_text(text: str) -> str:
    """A department name an admin typed must not run as a spreadsheet formula."""
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text
