"""The edit-profile form: turns the page's fields into the values profiles.services expects."""

from allauth.socialaccount.forms import SignupForm as SocialSignupForm
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from profiles.models import Department, Location, Profile
from profiles.services import ADMIN_FIELDS, OWNER_FIELDS
from profiles.validators import (
    MAX_LINK_LABEL,
    MAX_LINKS,
    validate_languages,
    validate_link_url,
    validate_phone,
)

PHOTO_ACCEPT = "image/jpeg,image/png,image/webp,image/gif"


class ProfileForm(forms.ModelForm):
    languages = forms.CharField(
        required=False,
        max_length=500,
        help_text="Separate languages with commas, e.g. English, Portuguese.",
    )
    photo = forms.FileField(
        required=False,
        label="New photo",
        widget=forms.ClearableFileInput(attrs={"accept": PHOTO_ACCEPT}),
    )
    photo_remove = forms.BooleanField(required=False, label="Remove my photo (show my initials instead)")

    class Meta:
        model = Profile
        fields = [
            "display_name",
            "pronouns",
            "job_title",
            "department",
            "location",
            "bio",
            "phone",
            "start_date",
        ]
        labels = {
            "bio": "About me",
            "pronouns": "Pronouns (optional)",
        }
        help_texts = {"bio": "Markdown: **bold**, *italic*, lists and links. At most 2000 characters."}
        widgets = {
            "bio": forms.Textarea(attrs={"rows": 6, "maxlength": 2000}),
            "start_date": forms.DateInput(attrs={"type": "date"}),
        }

    def __init__(self, *args, editor=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["photo"].help_text = (
            f"JPEG, PNG, WebP or GIF, at most {filesizeformat(settings.HIVE_PHOTO_MAX_BYTES)}. "
            "It is cropped to a square."
        )
        # A plain FileField: ClearableFileInput's own "clear" box would duplicate photo_remove.
        self.fields["photo"].widget = forms.FileInput(attrs={"accept": PHOTO_ACCEPT})
        self.fields["department"].queryset = Department.objects.all()
        self.fields["location"].queryset = Location.objects.all()
        self.fields["languages"].initial = ", ".join(self.instance.languages or [])
        self.admin_edit = bool(editor and editor.is_superuser)
        if not self.admin_edit:
            # The company's record: shown, never taken from the POST (a disabled field keeps the initial).
            self.fields["start_date"].disabled = True
            self.fields["start_date"].help_text = "Set by HR."
        if not self.instance.photo:
            del self.fields["photo_remove"]
        self.link_rows = []
        links = list(self.instance.links or [])
        for n in range(MAX_LINKS):
            label_name, url_name = f"link_{n}_label", f"link_{n}_url"
            current = links[n] if n < len(links) and isinstance(links[n], dict) else {}
            self.fields[label_name] = forms.CharField(
                required=False,
                max_length=MAX_LINK_LABEL,
                label=f"Link {n + 1} label",
                initial=current.get("label", ""),
            )
            self.fields[url_name] = forms.CharField(
                required=False,
                max_length=500,
                label=f"Link {n + 1} web address",
                initial=current.get("url", ""),
                widget=forms.TextInput(attrs={"inputmode": "url", "placeholder": "https://"}),
            )
            self.link_rows.append((self[label_name], self[url_name]))

    def clean_languages(self) -> list[str]:
        raw = self.cleaned_data.get("languages") or ""
        return validate_languages([part for part in raw.split(",")])

    def clean_phone(self) -> str:
        return validate_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        links = []
        for n in range(MAX_LINKS):
            label = (cleaned.get(f"link_{n}_label") or "").strip()
            url = (cleaned.get(f"link_{n}_url") or "").strip()
            if not url:
                if label:
                    self.add_error(f"link_{n}_url", "Add the web address for this link, or clear its label.")
                continue
            try:
                url = validate_link_url(url)
            except ValidationError as exc:
                self.add_error(f"link_{n}_url", exc)
                continue
            links.append({"label": label, "url": url})
        cleaned["links"] = links
        photo = cleaned.get("photo")
        if photo is not None and photo.size > settings.HIVE_PHOTO_MAX_BYTES:
            self.add_error(
                "photo",
                f"That photo is {filesizeformat(photo.size)}; the limit is "
                f"{filesizeformat(settings.HIVE_PHOTO_MAX_BYTES)}.",
            )
        return cleaned

    def profile_fields(self) -> dict:
        """The cleaned values for profiles.services.profile_update."""
        names = ADMIN_FIELDS if self.admin_edit else OWNER_FIELDS
        return {name: self.cleaned_data[name] for name in names}


def picked_email(raw: str) -> str:
    """The email in what a people picker sent: "Name <email>" from the datalist, or a typed email."""
    raw = raw.strip()
    return raw[raw.rfind("<") + 1 : raw.rfind(">")].strip() if raw.endswith(">") and "<" in raw else raw


class ColleagueField(forms.CharField):
    """A person picked from the profiles:suggest datalist or typed as their work email.

    Finds anyone who ever worked here, so the service can say clearly that someone has left rather
    than "nobody has that address".
    """

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 320)
        super().__init__(**kwargs)

    def clean(self, value) -> Profile | None:
        raw = super().clean(value)
        if not raw:
            return None
        email = picked_email(raw)
        match = Profile.objects.select_related("user").filter(user__email__iexact=email).first()
        if match is None:
            raise ValidationError(f"Nobody with the email “{email}” works here.")
        return match


class SsoSignupForm(SocialSignupForm):
    """allauth's form after an SSO callback, with the provider's email fixed.

    Hive's SSO rules (profiles/sso.py) refuse every case that would lead here, so this is a second
    lock: a disabled field ignores whatever is posted, so nobody can sign up as an address other
    than the one the provider vouched for.
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].disabled = True
