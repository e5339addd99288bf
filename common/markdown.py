"""User-written Markdown to HTML that is safe to show: nh3 (Ammonia) keeps only an allow-list.

Raw HTML in the source is escaped by Markdown's own rules and whatever survives is cleaned, so no
script, style, event handler or javascript: URL reaches a page.
"""

import re
import threading

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p", "br", "strong", "em", "code", "pre", "blockquote", "ul", "ol", "li", "a", "h3", "h4", "hr",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}


# A bare address people paste ("see https://example.com/x"), not one already in Markdown link syntax.
_BARE_URL = re.compile(r"(?<![(<\[\"'=])\bhttps?://[^\s<>()\[\]]+[^\s<>()\[\].,;:!?'\"]")


_local = threading.local()


def _converter() -> markdown_lib.Markdown:
    # Building a Markdown parser is most of the cost of a short post: one per thread, reset per use.
    if not hasattr(_local, "md"):
        _local.md = markdown_lib.Markdown(extensions=["sane_lists"], output_format="html")
    return _local.md


def markdown_render(text: str) -> SafeString:
    # <url> is Markdown's autolink; pasted addresses become links like in any chat tool.
    text = _BARE_URL.sub(lambda m: f"<{m.group(0)}>", text or "")
    html = _converter().reset().convert(text)
    clean = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )
    return mark_safe(clean)  # noqa: S308 - cleaned by nh3 just above
