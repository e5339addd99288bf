"""Every moderation state change: flags raised, cases decided, and the audit row for each."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from moderation.models import AuditEntry, Case, Flag, FlagReason
from moderation.protocol import Moderatable, content_remove, content_type_of, is_moderatable
from profiles import roles
from profiles.models import Profile


def audit_record(
    *, actor: Profile | None, action: str, target: models.Model | None = None, **detail
) -> AuditEntry:
    """Call inside the transaction that makes the change: the change and its record stand or fall together."""
    return AuditEntry.objects.create(
        actor=actor,
        action=action,
        content_type=ContentType.objects.get_for_model(target) if target is not None else None,
        object_id=target.pk if target is not None else None,
        detail=detail,
    )


def is_moderator(user) -> bool:
    return roles.MODERATORS in roles.user_roles(user)


@transaction.atomic
def flag_create(*, flagger: Profile, content: Moderatable, reason: str, note: str = "") -> Flag:
    content_type = content_type_of(content)
    if not is_moderatable(content_type):
        raise ValidationError("That can't be flagged.")
    if reason not in FlagReason.values:
        raise ValidationError("Choose a reason for the flag.")
    what = content_type.name  # the model's verbose name
    if getattr(content, "removed_at", None) is not None:
        raise ValidationError(f"That {what} has already been removed.")
    if content.author_id == flagger.pk:
        raise ValidationError(f"You can't flag your own {what}.")
    case, created = Case.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=content.pk,
        defaults={"content_author_id": content.author_id, "excerpt": content.moderation_excerpt()},
    )
    if not created and case.status != Case.Status.OPEN:
        # Kept before: a fresh flag puts it back in front of moderators as a new case, with the
        # content as it reads now. The earlier decision stays in the audit trail.
        case.status = Case.Status.OPEN
        case.opened_at = timezone.now()
        case.excerpt = content.moderation_excerpt()
        case.decided_by = None
        case.decided_at = None
        case.decision_note = ""
    try:
        with transaction.atomic():
            flag = Flag.objects.create(case=case, flagger=flagger, reason=reason, note=note.strip()[:500])
    except IntegrityError as exc:
        raise ValidationError(f"You have already flagged this {what}; a moderator will review it.") from exc
    case.flag_count = models.F("flag_count") + 1
    case.save(
        update_fields=[
            "flag_count",
            "status",
            "opened_at",
            "excerpt",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
    )
    audit_record(actor=flagger, action="flag.create", target=case, reason=reason)
    return flag


@transaction.atomic
def case_decide(*, case_id: int, moderator: Profile, decision: str, note: str = "") -> Case:
    """Keep the content, or remove it: removal hides it from everyone and keeps the row."""
    if not is_moderator(moderator.user):
        raise PermissionDenied("Only moderators can decide on flagged content.")
    if decision not in ("keep", "remove"):
        raise ValidationError("Choose keep or remove.")
    # Lock only the case row: PostgreSQL refuses FOR UPDATE on the outer join to a null decided_by.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("content_type", "decided_by")
        .get(pk=case_id)
    )
    if case.status != Case.Status.OPEN:
        who = case.decided_by.display_name if case.decided_by else "another moderator"
        raise ValidationError(
            f"This case was already decided ({case.get_status_display().lower()}) by {who}."
        )
    now = timezone.now()
    if decision == "remove":
        # The owning app hides it (a no-op if its author deleted it meanwhile: their delete stays on record).
        content_remove(case.content_type, object_id=case.object_id, moderator=moderator, at=now)
        case.status = Case.Status.REMOVED
    else:
        case.status = Case.Status.KEPT
    case.decided_by = moderator
    case.decided_at = now
    case.decision_note = note.strip()[:1000]
    case.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    audit_record(actor=moderator, action=f"case.{decision}", target=case, note=case.decision_note)
    return case


@transaction.atomic
def cases_withdraw(*, content: Moderatable, author: Profile) -> int:
    """The author deleted flagged content: its open case leaves the queue, recorded as withdrawn."""
    case = (
        Case.objects.select_for_update()
        .filter(
            content_type=content_type_of(content),
            object_id=content.pk,
            status=Case.Status.OPEN,
        )
        .first()
    )
    if case is None:
        return 0
    case.status = Case.Status.WITHDRAWN
    case.decided_by = author
    case.decided_at = timezone.now()
    case.save(update_fields=["status", "decided_by", "decided_at"])
    audit_record(actor=author, action="case.withdrawn", target=case)
    return 1
