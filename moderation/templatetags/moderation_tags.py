"""The flag button any moderatable content's page can include."""

from django import template
from django.contrib.contenttypes.models import ContentType
from django.template.loader import render_to_string
from django.urls import reverse

from moderation.models import FlagReason
from moderation.protocol import author_id_of
from moderation.selectors import request_clause_choices

register = template.Library()


@register.inclusion_tag("moderation/_flag_form.html", takes_context=True)
def flag_form(context, content, next_url=None):
    """`next_url`: where the flag sends the flagger back (default: this page), for a partial fetched apart
    from its page (an event's live question list)."""
    viewer = context.get("viewer")
    if viewer is None or viewer.pk == author_id_of(content):
        return {"can_flag": False}
    content_type_id = ContentType.objects.get_for_model(content).pk  # cached by Django after first use
    request = context.get("request")
    return {
        "can_flag": True,
        "action": reverse("moderation:flag", args=[content_type_id, content.pk]),
        "dom_id": f"{content_type_id}-{content.pk}",
        "shared": _shared(request),
        # A memoised feed card (feed/cards.py) renders a marker it replaces with each page's path.
        "next": next_url
        or context.get("next_path")
        or (request.get_full_path() if request is not None else ""),
    }


def _shared(request) -> dict[str, str]:
    """What every flag form of a page has in common, worked out once per request: the reason list's
    <option>s and the guidelines' address. Rendered form by form, they were more than half the time
    of an event page's 40 question cards (bench/leaders/measure.py)."""
    memo = vars(request) if request is not None else {}
    if "_flag_shared" not in memo:
        memo["_flag_shared"] = {
            "reasons": render_to_string(
                "moderation/_flag_reasons.html",
                {
                    # From the cache, not a query per page.
                    "clauses": request_clause_choices(request),
                    "choices": [
                        (FlagReason.SPAM.value, FlagReason.SPAM.label),
                        (FlagReason.OTHER.value, FlagReason.OTHER.label),
                    ],
                },
            ),
            "guidelines_url": reverse("guidelines:current"),
        }
    return memo["_flag_shared"]
