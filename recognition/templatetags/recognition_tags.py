"""Kudos on a profile page, without profiles importing recognition."""

from django import template

from recognition.selectors import badges_of, kudos_received, kudos_received_figures

register = template.Library()


@register.inclusion_tag("recognition/_profile_kudos.html", takes_context=True)
def profile_kudos(context, profile):
    viewer = context.get("viewer")
    figures = kudos_received_figures(profile=profile, viewer=viewer)
    return {
        "profile": profile,
        "kudos_list": kudos_received(profile=profile, viewer=viewer),
        "total": figures.total,
        "top_values": figures.top_values,
        "badges": badges_of(profile=profile),
        "can_give": viewer is not None and viewer.pk != profile.pk,
    }
