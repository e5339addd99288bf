"""Appeals: once, within 14 days, to a different moderator whose decision is final; restoring."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from feed.services import post_create
from moderation import services
from moderation.models import Appeal, AuditEntry, Case, Suspension
from notifications.models import Notification
from profiles import roles
from tests.factories import ProfileFactory, in_group

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_moderator(db):
    return in_group(ProfileFactory(display_name="Max Moderator"), roles.MODERATORS)


@pytest.fixture
def removed(colleague, moderator, post, respect_clause):
    case = services.flag_create(flagger=colleague, content=post, reason="spam").case
    return services.case_decide(
        case_id=case.pk, moderator=moderator, decision="suspend", clause_id=respect_clause.pk, suspend_days=7
    )


def test_author_appeals_and_the_case_returns_to_the_queue(author, removed):
    appeal = services.appeal_create(
        case_id=removed.pk, appellant=author, reason="It was a joke among friends"
    )

    removed.refresh_from_db()
    assert removed.status == Case.Status.APPEALED
    assert appeal.status_before == Case.Status.REMOVED
    assert AuditEntry.objects.filter(action="appeal.create", actor=author).exists()


def test_an_appeal_is_heard_once(author, removed):
    services.appeal_create(case_id=removed.pk, appellant=author, reason="Please")
    with pytest.raises(ValidationError, match="already appealed"):
        services.appeal_create(case_id=removed.pk, appellant=author, reason="Again")
    assert Appeal.objects.count() == 1


def test_no_appeal_after_14_days(author, removed):
    Case.objects.filter(pk=removed.pk).update(decided_at=removed.decided_at - timedelta(days=15))
    with pytest.raises(ValidationError, match="14 days to appeal this decision are over"):
        services.appeal_create(case_id=removed.pk, appellant=author, reason="Late")
    assert not Appeal.objects.exists()


def test_only_the_author_appeals(colleague, removed):
    with pytest.raises(ValidationError, match="Only the author"):
        services.appeal_create(case_id=removed.pk, appellant=colleague, reason="On their behalf")


def test_an_empty_appeal_is_refused(author, removed):
    with pytest.raises(ValidationError, match="Say why"):
        services.appeal_create(case_id=removed.pk, appellant=author, reason="  ")
    removed.refresh_from_db()
    assert removed.status == Case.Status.REMOVED


def test_the_moderator_who_decided_cannot_review_the_appeal(author, moderator, removed):
    services.appeal_create(case_id=removed.pk, appellant=author, reason="Unfair")
    with pytest.raises(ValidationError, match="another moderator must review it"):
        services.appeal_decide(case_id=removed.pk, moderator=moderator, overturn=True, note="I was wrong")
    removed.refresh_from_db()
    assert removed.status == Case.Status.APPEALED


def test_overturning_restores_the_post_and_lifts_the_suspension(author, second_moderator, removed, post):
    services.appeal_create(case_id=removed.pk, appellant=author, reason="Unfair")

    services.appeal_decide(case_id=removed.pk, moderator=second_moderator, overturn=True, note="Fair point")

    post.refresh_from_db()
    removed.refresh_from_db()
    assert post.removed_at is None
    assert removed.status == Case.Status.KEPT
    assert Suspension.objects.get().lifted_at is not None
    services.guidelines_accept(profile=author, version_number=1)  # (created before they were published)
    assert post_create(author=author, body="Thanks").pk  # may post again
    assert Appeal.objects.get().outcome == Appeal.Outcome.OVERTURNED
    assert "Your appeal was accepted" in Notification.objects.filter(recipient=author).latest("id").summary
    with pytest.raises(ValidationError, match="already appealed"):
        services.appeal_create(case_id=removed.pk, appellant=author, reason="Once more")


def test_upholding_keeps_the_decision_and_is_final(author, second_moderator, removed, post):
    services.appeal_create(case_id=removed.pk, appellant=author, reason="Unfair")

    services.appeal_decide(case_id=removed.pk, moderator=second_moderator, overturn=False, note="It stands")

    removed.refresh_from_db()
    post.refresh_from_db()
    assert removed.status == Case.Status.REMOVED and post.removed_at is not None
    assert "stands. This is final." in Notification.objects.filter(recipient=author).latest("id").summary
    with pytest.raises(ValidationError, match="no appeal waiting"):
        services.appeal_decide(case_id=removed.pk, moderator=second_moderator, overturn=True, note="Changed")


def test_an_admin_restores_removed_content_with_a_reason_on_record(superuser, removed, post):
    services.case_restore(case_id=removed.pk, admin=superuser, note="Context was missing")

    post.refresh_from_db()
    removed.refresh_from_db()
    assert post.removed_at is None
    assert removed.status == Case.Status.RESTORED
    entry = AuditEntry.objects.get(action="case.restore")
    assert (entry.actor, entry.detail["before"], entry.detail["after"]) == (superuser, "removed", "restored")


def test_a_moderator_cannot_restore(moderator, removed, post):
    with pytest.raises(PermissionDenied):
        services.case_restore(case_id=removed.pk, admin=moderator, note="Please")
    post.refresh_from_db()
    assert post.removed_at is not None


def test_what_its_author_deleted_is_never_restored(author, colleague, moderator, superuser):
    from feed.services import post_delete
    from tests.factories import PostFactory

    post = PostFactory(author=author)
    case = services.flag_create(flagger=colleague, content=post, reason="spam").case
    post_delete(post_id=post.pk, actor=author)
    Case.objects.filter(pk=case.pk).update(status=Case.Status.REMOVED)

    services.case_restore(case_id=case.pk, admin=superuser, note="Oops")

    post.refresh_from_db()
    assert post.removed_at is not None and post.removed_by == author


# --- Through the browser ------------------------------------------------------------------------------


def test_author_reads_the_decision_with_the_clause_and_appeals_from_the_case_page(author_client, removed):
    page = author_client.get(f"/moderation/cases/{removed.pk}/").content.decode()
    assert "It breaks guideline 1" in page and "Be respectful" in page
    assert "Send my appeal" in page
    assert "Colin Colleague" not in page  # the author never learns who flagged

    response = author_client.post(
        f"/moderation/cases/{removed.pk}/appeal/", {"reason": "Context matters"}, follow=True
    )

    assert "Your appeal is sent." in response.content.decode()
    assert Appeal.objects.get().reason == "Context matters"


def test_colleague_cannot_open_someone_elses_case_or_appeal_it(colleague_client, removed):
    assert colleague_client.get(f"/moderation/cases/{removed.pk}/").status_code == 403
    assert (
        colleague_client.post(f"/moderation/cases/{removed.pk}/appeal/", {"reason": "x"}).status_code == 403
    )
    assert not Appeal.objects.exists()


def test_second_moderator_overturns_from_the_case_page(author, second_moderator, removed, post):
    from tests.helpers import signed_in

    services.appeal_create(case_id=removed.pk, appellant=author, reason="Unfair")
    client = signed_in(second_moderator)
    assert (
        "Overturn it and restore the post" in client.get(f"/moderation/cases/{removed.pk}/").content.decode()
    )

    client.post(f"/moderation/cases/{removed.pk}/appeal/decide/", {"outcome": "overturn", "note": "Agreed"})

    post.refresh_from_db()
    assert post.removed_at is None
