"""Every change to a pulse survey: writing and sending it, answering it once, closing it, and telling
its audience. Who answered and what they answered are written in one transaction to tables that share
no key, no time and no order (surveys/models.py)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.urls import reverse
from django.utils import timezone

from common.counters import counters_add
from common.days import company_today, day_bounds
from common.outbox import enqueue_on_commit
from moderation.services import audit_record
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Department, Location, Profile
from profiles.tenure import TENURE_LABELS, tenure_band, tenure_q
from surveys import selectors
from surveys.models import MIN_ANSWERS, Answer, Question, Respondent, Response, Survey, Tally

MAX_QUESTIONS = 20
MAX_OPEN_DAYS = 90
TEXT_MAX = 2000


@dataclass(frozen=True)
class QuestionDraft:
    kind: str
    text: str


def audience(*, department_id: int | None, location_id: int | None, tenure: int | None) -> QuerySet[Profile]:
    """Everyone still employed who is in the segment today."""
    people = Profile.objects.filter(user__is_active=True)
    if department_id is not None:
        people = people.filter(department_id=department_id)
    if location_id is not None:
        people = people.filter(location_id=location_id)
    if tenure is not None:
        people = people.filter(tenure_q(tenure, today=company_today()))
    return people


def survey_audience(survey: Survey) -> QuerySet[Profile]:
    return audience(department_id=survey.department_id, location_id=survey.location_id, tenure=survey.tenure)


def is_in_audience(*, survey: Survey, profile: Profile) -> bool:
    return (
        (survey.department_id is None or survey.department_id == profile.department_id)
        and (survey.location_id is None or survey.location_id == profile.location_id)
        and (survey.tenure is None or survey.tenure == tenure_band(profile.start_date, company_today()))
    )


def _segment_check(*, department_id: int | None, location_id: int | None, tenure: int | None) -> int:
    """The segment's size today; a clear error for a segment that names nothing or is too small."""
    errors = {}
    if department_id is not None and not Department.objects.filter(pk=department_id).exists():
        errors["department"] = "There is no such department: choose one from the list."
    if location_id is not None and not Location.objects.filter(pk=location_id).exists():
        errors["location"] = "There is no such location: choose one from the list."
    if tenure is not None and tenure not in TENURE_LABELS:
        errors["tenure"] = "There is no such tenure band: choose one from the list."
    if errors:
        raise ValidationError(errors)
    size = audience(department_id=department_id, location_id=location_id, tenure=tenure).count()
    if size < MIN_ANSWERS:
        raise ValidationError(
            f"This audience has {size} {'person' if size == 1 else 'people'}: results are shown only "
            f"where at least {MIN_ANSWERS} people answered, so choose a wider one."
        )
    return size


def _questions_check(questions: list[QuestionDraft]) -> list[QuestionDraft]:
    kept = [QuestionDraft(kind=q.kind, text=" ".join(q.text.split())) for q in questions]
    kept = [q for q in kept if q.text]
    if not kept:
        raise ValidationError({"questions": "A survey needs at least one question."})
    if len(kept) > MAX_QUESTIONS:
        raise ValidationError({"questions": f"A pulse survey is short: at most {MAX_QUESTIONS} questions."})
    for q in kept:
        if q.kind not in Question.Kind.values:
            raise ValidationError({"questions": f"Unknown kind of question {q.kind!r}."})
        if len(q.text) > 300:
            raise ValidationError({"questions": "A question is at most 300 characters."})
    return kept


