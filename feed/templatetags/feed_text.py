from django import template

from common.markdown import markdown_render
from feed.hashtags import hashtags_link

register = template.Library()


@register.filter
def post_markdown(text: str):
    """{{ post.body|post_markdown }}: sanitised Markdown with #tags linked to their pages."""
    return markdown_render(hashtags_link(text))
