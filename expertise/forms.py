from django import forms
from django.core.exceptions import ValidationError

from expertise.services import skill_names_parse


class SkillsForm(forms.Form):
    skills = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Separate skills with commas, e.g. Python, Contract law, Public speaking.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def clean_skills(self) -> list[str]:
        try:
            return skill_names_parse(self.cleaned_data["skills"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc
