from django import forms

from communities.models import Community
from profiles.models import Profile


class CommunityForm(forms.Form):
    name = forms.CharField(max_length=100, error_messages={"required": "Give the group a name."})
    description = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    category = forms.ChoiceField(choices=Community.Category.choices, initial=Community.Category.WORK)
    visibility = forms.ChoiceField(
        choices=Community.Visibility.choices, initial=Community.Visibility.PUBLIC, widget=forms.RadioSelect
    )


class JoinRequestForm(forms.Form):
    message = forms.CharField(max_length=300, required=False, label="Why would you like to join? (optional)")


class InviteForm(forms.Form):
    # Named like the kudos picker's field, which profiles:suggest reads to fill the datalist.
    recipient = forms.CharField(
        max_length=320,
        label="Invite a colleague",
        help_text="Their work email, or pick them from the list as you type their name.",
        error_messages={"required": "Type the email of the colleague to invite."},
    )

    def clean_recipient(self) -> Profile:
        raw = self.cleaned_data["recipient"].strip()
        # The people picker fills in "Name <email>"; people may also type just the email.
        email = raw[raw.rfind("<") + 1 : raw.rfind(">")] if raw.endswith(">") and "<" in raw else raw
        # Anyone who ever worked here: the service then says clearly that they have left.
        match = Profile.objects.select_related("user").filter(user__email__iexact=email).first()
        if match is None:
            raise forms.ValidationError(f"Nobody with the email “{email}” works here.")
        return match
