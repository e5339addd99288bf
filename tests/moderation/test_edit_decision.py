"""Edit with a reason: a moderator rewrites flagged text instead of removing it. The author is told the
clause and reason and may appeal; the earlier text is kept for moderators (not in the public history);
the decision is audited with the text before and after; an overturned appeal puts the author's words back."""

import pytest
from django.core.exceptions import ValidationError

from feed.models import Comment, Post
from feed.services import comment_create, post_create, post_edit
from moderation import services
from moderation.models import AuditEntry, Case, Flag
from notifications.models import Notification
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

CONFIDENTIAL = "Q3 revenue was 41.7M, keep it quiet. Also: standup moved to 10:00"
EDITED = "[Confidential figure removed by a moderator.] Also: standup moved to 10:00"


@pytest.fixture
def flagged(author, colleague):
    post = post_create(author=author, body="Standup moved")
    post_edit(post_id=post.pk, editor=author, body=CONFIDENTIAL)  # the leak is in the current version
    case = services.flag_create(flagger=colleague, content=post, reason="other", note="Confidential").case
    return post, case


def _edit(case, moderator, *, clause=None, text=EDITED, note="Figures stay in Finance"):
    return services.case_decide(
        case_id=case.pk,
        moderator=moderator,
        decision="edit",
        clause_id=clause.pk if clause else None,
        note=note,
        text=text,
    )


def test_a_moderator_edits_a_post_and_the_author_is_told_the_clause(flagged, moderator, author, guidelines):
    post, case = flagged
    clause = guidelines.clauses.get(number=2)

    case = _edit(case, moderator, clause=clause)

    post.refresh_from_db()
    assert post.body == EDITED and post.edited_at is not None
    assert (case.status, case.decision, case.edited_from) == ("edited", "edit", CONFIDENTIAL)
    told = Notification.objects.get(recipient=author, kind="moderation")
    assert "A moderator edited your post" in told.summary and "Keep confidential things" in told.summary
    assert "appeal within 14 days" in told.summary
    entry = AuditEntry.objects.get(action="case.edit")
    assert (entry.detail["text_before"], entry.detail["text_after"]) == (CONFIDENTIAL, EDITED)
    assert Flag.objects.get(case=case).outcome == Flag.Outcome.UPHELD


def test_the_edited_out_text_leaves_the_public_history_but_moderators_keep_it(
    flagged, moderator, colleague_client, moderator_client
):
    post, case = flagged
    _edit(case, moderator)

    public = colleague_client.get(post.get_absolute_url()).content.decode()
    assert EDITED in public and "41.7M" not in public and "Standup moved</p>" not in public
    case_page = moderator_client.get(case.get_absolute_url()).content.decode()
    assert "41.7M" in case_page and "Before the moderator" in case_page
    assert post.revisions.filter(moderator_only=True).count() == 2  # the author's first text and the leak


def test_the_author_reads_why_on_their_case_page_and_can_appeal(flagged, moderator, author):
    _, case = flagged
    _edit(case, moderator)

    page = signed_in(author).get(case.get_absolute_url()).content.decode()
    assert "Figures stay in Finance" in page and "Send my appeal" in page


def test_an_overturned_appeal_puts_the_authors_words_back(flagged, moderator, author):
    post, case = flagged
    _edit(case, moderator)
    services.appeal_create(case_id=case.pk, appellant=author, reason="It was public already")
    other = ProfileFactory(user__is_superuser=True)

    services.appeal_decide(case_id=case.pk, moderator=other, overturn=True, note="Published in the report")

    post.refresh_from_db()
    assert post.body == CONFIDENTIAL
    assert Case.objects.get(pk=case.pk).status == Case.Status.KEPT


def test_a_comment_is_edited_and_marked(author, colleague, moderator, colleague_client):
    post = post_create(author=colleague, body="Who has the keys?")
    comment = comment_create(post_id=post.pk, author=author, body="Ask the idiot in room 4")
    case = services.flag_create(flagger=colleague, content=comment, reason="other").case

    _edit(case, moderator, text="Ask in room 4")

    assert Comment.objects.get(pk=comment.pk).body == "Ask in room 4"
    page = colleague_client.get(post.get_absolute_url()).content.decode()
    assert "edited by a moderator" in page and "idiot" not in page


def test_an_edit_needs_new_text_and_a_reason_and_changes_nothing_without_them(flagged, moderator):
    post, case = flagged
    with pytest.raises(ValidationError, match="Write the text as it should read"):
        _edit(case, moderator, text="  ")
    with pytest.raises(ValidationError, match="Cite the guideline"):
        _edit(case, moderator, note="")
    with pytest.raises(ValidationError, match="unchanged"):
        _edit(case, moderator, text=CONFIDENTIAL)

    assert Post.objects.get(pk=post.pk).body == CONFIDENTIAL
    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN
    assert not AuditEntry.objects.filter(action="case.edit").exists()


def test_the_case_page_offers_the_edit_with_the_whole_text(flagged, moderator_client):
    _, case = flagged
    page = moderator_client.get(case.get_absolute_url()).content.decode()
    assert 'value="edit"' in page and 'name="text"' in page and "41.7M" in page


def test_a_moderator_edits_through_the_case_page(flagged, moderator_client):
    post, case = flagged
    response = moderator_client.post(
        f"/moderation/cases/{case.pk}/decide/",
        {"decision": "edit", "note": "No figures", "text": EDITED},
    )
    assert response.status_code == 302
    assert Post.objects.get(pk=post.pk).body == EDITED


def test_a_kept_then_edited_case_reopens_on_a_new_flag(flagged, moderator, author):
    post, case = flagged
    _edit(case, moderator)
    services.flag_create(flagger=ProfileFactory(), content=post, reason="spam")

    assert Case.objects.get(pk=case.pk).status == Case.Status.OPEN
