"""Look-alike projects in two tiers: "possibly the same work" and "related", found by meaning."""

import re

import pytest
from django.urls import reverse

from projects import selectors
from projects.services import project_embeddings_backfill
from tests.helpers import make_project


def _tiers(html: str) -> tuple[str, str]:
    """The "possibly the same work" list and the "related" list of the look-alike box."""
    same = re.search(r'data-tier="same">(.*?)</ul>', html, re.S)
    related = re.search(r'data-tier="related">(.*?)</ul>', html, re.S)
    return (same.group(1) if same else "", related.group(1) if related else "")


@pytest.fixture
def identity_projects(colleague):
    sso = make_project(
        colleague,
        name="Single sign-on rollout",
        summary="Move every SaaS application behind Okta single sign-on and retire the local passwords.",
        tags="Identity",
    )
    mfa = make_project(
        colleague,
        name="Multi-factor authentication for the customer portal",
        summary="Customers confirm their logins to the portal with a second factor sent to their phone.",
        tags="Identity",
    )
    for name, summary in [
        ("Office plant care rota", "Who waters the plants on the third floor while people are on holiday."),
        ("Payroll consolidation", "One payroll provider for every country instead of twelve."),
        ("Quarterly sales kick-off", "Agenda, venue and travel for the sales team's kick-off in Lisbon."),
        ("Warehouse slotting", "Place fast-moving items near the packing stations to cut walking time."),
    ]:
        make_project(colleague, name=name, summary=summary)
    project_embeddings_backfill()
    return sso, mfa


@pytest.mark.sentence_model
def test_the_same_work_is_possibly_the_same_and_a_same_domain_project_only_related(
    author_client, identity_projects
):
    sso, mfa = identity_projects
    html = author_client.get(
        reverse("projects:similar"),
        {
            "name": "SSO for all our SaaS tools",
            "summary": "Put every SaaS tool behind Okta so staff sign in once, and switch off the local "
            "passwords.",
            "tags": "",
        },
    ).content.decode()
    same, related = _tiers(html)
    assert sso.name in same and "Join instead" in same
    assert mfa.name in related and "Join instead" not in related
    assert "Office plant care rota" not in html
    assert "Why:" in same and "close in meaning" in same


@pytest.mark.sentence_model
def test_nearest_neighbours_find_a_project_that_shares_no_word_with_the_draft(identity_projects):
    sso, _ = identity_projects
    found = selectors.project_look_alikes(
        name="One login for every company tool",
        summary="Reach all our software without separate credentials.",
    )
    assert sso.pk in [s.project.pk for s in found.same + found.related]


@pytest.mark.sentence_model
def test_a_new_project_is_found_by_meaning_without_restarting(colleague, identity_projects):
    draft = {"name": "Lower the heating bill", "summary": "Spend less on gas for our buildings in winter."}
    before = selectors.project_look_alikes(**draft)
    boilers = make_project(
        colleague,
        name="Energy efficiency of the boiler rooms",
        summary="Cut gas consumption for heating in every office building.",
    )
    project_embeddings_backfill()
    after = selectors.project_look_alikes(**draft)
    assert boilers.pk not in [s.project.pk for s in before.same + before.related]
    assert boilers.pk in [s.project.pk for s in after.same + after.related]


@pytest.mark.sentence_model
@pytest.mark.parametrize(
    "name, summary",
    [
        ("", ""),
        ("SSO", ""),
        ("Einheitliche Anmeldung", "Alle Mitarbeiter melden sich einmal an und erreichen jede Anwendung."),
        ("Single sign-on", "login " * 2000),
    ],
    ids=["empty", "one word", "german", "10,000 characters"],
)
def test_odd_drafts_get_a_page_not_an_error(author_client, identity_projects, name, summary):
    response = author_client.get(reverse("projects:similar"), {"name": name, "summary": summary, "tags": ""})
    assert response.status_code == 200
    html = response.content.decode()
    same, related = _tiers(html)
    if not name:
        assert html.strip() == ""  # nothing typed yet: no box at all
    else:  # never an unrelated project as the same work, whatever the draft
        assert not any(n in same for n in ("Office plant care rota", "Warehouse slotting", "Payroll"))


@pytest.mark.sentence_model
def test_a_box_with_only_related_projects_does_not_say_the_work_may_already_exist(
    author_client, identity_projects
):
    html = author_client.get(
        reverse("projects:similar"),
        {"name": "Passkeys for staff laptops", "summary": "Replace passwords with passkeys.", "tags": ""},
    ).content.decode()
    same, related = _tiers(html)
    assert not same and related
    assert "Similar projects" in html and "This may already exist" not in html


def test_without_a_sentence_model_words_still_give_both_tiers(author_client, colleague):
    payroll = make_project(
        colleague,
        name="Global payroll platform",
        summary="Run payroll for every country on one platform instead of twelve local providers.",
    )
    benefits = make_project(
        colleague, name="Benefits review", summary="Review employee benefits in every country."
    )
    html = author_client.get(
        reverse("projects:similar"),
        {
            "name": "One payroll system for all countries",
            "summary": "A single global payroll platform.",
            "tags": "",
        },
    ).content.decode()
    same, related = _tiers(html)
    assert payroll.name in same and "both mention" in same
    assert benefits.name not in same


@pytest.mark.sentence_model
def test_a_deleted_project_is_no_longer_suggested(identity_projects):
    sso, _ = identity_projects
    draft = {"name": "SSO for all our SaaS tools", "summary": "Every SaaS tool behind Okta single sign-on."}
    assert sso.pk in [s.project.pk for s in selectors.project_look_alikes(**draft).same]
    sso.delete()
    for _ in range(2):  # the first look-up notices the deleted neighbour, the next reads again
        found = selectors.project_look_alikes(**draft)
        assert sso.pk not in [s.project.pk for s in found.same + found.related]


def test_a_project_of_the_drafts_department_says_so_among_its_reasons(author_client, colleague):
    payroll = make_project(
        colleague,
        name="Global payroll platform",
        summary="Run payroll for every country on one platform instead of twelve local providers.",
        department=colleague.department,
    )
    draft = {"name": "One payroll system for all countries", "summary": "A single global payroll platform."}
    same, _ = _tiers(
        author_client.get(
            reverse("projects:similar"), {**draft, "tags": "", "department": str(payroll.department_id)}
        ).content.decode()
    )
    assert payroll.name in same and f"same department ({colleague.department.name})" in same
    elsewhere, _ = _tiers(
        author_client.get(reverse("projects:similar"), {**draft, "tags": ""}).content.decode()
    )
    assert payroll.name in elsewhere and "same department" not in elsewhere


@pytest.mark.parametrize("department", ["", "abc", "-1", "0", "²", "9" * 5000, "12345678901"])
def test_a_department_that_is_no_number_is_ignored_not_an_error(author_client, colleague, department):
    make_project(colleague, name="Global payroll platform", summary="Run payroll on one platform.")
    response = author_client.get(
        reverse("projects:similar"),
        {"name": "One payroll platform", "summary": "Payroll on one platform.", "department": department},
    )
    assert response.status_code == 200 and "same department" not in response.content.decode()
