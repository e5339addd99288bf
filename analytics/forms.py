"""The dashboard's filter: a date range and a segment, checked against what exists."""

from datetime import date, timedelta

from django import forms

from analytics.models import ALL, Objective
from analytics.selectors import Segment

DEFAULT_DAYS = 30


class RangeForm(forms.Form):
    """A date range, by default the 30 days up to yesterday; never reversed, never past today."""

    start = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="From")
    end = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}), label="To")

    def __init__(self, data, *, today: date):
        super().__init__(data)
        self.today = today

    def clean(self):
        data = super().clean()
        end = data.get("end") or self.today - timedelta(days=1)
        start = data.get("start") or end - timedelta(days=DEFAULT_DAYS - 1)
        if end > self.today:
            self.add_error(
                "end", f"The range ends after today ({self.today:%d %b %Y}): there are no figures yet."
            )
        if start > end:
            self.add_error("start", "The range starts after it ends: swap the two dates.")
        data["start"], data["end"] = start, end
        return data


class DashboardFilterForm(RangeForm):
    department = forms.TypedChoiceField(coerce=int, required=False, empty_value=ALL)  # type: ignore[arg-type]
    location = forms.TypedChoiceField(coerce=int, required=False, empty_value=ALL)  # type: ignore[arg-type]
    tenure = forms.TypedChoiceField(coerce=int, required=False, empty_value=ALL, label="Tenure")  # type: ignore[arg-type]

    def __init__(self, data, *, names: dict[str, dict[int, str]], today: date):
        super().__init__(data, today=today)
        everyone = {"department": "All departments", "location": "All locations", "tenure": "Any tenure"}
        for axis, all_label in everyone.items():
            choices = sorted(names[axis].items(), key=lambda kv: (kv[0] < 0, kv[1].lower()))
            self.fields[axis].choices = [("", all_label)] + [(str(k), v) for k, v in choices]  # type: ignore[attr-defined]
            self.fields[axis].error_messages["invalid_choice"] = (
                f"There is no such {axis}: choose one from the list."
            )

    def segment(self) -> Segment:
        return Segment(
            department=self.cleaned_data["department"],
            location=self.cleaned_data["location"],
            tenure=self.cleaned_data["tenure"],
        )


class ObjectiveForm(forms.Form):
    measure = forms.ChoiceField(choices=Objective.Measure.choices, label="Measure")
    department = forms.TypedChoiceField(coerce=int, required=False, empty_value=ALL, label="For")  # type: ignore[arg-type]
    target_percent = forms.DecimalField(max_digits=4, decimal_places=1, label="Target (% of people)")
    due = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), label="By")

    def __init__(self, data=None, *, names: dict[str, dict[int, str]]):
        super().__init__(data)
        departments = sorted(
            ((k, v) for k, v in names["department"].items() if k > 0), key=lambda kv: kv[1].lower()
        )
        self.fields["department"].choices = [("", "Whole company")] + [(str(k), v) for k, v in departments]  # type: ignore[attr-defined]
        self.fields["department"].error_messages["invalid_choice"] = "There is no such department."
