"""Pulse surveys: what the Communications team asks, who has answered, and the answers, kept apart.

Anonymity is a property of these tables. An answer (Response, Answer) holds no person, no time and no
ordered id: its key is random (uuid4), so neither its id nor the order rows were written in pairs it
with the Respondent row written in the same transaction, and Respondent (who has answered, to refuse a
second answer) has a random key and no time either. Breakdowns by department, location and tenure band
are counts (Tally), one axis per row, so no stored row holds a combination of the three that could
single someone out; free text carries no segment at all.
"""

import uuid

from django.db import models
from django.utils import timezone

from common.small_groups import MIN_GROUP
from profiles.models import Profile

MIN_ANSWERS = MIN_GROUP  # no result, breakdown or free text is shown for fewer people than this

LIKERT_LABELS = {
    1: "Strongly disagree",
    2: "Disagree",
    3: "Neither agree nor disagree",
    4: "Agree",
    5: "Strongly agree",
}


class Survey(models.Model):
    """A short survey: a draft until sent, open until it closes, then its results are shown."""

    title = models.CharField(max_length=150)
    intro = models.TextField(max_length=1000, blank=True)
    # The audience: everyone, or those in this department, location and/or tenure band (each optional).
    # Plain ids, as in the adoption figures: a department deleted later keeps its survey's history.
    department_id = models.IntegerField(null=True, blank=True)
    location_id = models.IntegerField(null=True, blank=True)
    tenure = models.SmallIntegerField(null=True, blank=True)
    closes_at = models.DateTimeField()
    created_by = models.ForeignKey(Profile, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    audience_size = models.PositiveIntegerField(default=0, help_text="people in the audience when sent")
    respondents = models.PositiveIntegerField(default=0)
    # The notification job's progress: everyone with a profile id up to here has been told.
    notified_through = models.BigIntegerField(default=0)

    class Meta:
        indexes = [
            models.Index(
                fields=["closes_at"], name="survey_open_idx", condition=models.Q(sent_at__isnull=False)
            ),
            models.Index(fields=["-created_at", "-id"], name="survey_recent_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, now=None) -> bool:
        return self.sent_at is not None and self.closes_at > (now or timezone.now())

    def is_closed(self, now=None) -> bool:
        return self.sent_at is not None and self.closes_at <= (now or timezone.now())


class Question(models.Model):
    class Kind(models.TextChoices):
        LIKERT = "likert", "Agree or disagree (5 points)"
        TEXT = "text", "Free text"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()  # 1, 2, ...: also the Tally's question
    text = models.CharField(max_length=300)
    kind = models.CharField(max_length=10, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="survey_question_position_once")
        ]
        ordering = ["survey", "position"]

    def __str__(self) -> str:
        return f"{self.position}. {self.text}"


class Respondent(models.Model):
    """Who has answered, and nothing of what: a random key and no time, so it pairs with no answer."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["survey", "profile"], name="survey_answered_once")]

    def __str__(self) -> str:
        return f"{self.profile_id} answered {self.survey_id}"


class Response(models.Model):
    """One person's answers, without the person: a random key, no time, no segment."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"a response to {self.survey_id}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="+")
    choice = models.PositiveSmallIntegerField(null=True, blank=True)  # 1-5 for a Likert question
    text = models.TextField(max_length=2000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="survey_answer_once"),
            models.CheckConstraint(
                condition=models.Q(choice__isnull=True) | models.Q(choice__gte=1, choice__lte=5),
                name="survey_answer_choice_1_to_5",
            ),
        ]

    def __str__(self) -> str:
        return f"answer to {self.question_id}"


class Tally(models.Model):
    """How many respondents of one segment gave one answer to one question, one axis per row.

    `question` is the question's position, 0 for "answered the survey"; `choice` 1-5 for a Likert
    answer, 0 for "answered this question"."""

    class Axis(models.TextChoices):
        DEPARTMENT = "department", "Department"
        LOCATION = "location", "Location"
        TENURE = "tenure", "Tenure"

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")
    question = models.PositiveSmallIntegerField()
    axis = models.CharField(max_length=10, choices=Axis.choices)
    key = models.IntegerField()  # the department, location or tenure band; -1: none
    choice = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "question", "axis", "key", "choice"], name="survey_tally_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.survey_id} q{self.question} {self.axis}={self.key} {self.choice}: {self.count}"
