from django import forms

from digests.models import DigestSetting


class DigestSettingForm(forms.Form):
    frequency = forms.ChoiceField(
        label="Send me the digest",
        choices=DigestSetting.Frequency.choices,
        widget=forms.RadioSelect,
    )
    weekday = forms.TypedChoiceField(
        label="Weekly digest arrives on",
        choices=DigestSetting.Weekday.choices,
        coerce=int,
        help_text="Only used when you choose once a week.",
    )
    only_when_away = forms.BooleanField(
        label="Only when I have not been in Hive since the last one",
        required=False,
        help_text="Leave this on if you read Hive most days: the digest is for the days you don't.",
    )
