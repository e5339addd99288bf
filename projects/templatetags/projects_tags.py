"""Lets the profile page (a lower app) list someone's projects without importing projects."""

from django import template

from projects.selectors import projects_of

register = template.Library()


@register.inclusion_tag("projects/_profile_projects.html")
def profile_projects(profile):
    return {"memberships": projects_of(profile=profile), "profile": profile}
