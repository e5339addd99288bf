"""Kudos on a profile page, without profiles importing recognition."""

from django import template

from recognition.selectors import badges_of, kudos_received, kudos_received_count, values_recognised_for

register = template.Library()


@register.inclusion_tag("recognition/_profile_kudos.html", takes_context=True)
def profile_kudos(context, profile):
    viewer = context.get("viewer")
    return {
        "profile": profile,
        "kudos_list": kudos_received(profile=profile, viewer=viewer),
        "total": kudos_received_count(profile=profile, viewer=viewer),
        "top_values": values_recognised_for(profile=profile, viewer=viewer),
        "badges": badges_of(profile=profile),
        "can_give": viewer is not None and viewer.pk != profile.pk,
    }
