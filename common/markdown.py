"""User-written Markdown to HTML that is safe to show: cmark-gfm renders, nh3 (Ammonia) cleans.

cmark-gfm is GitHub's C implementation of CommonMark, the dialect people already write in GitHub,
Slack-like tools and wikis; it is about twenty times faster than a pure-Python parser, which matters
because every card of every feed page is rendered on read. It runs in its safe mode (raw HTML and
javascript: links dropped) and nh3 then keeps only an allow-list, so no script, style, event
handler or dangerous URL reaches a page even if one layer has a bug.
"""

import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}

# A line break in a post is a line break on screen, as in any chat tool (CommonMark alone would
# join the lines into one paragraph); smart punctuation stays off so code and names stay as typed.
_OPTIONS = Options.CMARK_OPT_HARDBREAKS

# A bare address people paste ("see https://example.com/x"), not one already in Markdown link syntax.
_BARE_URL = re.compile(r"(?<![(<\[\"'=])\bhttps?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")


def markdown_render(text: str) -> SafeString:
    # <url> is Markdown's autolink; pasted addresses become links like in any chat tool.
    text = _BARE_URL.sub(lambda m: f"<{m.group(0)}>", text or "")
    html = cmarkgfm.markdown_to_html(text, options=_OPTIONS)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above


# Longer documents (wiki pages) also need section headings, tables and struck-through text; the same
# safe mode and allow-list otherwise. The page's title is its only <h1>, so "# Heading" becomes an <h2>.
DOCUMENT_TAGS = ALLOWED_TAGS | {"h2", "del", "table", "thead", "tbody", "tr", "th", "td"}
_H1 = re.compile(r"<(/?)h1>")


def markdown_render_document(text: str) -> SafeString:
    text = _BARE_URL.sub(lambda m: f"<{m.group(0)}>", text or "")
    html = _H1.sub(r"<\1h2>", cmarkgfm.github_flavored_markdown_to_html(text))
    clean = nh3.clean(
        html,
        tags=DOCUMENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above
