from typing import cast

from django import forms
from django.conf import settings


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files from one input; each is checked as an image by feed.services."""

    def clean(self, data, initial=None) -> list:
        if not data:
            return []
        files = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleImageField, self).clean(one, initial) for one in files]


class PublishAtField(forms.DateTimeField):
    """ "Publish later": a date and time in the company's time zone (the browser's datetime-local)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", f"Publish later, at (company time, {settings.TIME_ZONE})")
        kwargs.setdefault("input_formats", ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"])
        kwargs.setdefault(
            "widget", forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
        )
        super().__init__(**kwargs)


# What anyone may post; the form offers announcements too to those allowed to make them.
KINDS = [("update", "Share an update"), ("question", "Ask a question")]


class PostForm(forms.Form):
    body = forms.CharField(
        label="Share something with your colleagues",
        max_length=settings.HIVE_POST_MAX_LENGTH,
        widget=forms.Textarea(
            attrs={"rows": 3, "placeholder": "What are you working on? Ask, share, celebrate…"}
        ),
        error_messages={"required": "Your post is empty: write something first."},
    )
    kind = forms.ChoiceField(
        choices=KINDS,
        initial="update",
        required=False,
        widget=forms.RadioSelect,
        label="Kind of post",
    )

    pinned_days = forms.TypedChoiceField(
        choices=[
            (0, "Don't pin"),
            (1, "1 day"),
            (3, "3 days"),
            (7, "1 week"),
            (14, "2 weeks"),
            (30, "30 days"),
        ],
        coerce=int,
        initial=7,
        required=False,
        empty_value=0,  # type: ignore[arg-type]  # django-stubs: str only; Django takes any value
        label="Pin to the top of everyone's feed for",
    )

    must_read = forms.BooleanField(
        required=False,
        label="Must read: ask everyone to acknowledge it",
        help_text="Counts by department only; one reminder to those who have not acknowledged.",
    )
    compliance = forms.BooleanField(
        required=False,
        label="Compliance (a policy change): the list of who has not acknowledged can be downloaded",
        help_text="Readers are told so on the announcement.",
    )
    remind_after_days = forms.TypedChoiceField(
        choices=[(d, f"{d} day{'s' if d > 1 else ''}") for d in (1, 2, 3, 5, 7, 14)],
        coerce=int,
        initial=3,
        required=False,
        empty_value=3,  # type: ignore[arg-type]  # django-stubs: str only; Django takes any value
        label="Remind those who have not acknowledged after",
    )

    publish_at = PublishAtField()

    images = MultipleImageField(
        required=False,
        label="Pictures (up to 4)",
        widget=MultipleImageInput(attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}),
    )

    def __init__(self, *args, can_announce: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if can_announce:
            kind = cast(forms.ChoiceField, self.fields["kind"])
            kind.choices = [
                *KINDS,
                ("announcement", "Announce to everyone"),
            ]

    def clean_kind(self) -> str:
        return self.cleaned_data.get("kind") or "update"

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError("Your post is empty: write something first.")
        return body


class CommentForm(forms.Form):
    body = forms.CharField(
        label="Comment",
        max_length=settings.HIVE_COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": "Add a comment…"}),
        error_messages={"required": "Your comment is empty: write something first."},
    )
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput)


class PollForm(forms.Form):
    question = forms.CharField(
        max_length=settings.HIVE_POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Ask the question the poll answers."},
    )
    options = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": "One option per line"}),
        help_text="One option per line: at least two, at most ten, all different.",
        error_messages={"required": "A poll needs at least two options."},
    )
    multiple = forms.BooleanField(required=False, label="People may choose several options")
    closes_in_days = forms.TypedChoiceField(
        choices=[(1, "1 day"), (3, "3 days"), (7, "1 week"), (14, "2 weeks"), (30, "30 days")],
        coerce=int,
        initial=7,
        label="Closes in",
    )

    publish_at = PublishAtField()

    def option_lines(self) -> list[str]:
        return self.cleaned_data["options"].splitlines()


class ScheduledPostForm(forms.Form):
    """Changing a scheduled post before it is published: its text and its time."""

    body = forms.CharField(
        label="Text",
        max_length=settings.HIVE_POST_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Your post is empty: write something first."},
    )
    publish_at = PublishAtField(
        required=True, label=f"Publish at (company time, {settings.TIME_ZONE})", help_text=""
    )
