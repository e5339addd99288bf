from django import forms

from notifications.models import Channel, Kind


class PreferencesForm(forms.Form):
    def __init__(self, *args, initial_channels: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        for kind, label in Kind.choices:
            self.fields[kind] = forms.ChoiceField(
                label=label, choices=Channel.choices, initial=initial_channels[kind], widget=forms.RadioSelect
            )
