"""{% newcomer_tip "people" %}: the page's short tip, shown to a newcomer the first time they open it
(feed/newcomers.py). Feed contributes it to pages of other apps, which only load the tag."""

from django import template

from feed import newcomers
from profiles.selectors import viewer_profile

register = template.Library()


@register.inclusion_tag("feed/_newcomer_tip.html", takes_context=True)
def newcomer_tip(context, page: str):
    request = context.get("request")
    tip = None
    if request is not None and request.user.is_authenticated:
        tip = newcomers.tip_take(profile=viewer_profile(request), page=page)
    return {"tip": tip}
