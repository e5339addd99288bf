"""The follow button a profile page (a lower app) includes."""

from django import template

from feed.selectors import follows_person

register = template.Library()


@register.inclusion_tag("feed/_follow_button.html", takes_context=True)
def follow_button(context, profile):
    viewer = context.get("viewer")
    can_follow = viewer is not None and viewer.pk != profile.pk and profile.user.is_active
    return {
        "profile": profile,
        "can_follow": can_follow,
        "following": can_follow and follows_person(viewer=viewer, person=profile),
    }
