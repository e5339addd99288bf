"""The flag button any moderatable content's page can include."""

from django import template
from django.contrib.contenttypes.models import ContentType

from moderation.models import FlagReason
from moderation.protocol import author_id_of
from moderation.selectors import request_clause_choices

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
        "clauses": request_clause_choices(context.get("request")) if can_flag else [],
        "spam": (FlagReason.SPAM.value, FlagReason.SPAM.label),
        "other": (FlagReason.OTHER.value, FlagReason.OTHER.label),
        "can_flag": can_flag,
        # A memoised feed card (feed/cards.py) renders a marker it replaces with each page's path.
        "next": context.get("next_path") or context["request"].get_full_path(),
    }
