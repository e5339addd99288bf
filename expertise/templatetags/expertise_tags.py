"""Lets the profile page (a lower app) show skills without importing expertise."""

from django import template

from expertise.selectors import skills_of

register = template.Library()


@register.inclusion_tag("expertise/_profile_skills.html", takes_context=True)
def profile_skills(context, profile):
    viewer = context.get("viewer")
    return {"skills": skills_of(profile=profile), "is_owner": viewer is not None and viewer.pk == profile.pk}
