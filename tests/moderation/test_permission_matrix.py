"""Every moderation URL and action, tried as anonymous, an employee, the content's author, a moderator
and an admin: only the intended people get through, and nothing changes for the others."""

import pytest
from django.test import Client

from moderation import services
from moderation.models import Appeal, AuditEntry, Case, GuidelineVersion
from tests.factories import PostFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

ROLES = ["anonymous", "employee", "author", "moderator", "admin"]


@pytest.fixture
def clients(colleague, author, moderator, superuser):
    return {
        "anonymous": Client(),
        "employee": signed_in(colleague),
        "author": signed_in(author),
        "moderator": signed_in(moderator),
        "admin": signed_in(superuser),
    }


@pytest.fixture
def cases(author, outsider, moderator, guidelines):
    open_case = services.flag_create(flagger=outsider, content=PostFactory(author=author), reason="spam").case
    removed = services.flag_create(flagger=outsider, content=PostFactory(author=author), reason="spam").case
    services.case_decide(case_id=removed.pk, moderator=moderator, decision="remove", note="Spam")
    return {"open": open_case, "removed": removed}


# (method, url, expected status by role). 302 for anonymous is the sign-in page.
def _pages(cases):
    o, r = cases["open"].pk, cases["removed"].pk
    return [
        (
            "get",
            "/moderation/",
            {"anonymous": 302, "employee": 403, "author": 403, "moderator": 200, "admin": 200},
        ),
        (
            "get",
            "/moderation/figures/",
            {"anonymous": 302, "employee": 403, "author": 403, "moderator": 200, "admin": 200},
        ),
        (
            "get",
            "/guidelines/",
            {"anonymous": 302, "employee": 200, "author": 200, "moderator": 200, "admin": 200},
        ),
        (
            "get",
            "/guidelines/edit/",
            {"anonymous": 302, "employee": 403, "author": 403, "moderator": 200, "admin": 200},
        ),
        # The author sees a case only once decided against them; nobody else but moderators, ever.
        (
            "get",
            f"/moderation/cases/{o}/",
            {"anonymous": 302, "employee": 403, "author": 403, "moderator": 200, "admin": 200},
        ),
        (
            "get",
            f"/moderation/cases/{r}/",
            {"anonymous": 302, "employee": 403, "author": 200, "moderator": 200, "admin": 200},
        ),
    ]


def test_who_may_open_each_moderation_page(clients, cases):
    wrong = []
    for method, url, expected in _pages(cases):
        for role in ROLES:
            status = getattr(clients[role], method)(url).status_code
            if status != expected[role]:
                wrong.append(f"{role} {method.upper()} {url}: {status}, expected {expected[role]}")
    assert wrong == []


ACTIONS = [
    # (name, url template, data, roles allowed)
    ("claim", "/moderation/cases/{open}/claim/", {}, {"moderator", "admin"}),
    (
        "decide",
        "/moderation/cases/{open}/decide/",
        {"decision": "remove", "note": "Spam"},
        {"moderator", "admin"},
    ),
    ("escalate", "/moderation/cases/{open}/escalate/", {"note": "Legal"}, {"moderator", "admin"}),
    ("bulk", "/moderation/bulk/", {"cases": ["{open}"], "decision": "keep"}, {"moderator", "admin"}),
    ("restore", "/moderation/cases/{removed}/restore/", {"note": "Context"}, {"admin"}),
    ("appeal", "/moderation/cases/{removed}/appeal/", {"reason": "Unfair"}, {"author"}),
    ("publish", "/guidelines/edit/", {"source": "## New rule", "change_note": "v2"}, {"moderator", "admin"}),
]


def _state(cases):
    return (
        list(Case.objects.order_by("pk").values_list("status", "claimed_by", "decision")),
        Appeal.objects.count(),
        GuidelineVersion.objects.count(),
        AuditEntry.objects.count(),
    )


@pytest.mark.parametrize(("name", "url", "data", "allowed"), ACTIONS, ids=[a[0] for a in ACTIONS])
@pytest.mark.parametrize("role", ROLES)
def test_each_action_works_only_for_the_intended_people(clients, cases, role, name, url, data, allowed):
    ids = {"open": cases["open"].pk, "removed": cases["removed"].pk}
    url = url.format(**ids)
    data = {k: [v.format(**ids) for v in vs] if isinstance(vs, list) else vs for k, vs in data.items()}
    before = _state(cases)

    response = clients[role].post(url, data)

    after = _state(cases)
    if role in allowed:
        assert response.status_code == 302, f"{role} {name}: {response.status_code}"
        assert after != before, f"{role} {name}: allowed, but nothing changed"
    else:
        assert response.status_code in (302, 403), f"{role} {name}: {response.status_code}"
        if role == "anonymous":
            assert response.url.startswith("/accounts/login/")
        assert after == before, f"{role} {name}: refused, yet something changed"


def test_a_moderator_sees_a_private_group_post_only_through_its_case(guidelines, moderator, outsider):
    from communities.services import community_create
    from feed.services import post_create

    owner = outsider
    room = community_create(creator=owner, name="Heads only", category="work", visibility="private")
    secret = post_create(author=owner, body="Private plans", community=room)
    other = post_create(author=owner, body="Other private plans", community=room)
    case = services.case_open(content=secret, score=1.0)
    client = signed_in(moderator)

    assert "Private plans" in client.get(f"/moderation/cases/{case.pk}/").content.decode()
    assert client.get(secret.get_absolute_url()).status_code == 404
    assert client.get(other.get_absolute_url()).status_code == 404
    assert client.get(room.get_absolute_url()).status_code in (200, 403, 404)
    assert "Other private plans" not in client.get(room.get_absolute_url()).content.decode()


# --- Flagging every kind of content (posts, groups, profiles, kudos) ---------------------------------

FLAGGABLE = ["post", "group", "profile", "private kudos"]


@pytest.fixture
def flaggables(author, colleague):
    from communities.services import community_create
    from tests.factories import KudosFactory

    return {
        "post": PostFactory(author=author),
        "group": community_create(
            creator=author, name="Club", description="About", category="social", visibility="public"
        ),
        "profile": author,
        # Seen only by its giver (the author) and its recipient (the employee): moderators can't flag it.
        "private kudos": KudosFactory(giver=author, recipients=[colleague], is_private=True, post=None),
    }


@pytest.mark.parametrize("kind", FLAGGABLE)
@pytest.mark.parametrize("role", ROLES)
def test_anyone_who_can_see_content_may_flag_it_except_its_author(clients, flaggables, role, kind):
    from django.contrib.contenttypes.models import ContentType

    from moderation.models import Flag

    content = flaggables[kind]
    url = f"/moderation/flag/{ContentType.objects.get_for_model(content).pk}/{content.pk}/"

    response = clients[role].post(url, {"reason": "spam"})

    flagged = Flag.objects.exists()
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")
    elif role == "author":
        assert response.status_code == 302  # back to the page, with "You can't flag your own ..."
    elif kind == "private kudos" and role in ("moderator", "admin"):
        assert response.status_code == 404  # not theirs to see, so not theirs to flag
    else:
        assert response.status_code == 302 and flagged, f"{role} could not flag a {kind}"
        return
    assert not flagged, f"{role} flagged a {kind}"
