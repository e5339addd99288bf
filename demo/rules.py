"""The demo company's automatic moderation: a few rules a real company starts with, and what they
caught this week (a held post, a held comment, a flagged post) waiting in the review queue."""

from feed.models import Post
from feed.services import comment_create, post_create
from moderation.rules import rule_create
from profiles.models import Profile

ALL = ["posts", "comments", "kudos", "profiles"]

RULES = [
    # (kind, pattern, action, where, message, countries)
    ("detector", "card", "block", ALL, "Card numbers never go in Hive: use the expenses tool.", ""),
    ("detector", "secret", "block", ALL, "Keys and tokens belong in the vault, not in posts.", ""),
    ("detector", "iban", "hold", ALL, "Bank details are checked by a moderator before anyone sees them.", ""),
    ("detector", "national_id", "hold", ALL, "", "US,GB,FR,ES,NL"),
    (
        "word",
        "crypto*",
        "hold",
        ["posts", "comments"],
        "Investment tips are reviewed by a moderator first.",
        "",
    ),
    ("word", "get rich quick", "block", ALL, "", ""),
    ("word", "layoff*", "flag", ["posts", "comments"], "", ""),
    ("word", "unannounced acquisition", "flag", ALL, "", ""),
    ("regex", r"\bproject\s+(nightingale|kestrel)\b", "flag", ALL, "Codenames of unannounced projects.", ""),
]

HELD_POST = (
    "Anyone else here into crypto? A tip from my cousin doubled my savings in a month, happy to share "
    "how over lunch."
)
FLAGGED_POST = "Heard the layoffs rumour in the kitchen again. Can someone from leadership say something?"
HELD_COMMENT = "I can front the deposit: send your share to DE89 3704 0044 0532 0130 00 and I'll book it."


def demo_rules_write(*, moderator: Profile, authors: list[Profile]) -> dict[str, int]:
    """The rules, through moderation's own services (each audited), then three posts they catch."""
    for kind, pattern, action, where, message, countries in RULES:
        rule_create(
            actor=moderator,
            kind=kind,
            pattern=pattern,
            action=action,
            where=where,
            message=message,
            countries=countries,
        )
    first, second, third = authors[:3]
    held = post_create(author=first, body=HELD_POST)
    post_create(author=second, body=FLAGGED_POST)
    # Under the most recent ordinary post: someone organising a team outing.
    recent = Post.objects.filter(kind=Post.Kind.UPDATE, held_at__isnull=True).exclude(author=third)
    target = recent.order_by("-created_at").first()
    comments = 0
    if target is not None:
        comment_create(post_id=target.pk, author=third, body=HELD_COMMENT)
        comments = 1
    return {"rules": len(RULES), "rule_caught": 2 + comments, "held": int(held.held_at is not None)}
