from django import template

from common.live import poll_token

register = template.Library()


@register.simple_tag(takes_context=True)
def live_poll_token(context) -> str:
    """{% live_poll_token %}: the signed-in person's poll token for static/js/live.js (common.live)."""
    user = context.get("user")
    return poll_token(user_id=user.pk) if user is not None and user.is_authenticated else ""
