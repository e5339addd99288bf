"""Reads of pulse surveys: what waits for a person, the team's list, and the results, which show no
figure, breakdown or free text for fewer than MIN_ANSWERS people."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from django.core.cache import cache
from django.db.models import Exists, Max, OuterRef, Q
from django.utils import timezone

from common.days import company_today
from common.small_groups import groups_to_show
from profiles.models import Department, Location, Profile
from profiles.tenure import TENURE_LABELS, tenure_band
from surveys.models import LIKERT_LABELS, MIN_ANSWERS, Answer, Question, Respondent, Survey, Tally

OTHER = "other"
TEXTS_SHOWN = 200  # free-text answers listed per question on the page; all of them are in the CSV


def _pending_q(*, profile: Profile, now: datetime) -> Q:
    band = tenure_band(profile.start_date, company_today())
    return (
        Q(sent_at__isnull=False, closes_at__gt=now)
        & (Q(department_id__isnull=True) | Q(department_id=profile.department_id))
        & (Q(location_id__isnull=True) | Q(location_id=profile.location_id))
        & (Q(tenure__isnull=True) | Q(tenure=band))
    )


def _answered(profile: Profile):
    return Exists(Respondent.objects.filter(survey=OuterRef("pk"), profile=profile))


OPEN_UNTIL_KEY = "surveys:open_until"
# Forgotten when a survey is sent, closed or edited (surveys_open_until_forget); the expiry only bounds
# what a forget that could not reach the shared cache (Redis down: common/cache.py) leaves behind.
OPEN_UNTIL_SECONDS = 60


def surveys_open_until() -> datetime | None:
    """When the last sent survey closes (None when none was ever sent), cached for every process.

    The feed asks for a waiting survey on every Home view; after this moment no survey waits for
    anyone, so on most days the banner costs a cache read instead of a query (3 ms of Python).
    """
    found = cache.get(OPEN_UNTIL_KEY)
    if found is None:
        latest = Survey.objects.filter(sent_at__isnull=False).aggregate(latest=Max("closes_at"))["latest"]
        found = (latest,)  # in a tuple: "no survey" is cached too
        cache.set(OPEN_UNTIL_KEY, found, OPEN_UNTIL_SECONDS)
    return found[0]


def surveys_open_until_forget() -> None:
    cache.delete(OPEN_UNTIL_KEY)


def survey_waiting(*, profile: Profile) -> Survey | None:
    """The open survey meant for `profile` that they have not answered, closing soonest: one query,
    none when no survey is open (surveys_open_until)."""
    now = timezone.now()
    open_until = surveys_open_until()
    if open_until is None or open_until <= now:
        return None
    return (
        Survey.objects.filter(_pending_q(profile=profile, now=now))
        .filter(~_answered(profile))
        .order_by("closes_at", "id")
        .first()
    )


def surveys_open_for(*, profile: Profile) -> list[Survey]:
    """Every open survey meant for `profile`, each with `answered`: one query."""
    return list(
        Survey.objects.filter(_pending_q(profile=profile, now=timezone.now()))
        .annotate(answered=_answered(profile))
        .order_by("closes_at", "id")[:50]
    )


def has_answered(*, survey: Survey, profile: Profile) -> bool:
    return Respondent.objects.filter(survey=survey, profile=profile).exists()


def surveys_list(*, limit: int = 100) -> list[Survey]:
    """The team's surveys, newest first (drafts, open and closed): one query."""
    return list(Survey.objects.select_related("created_by").order_by("-created_at", "-id")[:limit])


def names() -> dict[str, dict[int, str]]:
    """Labels of every axis value (two queries)."""
    return {
        "department": {-1: "No department", **dict(Department.objects.values_list("pk", "name"))},
        "location": {-1: "No location", **dict(Location.objects.values_list("pk", "name"))},
        "tenure": dict(TENURE_LABELS),
    }


def audience_label(survey: Survey, labels: dict[str, dict[int, str]]) -> str:
    parts = []
    for axis, value in (
        ("department", survey.department_id),
        ("location", survey.location_id),
        ("tenure", survey.tenure),
    ):
        if value is not None:
            parts.append(labels[axis].get(value, f"{axis} #{value} (no longer exists)"))
    return ", ".join(parts) if parts else "Everyone"


@dataclass
class LikertRow:
    label: str
    counts: list[int]  # answers 1..5

    @property
    def answered(self) -> int:
        return sum(self.counts)

    @property
    def mean(self) -> float:
        return sum(c * n for c, n in zip(range(1, 6), self.counts, strict=True)) / self.answered

    @property
    def favourable(self) -> float:
        """Share who agree or strongly agree."""
        return (self.counts[3] + self.counts[4]) / self.answered

    def percents(self) -> list[float]:
        return [100 * n / self.answered for n in self.counts]


