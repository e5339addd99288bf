"""The rules page through the browser: who may open it, adding, editing and deleting rules, the live
test box, and the rate-limit settings, each change on record."""

import pytest

from moderation.models import AuditEntry
from moderation.ratelimit import policy_current
from moderation.rules import rule_create
from moderation.rules_models import RateLimit, WatchedRule
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

ALL = ["posts", "comments", "kudos", "profiles"]
PAGE_MAX_QUERIES = 12  # session, user, viewer, roles, rules, count, changes, limits policy...


def _limits_form(**changes):
    data = {}
    for action in ("posts", "comments", "reactions", "flags", "kudos"):
        limits = policy_current().limits[action]
        for part in ("per_minute", "per_day", "new_per_minute", "new_per_day"):
            data[f"{action}__{part}"] = getattr(limits, part)
    data |= {"new_member_days": 3, "first_posts_held": 0}
    return data | changes


@pytest.mark.parametrize(
    "url", ["/moderation/rules/", "/moderation/rules/test/", "/moderation/rules/limits/"]
)
def test_employees_cannot_open_or_post_to_the_rules_page(author_client, url):
    assert author_client.get(url).status_code in (403, 405)
    assert (
        author_client.post(
            url, {"test-text": "x", "test-where": "posts", "kind": "word", "pattern": "x"}
        ).status_code
        == 403
    )
    assert WatchedRule.objects.count() == 0


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/moderation/rules/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_employees_cannot_edit_or_delete_a_rule(author_client, moderator):
    rule = rule_create(actor=moderator, kind="word", pattern="bonus", action="flag", where=ALL)
    assert author_client.post(f"/moderation/rules/{rule.pk}/", {"pattern": "x"}).status_code == 403
    assert author_client.post(f"/moderation/rules/{rule.pk}/delete/").status_code == 403
    assert WatchedRule.objects.get().pattern == "bonus"


def test_a_moderator_adds_watched_words_one_a_line(moderator_client, moderator):
    response = moderator_client.post(
        "/moderation/rules/",
        {"kind": "word", "pattern": "crypto*\nget rich", "action": "hold", "where": ["posts", "comments"]},
        follow=True,
    )
    assert "2 rules added." in response.content.decode()
    assert sorted(WatchedRule.objects.values_list("pattern", flat=True)) == ["crypto*", "get rich"]
    rule = WatchedRule.objects.get(pattern="get rich")
    assert (rule.on_posts, rule.on_comments, rule.on_kudos, rule.on_profiles) == (True, True, False, False)
    assert AuditEntry.objects.filter(action="rule.create", actor=moderator).count() == 2


def test_an_unusable_expression_comes_back_with_the_reason_and_nothing_saved(moderator_client):
    response = moderator_client.post(
        "/moderation/rules/", {"kind": "regex", "pattern": r"(\w+)\s\1", "action": "block", "where": ALL}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "can&#x27;t be used" in page and "backreferences" in page
    assert r"(\w+)\s\1" in page  # the form keeps what they typed
    assert WatchedRule.objects.count() == 0


def test_the_test_box_shows_what_each_rule_would_do(moderator_client, moderator):
    rule_create(actor=moderator, kind="word", pattern="buy now", action="hold", where=ALL)
    rule_create(actor=moderator, kind="detector", pattern="card", action="block", where=ALL)
    response = moderator_client.post(
        "/moderation/rules/test/",
        {"test-text": "Buy now with 4111 1111 1111 1111", "test-where": "posts"},
        HTTP_HX_REQUEST="true",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Blocked" in html
    assert "watched word “buy now”" in html and "payment card number" in html
    assert "4111 1111 1111 1111" not in html  # masked even for moderators
    quiet = moderator_client.post(
        "/moderation/rules/test/",
        {"test-text": "Lunch at noon?", "test-where": "posts"},
        HTTP_HX_REQUEST="true",
    )
    assert "No rule matches" in quiet.content.decode()


def test_the_test_box_works_without_javascript(moderator_client, moderator):
    rule_create(actor=moderator, kind="word", pattern="offsite", action="flag", where=ALL)
    response = moderator_client.post(
        "/moderation/rules/test/", {"test-text": "the offsite", "test-where": "posts"}
    )
    assert response.status_code == 200
    assert "Published and flagged" in response.content.decode()
    assert "<h1>Automatic rules</h1>" in response.content.decode()


def test_a_moderator_edits_and_then_deletes_a_rule(moderator_client, moderator):
    rule = rule_create(actor=moderator, kind="word", pattern="bonus", action="flag", where=ALL)
    response = moderator_client.post(
        f"/moderation/rules/{rule.pk}/",
        {
            "pattern": "bonuses",
            "action": "block",
            "where": ["posts"],
            "message": "Pay is private.",
            "is_active": "on",
        },
    )
    assert response.status_code == 302
    rule.refresh_from_db()
    assert (rule.pattern, rule.action, rule.message, rule.on_comments) == (
        "bonuses",
        "block",
        "Pay is private.",
        False,
    )
    assert moderator_client.post(f"/moderation/rules/{rule.pk}/delete/").status_code == 302
    assert not WatchedRule.objects.exists()
    page = moderator_client.get("/moderation/rules/").content.decode()
    assert "rule.delete" in page and "rule.update" in page  # the recent changes list


def test_limits_are_saved_from_the_page_and_audited(moderator_client, moderator):
    response = moderator_client.post(
        "/moderation/rules/limits/", _limits_form(posts__per_minute=9, first_posts_held=2)
    )
    assert response.status_code == 302
    assert RateLimit.objects.get(action="posts").per_minute == 9
    assert policy_current().first_posts_held == 2
    assert set(AuditEntry.objects.values_list("action", flat=True)) == {
        "ratelimit.update",
        "rulesettings.update",
    }


def test_a_negative_limit_is_refused_and_nothing_changes(moderator_client):
    response = moderator_client.post("/moderation/rules/limits/", _limits_form(posts__per_minute=-1))
    assert response.status_code == 400
    assert not RateLimit.objects.exists()


def test_the_rules_page_runs_a_fixed_number_of_queries(moderator, django_assert_max_num_queries):
    browser = signed_in(moderator)
    for n in range(30):
        rule_create(actor=moderator, kind="word", pattern=f"word{n}", action="flag", where=ALL)
    browser.get("/moderation/rules/")
    with django_assert_max_num_queries(PAGE_MAX_QUERIES):
        response = browser.get("/moderation/rules/")
    assert response.status_code == 200
    assert "word29" in response.content.decode()
