"""Flags cite a clause of the guidelines, weigh by the flagger's record, and have a daily limit;
the audit log cannot be edited or deleted."""

import pytest
from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from moderation import services
from moderation.models import AuditEntry, Case, Flag, FlagReason
from moderation.selectors import queue_page
from tests.factories import PostFactory, ProfileFactory
from tests.moderation.conftest import GUIDELINES_V1

pytestmark = pytest.mark.django_db


def test_a_flag_cites_a_clause_of_the_current_guidelines(colleague, post, respect_clause):
    flag = services.flag_create(
        flagger=colleague, content=post, reason=FlagReason.CLAUSE, clause_id=respect_clause.pk, note="Rude"
    )

    assert flag.clause == respect_clause
    assert flag.reason_label == "Guideline 1: Be respectful"
    assert AuditEntry.objects.get(action="flag.create").detail["clause"] == respect_clause.pk


def test_a_clause_flag_needs_a_clause(colleague, post, guidelines):
    with pytest.raises(ValidationError, match="Choose which guideline"):
        services.flag_create(flagger=colleague, content=post, reason=FlagReason.CLAUSE)
    assert not Case.objects.exists()


def test_a_clause_from_an_old_version_is_refused(colleague, moderator, post, respect_clause):
    services.guidelines_publish(editor=moderator, source=GUIDELINES_V1 + "\n## New one\n", change_note="v2")

    with pytest.raises(ValidationError, match="The guidelines changed"):
        services.flag_create(
            flagger=colleague, content=post, reason=FlagReason.CLAUSE, clause_id=respect_clause.pk
        )
    assert not Flag.objects.exists()


def test_flag_weight_follows_the_flaggers_record():
    assert services.flag_weight(upheld=0, rejected=0) == 1.0
    assert services.flag_weight(upheld=8, rejected=0) >= 1.8
    assert services.flag_weight(upheld=0, rejected=8) < 0.25


def _decided(flagger, decision, moderator):
    case = services.flag_create(flagger=flagger, content=PostFactory(), reason=FlagReason.SPAM).case
    services.case_decide(case_id=case.pk, moderator=moderator, decision=decision, note="Spam")


def test_flags_from_someone_whose_flags_were_upheld_rank_higher_in_the_queue(moderator):
    reliable, noisy = ProfileFactory(), ProfileFactory()
    for _ in range(3):
        _decided(reliable, "remove", moderator)
        _decided(noisy, "keep", moderator)
    by_noisy = services.flag_create(flagger=noisy, content=PostFactory(body="noisy"), reason="spam")
    by_reliable = services.flag_create(flagger=reliable, content=PostFactory(body="reliable"), reason="spam")

    assert by_reliable.weight == pytest.approx(1.6)
    assert by_noisy.weight == pytest.approx(0.4)
    assert [c.pk for c in queue_page(cursor=None).items] == [by_reliable.case_id, by_noisy.case_id]
    assert Flag.objects.filter(flagger=reliable, outcome=Flag.Outcome.UPHELD).count() == 3


def test_a_case_reopened_after_keep_counts_only_the_new_flags(colleague, outsider, moderator, post):
    case = services.flag_create(flagger=colleague, content=post, reason="spam").case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    services.flag_create(flagger=outsider, content=post, reason="spam")

    case.refresh_from_db()
    assert case.score == pytest.approx(1.0)


def test_nobody_flags_beyond_the_daily_limit(colleague, settings):
    settings.HIVE_FLAGS_PER_DAY = 2
    for _ in range(2):
        services.flag_create(flagger=colleague, content=PostFactory(), reason="spam")

    with pytest.raises(ValidationError, match="2 flags in the last 24 hours"):
        services.flag_create(flagger=colleague, content=PostFactory(), reason="spam")
    assert Flag.objects.filter(flagger=colleague).count() == 2


def test_flag_form_lists_the_clauses_and_the_view_records_the_cited_one(
    colleague_client, post, flag_url, respect_clause
):
    page = colleague_client.get(f"/posts/{post.pk}/").content.decode()
    assert f'<option value="clause-{respect_clause.pk}">1. Be respectful</option>' in page

    colleague_client.post(flag_url, {"reason": f"clause-{respect_clause.pk}", "note": "Insult"})

    assert Flag.objects.get().clause == respect_clause


def test_flag_with_a_made_up_reason_is_refused(colleague_client, flag_url, guidelines):
    response = colleague_client.post(flag_url, {"reason": "clause-abc"}, follow=True)
    assert "Choose a reason for the flag." in response.content.decode()
    response = colleague_client.post(flag_url, {"reason": "clause-999999"}, follow=True)
    assert "Choose which guideline it breaks." in response.content.decode()
    assert not Flag.objects.exists()


# --- The audit log is append-only, in the database itself ------------------------------------------


def test_audit_entries_cannot_be_edited_or_deleted(colleague, post):
    services.flag_create(flagger=colleague, content=post, reason="spam")
    entry = AuditEntry.objects.get()

    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).update(action="nothing.happened")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEntry.objects.filter(pk=entry.pk).delete()

    entry.refresh_from_db()
    assert entry.action == "flag.create"
