from django import forms

from moderation.models import FlagReason


class FlagForm(forms.Form):
    reason = forms.ChoiceField(choices=FlagReason.choices)
    note = forms.CharField(
        required=False, max_length=500, widget=forms.TextInput(attrs={"placeholder": "Optional detail"})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("keep", "Keep"), ("remove", "Remove")])
    note = forms.CharField(required=False, max_length=1000)
