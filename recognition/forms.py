from django import forms

from profiles.forms import picked_email
from profiles.models import Profile
from profiles.selectors import active_profiles
from recognition.models import CompanyValue
from recognition.services import MESSAGE_MAX


class KudosForm(forms.Form):
    recipient = forms.CharField(
        label="Who do you want to recognise?",
        help_text="Type a colleague's name or email.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),  # drawn by profiles/_colleague_picker.html
    )
    value = forms.ModelChoiceField(
        queryset=CompanyValue.objects.filter(is_active=True),
        empty_label=None,
        label="Which value did they live?",
    )
    message = forms.CharField(
        max_length=MESSAGE_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        label="What did they do?",
        error_messages={"required": "Say what they did: the message is empty."},
    )

    def clean_recipient(self):
        raw = self.cleaned_data["recipient"].strip()
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
