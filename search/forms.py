"""What the search box and the expert finder accept."""

from django import forms

from search.selectors import MORE_GROUPS
from search.text import MAX_QUERY_LENGTH

_TOO_LONG = (
    f"Searches are limited to {MAX_QUERY_LENGTH} characters (yours has %(show_value)d). "
    "Try the few words that matter most."
)


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search people, skills, projects and posts",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _TOO_LONG},
    )
    # One group's "more" link: that group shown longer. Anything else is ignored, never an error.
    more = forms.CharField(required=False)

    def clean_more(self) -> str:
        value = self.cleaned_data["more"]
        return value if value in MORE_GROUPS else ""


class ExpertForm(forms.Form):
    topic = forms.CharField(
        label="Who knows…",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": _TOO_LONG},
    )
