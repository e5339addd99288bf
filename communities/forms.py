from django import forms

from communities.models import Community
from profiles.forms import ColleagueField


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
    recipient = ColleagueField(
        label="Invite a colleague",
        help_text="Their work email, or pick them from the list as you type their name.",
        error_messages={"required": "Type the email of the colleague to invite."},
    )
