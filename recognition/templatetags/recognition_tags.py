"""Kudos on a profile page, without profiles importing recognition."""

from django import template

from recognition.selectors import kudos_received, kudos_received_count

register = template.Library()


@register.inclusion_tag("recognition/_profile_kudos.html", takes_context=True)
def profile_kudos(context, profile):
    viewer = context.get("viewer")
    return {
        "profile": profile,
        "kudos_list": kudos_received(profile=profile, viewer=viewer),
        "total": kudos_received_count(profile=profile, viewer=viewer),
        "can_give": viewer is not None and viewer.pk != profile.pk,
    }
