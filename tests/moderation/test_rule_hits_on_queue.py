"""What an automatic rule caught is listed on the queue and the case: which rule, and what it matched,
masked when it is confidential data (the queue never shows a card number)."""

import pytest

from feed.services import post_create
from moderation.models import Case
from moderation.rules import rule_create

pytestmark = pytest.mark.django_db

CARD = "4111 1111 1111 1111"


@pytest.fixture
def rules(moderator):
    rule_create(actor=moderator, kind="detector", pattern="card", action="flag", where=["posts"])
    rule_create(actor=moderator, kind="word", pattern="crypto*", action="hold", where=["posts"])


def test_the_queue_lists_the_rules_a_post_hit_with_masked_matches(rules, author, moderator_client):
    post_create(author=author, body=f"Pay me in cryptocoins, card {CARD}")

    page = moderator_client.get("/moderation/").content.decode()

    assert "Held by a rule: watched word “crypto*”, matching “cryptocoins”" in page
    assert "Flagged by a rule: payment card number, matching “41••••••••••1111”" in page


def test_the_case_page_lists_the_rule_hits_with_a_link_to_the_rule(rules, author, moderator_client):
    post = post_create(author=author, body=f"My card is {CARD}")
    case = Case.objects.get(object_id=post.pk)

    page = moderator_client.get(case.get_absolute_url()).content.decode()

    assert "Automatic rules" in page and "/moderation/rules/" in page
    assert "by payment card number, matching “41••••••••••1111”" in page
