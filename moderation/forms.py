from django import forms

from moderation.guidelines_text import MAX_SOURCE
from moderation.models import FlagReason


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
    decision = forms.ChoiceField(choices=[("keep", "Keep"), ("remove", "Remove")])
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
