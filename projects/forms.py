import re

from django import forms
from django.core.exceptions import ValidationError

from expertise.services import skill_names_parse
from profiles.forms import ColleagueField
from profiles.models import Department
from projects.models import Project, ProjectMember
from projects.selectors import profiles_by_email

_EMAILS = re.compile(r"[\s,;]+")
MAX_INITIAL_MEMBERS = 100


class ProjectForm(forms.Form):
    name = forms.CharField(max_length=200, widget=forms.TextInput(attrs={"autocomplete": "off"}))
    summary = forms.CharField(
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What the project does and for whom. Markdown works.",
    )
    status = forms.ChoiceField(choices=Project.Status.choices, initial=Project.Status.ACTIVE)
    start_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    tags = forms.CharField(
        required=False,
        max_length=2000,
        help_text="Skills and topics, separated by commas, e.g. Kubernetes, Cost reporting.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    department = forms.ModelChoiceField(
        queryset=Department.objects.all(), required=False, empty_label="No owning department"
    )

    def clean_tags(self) -> list[str]:
        try:
            return skill_names_parse(self.cleaned_data["tags"])
        except ValidationError as exc:
            raise forms.ValidationError(exc.messages) from exc

    def clean(self):
        data = super().clean()
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", "The end date is before the start date.")
        return data


def _emails_field(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        max_length=5000,
        help_text="Work email addresses, separated by commas.",
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )


class ProjectCreateForm(ProjectForm):
    """The edit form plus the first members; after that, people join or leads change roles."""

    leads = _emails_field("Other leads")
    members = _emails_field("Members")
    advisors = _emails_field("Advisors")

    def clean(self):
        data = super().clean()
        wanted: list[tuple[str, str]] = []
        for field, role in (
            ("leads", ProjectMember.Role.LEAD),
            ("members", ProjectMember.Role.MEMBER),
            ("advisors", ProjectMember.Role.ADVISOR),
        ):
            for email in _EMAILS.split(data.get(field) or ""):
                if email:
                    wanted.append((email.lower(), role))
        if len(wanted) > MAX_INITIAL_MEMBERS:
            self.add_error("members", f"Add at most {MAX_INITIAL_MEMBERS} people here; others can join.")
            return data
        found = profiles_by_email(emails=[e for e, _ in wanted])
        unknown = sorted({e for e, _ in wanted if e not in found})
        inactive = sorted({e for e, _ in wanted if e in found and not found[e].user.is_active})
        if unknown:
            self.add_error("members", "Nobody here has the address " + ", ".join(unknown) + ".")
        if inactive:
            self.add_error("members", "No longer works here: " + ", ".join(inactive) + ".")
        seen: dict[str, str] = {}
        for email, role in wanted:
            if email in seen and seen[email] != role:
                self.add_error("members", f"{email} is listed with two roles; pick one.")
            seen[email] = role
        data["initial_members"] = [(found[e], r) for e, r in seen.items() if e in found]
        return data


class UpdateForm(forms.Form):
    body = forms.CharField(
        label="Post an update",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Progress, a decision, a question for the company. Markdown works.",
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(
        choices=ProjectMember.Role.choices,
        error_messages={
            "required": "Choose a role from the list.",
            "invalid_choice": "Choose a role from the list.",
        },
    )


class MemberAddForm(RoleForm):
    # Named like the kudos picker's field, which profiles:suggest reads to fill the datalist.
    recipient = ColleagueField(
        label="Add a colleague",
        help_text="Their work email, or pick them from the list as you type their name.",
        error_messages={"required": "Type the email of the colleague to add."},
    )
