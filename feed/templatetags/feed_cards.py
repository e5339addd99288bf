"""{% post_card post %}: a post's card (feed/_post.html) as an include would render it, from the
per-process memo of rendered cards when it holds it (feed/cards.py)."""

from django import template

from feed.cards import card_render, comment_render

register = template.Library()


@register.simple_tag(takes_context=True)
def post_card(context, post):
    return card_render(context, post)


@register.simple_tag(takes_context=True)
def comment_card(context, comment, reply=False):
    """{% comment_card comment %}: a comment and its replies on a post's page (feed/_comment.html)."""
    return comment_render(context, comment, reply=reply)