@transaction.atomic
def survey_create(
    *,
    author: Profile,
    title: str,
    intro: str,
    questions: list[QuestionDraft],
    closes_on: date,
    department_id: int | None = None,
    location_id: int | None = None,
    tenure: int | None = None,
) -> Survey:
    """A draft survey; nobody sees it until it is sent."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Give the survey a title."})
    kept = _questions_check(questions)
    today = company_today()
    if closes_on <= today:
        raise ValidationError({"closes_on": "The closing date must be after today."})
    if closes_on > today + timedelta(days=MAX_OPEN_DAYS):
        raise ValidationError({"closes_on": f"A pulse survey closes within {MAX_OPEN_DAYS} days."})
    _segment_check(department_id=department_id, location_id=location_id, tenure=tenure)
    survey = Survey.objects.create(
        title=title[:150],
        intro=intro.strip()[:1000],
        department_id=department_id,
        location_id=location_id,
        tenure=tenure,
        closes_at=day_bounds(closes_on)[1],
        created_by=author,
    )
    Question.objects.bulk_create(
        [Question(survey=survey, position=n, kind=q.kind, text=q.text) for n, q in enumerate(kept, start=1)]
    )
    audit_record(actor=author, action="survey.create", target=survey, questions=len(kept))
    return survey


@transaction.atomic
def survey_send(*, actor: Profile, survey_id: int) -> Survey:
    """Open the survey to its audience: the banner shows at once, the notifications follow (a task)."""
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    if survey.sent_at is not None:
        raise ValidationError("This survey was already sent.")
    now = timezone.now()
    if survey.closes_at <= now:
        raise ValidationError("Its closing date has passed: delete this draft and write it again.")
    survey.audience_size = _segment_check(
        department_id=survey.department_id, location_id=survey.location_id, tenure=survey.tenure
    )
    survey.sent_at = now
    survey.save(update_fields=["sent_at", "audience_size"])
    transaction.on_commit(selectors.surveys_open_until_forget)  # the banner shows at once
    audit_record(actor=actor, action="survey.send", target=survey, audience=survey.audience_size)
    from surveys.tasks import survey_notify

    enqueue_on_commit(survey_notify, survey.pk)
    return survey


@transaction.atomic
def survey_close(*, actor: Profile, survey_id: int) -> Survey:
    """Close an open survey now: no more answers, and its results are shown."""
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    if not survey.is_open():
        raise ValidationError("Only an open survey can be closed.")
    survey.closes_at = timezone.now()
    survey.save(update_fields=["closes_at"])
    transaction.on_commit(selectors.surveys_open_until_forget)
    audit_record(actor=actor, action="survey.close", target=survey)
    return survey


@transaction.atomic
def survey_delete(*, actor: Profile, survey_id: int) -> None:
    survey = Survey.objects.select_for_update().get(pk=survey_id)
    if survey.sent_at is not None:
        raise ValidationError("A sent survey is kept: close it instead.")
    audit_record(actor=actor, action="survey.delete", target=None, title=survey.title)
    survey.delete()


def survey_answer(
    *, survey_id: int, profile: Profile, choices: dict[int, int], texts: dict[int, str]
) -> None:
    """Records `profile`'s answers, once. `choices` and `texts` are keyed by question position; any
    question may be left out, but not all of them.

    Who answered (Respondent) and what (Response, Answers, the segment Tallies) are written in one
    transaction: both or neither."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().filter(pk=survey_id, sent_at__isnull=False).first()
        if survey is None:
            raise ValidationError("There is no such survey.")
        if not survey.is_open():
            closed = timezone.localtime(survey.closes_at)
            raise ValidationError(f"This survey closed on {closed:%d %b %Y}: answers are no longer taken.")
        if not is_in_audience(survey=survey, profile=profile):
            raise ValidationError("This survey is for another part of the company.")
        if Respondent.objects.filter(survey=survey, profile=profile).exists():
            raise ValidationError("You already answered this survey: each person answers once.")
        questions = {q.position: q for q in Question.objects.filter(survey=survey)}
        answers = _answers_check(questions=questions, choices=choices, texts=texts)
        try:
            with transaction.atomic():
                Respondent.objects.create(survey=survey, profile=profile)
        except IntegrityError:
            raise ValidationError("You already answered this survey: each person answers once.") from None
        response = Response.objects.create(survey=survey)
        Answer.objects.bulk_create(
            [
                Answer(response=response, question=questions[n], choice=c, text=t)
                for n, (c, t) in answers.items()
            ]
        )
        segment = (
            (Tally.Axis.DEPARTMENT, profile.department_id or -1),
            (Tally.Axis.LOCATION, profile.location_id or -1),
            (Tally.Axis.TENURE, tenure_band(profile.start_date, company_today())),
        )
        rows = [(0, axis, key, 0) for axis, key in segment]
        for n, (choice, _) in answers.items():
            for axis, key in segment:
                rows.append((n, axis, key, 0))
                if choice is not None:
                    rows.append((n, axis, key, choice))
        counters_add(
            model=Tally,
            unique=("survey_id", "question", "axis", "key", "choice"),
            rows=[
                {"survey_id": survey.pk, "question": q, "axis": a, "key": k, "choice": c, "count": 1}
                for q, a, k, c in rows
            ],
        )
        Survey.objects.filter(pk=survey.pk).update(respondents=F("respondents") + 1)


def _answers_check(
    *, questions: dict[int, Question], choices: dict[int, int], texts: dict[int, str]
) -> dict[int, tuple[int | None, str]]:
    answers: dict[int, tuple[int | None, str]] = {}
    for n, question in questions.items():
        if question.kind == Question.Kind.LIKERT and n in choices:
            if choices[n] not in range(1, 6):
                raise ValidationError(f"Question {n}: choose one of the five answers.")
            answers[n] = (choices[n], "")
        elif question.kind == Question.Kind.TEXT and texts.get(n, "").strip():
            text = texts[n].strip()
            if len(text) > TEXT_MAX:
                raise ValidationError(f"Question {n}: at most {TEXT_MAX} characters ({len(text)} now).")
            answers[n] = (None, text)
    unknown = (set(choices) | set(texts)) - set(questions)
    if unknown:
        raise ValidationError(f"This survey has no question {min(unknown)}.")
    if not answers:
        raise ValidationError("Your answer is empty: answer at least one question.")
    return answers


def survey_notify_batch(*, survey_id: int, batch_size: int = 1000) -> int:
    """Tells the next `batch_size` people of the audience (by id, after those already told); returns how
    many were told. The survey's row lock and its `notified_through` mark commit with the
    notifications, so a rerun or a second worker tells nobody twice."""
    with transaction.atomic():
        survey = Survey.objects.select_for_update().get(pk=survey_id)
        if not survey.is_open():
            return 0
        people = list(
            survey_audience(survey)
            .filter(pk__gt=survey.notified_through)
            .only("id", "user_id")
            .order_by("id")[:batch_size]
        )
        if not people:
            return 0
        notify(
            recipients=people,
            kind=Kind.SURVEY,
            actor=None,
            summary=f"A short survey asks for your view: “{survey.title}” (anonymous; closes "
            f"{timezone.localtime(survey.closes_at - timedelta(seconds=1)):%d %b})",
            url=reverse("surveys:answer", args=[survey.pk]),
        )
        survey.notified_through = people[-1].pk
        survey.save(update_fields=["notified_through"])
        return len(people)


def survey_notify_all(*, survey_id: int, batch_size: int = 1000) -> int:
    told = 0
    while True:
        count = survey_notify_batch(survey_id=survey_id, batch_size=batch_size)
        told += count
        if count < batch_size:
            return told
