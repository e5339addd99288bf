"""Writing, reading, versions, differences, restoring and links in the wiki, through services and pages."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import services as communities
from moderation.models import Case, FlagReason
from moderation.services import case_decide, flag_create
from tests.helpers import signed_in
from wiki import services
from wiki.models import Page, Version

pytestmark = pytest.mark.django_db


def test_editor_writes_a_company_page_everyone_reads(editor, colleague_client):
    page = services.page_create(
        author=editor, community=None, title="Expenses policy", body="Claim **within 30 days**."
    )
    assert page.get_absolute_url() == "/wiki/page/expenses-policy/"
    html = colleague_client.get(page.get_absolute_url()).content.decode()
    assert "<strong>within 30 days</strong>" in html
    assert "Last edited by" in html and "Eve Editor" in html
    assert "Expenses policy" in colleague_client.get("/wiki/").content.decode()


def test_colleague_outside_the_editor_group_cannot_write_the_company_wiki(colleague, colleague_client):
    with pytest.raises(PermissionDenied):
        services.page_create(author=colleague, community=None, title="Travel", body="Book early.")
    assert colleague_client.get("/wiki/new/").status_code == 403
    response = colleague_client.post("/wiki/new/", {"title": "Travel", "body": "Book early."})
    assert response.status_code == 403
    assert not Page.objects.exists()


def test_every_version_is_kept_and_last_edited_by_follows_the_editor(editor, comms):
    page = services.page_create(author=editor, community=None, title="Travel", body="Book trains.")
    page = services.page_update(
        page_id=page.pk, editor=comms, title="Travel", body="Book trains early.", base_version=1
    )
    assert page.version == 2 and page.author == comms
    assert list(Version.objects.filter(page=page).order_by("number").values_list("body", flat=True)) == [
        "Book trains.",
        "Book trains early.",
    ]


def test_diff_between_any_two_versions_shows_what_changed(editor, colleague_client):
    page = services.page_create(
        author=editor, community=None, title="VPN", body="line one\nold step\nline three"
    )
    services.page_update(
        page_id=page.pk, editor=editor, title="VPN", body="line one\nnew step\nline three", base_version=1
    )
    services.page_update(
        page_id=page.pk,
        editor=editor,
        title="VPN how-to",
        body="line one\nnew step\nline four",
        base_version=2,
    )
    html = colleague_client.get(f"{page.diff_url()}?from=1&to=3").content.decode()
    assert "− old step" in html and "+ new step" in html and "+ line four" in html
    assert "<del>VPN</del>" in html and "<ins>VPN how-to</ins>" in html
    assert colleague_client.get(f"{page.diff_url()}?from=1&to=9").status_code == 404
    assert colleague_client.get(f"{page.diff_url()}?from=x").status_code == 400


def test_restore_puts_an_old_version_back_as_a_new_one(editor):
    page = services.page_create(author=editor, community=None, title="Laptops", body="Ask IT.")
    services.page_update(page_id=page.pk, editor=editor, title="Laptops", body="Vandalised", base_version=1)
    client = signed_in(editor)
    response = client.post(page.restore_url(1))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.version == 3 and page.body == "Ask IT."
    latest = Version.objects.get(page=page, number=3)
    assert latest.restored_from == 1 and latest.summary == "Restored version 1"
    assert Version.objects.filter(page=page).count() == 3  # the vandalised version is kept too


def test_links_between_pages_and_what_links_here(editor, colleague_client):
    policy = services.page_create(
        author=editor, community=None, title="Expenses policy", body="See [[Travel]] and [[Meals|food]]."
    )
    travel = services.page_create(author=editor, community=None, title="Travel", body="Trains first.")
    html = colleague_client.get(policy.get_absolute_url()).content.decode()
    assert f'href="{travel.get_absolute_url()}"' in html
    assert "food" in html and 'href="/wiki/new/' not in html  # readers are not offered to write Meals
    assert (
        "Expenses policy"
        in colleague_client.get(travel.get_absolute_url()).content.decode().split("What links here")[1]
    )
    editor_html = signed_in(editor).get(policy.get_absolute_url()).content.decode()
    assert 'href="/wiki/new/?title=Meals"' in editor_html


def test_bad_input_gets_a_clear_message_and_saves_nothing(editor):
    client = signed_in(editor)
    services.page_create(author=editor, community=None, title="Expenses policy", body="Claim monthly.")
    cases = [
        ({"title": "", "body": "Text"}, "Give the page a title."),
        ({"title": "expenses  POLICY", "body": "Text"}, "already has a page called"),
        ({"title": "Huge", "body": "x" * 1_000_000}, "1,000,000"),
        ({"title": "Empty", "body": "   "}, "Write something on the page."),
        ({"title": "A [[b]]", "body": "Text"}, "can&#x27;t contain"),
    ]
    for data, message in cases:
        response = client.post("/wiki/new/", data)
        assert response.status_code == 400, data["title"]
        assert message in response.content.decode()
    assert Page.objects.count() == 1 and Version.objects.count() == 1


def test_unchanged_save_adds_no_version(editor):
    page = services.page_create(author=editor, community=None, title="Wifi", body="Password on the wall.")
    with pytest.raises(ValidationError, match="Nothing changed"):
        services.page_update(
            page_id=page.pk, editor=editor, title="Wifi", body="Password on the wall.", base_version=1
        )
    assert Version.objects.filter(page=page).count() == 1


def test_group_members_write_and_admins_can_keep_it_to_themselves(author, colleague, secret_group):
    page = services.page_create(author=colleague, community=secret_group, title="Runbook", body="Restart it.")
    assert page.get_absolute_url() == f"/wiki/groups/{secret_group.slug}/page/runbook/"
    services.space_policy_set(community=secret_group, admin=author, policy="admins")
    with pytest.raises(PermissionDenied):
        services.page_update(
            page_id=page.pk, editor=colleague, title="Runbook", body="Changed", base_version=1
        )
    with pytest.raises(PermissionDenied):
        services.space_policy_set(community=secret_group, admin=colleague, policy="members")
    services.page_update(page_id=page.pk, editor=author, title="Runbook", body="Changed", base_version=1)


def test_outsider_sees_nothing_of_a_private_groups_wiki(
    secret_page, secret_group, outsider_client, colleague_client
):
    base = f"/wiki/groups/{secret_group.slug}/"
    for url in (
        base,
        secret_page.get_absolute_url(),
        secret_page.history_url(),
        secret_page.diff_url(),
        secret_page.version_url(1),
    ):
        response = outsider_client.get(url)
        assert response.status_code == 403, url
        assert (
            "zanzibar" not in response.content.decode()
            and "Falcon launch plan" not in response.content.decode()
        )
    assert "Falcon launch plan" not in outsider_client.get(secret_group.get_absolute_url()).content.decode()
    assert "Falcon launch plan" in colleague_client.get(secret_group.get_absolute_url()).content.decode()
    assert "zanzibar" in colleague_client.get(secret_page.get_absolute_url()).content.decode()


def test_a_public_groups_wiki_is_read_by_all_and_written_by_members(author, outsider, outsider_client):
    group = communities.community_create(
        creator=author, name="Runners", category="social", visibility="public"
    )
    page = services.page_create(author=author, community=group, title="Routes", body="Along the river.")
    assert "Along the river." in outsider_client.get(page.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        services.page_create(author=outsider, community=group, title="Mine", body="x")


def test_a_page_can_be_flagged_and_removed_by_a_moderator(editor, colleague, moderator, colleague_client):
    page = services.page_create(author=editor, community=None, title="Holidays", body="Something rude")
    flag_create(flagger=colleague, content=page, reason=FlagReason.SPAM)
    assert 'name="reason"' in colleague_client.get(page.get_absolute_url()).content.decode()
    case = Case.objects.get()
    assert case.content_author == editor and "Something rude" in case.excerpt
    case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Rude about colleagues.")
    assert colleague_client.get(page.get_absolute_url()).status_code == 404
    assert "Holidays" not in colleague_client.get("/wiki/").content.decode()


def test_pages_form_a_tree_and_deleting_moves_sub_pages_up(editor):
    it = services.page_create(author=editor, community=None, title="IT how-tos", body="Everything IT.")
    vpn = services.page_create(author=editor, community=None, title="VPN", body="Connect.", parent_id=it.pk)
    mfa = services.page_create(author=editor, community=None, title="MFA", body="Phone.", parent_id=vpn.pk)
    html = signed_in(editor).get(vpn.get_absolute_url()).content.decode()
    assert "IT how-tos" in html.split("Breadcrumb")[1].split("</nav>")[0] and "MFA" in html
    with pytest.raises(ValidationError, match="under itself"):
        services.page_move(page_id=it.pk, editor=editor, parent_title="MFA")
    services.page_delete(page_id=vpn.pk, actor=editor)
    mfa.refresh_from_db()
    assert mfa.parent_id == it.pk
