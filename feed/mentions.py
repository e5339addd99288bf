"""@mentions: "@ada" or "@jordan.avery" names a colleague by the first part of their work email."""

import re
from functools import reduce
from operator import or_

from django.db.models import Q
from django.urls import reverse

from profiles.models import Profile

MAX_MENTIONS = 20
MENTION = re.compile(r"(?<![\w@/])@([a-z0-9](?:[a-z0-9._-]{0,62}[a-z0-9])?)", re.IGNORECASE)


def mentions_find(text: str) -> list[str]:
    seen: dict[str, None] = {}
    for match in MENTION.finditer(text or ""):
        seen.setdefault(match.group(1).lower(), None)
    return list(seen)[:MAX_MENTIONS]


def mentioned_profiles(*, text: str) -> list[Profile]:
    """Active colleagues whose email starts with a handle in `text`: one query."""
    handles = mentions_find(text)
    if not handles:
        return []
    match = reduce(or_, (Q(user__email__istartswith=f"{handle}@") for handle in handles))
    return list(Profile.objects.filter(match, user__is_active=True).select_related("user"))


def mentions_link(text: str) -> str:
    """Markdown source with each @handle linked to the person (resolved when clicked)."""
    return MENTION.sub(
        lambda m: f"[@{m.group(1)}]({reverse('feed:mention', args=[m.group(1).lower()])})", text or ""
    )
