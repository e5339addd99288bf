from django import forms

from profiles.forms import picked_email
from profiles.models import Profile
from profiles.selectors import active_profiles
from recognition.models import CompanyValue
from recognition.services import MESSAGE_MAX, POINTS_EACH_MAX, RECIPIENTS_MAX


class _EveryValue(forms.Widget):
    """Every box named `recipient` in the form (one colleague picker each), as a list."""

    def value_from_datadict(self, data, files, name):
        return data.getlist(name) if hasattr(data, "getlist") else list(data.get(name) or [])


class ColleaguesField(forms.Field):
    widget = _EveryValue

    def clean(self, value):
        raws = [raw.strip() for raw in (value or []) if raw and raw.strip()]
        if not raws:
            if self.required:
                raise forms.ValidationError("Pick at least one colleague to recognise.")
            return []
        if len(raws) > RECIPIENTS_MAX:
            raise forms.ValidationError(f"Kudos can go to at most {RECIPIENTS_MAX} people at once.")
        return [_colleague(raw) for raw in raws]


def _colleague(raw: str) -> Profile:
    email = picked_email(raw)
    # By email, anyone who ever worked here: kudos_give then says clearly that they have left.
    match = Profile.objects.select_related("user").filter(user__email__iexact=email).first()
    if match is None:
        named = list(active_profiles().select_related("user").filter(display_name__iexact=raw)[:2])
        if len(named) == 1:
            match = named[0]
        elif len(named) > 1:
            raise forms.ValidationError(f"More than one person is called {raw}; pick them from the list.")
    if match is None:
        raise forms.ValidationError(f"Nobody called “{raw}” works here; pick a colleague from the list.")
    return match


class KudosForm(forms.Form):
    recipient = ColleaguesField(
        label="Who do you want to recognise?",
        help_text="Type a colleague's name or email.",
    )
    values = forms.ModelMultipleChoiceField(
        queryset=CompanyValue.objects.filter(is_active=True),
        widget=forms.CheckboxSelectMultiple,
        label="Which values did they live?",
        error_messages={"required": "Pick the company value they lived."},
    )
    message = forms.CharField(
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What did they do?",
        error_messages={"required": "Say what they did: the message is empty."},
    )
    points_each = forms.IntegerField(
        min_value=0,
        max_value=POINTS_EACH_MAX,
        required=False,
        initial=0,
        label="Points for each of them",
    )
    is_private = forms.BooleanField(
        required=False,
        label="Private: only they and their managers see it (not in the feed)",
    )

    def __init__(self, *args, value_required: bool = True, team: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["values"].required = value_required
        # Kudos to a project team: its members are the recipients, naming more people is optional.
        self.fields["recipient"].required = not team

    def clean_points_each(self) -> int:
        return self.cleaned_data.get("points_each") or 0
