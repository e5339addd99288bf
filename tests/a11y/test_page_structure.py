# ruff: noqa: F811  (pytest fixtures imported from the security tests are parameters by name)
"""Every page's accessibility wiring holds together: ids are unique, and each label, description,
control and in-page link points at an element that exists.

axe-core (bench/a11y) audits the rendered pages in a browser now and then; these run on every change.
A broken reference is silent for sighted users and leaves a screen reader with no label or no help
text (the New project form's help text was never read out that way).
"""

from collections import Counter
from html.parser import HTMLParser

import pytest

from tests.helpers import signed_in
from tests.security.test_stored_xss import (  # noqa: F401  (fixtures, used by name)
    colin,
    colleague_pages,
    comms_pages,
    get,
    mallory_pages,
    moderator_pages,
    wiki_world,
    world,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

ID_LIST_ATTRIBUTES = ("aria-describedby", "aria-labelledby", "aria-controls")


class _Wiring(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self.references: list[tuple[str, str, str]] = []  # (tag, attribute, id)

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.ids[attributes["id"]] += 1
        for name in ID_LIST_ATTRIBUTES:
            for target in (attributes.get(name) or "").split():
                self.references.append((tag, name, target))
        if tag == "label" and attributes.get("for"):
            self.references.append((tag, "for", attributes["for"]))
        href = attributes.get("href") or ""
        if tag == "a" and href.startswith("#") and len(href) > 1:
            self.references.append((tag, "href", href[1:]))


def broken_wiring(html: str) -> list[str]:
    parser = _Wiring()
    parser.feed(html)
    problems = [f"id {name!r} used {count} times" for name, count in parser.ids.items() if count > 1]
    problems += [
        f"<{tag} {attribute}> points at missing id {target!r}"
        for tag, attribute, target in parser.references
        if target not in parser.ids
    ]
    return problems


def test_the_checker_finds_broken_references():
    html = (
        '<label for="nope">Name</label><input id="name" aria-describedby="name_help gone">'
        '<span id="name_help"></span><a href="#missing">x</a><p id="twice"></p><p id="twice"></p>'
    )
    assert sorted(broken_wiring(html)) == sorted([
        "<label for> points at missing id 'nope'",
        "<input aria-describedby> points at missing id 'gone'",
        "<a href> points at missing id 'missing'",
        "id 'twice' used 2 times",
    ])  # fmt: skip
    assert broken_wiring('<label for="a">A</label><input id="a" aria-describedby="a">') == []


@pytest.fixture
def payload():
    """A plain name this time (the security tests give the world hostile ones)."""
    return "Quinn O'Brien & Co"


PAGES = [
    "home feed", "all company", "questions", "post page", "answered question", "thread with her reply",
    "poll to vote in", "poll results", "tag page", "profile", "colin's profile", "org chart", "directory",
    "groups", "group page", "group members", "join requests", "skills", "skill page", "people to meet",
    "projects", "project page", "give kudos", "notifications", "search", "content search", "comment search",
    "experts",
    "guidelines",  # moderation (issue 12)
    "private kudos", "rewards", "leaderboard", "kudos wall", "my team", "recognition preferences",  # issue 13
    "events", "event page",  # leaders (issue 15)
]  # fmt: skip
PAGES += ["leadership corner"]  # leaders (issue 15)
OWN_FORMS = ["edit profile", "edit skills", "edit post", "edit project", "must-read figures",
             "scheduled posts", "edit scheduled post", "edit event"]  # fmt: skip


def test_every_page_is_wired_together(world, colin):
    """One world, every page read in it, as a colleague, as the author of the forms and as a project's
    lead (whose view adds the update form and the member management forms)."""
    pages = [(colin, page, colleague_pages(world)[page][0]) for page in PAGES]
    her = signed_in(world.mallory)
    pages += [(her, page, mallory_pages(world)[page][0]) for page in OWN_FORMS]
    pages += [(her, "project page as its lead", world.project.get_absolute_url())]
    problems = [
        f"{page} {url}: {problem}"
        for client, page, url in pages
        for problem in broken_wiring(get(client, url))
    ]
    assert problems == [], "\n".join(problems)
    assert "Post update" in get(her, world.project.get_absolute_url())


@pytest.mark.parametrize("url", ["/projects/new/", "/polls/new/", "/kudos/give/", "/groups/new/"])
def test_a_creation_form_is_wired_together(colleague_client, url):
    problems = broken_wiring(get(colleague_client, url))
    assert problems == [], "\n".join(problems)


# Moderation (issue 12): the moderators' pages (queue, cases, guidelines editor) and the author's case.
def test_moderation_pages_are_wired_together(world, colin, moderator):
    client = signed_in(moderator)
    problems = [
        f"{page} {url}: {problem}"
        for page, (url, _) in moderator_pages(world).items()
        for problem in broken_wiring(get(client, url))
    ]
    problems += [
        f"her case: {p}"
        for p in broken_wiring(get(signed_in(world.mallory), mallory_pages(world)["her case"][0]))
    ]
    assert problems == [], "\n".join(problems)


# --- analytics (issue 11): the Communications group's pages ------------------------------------


def test_communications_pages_are_wired_together(world, comms):
    client = signed_in(comms)
    problems = [
        f"{page} {url}: {problem}"
        for page, (url, _) in comms_pages(world).items()
        for problem in broken_wiring(get(client, url))
    ]
    assert problems == [], "\n".join(problems)


# --- Automatic rules (issue 12 part B): the moderators' rules page, a rule's edit page, the 429 page ---


def test_the_rules_pages_are_wired_together(moderator_client, moderator, author_client, settings):
    from moderation.rules import rule_create

    rule = rule_create(
        actor=moderator,
        kind="detector",
        pattern="national_id",
        countries="FR",
        action="hold",
        where=["posts"],
    )
    pages = {
        "rules": get(moderator_client, "/moderation/rules/"),
        "rule edit": get(moderator_client, f"/moderation/rules/{rule.pk}/"),
        "rules with a failed test": moderator_client.post(
            "/moderation/rules/test/", {"test-text": ""}
        ).content.decode(),
    }
    settings.HIVE_RATE_LIMIT_FACTOR = 0  # every post over the limit: the 429 page
    pages["rate limited"] = author_client.post("/", {"body": "Hello", "kind": "update"}).content.decode()
    problems = [f"{name}: {problem}" for name, html in pages.items() for problem in broken_wiring(html)]
    assert problems == [], "\n".join(problems)


# --- Wiki and searches that found nothing (issue 17) ----------------------------------------------


def test_wiki_pages_are_wired_together(wiki_world, colin, comms):
    from tests.security.test_stored_xss import wiki_pages

    w = wiki_world
    pages = [(colin, page, url) for page, (url, _) in wiki_pages(w).items()]
    her = signed_in(w.mallory)
    pages += [
        (her, "wiki edit", w.wiki_page.edit_url()),
        (her, "wiki new page", f"/wiki/new/?parent={w.wiki_page.pk}"),
        (her, "group wiki with its settings", f"/wiki/groups/{w.group.slug}/"),
        (signed_in(comms), "searches that found nothing", "/search/gaps/"),
    ]
    problems = [
        f"{page} {url}: {problem}"
        for client, page, url in pages
        for problem in broken_wiring(get(client, url))
    ]
    assert problems == [], "\n".join(problems)
