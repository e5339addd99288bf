"""The flag button any moderatable content's page can include."""

from django import template
from django.contrib.contenttypes.models import ContentType

from moderation.models import FlagReason
from moderation.protocol import author_id_of
from moderation.selectors import current_clause_choices

register = template.Library()


@register.inclusion_tag("moderation/_flag_form.html", takes_context=True)
def flag_form(context, content):
    viewer = context.get("viewer")
    can_flag = viewer is not None and viewer.pk != author_id_of(content)
    return {
        "content": content,
        "content_type_id": ContentType.objects.get_for_model(content).pk,  # cached by Django after first use
        # Choices, not a FlagForm: building a form per comment was a tenth of a long thread's time.
        # The clauses come from the cache, not a query per form.
        "clauses": _clauses(context.get("request")) if can_flag else [],
        "spam": (FlagReason.SPAM.value, FlagReason.SPAM.label),
        "other": (FlagReason.OTHER.value, FlagReason.OTHER.label),
        "can_flag": can_flag,
        "next": context["request"].get_full_path(),
    }


def _clauses(request) -> list[tuple[int, int, str]]:
    # Once per request, not once per form: a page of 40 questions made 40 cache round trips.
    if request is None:
        return current_clause_choices()
    memo = vars(request)
    if "_flag_clauses" not in memo:
        memo["_flag_clauses"] = current_clause_choices()
    return memo["_flag_clauses"]
