"""Every moderation state change: guidelines published, flags raised, cases decided, and the audit
row for each."""

from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Max
from django.utils import timezone

from moderation import holds
from moderation.guidelines_text import GuidelinesSyntaxError, guidelines_parse
from moderation.models import AuditEntry, Case, Flag, FlagReason, GuidelineClause, GuidelineVersion
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


# --- Guidelines ----------------------------------------------------------------------------------


@transaction.atomic
def guidelines_publish(*, editor: Profile, source: str, change_note: str) -> GuidelineVersion:
    """Publish the next version from the editor's Markdown (a preamble, then `## Title` clauses).

    Moderators and admins only. Earlier versions stay as they were: flags and decisions cite them.
    """
    if not is_moderator(editor.user):
        raise PermissionDenied("Only moderators and admins can change the guidelines.")
    change_note = " ".join(change_note.split())
    if not change_note:
        raise ValidationError({"change_note": "Say in a line what changed: people read it before accepting."})
    if len(change_note) > 300:
        raise ValidationError({"change_note": "Keep the note on what changed under 300 characters."})
    try:
        preamble, clauses = guidelines_parse(source)
    except GuidelinesSyntaxError as exc:
        raise ValidationError({"source": str(exc)}) from exc
    # Serialise publishers on the newest version's row (two editors saving at once get 1 and 2, in order).
    current = GuidelineVersion.objects.select_for_update().order_by("-number").first()
    if current is not None:
        previous = list(current.clauses.order_by("number").values_list("title", "body"))
        if current.preamble == preamble and previous == [(c.title, c.body) for c in clauses]:
            raise ValidationError({"source": f"Nothing changed since version {current.number}."})
    version = GuidelineVersion.objects.create(
        number=(current.number + 1) if current else 1,
        preamble=preamble,
        change_note=change_note,
        published_by=editor,
    )
    GuidelineClause.objects.bulk_create(
        [
            GuidelineClause(version=version, number=n, title=c.title, body=c.body)
            for n, c in enumerate(clauses, start=1)
        ]
    )
    audit_record(
        actor=editor,
        action="guidelines.publish",
        target=version,
        before=current.number if current else None,
        after=version.number,
        change_note=change_note,
        clauses=[c.title for c in clauses],
    )
    from moderation.selectors import current_clauses_forget

    transaction.on_commit(current_clauses_forget)
    return version


# --- Flags ---------------------------------------------------------------------------------------


def flag_weight(*, upheld: int, rejected: int) -> float:
    """2 × the flagger's smoothed share of upheld flags: 1.0 with no record, towards 2 for someone
    whose flags are upheld, towards 0 for someone whose flags are mostly rejected."""
    return round(2 * (upheld + 1) / (upheld + rejected + 2), 3)


def flagger_record(*, flagger_id: int) -> dict[str, int]:
    """How this person's past flags were decided: {"upheld": n, "rejected": m}. One indexed query."""
    counts = dict(
        Flag.objects.filter(flagger_id=flagger_id)
        .exclude(outcome=Flag.Outcome.PENDING)
        .values_list("outcome")
        .annotate(n=Count("id"))
        .values_list("outcome", "n")
    )
    return {"upheld": counts.get(Flag.Outcome.UPHELD, 0), "rejected": counts.get(Flag.Outcome.REJECTED, 0)}


def _current_clause(clause_id: int | None) -> GuidelineClause:
    latest = GuidelineVersion.objects.aggregate(n=Max("number"))["n"]
    clause = (
        GuidelineClause.objects.select_related("version").filter(pk=clause_id).first()
        if clause_id is not None
        else None
    )
    if clause is None:
        raise ValidationError("Choose which guideline it breaks.")
    if clause.version.number != latest:
        raise ValidationError(
            "The guidelines changed since you opened this page: choose the guideline again from the list."
        )
    return clause


@transaction.atomic
def flag_create(
    *,
    flagger: Profile,
    content: Moderatable,
    reason: str,
    clause_id: int | None = None,
    note: str = "",
) -> Flag:
    """Flag content for moderators, citing a clause of the current guidelines (or spam, or something
    else), weighted by how the flagger's past flags were decided."""
    content_type = content_type_of(content)
    if not is_moderatable(content_type):
        raise ValidationError("That can't be flagged.")
    if reason not in FlagReason.values:
        raise ValidationError("Choose a reason for the flag.")
    clause = _current_clause(clause_id) if reason == FlagReason.CLAUSE else None
    what = content_type.name  # the model's verbose name
    if getattr(content, "removed_at", None) is not None:
        raise ValidationError(f"That {what} has already been removed.")
    if content.author_id == flagger.pk:
        raise ValidationError(f"You can't flag your own {what}.")
    since = timezone.now() - timedelta(days=1)
    if Flag.objects.filter(flagger=flagger, created_at__gte=since).count() >= settings.HIVE_FLAGS_PER_DAY:
        raise ValidationError(
            f"You have sent {settings.HIVE_FLAGS_PER_DAY} flags in the last 24 hours, the most anyone can. "
            "Moderators are looking at them; try again tomorrow."
        )
    case, created = Case.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=content.pk,
        defaults={"content_author_id": content.author_id, "excerpt": content.moderation_excerpt()},
    )
    reopened = not created and case.status != Case.Status.OPEN
    if reopened:
        # Kept before: a fresh flag puts it back in front of moderators as a new case, with the
        # content as it reads now. The earlier decision stays in the audit trail.
        case.status = Case.Status.OPEN
        case.opened_at = timezone.now()
        case.excerpt = content.moderation_excerpt()
        case.decided_by = None
        case.decided_at = None
        case.decision_note = ""
    weight = flag_weight(**flagger_record(flagger_id=flagger.pk))
    try:
        with transaction.atomic():
            flag = Flag.objects.create(
                case=case,
                flagger=flagger,
                reason=reason,
                clause=clause,
                note=note.strip()[:500],
                weight=weight,
            )
    except IntegrityError as exc:
        raise ValidationError(f"You have already flagged this {what}; a moderator will review it.") from exc
    case.flag_count = models.F("flag_count") + 1
    # A case back from a decision starts afresh: the flags behind that decision were weighed then.
    case.score = weight if reopened else models.F("score") + weight
    case.save(
        update_fields=[
            "flag_count",
            "score",
            "status",
            "opened_at",
            "excerpt",
            "decided_by",
            "decided_at",
            "decision_note",
        ]
    )
    audit_record(
        actor=flagger,
        action="flag.create",
        target=case,
        reason=reason,
        clause=clause.pk if clause else None,
        weight=weight,
    )
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
        # Held content (a rule, a new member's first posts) is published now, @mentions and all.
        holds.case_kept(case=case, moderator=moderator)
        case.status = Case.Status.KEPT
    case.decided_by = moderator
    case.decided_at = now
    case.decision_note = note.strip()[:1000]
    case.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    # The flaggers' records: what weighs their next flags.
    case.flags.filter(outcome=Flag.Outcome.PENDING).update(
        outcome=Flag.Outcome.UPHELD if decision == "remove" else Flag.Outcome.REJECTED
    )
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
