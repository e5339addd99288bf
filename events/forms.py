import re

from django import forms
from django.conf import settings

from events.models import QUESTION_MAX_LENGTH
from profiles.models import Profile

_EMAILS = re.compile(r"[\s,;]+")


class EventForm(forms.Form):
    title = forms.CharField(max_length=200)
    description = forms.CharField(
        required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 4}), label="What it is about"
    )
    hosts = forms.CharField(
        max_length=2000,
        label="Hosts",
        help_text="Work email addresses of who answers, separated by commas (you, a leader, a delegate).",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    starts_at = forms.DateTimeField(
        label=f"Starts (company time, {settings.TIME_ZONE})",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    ends_at = forms.DateTimeField(
        label=f"Ends (company time, {settings.TIME_ZONE})",
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    community = forms.ChoiceField(required=False, label="For", choices=[])
    anonymous_questions = forms.BooleanField(
        required=False, initial=True, label="People may ask without their name showing to colleagues"
    )

    def __init__(self, *args, groups=(), with_group: bool = True, **kwargs):
        super().__init__(*args, **kwargs)
        if with_group:
            field = self.fields["community"]
            field.choices = [("", "The whole company")] + [(str(g.pk), g.name) for g in groups]  # type: ignore[attr-defined]
        else:
            del self.fields["community"]

    def clean_hosts(self) -> list[Profile]:
        emails = sorted({e.lower() for e in _EMAILS.split(self.cleaned_data["hosts"]) if e})
        found = {
            p.user.email.lower(): p
            for p in Profile.objects.filter(user__email__in=emails).select_related("user")
        }
        unknown = [e for e in emails if e not in found]
        if unknown:
            raise forms.ValidationError("Nobody here has the address " + ", ".join(unknown) + ".")
        return [found[e] for e in emails]


class QuestionForm(forms.Form):
    body = forms.CharField(
        label="Your question",
        max_length=QUESTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Your question is empty: write it first."},
    )
    anonymous = forms.BooleanField(required=False, label="Ask without my name showing to colleagues")


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label="Answer",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Your answer is empty: write it first."},
    )


class EventPollForm(forms.Form):
    question = forms.CharField(max_length=300, label="Poll question")
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        label="Choices, one per line",
        help_text="Two to ten choices.",
    )
    multiple = forms.BooleanField(required=False, label="Several choices allowed")

    def clean_options(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["options"].splitlines() if line.strip()]
