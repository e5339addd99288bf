from django import template

from common.markdown import markdown_render
from feed.hashtags import hashtags_link
from feed.kinds import AnswerThanksLink, ComposeLink, answer_thanks_links, compose_links, kind_card_template
from feed.mentions import mentions_link

register = template.Library()


@register.filter
def post_markdown(text: str):
    """{{ post.body|post_markdown }}: sanitised Markdown with #tags and @mentions linked."""
    return markdown_render(mentions_link(hashtags_link(text)))


@register.filter
def kind_card(kind: str) -> str:
    """The partial another app contributes for this kind of post (feed/kinds.py), or ""."""
    return kind_card_template(kind)


@register.simple_tag
def feed_compose_links() -> list[ComposeLink]:
    """Links other apps put next to the compose box (feed/kinds.py)."""
    return compose_links()


@register.simple_tag
def feed_answer_thanks_links() -> list[AnswerThanksLink]:
    """Links offered to a question's asker under the answer they chose (feed/kinds.py)."""
    return answer_thanks_links()
