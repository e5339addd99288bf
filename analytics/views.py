import csv
from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods

from analytics import selectors, services
from analytics.figures import FIGURES
from analytics.fill import DORMANT_DAYS
from analytics.forms import DashboardFilterForm, ObjectiveForm, RangeForm
from analytics.models import OTHER, GroupAction, Objective
from analytics.templatetags.analytics_tags import figure, share
from common.days import company_today
from common.spreadsheet import spreadsheet_text
from communities.models import Community
from profiles import roles
from profiles.selectors import viewer_profile
from surveys import selectors as survey_selectors


def can_see_analytics(user) -> bool:
    return roles.COMMUNICATIONS in roles.user_roles(user)


def _require_comms(request) -> None:
    if not can_see_analytics(request.user):
        raise PermissionDenied("Adoption figures are for the Communications team.")


def _filter_fields(form: RangeForm) -> list[dict]:
    """The filter's inputs, built here: Django's widget templates render each of a hundred-odd
    <option>s through the template engine, which cost the dashboard more than its queries."""
    fields = []
    for name in form.fields:
        bound = form[name]
        value = bound.value()
        entry = {"name": name, "id": bound.id_for_label, "label": bound.label, "errors": bound.errors}
        if name in ("start", "end"):
            entry["input"] = format_html(
                '<input type="date" name="{}" id="{}" value="{}">', name, bound.id_for_label, value or ""
            )
        else:
            choices = form.fields[name].choices  # type: ignore[attr-defined]
            options = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                (
                    (v, mark_safe(" selected") if str(v) == str(value or "") else "", label)
                    for v, label in choices
                ),
            )
            entry["input"] = format_html(
                '<select name="{}" id="{}">{}</select>', name, bound.id_for_label, options
            )
        fields.append(entry)
    return fields


def _cell_html(cells: list[str]):
    return format_html_join("", "<td>{}</td>", ((c,) for c in cells))


def _cells(values: dict) -> list[str]:
    return [figure(values, f.name) for f in FIGURES]


def _day_rows(days: list[dict]) -> str:
    """Up to a year of days, ~4,000 cells, as one string: format_html per cell cost the whole-year
    dashboard more than its queries. Nothing here needs escaping: each cell is a stored integer
    formatted by `figure` (digits, commas, a point or a dash) and the first a date formatted here."""
    rows = (
        f"<tr><td>{d['day']:%a %d %b %Y}</td>" + "".join(f"<td>{c}</td>" for c in _cells(d)) + "</tr>"
        for d in days
    )
    return mark_safe("\n".join(rows))  # noqa: S308 (see above: numbers and dates only)


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
            request,
            "analytics/dashboard.html",
            {"form": form, "filter_fields": _filter_fields(form), "board": None, "figures": FIGURES},
            status=400,
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
            "filter_fields": _filter_fields(form),
            "tab": "adoption",
            "board": board,
            "figures": FIGURES,
            "chart_data": _chart_data(board),
            "query": request.GET.urlencode(),
            "tables": [
                (
                    axis,
                    [
                        (row.label, _cells(row.figures), share(row, "active_7"))
                        for row in board.breakdowns[axis]
                    ],
                )
                for axis in selectors.AXES
                if axis in board.breakdowns
            ],
            "day_rows": _day_rows(board.days),
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
            writer.writerow(
                [spreadsheet_text(row.label), *[_csv_number(row.figures[f.name]) for f in FIGURES]]
            )
    return response


def _csv_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


@require_GET
def silos(request):
    """Who talks to whom: interactions between departments as a heat map, and each one's silo index."""
    _require_comms(request)
    form = RangeForm(request.GET, today=company_today())
    context: dict = {"form": form, "filter_fields": _filter_fields(form), "tab": "silos"}
    if not form.is_valid():
        return render(request, "analytics/silos.html", {**context, "board": None}, status=400)
    board = selectors.silos(
        start=form.cleaned_data["start"], end=form.cleaned_data["end"], names=selectors.labels()
    )
    peak = max(board.matrix.values(), default=0) or 1
    rows = [
        (
            label,
            [
                (
                    board.matrix.get((source, target), 0),
                    round(board.matrix.get((source, target), 0) / peak, 2),
                )
                for target, _ in board.departments
            ],
        )
        for source, label in board.departments
    ]
    chart = {
        "silo": {
            "labels": [r["label"] for r in board.silo],
            "data": [round(100 * r["index"], 1) if r["index"] is not None else None for r in board.silo],
        }
    }
    return render(
        request,
        "analytics/silos.html",
        {**context, "board": board, "rows": rows, "chart_data": chart, "query": request.GET.urlencode()},
    )


