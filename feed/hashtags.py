"""#tags in what people write: finding them, and turning them into links when shown."""

import re

from django.urls import reverse

MAX_TAGS = 10
# A # that starts a word ("#onboarding", "#été"), not part of a URL fragment, an HTML entity or "C#".
HASHTAG = re.compile(r"(?<![\w&/#])#([^\W_][\w-]{0,49})", re.UNICODE)


def hashtags_find(text: str) -> list[str]:
    """Distinct tags in order of appearance, lower-cased so #Onboarding and #onboarding are one tag."""
    seen: dict[str, None] = {}
    for match in HASHTAG.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)[:MAX_TAGS]


def hashtags_link(text: str) -> str:
    """Markdown source with each #tag as a link to its page (run before rendering Markdown)."""
    return HASHTAG.sub(
        lambda m: f"[#{m.group(1)}]({reverse('feed:tag', args=[m.group(1).lower()])})", text or ""
    )
