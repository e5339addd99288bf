"""Lets the profile page (a lower app) show a person's recent posts without importing feed."""

from django import template

from feed.selectors import author_recent_posts

register = template.Library()

RECENT_ACTIVITY_LIMIT = 5


@register.inclusion_tag("feed/_recent_activity.html", takes_context=True)
def recent_activity(context, profile):
    """{% recent_activity profile %}: their latest posts the viewer may read (private groups stay private)."""
    viewer = context.get("viewer")
    posts = author_recent_posts(viewer=viewer, author=profile, limit=RECENT_ACTIVITY_LIMIT) if viewer else []
    return {"profile": profile, "posts": posts}
