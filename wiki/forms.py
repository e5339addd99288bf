from django import forms

from wiki.models import Space
from wiki.services import BODY_MAX, SUMMARY_MAX, TITLE_MAX

_MARKDOWN_HELP = (
    "Markdown, as in posts: **bold**, *italic*, - lists, # headings, | tables |. "
    "Link another page of this wiki with [[Its title]] or [[Its title|other words]]."
)


class PageForm(forms.Form):
    # The lengths are checked by wiki.services, which says how long the text is; the browser's
    # maxlength only spares people typing past it.
    title = forms.CharField(
        required=False, widget=forms.TextInput(attrs={"maxlength": TITLE_MAX, "autocomplete": "off"})
    )
    body = forms.CharField(
        required=False,
        strip=False,
        label="Text",
        help_text=_MARKDOWN_HELP,
        widget=forms.Textarea(attrs={"rows": 22, "maxlength": BODY_MAX}),
    )
    summary = forms.CharField(
        required=False,
        label="What did you change? (optional)",
        widget=forms.TextInput(attrs={"maxlength": SUMMARY_MAX}),
    )
    base_version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)
    parent = forms.IntegerField(required=False, min_value=1, widget=forms.HiddenInput)


class MoveForm(forms.Form):
    parent_title = forms.CharField(
        required=False,
        max_length=200,
        label="Put this page under",
        help_text="The title of another page in this wiki; leave empty for the top level.",
    )


class PolicyForm(forms.Form):
    edit_policy = forms.ChoiceField(
        choices=Space.EditPolicy.choices, label="Who may write this group's wiki", widget=forms.RadioSelect
    )
