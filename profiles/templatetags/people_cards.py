"""{% person_card person %}: profiles/_person_card.html, rendered once per process for what it shows.

The directory shows 30 cards a page, the same first page to everyone; rendering each (two includes,
a URL, the photo or the initials) was most of the page's CPU. The key is every value the card shows,
so an edited name, title, photo, department or office gives a new key (common/rendered.py).
"""

from django import template
from django.utils.safestring import SafeString

from common.rendered import RenderedMemo
from profiles.models import Profile

register = template.Library()

TEMPLATE = "profiles/_person_card.html"
# A card is about 500 bytes: a few MB per process at most.
cards = RenderedMemo(size=5000)


def card_key(person: Profile) -> tuple:
    department, location = person.department, person.location
    return (
        person.pk,
        person.display_name,
        person.job_title,
        person.photo.name,
        department.name if department is not None else None,
        location.name if location is not None else None,
    )


@register.simple_tag(takes_context=True)
def person_card(context: template.Context, person: Profile) -> SafeString:
    """The card as {% include "profiles/_person_card.html" %} renders it in this page."""

    def render() -> str:
        assert context.template is not None  # a tag's context is always a template's
        with context.push(person=person):
            return context.template.engine.get_template(TEMPLATE).render(context)

    return cards.get(card_key(person), render)
