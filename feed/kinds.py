"""What other apps contribute to feed's pages in their AppConfig.ready(), so feed names none of
their models, templates or URLs: what a post of their kind shows on its card (recognition: the
kudos line), links next to the compose box (recognition: "Give kudos"), the link a question's asker
is offered under the answer they chose (recognition: "Thank them with kudos"), what they do when a post
of their kind is taken down or comes back (recognition: its kudos leave or rejoin the counts), and
banners above the feed (surveys: a survey waiting for an answer)."""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest


@dataclass(frozen=True)
class KindCard:
    template: str  # included in feed/_post.html, where `post` is the post
    # Joined into every feed query so a page stays one query however many such posts it holds.
    select_related: tuple[str, ...] = ()
    # Prefetched with every feed page: one query more per page when it holds such posts, none otherwise.
    prefetch_related: tuple[str, ...] = ()


_cards: dict[str, KindCard] = {}


def post_kind_card_register(
    *, kind: str, template: str, select_related: tuple[str, ...] = (), prefetch_related: tuple[str, ...] = ()
) -> None:
    _cards[kind] = KindCard(
        template=template, select_related=select_related, prefetch_related=prefetch_related
    )


def kind_card_template(kind: str) -> str:
    """The contributed partial for this kind of post, or "" when the kind has none."""
    card = _cards.get(kind)
    return card.template if card else ""


def kind_cards_select_related() -> list[str]:
    return [name for card in _cards.values() for name in card.select_related]


def kind_cards_prefetch_related() -> list[str]:
    return [name for card in _cards.values() for name in card.prefetch_related]


@dataclass(frozen=True)
class ComposeLink:
    prompt: str  # shown before the link: "Recognise someone?"
    label: str
    url_name: str


_compose_links: list[ComposeLink] = []


def compose_link_register(*, prompt: str, label: str, url_name: str) -> None:
    link = ComposeLink(prompt=prompt, label=label, url_name=url_name)
    if link not in _compose_links:
        _compose_links.append(link)


def compose_links() -> list[ComposeLink]:
    return list(_compose_links)


@dataclass(frozen=True)
class AnswerThanksLink:
    label: str  # "Thank {name} with kudos"
    url_name: str  # reversed, then ?to=<the answerer's profile id>


_answer_thanks: list[AnswerThanksLink] = []


def answer_thanks_link_register(*, label: str, url_name: str) -> None:
    link = AnswerThanksLink(label=label, url_name=url_name)
    if link not in _answer_thanks:
        _answer_thanks.append(link)


def answer_thanks_links() -> list[AnswerThanksLink]:
    return list(_answer_thanks)


@dataclass(frozen=True)
class FeedBanner:
    """A notice above the feed (surveys: "a survey is waiting for you"). `context` is called with the
    request before the page renders and returns the template's context, or None to show nothing."""

    template: str
    context: Callable[[HttpRequest], dict | None]


_banners: list[FeedBanner] = []


def feed_banner_register(*, template: str, context: Callable[[HttpRequest], dict | None]) -> None:
    banner = FeedBanner(template=template, context=context)
    if banner not in _banners:
        _banners.append(banner)


def feed_banners(request: HttpRequest) -> list[tuple[str, dict]]:
    """The banners to show this request, each as (template, context)."""
    shown = []
    for banner in _banners:
        context = banner.context(request)
        if context is not None:
            shown.append((banner.template, context))
    return shown


# kind -> hook(post=..., shown=...): run inside the transaction that takes a post of that kind down (its
# author's delete, a moderator's removal: shown=False) or brings it back (a moderator's restore: shown=True),
# only when the post's state really changes, so what the hook keeps stays equal to the posts shown.
_shown_hooks: dict[str, Callable[..., None]] = {}


def post_shown_change_register(*, kind: str, hook: Callable[..., None]) -> None:
    _shown_hooks[kind] = hook


def post_shown_changed(*, post, shown: bool) -> None:
    """Called by feed's services, under the post's row lock, after its removed_at changed."""
    hook = _shown_hooks.get(post.kind)
    if hook is not None:
        hook(post=post, shown=shown)
