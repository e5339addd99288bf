"""Lets the profile page (a lower app) show skills and interests without importing expertise."""

from django import template

from expertise.selectors import profile_expertise

register = template.Library()


@register.inclusion_tag("expertise/_profile_skills.html", takes_context=True)
def profile_skills(context, profile):
    """Skills with level, endorsements and who endorsed (an Endorse button for others), and interests."""
    viewer = context.get("viewer")
    return {
        **profile_expertise(profile=profile, viewer=viewer),
        "profile": profile,
        "viewer": viewer,
        "request": context.get("request"),
        "is_owner": viewer is not None and viewer.pk == profile.pk,
    }
