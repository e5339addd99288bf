"""The survey editor and the answer form."""

from datetime import timedelta

from django import forms

from common.days import company_today
from surveys.models import Question
from surveys.services import QuestionDraft

BLANK_QUESTIONS = 8  # rows offered on the editor (more can be added by saving with all filled)


class SurveyForm(forms.Form):
    title = forms.CharField(max_length=150)
    intro = forms.CharField(
        max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 3}), label="Introduction"
    )
    department = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Department")  # type: ignore[arg-type]
    location = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Location")  # type: ignore[arg-type]
    tenure = forms.TypedChoiceField(coerce=int, required=False, empty_value=None, label="Tenure")  # type: ignore[arg-type]
    closes_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="Closes at the end of")

    def __init__(self, data=None, *, labels: dict[str, dict[int, str]], rows: int = BLANK_QUESTIONS):
        initial = {"closes_on": company_today() + timedelta(days=7)}
        super().__init__(data, initial=initial)
        everyone = {"department": "Every department", "location": "Every location", "tenure": "Any tenure"}
        for axis, all_label in everyone.items():
            choices = sorted(
                ((k, v) for k, v in labels[axis].items() if k != -1 or axis == "tenure"),
                key=lambda kv: kv[1].lower(),
            )
            field = self.fields[axis]
            field.choices = [("", all_label)] + [(str(k), v) for k, v in choices]  # type: ignore[attr-defined]
            field.error_messages["invalid_choice"] = f"There is no such {axis}: choose one from the list."
        self.rows = rows
        for n in range(1, rows + 1):
            self.fields[f"q{n}_text"] = forms.CharField(max_length=300, required=False, label=f"Question {n}")
            self.fields[f"q{n}_kind"] = forms.ChoiceField(
                choices=Question.Kind.choices,
                initial=Question.Kind.LIKERT,
                required=False,
                label=f"Kind of question {n}",
            )

    def main_fields(self):
        return [self[name] for name in ("title", "intro", "department", "location", "tenure", "closes_on")]

    def question_rows(self):
        return [(self[f"q{n}_text"], self[f"q{n}_kind"]) for n in range(1, self.rows + 1)]

    def questions(self) -> list[QuestionDraft]:
        return [
            QuestionDraft(
                kind=self.cleaned_data[f"q{n}_kind"] or Question.Kind.LIKERT,
                text=self.cleaned_data[f"q{n}_text"],
            )
            for n in range(1, self.rows + 1)
        ]


def answer_data(survey_questions: list[Question], data) -> tuple[dict[int, int], dict[int, str]]:
    """The posted answers by question position; a choice that is not a number counts as out of range
    (the service refuses it with the question's number)."""
    choices: dict[int, int] = {}
    texts: dict[int, str] = {}
    for q in survey_questions:
        raw = data.get(f"q{q.position}", "")
        if q.kind == Question.Kind.LIKERT and raw != "":
            choices[q.position] = int(raw) if raw.isdigit() else 0
        elif q.kind == Question.Kind.TEXT:
            texts[q.position] = raw
    return choices, texts
