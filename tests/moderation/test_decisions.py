"""Decisions beyond keep and remove: warnings, suspensions, escalation, claims, bulk decisions, and the
author told with the clause."""

import threading
from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from feed.models import Post
from feed.services import comment_create, post_create
from moderation import services
from moderation.models import AuditEntry, Case, Flag, Suspension
from moderation.selectors import queue_page
from notifications.models import Notification
from tests.factories import PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(colleague, post):
    return services.flag_create(flagger=colleague, content=post, reason="spam").case


def test_warning_keeps_the_post_and_tells_the_author_which_guideline(
    author, moderator, case, post, respect_clause
):
    services.case_decide(
        case_id=case.pk,
        moderator=moderator,
        decision="warn",
        clause_id=respect_clause.pk,
        note="Tone it down",
    )

    case.refresh_from_db()
    post.refresh_from_db()
    assert post.removed_at is None
    assert (case.status, case.decision, case.clause) == (Case.Status.KEPT, "warn", respect_clause)
    assert Flag.objects.get().outcome == Flag.Outcome.UPHELD
    told = Notification.objects.get(recipient=author)
    assert told.kind == "moderation"
    assert "A moderator warned you about your post: guideline 1, “Be respectful”" in told.summary
    assert "appeal within 14 days" in told.summary
    assert told.url == f"/moderation/cases/{case.pk}/"


def test_keep_tells_the_author_nothing(author, moderator, case):
    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")
    assert not Notification.objects.filter(recipient=author).exists()


def test_a_sanction_needs_a_clause_or_a_reason(moderator, case, post):
    with pytest.raises(ValidationError, match="Cite the guideline it breaks"):
        services.case_decide(case_id=case.pk, moderator=moderator, decision="remove")
    case.refresh_from_db()
    post.refresh_from_db()
    assert case.status == Case.Status.OPEN and post.removed_at is None


def test_suspension_removes_the_post_and_stops_posting_and_commenting_until_it_ends(
    author, colleague, moderator, case, post
):
    services.case_decide(
        case_id=case.pk, moderator=moderator, decision="suspend", note="Spam", suspend_days=3
    )

    post.refresh_from_db()
    assert post.removed_by == moderator
    suspension = Suspension.objects.get(profile=author)
    assert suspension.ends_at - suspension.starts_at == timedelta(days=3)
    other = PostFactory(author=colleague)
    with pytest.raises(ValidationError, match="suspended your posting until"):
        post_create(author=author, body="I'm back")
    with pytest.raises(ValidationError, match="suspended your posting until"):
        comment_create(post_id=other.pk, author=author, body="Hello")
    assert Post.objects.filter(author=author).count() == 1
    assert "suspended your posting" in Notification.objects.get(recipient=author).summary

    Suspension.objects.update(ends_at=timezone.now() - timedelta(seconds=1))
    assert post_create(author=author, body="Back for real").pk


@pytest.mark.parametrize("days", [None, 0, 91])
def test_suspension_needs_1_to_90_days(moderator, case, post, days):
    with pytest.raises(ValidationError, match="Suspend for 1 to 90 days"):
        services.case_decide(
            case_id=case.pk, moderator=moderator, decision="suspend", note="x", suspend_days=days
        )
    assert not Suspension.objects.exists()
    post.refresh_from_db()
    assert post.removed_at is None


def test_escalated_case_leaves_the_moderators_queue_and_only_an_admin_decides_it(moderator, superuser, case):
    services.case_escalate(case_id=case.pk, moderator=moderator, note="Involves a director")

    assert queue_page(cursor=None).items == []
    assert [c.pk for c in queue_page(cursor=None, admin=True).items] == [case.pk]
    with pytest.raises(PermissionDenied):
        services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")
    services.case_decide(case_id=case.pk, moderator=superuser, decision="keep")
    case.refresh_from_db()
    assert case.status == Case.Status.KEPT
    assert AuditEntry.objects.filter(action="case.escalate", detail__note="Involves a director").exists()


def test_escalating_needs_a_reason(moderator, case):
    with pytest.raises(ValidationError, match="Say why"):
        services.case_escalate(case_id=case.pk, moderator=moderator, note=" ")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


# --- Claims ----------------------------------------------------------------------------------------