@require_http_methods(["GET", "POST"])
def objectives(request):
    """The team's targets and how far along they are; set a new one or drop one."""
    _require_comms(request)
    names = selectors.labels()
    form = ObjectiveForm(names=names)
    status = 200
    if request.method == "POST":
        if "delete" in request.POST:
            try:
                services.objective_delete(
                    actor=viewer_profile(request), objective_id=int(request.POST["delete"])
                )
            except (ValueError, Objective.DoesNotExist):
                raise Http404("No such objective.") from None
            messages.success(request, "Objective removed.")
            return redirect("analytics:objectives")
        form = ObjectiveForm(request.POST, names=names)
        if form.is_valid():
            try:
                services.objective_create(actor=viewer_profile(request), **form.cleaned_data)
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, "Objective set.")
                return redirect("analytics:objectives")
        status = 400
    return render(
        request,
        "analytics/objectives.html",
        {"form": form, "rows": selectors.objectives_progress(names=names), "tab": "objectives"},
        status=status,
    )


def _form_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


@require_http_methods(["GET", "POST"])
def groups(request):
    """Dormant groups, the playbook's one-click actions, and whether the groups acted on came back."""
    _require_comms(request)
    if request.method == "POST":
        try:
            community_id = int(request.POST.get("community", ""))
            services.group_action_take(
                actor=viewer_profile(request), community_id=community_id, kind=request.POST.get("kind", "")
            )
        except ValueError:
            raise Http404("No such group.") from None
        except Community.DoesNotExist:
            raise Http404("No such group.") from None
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(
                request,
                "Done: the group's admins are told, and the dashboard will show whether it comes back.",
            )
        return redirect("analytics:groups")
    board = selectors.dormant_groups()
    chart = {
        "dormant": {
            "labels": [d.day.isoformat() for d in board.trend],
            "data": [d.dormant for d in board.trend],
        }
    }
    return render(
        request,
        "analytics/groups.html",
        {
            "board": board,
            "chart_data": chart,
            "kinds": GroupAction.Kind.choices,
            "dormant_days": DORMANT_DAYS,
            "comeback_days": selectors.COMEBACK_DAYS,
            "tab": "groups",
        },
    )


def _adoption_lines(now: selectors.Dashboard, before: selectors.Dashboard) -> list[tuple[str, str, str]]:
    def value(board: selectors.Dashboard, name: str, as_share: bool) -> str:
        if board.total is None:
            return "—"
        return share(board.total, name) if as_share else figure(board.total.figures, name)

    lines = [
        ("People", "headcount", False),
        ("Weekly active", "active_7", True),
        ("Monthly active", "active_28", True),
        ("Contributors (28 days)", "contributors_28", True),
        ("Posts", "posts", False),
        ("Comments", "comments", False),
        ("Kudos given", "kudos", False),
    ]
    return [(label, value(now, name, pct), value(before, name, pct)) for label, name, pct in lines]


def _ranked(
    rows: list[selectors.Row], name: str, *, lowest: bool, count: int = 3
) -> list[tuple[str, str, str]]:
    """The `count` rows with the lowest (or highest) share of `name`, "other" aside."""
    ranked = sorted(
        (r for r in rows if r.key != OTHER and r.share(name) is not None),
        key=lambda r: (r.share(name) or 0.0) * (1 if lowest else -1),
    )
    return [(r.label, figure(r.figures, "headcount"), share(r, name)) for r in ranked[:count]]


@require_GET
def summary(request):
    """The printable page for management: objectives, adoption and its trend, the biggest gaps, the
    teams that contribute most, silos and groups. Every figure comes from the stored rows."""
    _require_comms(request)
    names = selectors.labels()
    end = company_today() - timedelta(days=1)
    start = end - timedelta(days=29)
    now = selectors.dashboard(start=start, end=end, segment=selectors.Segment(), names=names)
    before = selectors.dashboard(
        start=start - timedelta(days=30),
        end=start - timedelta(days=1),
        segment=selectors.Segment(),
        names=names,
    )
    groups = selectors.dormant_groups(limit=1)
    acted = {a["action"].community_id for a in groups.actions if a["outcome"] != "not yet"}
    came_back = {a["action"].community_id for a in groups.actions if a["outcome"] == "came back"}
    return render(
        request,
        "analytics/summary.html",
        {
            "tab": "summary",
            "now": now,
            "objectives": selectors.objectives_progress(names=names),
            "adoption": _adoption_lines(now, before) if now.total else [],
            "gaps": [
                (axis, _ranked(now.breakdowns.get(axis, []), "active_7", lowest=True))
                for axis in selectors.AXES
            ],
            "contributors": _ranked(now.breakdowns.get("department", []), "contributors_28", lowest=False),
            "silos": selectors.silos(start=start, end=end, names=names),
            "groups": groups,
            "dormant_days": DORMANT_DAYS,
            "acted": len(acted),
            "came_back": len(came_back) if acted else None,
            "surveys": _survey_summaries(),
        },
    )


def _survey_summaries() -> list[survey_selectors.Results]:
    """The latest closed pulse survey's results, under the surveys' own rule (5 answers or more)."""
    labels = survey_selectors.names()
    return [
        survey_selectors.survey_results(survey=s, labels=labels)
        for s in survey_selectors.latest_closed(limit=1)
    ]
