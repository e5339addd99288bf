"""Events pages: the list, scheduling and editing one, its page with questions, and the live list."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from common.views import action_run, bad_cursor_400, form_errors_add
from communities.selectors import communities_of
from events import selectors, services
from events.forms import AnswerForm, EventForm, EventPollForm, QuestionForm
from profiles import roles
from profiles.selectors import viewer_profile


@bad_cursor_400
@require_GET
def event_list(request):
    viewer = viewer_profile(request)
    context = {
        "upcoming": selectors.events_upcoming(viewer=viewer),
        "past": selectors.events_past_page(viewer=viewer, cursor=request.GET.get("cursor")),
        "can_schedule": roles.can_announce(request.user),
    }
    return render(request, "events/list.html", context)


@require_http_methods(["GET", "POST"])
def event_new(request):
    if not roles.can_announce(request.user):
        raise PermissionDenied("Only the Leadership and Communications groups schedule events.")
    viewer = viewer_profile(request)
    groups = communities_of(profile=viewer)
    form = EventForm(request.POST or None, groups=groups, initial={"hosts": request.user.email})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        community = next((g for g in groups if str(g.pk) == data["community"]), None)
        try:
            event = services.event_create(
                creator=viewer,
                title=data["title"],
                description=data["description"],
                hosts=data["hosts"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                community=community,
                anonymous_questions=data["anonymous_questions"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, "Event scheduled: share its page so people can ask ahead.")
            return redirect(event)
    return render(
        request, "events/edit.html", {"form": form, "event": None}, status=400 if form.errors else 200
    )


def _event_or_404(request, event_id: int):
    event = selectors.event_detail(viewer=viewer_profile(request), event_id=event_id)
    if event is None:
        raise Http404("That event doesn't exist.")
    return event


@require_http_methods(["GET", "POST"])
def event_edit(request, event_id: int):
    event = _event_or_404(request, event_id)
    viewer = viewer_profile(request)
    if not selectors.can_manage(event=event, viewer=viewer):
        raise PermissionDenied("Only its hosts, whoever scheduled it and Communications change an event.")
    initial = {
        "title": event.title,
        "description": event.description,
        "hosts": ", ".join(h.user.email for h in event.hosts.select_related("user")),
        "starts_at": timezone.localtime(event.starts_at),
        "ends_at": timezone.localtime(event.ends_at),
        "anonymous_questions": event.anonymous_questions,
    }
    form = EventForm(request.POST or None, initial=initial, with_group=False)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            event = services.event_update(
                event_id=event.pk,
                editor=viewer,
                title=data["title"],
                description=data["description"],
                hosts=data["hosts"],
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                anonymous_questions=data["anonymous_questions"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, "Event updated.")
            return redirect(event)
    return render(
        request, "events/edit.html", {"form": form, "event": event}, status=400 if form.errors else 200
    )


@require_POST
def event_cancel(request, event_id: int):
    event = _event_or_404(request, event_id)
    action_run(
        request,
        lambda: services.event_cancel(event_id=event.pk, actor=viewer_profile(request)),
        success="Event cancelled.",
    )
    return redirect(event)


def _page_context(request, event, *, question_form=None, poll_form=None) -> dict:
    viewer = viewer_profile(request)
    lists = selectors.event_questions(
        event=event,
        viewer=viewer,
        open_cursor=request.GET.get("open"),
        answered_cursor=request.GET.get("answered"),
    )
    return {
        "event": event,
        # Once, not once per question card (each card's flag form sends the flagger back here).
        "event_url": event.get_absolute_url(),
        "voting_open": not event.has_ended and not event.is_cancelled,
        "lists": lists,
        "can_manage": selectors.can_manage(event=event, viewer=viewer),
        "question_form": question_form or QuestionForm(),
        "answer_form": AnswerForm(),
        "community": event.community,
        "polls": selectors.event_polls(event=event, viewer=viewer),
        "poll_form": poll_form or EventPollForm(),
    }


@bad_cursor_400
@require_http_methods(["GET", "POST"])
def event_page(request, event_id: int):
    event = _event_or_404(request, event_id)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            question = services.question_ask(
                event_id=event.pk,
                author=viewer_profile(request),
                body=form.cleaned_data["body"],
                anonymous=form.cleaned_data["anonymous"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc, field="body")
        else:
            messages.success(
                request,
                "Question sent. Colleagues don't see your name; moderators can."
                if question.anonymous
                else "Question sent.",
            )
            return redirect(question)
    context = _page_context(request, event, question_form=form)
    return render(request, "events/event.html", context, status=400 if form.errors else 200)


@bad_cursor_400
@require_GET
def event_questions(request, event_id: int):
    """The question lists alone, which the page polls to re-order them live (static/js/events.js)."""
    event = _event_or_404(request, event_id)
    return render(request, "events/_questions.html", _page_context(request, event))


@require_POST
def question_vote(request, event_id: int, question_id: int):
    action_run(
        request,
        lambda: services.question_vote(question_id=question_id, voter=viewer_profile(request)),
        success="Vote counted.",
    )
    return redirect("events:event", event_id=event_id)


@require_POST
def question_answer(request, event_id: int, question_id: int):
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Your answer is empty: write it first.")
    else:
        action_run(
            request,
            lambda: services.question_answer(
                question_id=question_id, host=viewer_profile(request), answer=form.cleaned_data["answer"]
            ),
            success="Answer posted.",
        )
    return redirect(f"/events/{event_id}/#question-{question_id}")


@require_POST
def poll_new(request, event_id: int):
    """A host starts a live poll from the event page."""
    event = _event_or_404(request, event_id)
    form = EventPollForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.event_poll_create(
                event_id=event.pk,
                host=viewer_profile(request),
                question=data["question"],
                options=data["options"],
                multiple=data["multiple"],
            )
        except ValidationError as exc:
            form_errors_add(form, exc)
        else:
            messages.success(request, "The poll is live: it closes when the event ends.")
            return redirect("events:event", event_id=event.pk)
    context = _page_context(request, event, poll_form=form)
    return render(request, "events/event.html", context, status=400)