@pytest.fixture
def second_moderator(db):
    from profiles import roles
    from tests.factories import in_group

    return in_group(ProfileFactory(display_name="Max Moderator"), roles.MODERATORS)


def test_a_claimed_case_is_decided_only_by_its_claimant(moderator, second_moderator, case):
    services.case_claim(case_id=case.pk, moderator=moderator)

    with pytest.raises(ValidationError, match="Mona Moderator is handling this case"):
        services.case_decide(case_id=case.pk, moderator=second_moderator, decision="keep")
    with pytest.raises(ValidationError, match="Mona Moderator is handling this case"):
        services.case_claim(case_id=case.pk, moderator=second_moderator)

    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")
    case.refresh_from_db()
    assert case.decided_by == moderator and case.claimed_by is None
    assert case.first_action_at < case.decided_at  # the claim was the first action


def test_an_abandoned_claim_lapses(moderator, second_moderator, case):
    services.case_claim(case_id=case.pk, moderator=moderator)
    Case.objects.filter(pk=case.pk).update(claimed_at=timezone.now() - timedelta(minutes=16))

    services.case_decide(case_id=case.pk, moderator=second_moderator, decision="keep")

    case.refresh_from_db()
    assert case.decided_by == second_moderator


def test_releasing_a_claim_lets_another_moderator_decide(moderator, second_moderator, case):
    services.case_claim(case_id=case.pk, moderator=moderator)
    services.case_release(case_id=case.pk, moderator=moderator)

    services.case_decide(case_id=case.pk, moderator=second_moderator, decision="keep")


@pytest.mark.django_db(transaction=True)
def test_two_moderators_deciding_at_the_same_moment_record_exactly_one_decision(
    moderator, second_moderator, colleague
):
    """Real PostgreSQL, two threads, two connections, a barrier so both call case_decide together."""
    post = PostFactory(body="Buy now")
    case = services.flag_create(flagger=colleague, content=post, reason="spam").case
    barrier = threading.Barrier(2)
    outcomes: dict[str, str] = {}

    def decide(who, decision):
        try:
            barrier.wait()
            services.case_decide(case_id=case.pk, moderator=who, decision=decision, note="Spam")
            outcomes[who.display_name] = "decided"
        except ValidationError as exc:
            outcomes[who.display_name] = exc.messages[0]
        finally:
            connection.close()

    threads = [
        threading.Thread(target=decide, args=(moderator, "remove")),
        threading.Thread(target=decide, args=(second_moderator, "keep")),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert list(outcomes.values()).count("decided") == 1
    loser = next(v for v in outcomes.values() if v != "decided")
    assert loser.startswith("This case was already decided")
    assert AuditEntry.objects.filter(action__in=["case.keep", "case.remove"]).count() == 1
    case.refresh_from_db()
    post.refresh_from_db()
    assert (post.removed_at is not None) == (case.status == Case.Status.REMOVED)


# --- Bulk ------------------------------------------------------------------------------------------


def test_bulk_remove_clears_a_spam_wave_and_skips_what_was_already_decided(moderator, colleague):
    spam = [PostFactory(body=f"Cheap watches {n}") for n in range(4)]
    cases = [services.flag_create(flagger=colleague, content=p, reason="spam").case for p in spam]
    services.case_decide(case_id=cases[0].pk, moderator=moderator, decision="keep")

    decided, skipped = services.cases_decide_bulk(
        case_ids=[c.pk for c in cases], moderator=moderator, decision="remove", note="Spam wave"
    )

    assert decided == [c.pk for c in cases[1:]]
    assert len(skipped) == 1 and "already decided" in skipped[0]
    assert Post.objects.filter(pk__in=[p.pk for p in spam[1:]], removed_at__isnull=False).count() == 3
    assert AuditEntry.objects.filter(action="case.remove").count() == 3


def test_bulk_remove_without_a_reason_decides_nothing(moderator, case, post):
    with pytest.raises(ValidationError, match="Cite the guideline"):
        services.cases_decide_bulk(case_ids=[case.pk], moderator=moderator, decision="remove")
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_bulk_is_for_moderators_only(colleague, case):
    with pytest.raises(PermissionDenied):
        services.cases_decide_bulk(case_ids=[case.pk], moderator=colleague, decision="keep")