@dataclass
class QuestionResult:
    question: Question
    answered: int
    shown: bool  # at least MIN_ANSWERS answered it
    total: LikertRow | None = None
    breakdowns: dict[str, list[LikertRow]] = field(default_factory=dict)
    texts: list[str] = field(default_factory=list)
    texts_more: int = 0


@dataclass
class Results:
    survey: Survey
    respondents: int
    shown: bool  # closed, and at least MIN_ANSWERS answered
    questions: list[QuestionResult]
    # Respondents per segment, along each axis (the same rule)
    respondent_breakdowns: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


AXES = ("department", "location", "tenure")


def survey_results(*, survey: Survey, labels: dict[str, dict[int, str]], all_texts: bool = False) -> Results:
    """The survey's results: three queries (questions, tallies, free text), whatever the number of
    people. Shown only once the survey has closed (a result that changed between two looks would give
    away the answers given in between) and where at least MIN_ANSWERS people answered."""
    questions = list(Question.objects.filter(survey=survey).order_by("position"))
    respondents = survey.respondents
    if not survey.is_closed() or respondents < MIN_ANSWERS:
        return Results(
            survey=survey,
            respondents=respondents,
            shown=False,
            questions=[QuestionResult(question=q, answered=0, shown=False) for q in questions],
        )
    # (question, axis) -> key -> choice -> count; choice 0 is "answered".
    tallies: dict[tuple[int, str], dict[int, dict[int, int]]] = defaultdict(lambda: defaultdict(dict))
    for position, axis, key, choice, count in Tally.objects.filter(survey=survey).values_list(
        "question", "axis", "key", "choice", "count"
    ):
        tallies[(position, axis)][key][choice] = count
    results = Results(survey=survey, respondents=respondents, shown=True, questions=[])
    for axis in AXES:
        sizes = {key: c.get(0, 0) for key, c in tallies[(0, axis)].items()}
        shown = groups_to_show(sizes)
        rows = sorted(((labels[axis].get(k, f"#{k}"), sizes[k]) for k in shown), key=lambda r: r[0].lower())
        rest = sum(n for k, n in sizes.items() if k not in shown)
        if rest:
            rows.append(("Other (groups under 5 people)", rest))
        results.respondent_breakdowns[axis] = rows

    text_ids = [q.pk for q in questions if q.kind == Question.Kind.TEXT]
    texts: dict[int, list[str]] = defaultdict(list)
    if text_ids:
        # Ordered by the answers' random keys: a shuffle that stays the same from one look to the next.
        for question_id, text in (
            Answer.objects.filter(question_id__in=text_ids)
            .exclude(text="")
            .order_by("id")
            .values_list("question_id", "text")
        ):
            texts[question_id].append(text)

    for q in questions:
        by_dept = tallies[(q.position, "department")]
        answered = sum(c.get(0, 0) for c in by_dept.values())
        result = QuestionResult(question=q, answered=answered, shown=answered >= MIN_ANSWERS)
        results.questions.append(result)
        if not result.shown:
            continue
        if q.kind == Question.Kind.TEXT:
            found = texts.get(q.pk, [])
            result.texts = found if all_texts else found[:TEXTS_SHOWN]
            result.texts_more = len(found) - len(result.texts)
            continue
        total = [sum(c.get(choice, 0) for c in by_dept.values()) for choice in range(1, 6)]
        result.total = LikertRow(label="Everyone", counts=total)
        for axis in AXES:
            per_key = tallies[(q.position, axis)]
            sizes = {key: c.get(0, 0) for key, c in per_key.items()}
            shown = groups_to_show(sizes)
            likert_rows = sorted(
                (
                    LikertRow(
                        label=labels[axis].get(k, f"#{k}"), counts=[per_key[k].get(c, 0) for c in range(1, 6)]
                    )
                    for k in shown
                ),
                key=lambda r: r.label.lower(),
            )
            rest_counts = [sum(per_key[k].get(c, 0) for k in per_key if k not in shown) for c in range(1, 6)]
            if sum(rest_counts):
                likert_rows.append(LikertRow(label="Other (groups under 5 people)", counts=rest_counts))
            result.breakdowns[axis] = likert_rows
    return results


def latest_closed(*, limit: int = 1) -> list[Survey]:
    """The surveys that closed most recently (for the executive summary): one query."""
    return list(
        Survey.objects.filter(sent_at__isnull=False, closes_at__lte=timezone.now()).order_by(
            "-closes_at", "-id"
        )[:limit]
    )


SCALE = list(LIKERT_LABELS.values())
