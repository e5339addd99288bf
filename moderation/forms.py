from django import forms

from moderation.guidelines_text import MAX_SOURCE
from moderation.models import Case, FlagReason
from moderation.services import BULK_MAX, SUSPEND_MAX_DAYS


class FlagForm(forms.Form):
    # "clause-<id>" (a clause of the current guidelines), "spam" or "other": one list to choose from.
    reason = forms.CharField(max_length=30)
    note = forms.CharField(
        required=False, max_length=500, widget=forms.TextInput(attrs={"placeholder": "Optional detail"})
    )

    def clean_reason(self) -> tuple[str, int | None]:
        value = self.cleaned_data["reason"]
        if value in (FlagReason.SPAM, FlagReason.OTHER):
            return value, None
        prefix, _, clause_id = value.partition("-")
        if prefix == "clause" and clause_id.isdigit():
            return FlagReason.CLAUSE, int(clause_id)
        raise forms.ValidationError("Choose a reason for the flag.")


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=Case.Decision.choices)
    clause = forms.IntegerField(required=False, min_value=1)
    note = forms.CharField(required=False, max_length=1000)
    suspend_days = forms.IntegerField(required=False, min_value=1, max_value=SUSPEND_MAX_DAYS)
    # An edit: the text as it should read (the owning app checks its own length limit).
    text = forms.CharField(required=False, max_length=20_000, strip=False)


class EscalateForm(forms.Form):
    note = forms.CharField(max_length=1000)


class BulkForm(forms.Form):
    cases = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    decision = forms.ChoiceField(choices=[(Case.Decision.KEEP, "Keep"), (Case.Decision.REMOVE, "Remove")])
    clause = forms.IntegerField(required=False, min_value=1)
    note = forms.CharField(required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Any id: the service checks each case; the form only insists they are numbers.
        ids = self.data.getlist("cases") if hasattr(self.data, "getlist") else []
        self.fields["cases"].choices = [(i, i) for i in ids[: BULK_MAX + 1] if str(i).isdigit()]


class AppealForm(forms.Form):
    reason = forms.CharField(max_length=2000)


class AppealDecisionForm(forms.Form):
    outcome = forms.ChoiceField(choices=[("uphold", "Uphold"), ("overturn", "Overturn")])
    note = forms.CharField(required=False, max_length=1000)


class GuidelinesForm(forms.Form):
    source = forms.CharField(
        label="Guidelines (Markdown)",
        max_length=MAX_SOURCE,
        widget=forms.Textarea(attrs={"rows": 24}),
        help_text="An introduction, then one clause per “## Title” line; clauses are numbered in order.",
    )
    change_note = forms.CharField(
        label="What changed",
        max_length=300,
        help_text="One line, shown to everyone asked to accept the new version.",
    )
