from django import template

from common.markdown import markdown_render

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text: str):
    """{{ profile.bio|markdown }}: sanitised HTML."""
    return markdown_render(text)
