"""Moderation services against the real database: flags, cases, decisions and their audit trail."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from feed.models import Post
from moderation import services
from moderation.models import AuditEntry, Case, Flag, FlagReason
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db


def _flag(flagger, content, reason=FlagReason.SPAM, note=""):
    return services.flag_create(flagger=flagger, content=content, reason=reason, note=note)


def test_flag_opens_a_case_with_what_the_post_said(colleague, author, post):
    flag = _flag(colleague, post, note="  Looks like an ad  ")

    case = flag.case
    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.content_object == post
    assert case.content_author == author
    assert case.excerpt == "Buy cheap watches at example.biz"
    assert case.flag_count == 1
    assert flag.note == "Looks like an ad"
    assert AuditEntry.objects.filter(action="flag.create", actor=colleague).count() == 1


def test_second_flag_by_the_same_person_is_refused_and_still_one_flag(colleague, post):
    _flag(colleague, post)

    with pytest.raises(ValidationError, match="already flagged this post"):
        _flag(colleague, post, reason=FlagReason.OTHER)

    case = Case.objects.get()
    assert case.flag_count == 1
    assert Flag.objects.count() == 1
    assert AuditEntry.objects.filter(action="flag.create").count() == 1


def test_flags_from_different_people_share_one_case(colleague, outsider, post):
    _flag(colleague, post)
    _flag(outsider, post, reason=FlagReason.OTHER)

    case = Case.objects.get()
    assert case.flag_count == 2
    assert set(case.flags.values_list("flagger", flat=True)) == {colleague.pk, outsider.pk}


def test_flagging_your_own_post_is_refused(author, post):
    with pytest.raises(ValidationError, match="can't flag your own post"):
        _flag(author, post)

    assert not Case.objects.exists()
    assert not Flag.objects.exists()


def test_flagging_a_removed_post_is_refused(author, colleague, post):
    post.removed_at = timezone.now()
    post.removed_by = author
    post.save()

    with pytest.raises(ValidationError, match="already been removed"):
        _flag(colleague, post)
    assert not Case.objects.exists()


def test_flag_needs_a_known_reason(colleague, post):
    with pytest.raises(ValidationError, match="Choose a reason"):
        _flag(colleague, post, reason="boring")
    assert not Case.objects.exists()


def test_a_comment_can_be_flagged(colleague, author, post):
    comment = CommentFactory(post=post, author=author, body="You are all idiots")

    flag = _flag(colleague, comment, reason=FlagReason.OTHER)

    assert flag.case.content_object == comment
    assert flag.case.excerpt == "You are all idiots"


def test_a_fresh_flag_after_keep_puts_the_case_back_in_the_queue(colleague, outsider, moderator, post):
    case = _flag(colleague, post).case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    _flag(outsider, post)

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.flag_count == 2


def test_moderator_removes_a_post_hiding_it_with_who_and_when_on_record(colleague, moderator, post):
    case = _flag(colleague, post).case

    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note=" Spam ")

    post.refresh_from_db()
    case.refresh_from_db()
    assert post.removed_at is not None
    assert post.removed_by == moderator
    assert case.status == Case.Status.REMOVED
    assert case.decided_by == moderator
    assert case.decided_at == post.removed_at
    assert case.decision_note == "Spam"
    entry = AuditEntry.objects.get(action="case.remove")
    assert entry.actor == moderator
    assert entry.target == case


def test_moderator_keeps_a_post_and_it_stays_visible(colleague, moderator, post):
    case = _flag(colleague, post).case

    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")

    post.refresh_from_db()
    case.refresh_from_db()
    assert post.removed_at is None
    assert case.status == Case.Status.KEPT
    assert case.decided_by == moderator
    assert case.decided_at is not None
    assert AuditEntry.objects.filter(action="case.keep", actor=moderator).count() == 1


def test_deciding_an_already_decided_case_is_refused_and_changes_nothing(
    colleague, moderator, superuser, post
):
    case = _flag(colleague, post).case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep")
    case.refresh_from_db()
    decided_at = case.decided_at

    with pytest.raises(ValidationError, match=r"already decided \(kept\) by Mona Moderator"):
        services.case_decide(case_id=case.pk, moderator=superuser, decision="remove", note="Spam")

    case.refresh_from_db()
    post.refresh_from_db()
    assert case.status == Case.Status.KEPT
    assert (case.decided_by, case.decided_at) == (moderator, decided_at)
    assert post.removed_at is None
    assert not AuditEntry.objects.filter(action="case.remove").exists()


def test_someone_outside_the_moderators_group_cannot_decide(colleague, outsider, post):
    case = _flag(colleague, post).case

    with pytest.raises(PermissionDenied):
        services.case_decide(case_id=case.pk, moderator=outsider, decision="remove", note="Spam")

    post.refresh_from_db()
    case.refresh_from_db()
    assert post.removed_at is None
    assert case.status == Case.Status.OPEN


def test_a_superuser_can_decide_without_being_in_the_group(colleague, superuser, post):
    case = _flag(colleague, post).case

    services.case_decide(case_id=case.pk, moderator=superuser, decision="remove", note="Spam")

    post.refresh_from_db()
    assert post.removed_by == superuser


def test_a_deactivated_moderator_cannot_decide(colleague, moderator, post):
    case = _flag(colleague, post).case
    moderator.user.is_active = False
    moderator.user.save()

    with pytest.raises(PermissionDenied):
        services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Spam")


def test_removing_a_post_its_author_already_deleted_keeps_the_authors_record(
    author, colleague, moderator, post
):
    case = _flag(colleague, post).case
    deleted_at = timezone.now()
    Post.objects.filter(pk=post.pk).update(removed_at=deleted_at, removed_by=author)

    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Spam")

    post.refresh_from_db()
    assert (post.removed_by, post.removed_at) == (author, deleted_at)
    case.refresh_from_db()
    assert case.status == Case.Status.REMOVED  # the case is closed either way


def test_unknown_decision_is_refused(colleague, moderator, post):
    case = _flag(colleague, post).case

    with pytest.raises(ValidationError, match="Choose keep, warn, remove or suspend"):
        services.case_decide(case_id=case.pk, moderator=moderator, decision="delete")

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN


def test_removing_a_flagged_comment_takes_it_off_the_posts_comment_count(
    colleague, outsider, moderator, post
):
    from feed.services import comment_create

    comment = comment_create(post_id=post.pk, author=outsider, body="You are all idiots")
    comment_create(post_id=post.pk, author=colleague, body="Great point")
    case = _flag(colleague, comment).case

    services.case_decide(case_id=case.pk, moderator=moderator, decision="remove", note="Spam")

    post.refresh_from_db()
    comment.refresh_from_db()
    assert comment.removed_at is not None and comment.removed_by == moderator
    assert post.comment_count == 1


def test_flagging_a_comment_speaks_of_a_comment(colleague, post):
    comment = CommentFactory(post=post, author=colleague)

    with pytest.raises(ValidationError, match="You can't flag your own comment."):
        _flag(colleague, comment)


def test_a_kept_post_flagged_again_returns_as_a_fresh_case(colleague, outsider, moderator, post):
    case = _flag(colleague, post).case
    services.case_decide(case_id=case.pk, moderator=moderator, decision="keep", note="Satire")
    decided = Case.objects.get(pk=case.pk)

    _flag(outsider, post, reason=FlagReason.OTHER)

    case.refresh_from_db()
    assert case.status == Case.Status.OPEN
    assert case.decided_by is None and case.decided_at is None and case.decision_note == ""
    assert case.opened_at > decided.opened_at
    assert case.flag_count == 2
    assert AuditEntry.objects.filter(action="case.keep", detail__note="Satire").exists()


def test_authors_delete_withdraws_the_open_case_from_the_queue(colleague, author, post):
    from feed.services import post_delete
    from moderation.selectors import queue_page

    case = _flag(colleague, post).case

    post_delete(post_id=post.pk, actor=author)

    case.refresh_from_db()
    assert case.status == Case.Status.WITHDRAWN
    assert case.decided_by == author
    assert queue_page(cursor=None).items == []
    assert AuditEntry.objects.filter(action="case.withdrawn", actor=author).count() == 1
