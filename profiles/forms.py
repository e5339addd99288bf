from django import forms

from profiles.models import Profile


class ProfileForm(forms.ModelForm):
    class Meta:
        model = Profile
        fields = ["display_name", "job_title", "department", "location", "bio", "digest_opt_in"]
        labels = {"digest_opt_in": "Send me the daily digest email"}
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}
