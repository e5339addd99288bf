"""Pulse survey pages: answering (everyone), writing, sending and reading results (Communications)."""

import csv

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.spreadsheet import spreadsheet_text
from profiles import roles
from profiles.selectors import viewer_profile
from surveys import selectors, services
from surveys.forms import SurveyForm, answer_data
from surveys.models import LIKERT_LABELS, Question, Survey


def _require_comms(request) -> None:
    if roles.COMMUNICATIONS not in roles.user_roles(request.user):
        raise PermissionDenied("Pulse surveys are written and read by the Communications team.")


def _survey(survey_id: int) -> Survey:
    survey = Survey.objects.filter(pk=survey_id).first()
    if survey is None:
        raise Http404("No such survey.")
    return survey


def waiting_banner(request) -> dict | None:
    """The feed's banner (feed/kinds.py): the survey waiting for this person's answer, if any."""
    survey = selectors.survey_waiting(profile=viewer_profile(request))
    return {"survey": survey} if survey else None


# --- Everyone ---------------------------------------------------------------------------------


@require_GET
def index(request):
    """The open surveys meant for the viewer, answered or not."""
    return render(
        request,
        "surveys/index.html",
        {"surveys": selectors.surveys_open_for(profile=viewer_profile(request))},
    )


@require_http_methods(["GET", "POST"])
def answer(request, survey_id: int):
    viewer = viewer_profile(request)
    survey = _survey(survey_id)
    if survey.sent_at is None:
        raise Http404("No such survey.")  # a draft is the team's
    questions = list(Question.objects.filter(survey=survey).order_by("position"))
    error = None
    posted: dict = {}
    if request.method == "POST":
        posted = request.POST
        choices, texts = answer_data(questions, request.POST)
        try:
            services.survey_answer(survey_id=survey.pk, profile=viewer, choices=choices, texts=texts)
        except ValidationError as exc:
            error = " ".join(exc.messages)
        else:
            messages.success(request, "Thank you: your answer is recorded, without your name.")
            return redirect("surveys:answer", survey_id=survey.pk)
    answered = selectors.has_answered(survey=survey, profile=viewer)
    in_audience = services.is_in_audience(survey=survey, profile=viewer)
    return render(
        request,
        "surveys/answer.html",
        {
            "survey": survey,
            "questions": [(q, posted.get(f"q{q.position}", "")) for q in questions],
            "scale": list(LIKERT_LABELS.items()),
            "answered": answered,
            "in_audience": in_audience,
            "is_open": survey.is_open(),
            "error": error,
        },
        status=400 if error else 200,
    )


# --- The Communications team --------------------------------------------------------------------


@require_GET
def manage(request):
    _require_comms(request)
    labels = selectors.names()
    surveys = selectors.surveys_list()
    return render(
        request,
        "surveys/manage.html",
        {"rows": [(s, selectors.audience_label(s, labels)) for s in surveys], "tab": "surveys"},
    )


@require_http_methods(["GET", "POST"])
def new(request):
    _require_comms(request)
    labels = selectors.names()
    form = SurveyForm(request.POST or None, labels=labels)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(
                author=viewer_profile(request),
                title=data["title"],
                intro=data["intro"],
                questions=form.questions(),
                closes_on=data["closes_on"],
                department_id=data["department"],
                location_id=data["location"],
                tenure=data["tenure"],
            )
        except ValidationError as exc:
            for name, errors in (
                exc.message_dict.items() if hasattr(exc, "error_dict") else [(None, exc.messages)]
            ):
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(request, "Draft saved: check it, then send it.")
            return redirect("surveys:results", survey_id=survey.pk)
    return render(
        request,
        "surveys/new.html",
        {"form": form, "tab": "surveys"},
        status=400 if form.errors else 200,
    )


@require_GET
def results(request, survey_id: int):
    """A draft's preview (and its Send button), an open survey's progress, a closed one's results."""
    _require_comms(request)
    survey = _survey(survey_id)
    labels = selectors.names()
    return render(
        request,
        "surveys/results.html",
        {
            "survey": survey,
            "audience": selectors.audience_label(survey, labels),
            "results": selectors.survey_results(survey=survey, labels=labels),
            "scale": list(LIKERT_LABELS.values()),
            "axes": selectors.AXES,
            "tab": "surveys",
        },
    )


@require_POST
def act(request, survey_id: int, action: str):
    _require_comms(request)
    actions = {
        "send": (services.survey_send, "Sent: its audience sees it on their feed and is notified."),
        "close": (services.survey_close, "Closed: no more answers; the results are below."),
        "delete": (services.survey_delete, "Draft deleted."),
    }
    if action not in actions:
        raise Http404("No such action.")
    service, done = actions[action]
    _survey(survey_id)
    try:
        service(actor=viewer_profile(request), survey_id=survey_id)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, done)
        if action == "delete":
            return redirect("surveys:manage")
    return redirect("surveys:results", survey_id=survey_id)


@require_GET
def export(request, survey_id: int, table: str):
    """The results as CSV: the agree/disagree counts with every breakdown shown on the page, or the
    free-text answers. The same rules as the page: nothing for fewer than 5 people."""
    _require_comms(request)
    if table not in ("results", "comments"):
        raise Http404("No such table.")
    survey = _survey(survey_id)
    found = selectors.survey_results(survey=survey, labels=selectors.names(), all_texts=True)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="hive-survey-{survey.pk}-{table}.csv"'
    writer = csv.writer(response)
    if table == "results":
        writer.writerow(
            [
                "question",
                "text",
                "breakdown",
                "segment",
                "answered",
                *LIKERT_LABELS.values(),
                "mean",
                "favourable_percent",
            ]
        )
        for q in found.questions:
            if q.total is None:
                continue
            for axis, rows in [("all", [q.total]), *q.breakdowns.items()]:
                for row in rows:
                    writer.writerow(
                        [q.question.position, spreadsheet_text(q.question.text), axis,
                         spreadsheet_text(row.label),
                         row.answered, *row.counts, f"{row.mean:.2f}", f"{100 * row.favourable:.1f}"]
                    )  # fmt: skip
    else:
        writer.writerow(["question", "text", "answer"])
        for q in found.questions:
            for text in q.texts:
                writer.writerow(
                    [q.question.position, spreadsheet_text(q.question.text), spreadsheet_text(text)]
                )
    return response
