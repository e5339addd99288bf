"""The "Your skills and interests" form: the list of skills, a level per skill, and interests."""

from collections.abc import Sequence

from django import forms
from django.core.exceptions import ValidationError

from expertise.models import ProfileSkill
from expertise.services import MAX_SKILLS, interest_names_parse, skill_names_parse

_LEVEL_ERRORS = {"invalid_choice": "Choose a level: Learning, Practised, Advanced or Expert."}


def _tags_initial(names: list[str]) -> str:
    """Names back into the comma-separated box, quoting those that contain a comma."""
    return ", ".join(n if "," not in n else f'"{n}"' for n in names)


class SkillsForm(forms.Form):
    skills = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Separate skills with commas, e.g. Python, Contract law, Public speaking.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    new_level = forms.TypedChoiceField(
        label="Level for skills you add",
        choices=ProfileSkill.Level.choices,
        coerce=int,
        required=False,
        empty_value=ProfileSkill.Level.PRACTISED,  # type: ignore[arg-type]  # django-stubs: str only
        initial=ProfileSkill.Level.PRACTISED,
        error_messages=_LEVEL_ERRORS,
    )
    interests = forms.CharField(
        required=False,
        max_length=2000,
        help_text="What you enjoy beyond work, e.g. Running, Photography, Board games.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(
        self, *args, items: Sequence[ProfileSkill] = (), interest_names: Sequence[str] = (), **kwargs
    ):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        self.fields["skills"].initial = _tags_initial([item.tag.name for item in self.items])
        self.fields["interests"].initial = _tags_initial(list(interest_names))
        # A level and a "remove" box per listed skill, keyed by the skill's id (stable across saves).
        for item in self.items:
            self.fields[f"level_{item.tag_id}"] = forms.TypedChoiceField(
                label=f"Level for {item.tag.name}",
                choices=ProfileSkill.Level.choices,
                coerce=int,
                required=False,
                empty_value=None,
                initial=item.level,
                error_messages=_LEVEL_ERRORS,
            )
            self.fields[f"remove_{item.tag_id}"] = forms.BooleanField(
                label=f"Remove {item.tag.name}", required=False
            )

    def skill_rows(self) -> list[tuple[ProfileSkill, forms.BoundField, forms.BoundField]]:
        return [(item, self[f"level_{item.tag_id}"], self[f"remove_{item.tag_id}"]) for item in self.items]

    def clean_skills(self) -> list[str]:
        try:
            return skill_names_parse(self.cleaned_data["skills"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean_interests(self) -> list[str]:
        try:
            return interest_names_parse(self.cleaned_data["interests"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean(self):
        data = super().clean()
        if "skills" not in data:
            return data
        removed = {item.tag.name.lower() for item in self.items if data.get(f"remove_{item.tag_id}")}
        data["skills"] = [name for name in data["skills"] if name.lower() not in removed]
        if len(data["skills"]) > MAX_SKILLS:
            self.add_error("skills", f"List at most {MAX_SKILLS} skills.")
        data["levels"] = {
            item.tag_id: data[f"level_{item.tag_id}"]
            for item in self.items
            if data.get(f"level_{item.tag_id}") is not None
        }
        return data
