"""Forms of the rules page: a rule, the test box, the rate limits and the new-member settings."""

from django import forms

from moderation.detectors import DETECTORS, NATIONAL_ID_COUNTRIES
from moderation.ratelimit import DEFAULT_LIMITS
from moderation.rules import WHERE, WHERE_LABELS
from moderation.rules_models import LimitedAction, RuleAction, RuleKind

WHERE_CHOICES = [(w, WHERE_LABELS[w].capitalize()) for w in WHERE]


class RuleForm(forms.Form):
    kind = forms.ChoiceField(choices=RuleKind.choices, initial=RuleKind.WORD)
    pattern = forms.CharField(
        label="Word, phrase or expression",
        max_length=20_000,  # several words, one a line; each is checked against its own limit
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Watched words: one per line, * stands for the rest of a word (crypto*). "
        "Expressions: RE2 syntax, any case. Detectors: "
        + ", ".join(f"{name} ({label.lower()})" for name, label in DETECTORS.items())
        + ".",
    )
    countries = forms.CharField(
        required=False,
        max_length=100,
        label="Countries (national-ID detector)",
        help_text=f"Comma-separated, from {', '.join(NATIONAL_ID_COUNTRIES)}; empty: all of them.",
    )
    action = forms.ChoiceField(choices=RuleAction.choices, initial=RuleAction.FLAG)
    where = forms.MultipleChoiceField(
        label="Applies to",
        help_text="On profile text only a blocking rule acts (a profile cannot wait in the review queue).",
        choices=WHERE_CHOICES,
        initial=list(WHERE),
        widget=forms.CheckboxSelectMultiple,
    )
    message = forms.CharField(
        required=False,
        max_length=300,
        label="Message to the author (optional)",
        help_text="Shown when the rule blocks or holds their text, e.g. “Share card numbers only in the "
        "payments tool.”",
    )


class RuleEditForm(RuleForm):
    is_active = forms.BooleanField(required=False, initial=True, label="Active")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["kind"]  # a rule keeps its kind: a word and an expression read differently
        self.fields["pattern"].max_length = 500


class RuleTestForm(forms.Form):
    prefix = "test"  # its fields share names with the rule form on the same page
    text = forms.CharField(
        label="Test this text",
        max_length=20_000,
        widget=forms.Textarea(
            attrs={"rows": 4, "placeholder": "Paste a post or comment to see what the rules do"}
        ),
    )
    where = forms.ChoiceField(label="As", choices=WHERE_CHOICES, initial="posts")


class LimitsForm(forms.Form):
    """Four numbers per action: per minute and per day, for everyone and for new members."""

    def __init__(self, *args, current, **kwargs):
        super().__init__(*args, **kwargs)
        for action in LimitedAction:
            limits = current.get(action.value, DEFAULT_LIMITS[action.value])
            for part in ("per_minute", "per_day", "new_per_minute", "new_per_day"):
                self.fields[f"{action.value}__{part}"] = forms.IntegerField(
                    min_value=0,
                    max_value=100_000,
                    initial=getattr(limits, part),
                    label=f"{action.label}: {part.replace('_', ' ')}",
                )

    def rows(self):
        return [
            (
                action,
                [
                    self[f"{action.value}__{part}"]
                    for part in ("per_minute", "per_day", "new_per_minute", "new_per_day")
                ],
            )
            for action in LimitedAction
        ]


class RuleSettingsForm(forms.Form):
    new_member_days = forms.IntegerField(
        min_value=0,
        max_value=365,
        label="A member is new for (days)",
        help_text="The tighter rate limits apply during these first days.",
    )
    first_posts_held = forms.IntegerField(
        min_value=0,
        max_value=100,
        label="Hold a new member's first posts",
        help_text="How many of a person's first posts wait for a moderator's approval (0: none).",
    )
