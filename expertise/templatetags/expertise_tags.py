"""Lets the profile page (a lower app) show skills and interests without importing expertise; the skills
page's tag clouds."""

from django import template
from django.utils.safestring import SafeString

from common.rendered import RenderedMemo
from expertise.models import Interest, Skill
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


# A cloud is about 5 KB; a few per process (the skills page's two, their counts as of now).
clouds = RenderedMemo(size=50)


@register.simple_tag(takes_context=True)
def tag_cloud(context, tags: list[Skill] | list[Interest], none: str) -> SafeString:
    """expertise/_tag_cloud.html for these tags, rendered once per process for what it shows: the
    names, links and counts of up to 90 tags (each link reversed, each count formatted) were most of
    the skills page's CPU. A changed count gives a new key (common/rendered.py)."""

    def render() -> str:
        with context.push(tags=tags, none=none):
            return context.template.engine.get_template("expertise/_tag_cloud.html").render(context)

    key = (none, tuple((type(t).__name__, t.slug, t.name, t.people_count) for t in tags))
    return clouds.get(key, render)
