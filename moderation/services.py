"""Every moderation state change: guidelines published, flags raised, cases decided, and the audit
row for each."""

import math
from datetime import timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Count, Exists, Max, OuterRef
from django.utils import timezone

from moderation import holds
from moderation.guidelines_text import GuidelinesSyntaxError, guidelines_parse
from moderation.models import (
    Appeal,
    AuditEntry,
    Case,
    Flag,
    FlagReason,
    GuidelineAcceptance,
    GuidelineClause,
    GuidelineVersion,
    Suspension,
)
from moderation.protocol import (
    Moderatable,
    author_id_of,
    can_edit,
    can_restore,
    content_edit,
    content_noun,
    content_reach,
    content_remove,
    content_restore,
    content_type_of,
    is_moderatable,
    removed_at_of,
)
from profiles import roles
from profiles.models import Profile
from profiles.selectors import active_profiles


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


# Decided, and the content still shows (kept, or edited): a fresh flag or rule hit reopens the case.
DECIDED_SHOWN = (Case.Status.KEPT, Case.Status.EDITED)


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

_COMPANY_KEY = "moderation:company-audience"


def company_audience() -> int:
    """How many people read company-wide content: the active people, counted at most once an hour."""
    audience = cache.get(_COMPANY_KEY)
    if audience is None:
        audience = active_profiles().count()
        cache.set(_COMPANY_KEY, audience, 3600)
    return audience


def case_priority(*, score: float, reach: int) -> float:
    """What orders the queue: the weighted score, times 1 plus a quarter of reach's order of magnitude.
    A flag on a post a handful of people read counts about 1.2; on one the whole of a 3,000-person
    company reads, about 1.9; at 100,000 people, 2.25. Reach tips the balance between cases of similar
    score; it does not drown a well-founded flag on a small group's post."""
    return round(score * (1 + math.log10(1 + max(reach, 0)) / 4), 3)


def _case_reach(content_type: ContentType, content: Moderatable) -> dict:
    """The reach fields of a case, as the content's app tells them."""
    reach = content_reach(content_type, content)
    audience = company_audience() if reach.audience is None else reach.audience
    return {"reach": audience, "group_id": reach.group_id, "group_name": reach.group_name[:100]}


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
    author_id = author_id_of(content)
    if removed_at_of(content) is not None:
        raise ValidationError(f"That {what} has already been removed.")
    if author_id == flagger.pk:
        raise ValidationError(f"You can't flag your own {what}.")
    since = timezone.now() - timedelta(days=1)
    if Flag.objects.filter(flagger=flagger, created_at__gte=since).count() >= settings.HIVE_FLAGS_PER_DAY:
        raise ValidationError(
            f"You have sent {settings.HIVE_FLAGS_PER_DAY} flags in the last 24 hours, the most anyone can. "
            "Moderators are looking at them; try again tomorrow."
        )
    reach = _case_reach(content_type, content)
    case, created = Case.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=content.pk,
        defaults={"content_author_id": author_id, "excerpt": content.moderation_excerpt(), **reach},
    )
    # Kept (or warned about) before: a fresh flag reopens it. A case still waiting, appealed or escalated
    # just gains the flag.
    reopened = not created and case.status in DECIDED_SHOWN
    if reopened:
        # Kept before: a fresh flag puts it back in front of moderators as a new case, with the
        # content as it reads now. The earlier decision stays in the audit trail.
        case.status = Case.Status.OPEN
        case.opened_at = timezone.now()
        case.excerpt = content.moderation_excerpt()
        case.decided_by = None
        case.decided_at = None
        case.decision_note = ""
        case.decision = ""
        case.clause = None
        case.first_action_at = None
        case.hidden_at = None
    weight = flag_weight(**flagger_record(flagger_id=flagger.pk))
    score = weight if reopened else case.score + weight  # the row is locked: nobody else adds meanwhile
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
    case.score = score
    for field, value in reach.items():  # as it stands now: a group grows, a post moves
        setattr(case, field, value)
    case.priority = case_priority(score=score, reach=case.reach)
    hide = _hide_due(case, score=score, content_type=content_type)
    if hide:
        case.hidden_at = timezone.now()
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
            "decision",
            "clause",
            "first_action_at",
            "hidden_at",
            "reach",
            "group_id",
            "group_name",
            "priority",
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
    if hide:
        _content_hide(case, content=content, content_type=content_type, score=score)
    return flag


def _hide_due(case: Case, *, score: float, content_type: ContentType) -> bool:
    """Whether this flag tips the content into hiding: a case waiting for its first decision (one kept
    before starts afresh), not hidden yet, its flags' weights at the threshold, of a kind that can be held."""
    threshold = settings.HIVE_FLAG_HIDE_WEIGHT
    return (
        threshold > 0
        and case.status == Case.Status.OPEN
        and case.hidden_at is None
        and score >= threshold
        and holds.can_hold(content_type)
    )


def _content_hide(case: Case, *, content: Moderatable, content_type: ContentType, score: float) -> None:
    """In the flag's transaction: the content is hidden, the trail says why, and its author is told."""
    holds.content_hold(content_type, object_id=case.object_id)
    threshold = settings.HIVE_FLAG_HIDE_WEIGHT
    audit_record(
        actor=None,  # the flags together, not the last flagger, hid it
        action="case.hide",
        target=case,
        before="shown",
        after="hidden",
        score=round(score, 3),
        threshold=threshold,
    )
    from notifications.services import notify

    what = content_noun(content_type)
    notify(
        recipients=[case.content_author],
        kind="moderation",
        actor=None,  # flaggers stay anonymous to the author
        summary=(
            f"Your {what} is hidden until a moderator reviews it: several colleagues flagged it. "
            "You can still see it; you'll be told what is decided."
        ),
        url=content.get_absolute_url(),
    )


@transaction.atomic
def case_open(
    *, content: Moderatable, score: float = 0.0, actor: Profile | None = None, why: str = ""
) -> Case:
    """Put content in front of moderators without a person's flag (an automatic rule's hit, a held post):
    the same case a flag would open, locked for the caller's transaction. A case already waiting,
    appealed or escalated stays as it is (only gaining `score`); one kept before is reopened afresh."""
    content_type = content_type_of(content)
    if not is_moderatable(content_type):
        raise ValidationError("That can't be sent to moderators.")
    reach = _case_reach(content_type, content)
    case, created = Case.objects.select_for_update().get_or_create(
        content_type=content_type,
        object_id=content.pk,
        defaults={
            "content_author_id": author_id_of(content),
            "excerpt": content.moderation_excerpt(),
            "score": score,
            "priority": case_priority(score=score, reach=reach["reach"]),
            **reach,
        },
    )
    if not created and case.status in DECIDED_SHOWN:
        Case.objects.filter(pk=case.pk).update(
            status=Case.Status.OPEN,
            opened_at=timezone.now(),
            excerpt=content.moderation_excerpt(),
            score=score,
            priority=case_priority(score=score, reach=reach["reach"]),
            **reach,
            decided_by=None,
            decided_at=None,
            decision="",
            clause=None,
            decision_note="",
            claimed_by=None,
            claimed_at=None,
            first_action_at=None,
            hidden_at=None,
        )
    elif not created and score:
        Case.objects.filter(pk=case.pk).update(
            score=case.score + score,  # the row is locked
            priority=case_priority(score=case.score + score, reach=reach["reach"]),
            **reach,
        )
    case.refresh_from_db()
    audit_record(actor=actor, action="case.open", target=case, why=why[:300], score=score)
    return case


CLAIM_MINUTES = 15
SUSPEND_MAX_DAYS = 90
APPEAL_DAYS = 14
# Decisions that find the content broke the guidelines: the author is told, and may appeal.
SANCTIONS = (Case.Decision.WARN, Case.Decision.EDIT, Case.Decision.REMOVE, Case.Decision.SUSPEND)


def _require_moderator(profile: Profile) -> None:
    if not is_moderator(profile.user):
        raise PermissionDenied("Only moderators can decide on flagged content.")


def _case_for_update(case_id: int) -> Case:
    # Lock only the case row: PostgreSQL refuses FOR UPDATE on the outer join to a null decided_by.
    case = (
        Case.objects.select_for_update(of=("self",))
        .select_related("content_type", "content_author", "decided_by", "claimed_by")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise ValidationError("That case no longer exists.")
    return case


def _claim_holder(case: Case, *, moderator: Profile, now) -> Profile | None:
    """Who else holds a live claim on the case, if anyone."""
    if case.claimed_by is None or case.claimed_by.pk == moderator.pk or case.claimed_at is None:
        return None
    if case.claimed_at <= now - timedelta(minutes=CLAIM_MINUTES):
        return None  # an abandoned claim lapses
    return case.claimed_by


def _require_waiting(case: Case, *, moderator: Profile) -> None:
    if case.status == Case.Status.APPEALED:
        raise ValidationError("This case is under appeal: review the appeal instead.")
    if case.status == Case.Status.ESCALATED and not moderator.user.is_superuser:
        raise PermissionDenied("This case was escalated to admins.")
    if case.status not in (Case.Status.OPEN, Case.Status.ESCALATED):
        who = case.decided_by.display_name if case.decided_by else "another moderator"
        raise ValidationError(
            f"This case was already decided ({case.get_status_display().lower()}) by {who}."
        )


@transaction.atomic
def case_claim(*, case_id: int, moderator: Profile) -> Case:
    """Take a case for CLAIM_MINUTES so no other moderator acts on it meanwhile."""
    _require_moderator(moderator)
    case = _case_for_update(case_id)
    _require_waiting(case, moderator=moderator)
    now = timezone.now()
    holder = _claim_holder(case, moderator=moderator, now=now)
    if holder is not None:
        raise ValidationError(f"{holder.display_name} is handling this case.")
    case.claimed_by = moderator
    case.claimed_at = now
    case.first_action_at = case.first_action_at or now
    case.save(update_fields=["claimed_by", "claimed_at", "first_action_at"])
    audit_record(actor=moderator, action="case.claim", target=case)
    return case


@transaction.atomic
def case_release(*, case_id: int, moderator: Profile) -> Case:
    _require_moderator(moderator)
    case = _case_for_update(case_id)
    if case.claimed_by_id != moderator.pk:
        raise ValidationError("You don't hold this case.")
    case.claimed_by = None
    case.claimed_at = None
    case.save(update_fields=["claimed_by", "claimed_at"])
    audit_record(actor=moderator, action="case.release", target=case)
    return case


def _decision_clause(clause_id: int | None) -> GuidelineClause | None:
    return _current_clause(clause_id) if clause_id is not None else None


@transaction.atomic
def case_decide(
    *,
    case_id: int,
    moderator: Profile,
    decision: str,
    note: str = "",
    clause_id: int | None = None,
    suspend_days: int | None = None,
    text: str = "",
) -> Case:
    """Decide a case: keep the content; warn its author (content stays); edit it (`text` replaces what it
    said; the earlier text is kept); remove it; or remove it and suspend the author's posting for some
    days. Anything but keep cites the clause broken (or says why in the note), tells the author, and
    opens a 14-day window to appeal.

    Two moderators deciding at once: the row lock serialises them and the second finds it decided.
    """
    _require_moderator(moderator)
    if decision not in Case.Decision.values:
        raise ValidationError("Choose keep, warn, remove or suspend.")
    note = note.strip()
    if len(note) > 1000:
        raise ValidationError("Keep the reason under 1,000 characters.")
    clause = _decision_clause(clause_id)
    if decision in SANCTIONS and clause is None and not note:
        raise ValidationError("Cite the guideline it breaks, or write the reason the author will read.")
    if decision == Case.Decision.EDIT and not text.strip():
        raise ValidationError("Write the text as it should read after your edit.")
    if decision == Case.Decision.SUSPEND and not (
        suspend_days is not None and 1 <= suspend_days <= SUSPEND_MAX_DAYS
    ):
        raise ValidationError(f"Suspend for 1 to {SUSPEND_MAX_DAYS} days.")
    case = _case_for_update(case_id)
    _require_waiting(case, moderator=moderator)
    now = timezone.now()
    holder = _claim_holder(case, moderator=moderator, now=now)
    if holder is not None:
        raise ValidationError(f"{holder.display_name} is handling this case; they claimed it first.")
    if decision in (Case.Decision.REMOVE, Case.Decision.SUSPEND):
        # The owning app hides it (a no-op if its author deleted it meanwhile: their delete stays on record).
        content_remove(case.content_type, object_id=case.object_id, moderator=moderator, at=now)
        case.status = Case.Status.REMOVED
    elif decision == Case.Decision.EDIT:
        if not can_edit(case.content_type):
            raise ValidationError(f"A {case.content_type.name} can't be edited: keep, warn or remove it.")
        case.edited_from = content_edit(
            case.content_type, object_id=case.object_id, moderator=moderator, text=text
        )
        # Held or hidden, it is fine as edited: shown again (announced now if it never was).
        holds.case_kept(case=case, moderator=moderator)
        case.status = Case.Status.EDITED
    else:
        # Held content (a rule, a new member's first posts) is published now, @mentions and all.
        holds.case_kept(case=case, moderator=moderator)
        case.status = Case.Status.KEPT
    case.decision = decision
    case.clause = clause
    case.decided_by = moderator
    case.decided_at = now
    case.decision_note = note
    case.claimed_by = None
    case.claimed_at = None
    case.first_action_at = case.first_action_at or now
    case.save(
        update_fields=[
            "status",
            "decision",
            "clause",
            "decided_by",
            "decided_at",
            "decision_note",
            "claimed_by",
            "claimed_at",
            "first_action_at",
            "edited_from",
        ]
    )
    suspension = None
    if decision == Case.Decision.SUSPEND:
        assert suspend_days is not None
        suspension = Suspension.objects.create(
            profile=case.content_author,
            case=case,
            starts_at=now,
            ends_at=now + timedelta(days=suspend_days),
            created_by=moderator,
        )
    # The flaggers' records: what weighs their next flags.
    case.flags.filter(outcome=Flag.Outcome.PENDING).update(
        outcome=Flag.Outcome.UPHELD if decision in SANCTIONS else Flag.Outcome.REJECTED
    )
    audit_record(
        actor=moderator,
        action=f"case.{decision}",
        target=case,
        note=note,
        clause=clause.pk if clause else None,
        before="open",
        after=case.status,
        suspended_until=suspension.ends_at.isoformat() if suspension else None,
        **(
            {"text_before": case.edited_from, "text_after": text.strip()}
            if decision == Case.Decision.EDIT
            else {}
        ),
    )
    if decision in SANCTIONS:
        _author_tell(case=case, moderator=moderator, suspension=suspension)
    return case


def _author_tell(*, case: Case, moderator: Profile, suspension: Suspension | None) -> None:
    """The author reads what was decided, under which clause, and until when they can appeal."""
    from notifications.services import notify

    what = content_noun(case.content_type)
    said = {
        Case.Decision.WARN: f"A moderator warned you about your {what}",
        Case.Decision.EDIT: f"A moderator edited your {what}",
        Case.Decision.REMOVE: f"A moderator removed your {what}",
        Case.Decision.SUSPEND: f"A moderator removed your {what} and suspended your posting",
    }[Case.Decision(case.decision)]
    why = f"guideline {case.clause.number}, “{case.clause.title}”" if case.clause else case.decision_note
    notify(
        recipients=[case.content_author],
        kind="moderation",
        actor=None,  # decisions are the moderators', not one person's grudge
        summary=f"{said}: {why}. You can appeal within {APPEAL_DAYS} days.",
        url=case.get_absolute_url(),
    )


@transaction.atomic
def case_escalate(*, case_id: int, moderator: Profile, note: str) -> Case:
    """Hand a case to admins (legal, HR, a senior leader involved): only a superuser decides it then."""
    _require_moderator(moderator)
    note = note.strip()
    if not note:
        raise ValidationError("Say why admins should decide this one.")
    case = _case_for_update(case_id)
    if case.status != Case.Status.OPEN:
        raise ValidationError("Only a case waiting for a first decision can be escalated.")
    now = timezone.now()
    holder = _claim_holder(case, moderator=moderator, now=now)
    if holder is not None:
        raise ValidationError(f"{holder.display_name} is handling this case; they claimed it first.")
    case.status = Case.Status.ESCALATED
    case.claimed_by = None
    case.claimed_at = None
    case.first_action_at = case.first_action_at or now
    case.save(update_fields=["status", "claimed_by", "claimed_at", "first_action_at"])
    audit_record(actor=moderator, action="case.escalate", target=case, note=note[:1000])
    return case


def case_decidable_by(*, case: Case, moderator: Profile | None) -> bool:
    """Whether the case page offers this moderator the decision buttons."""
    if moderator is None or not is_moderator(moderator.user):
        return False
    if case.status == Case.Status.ESCALATED:
        return moderator.user.is_superuser
    if case.status != Case.Status.OPEN:
        return False
    return _claim_holder(case, moderator=moderator, now=timezone.now()) is None


# --- Appeals and restoring -------------------------------------------------------------------------


def case_visible_to_author(*, case: Case, viewer: Profile) -> bool:
    """The author opens their case once a decision went against them (not while it is being looked at)."""
    return case.content_author_id == viewer.pk and case.decision in SANCTIONS


def appeal_deadline(*, case: Case):
    return case.decided_at + timedelta(days=APPEAL_DAYS) if case.decided_at else None


def case_appealable(*, case: Case, appellant: Profile | None) -> str | None:
    """None if `appellant` may appeal this case now, else why not (said to them as is)."""
    if appellant is None or case.content_author_id != appellant.pk:
        return "Only the author can appeal a decision."
    if case.decision not in SANCTIONS or case.decided_at is None:
        return "There is no decision against you to appeal."
    if Appeal.objects.filter(case=case).exists():
        return "You have already appealed this decision; an appeal is heard once."
    if case.status not in (Case.Status.KEPT, Case.Status.EDITED, Case.Status.REMOVED):
        return "This decision can no longer be appealed."
    if timezone.now() > case.decided_at + timedelta(days=APPEAL_DAYS):
        return f"The {APPEAL_DAYS} days to appeal this decision are over."
    return None


@transaction.atomic
def appeal_create(*, case_id: int, appellant: Profile, reason: str) -> Appeal:
    """The author asks for a second look, once, within APPEAL_DAYS: the case goes back to the queue,
    for a moderator other than the one who decided it."""
    reason = reason.strip()
    if not reason:
        raise ValidationError("Say why the decision should change.")
    if len(reason) > 2000:
        raise ValidationError("Keep your appeal under 2,000 characters.")
    case = _case_for_update(case_id)
    refusal = case_appealable(case=case, appellant=appellant)
    if refusal is not None:
        raise ValidationError(refusal)
    appeal = Appeal.objects.create(case=case, appellant=appellant, reason=reason, status_before=case.status)
    case.status = Case.Status.APPEALED
    case.save(update_fields=["status"])
    audit_record(actor=appellant, action="appeal.create", target=case, before=appeal.status_before)
    return appeal


@transaction.atomic
def appeal_decide(*, case_id: int, moderator: Profile, overturn: bool, note: str) -> Appeal:
    """A different moderator reviews the appeal; their decision is final. Overturning a removal restores
    the content and lifts a suspension; the author is told either way."""
    _require_moderator(moderator)
    note = note.strip()
    if not note:
        raise ValidationError("Write the answer the author will read.")
    if len(note) > 1000:
        raise ValidationError("Keep the answer under 1,000 characters.")
    case = _case_for_update(case_id)
    appeal = Appeal.objects.select_for_update().filter(case=case).first()
    if appeal is None or appeal.outcome != Appeal.Outcome.PENDING or case.status != Case.Status.APPEALED:
        raise ValidationError("There is no appeal waiting on this case.")
    if case.decided_by_id == moderator.pk:
        raise ValidationError("You made the decision under appeal: another moderator must review it.")
    now = timezone.now()
    if overturn:
        if appeal.status_before == Case.Status.REMOVED:
            if not can_restore(case.content_type):
                raise ValidationError(f"A {case.content_type.name} cannot be restored.")
            content_restore(case.content_type, object_id=case.object_id, moderator=moderator)
        elif appeal.status_before == Case.Status.EDITED and case.edited_from:
            # The author's words come back as they wrote them.
            content_edit(
                case.content_type, object_id=case.object_id, moderator=moderator, text=case.edited_from
            )
        Suspension.objects.filter(case=case, lifted_at__isnull=True).update(lifted_at=now)
        case.flags.update(outcome=Flag.Outcome.REJECTED)
        case.status = Case.Status.KEPT
    else:
        case.status = appeal.status_before
    case.save(update_fields=["status"])
    appeal.outcome = Appeal.Outcome.OVERTURNED if overturn else Appeal.Outcome.UPHELD
    appeal.decided_by = moderator
    appeal.decided_at = now
    appeal.note = note
    appeal.save(update_fields=["outcome", "decided_by", "decided_at", "note"])
    audit_record(
        actor=moderator,
        action="appeal.overturn" if overturn else "appeal.uphold",
        target=case,
        before=Case.Status.APPEALED,
        after=case.status,
        note=note,
    )
    from notifications.services import notify

    what = content_noun(case.content_type)
    notify(
        recipients=[case.content_author],
        kind="moderation",
        actor=None,
        summary=(
            f"Your appeal was accepted: the decision on your {what} is reversed."
            if overturn
            else f"Your appeal was reviewed and the decision on your {what} stands. This is final."
        ),
        url=case.get_absolute_url(),
    )
    return appeal


@transaction.atomic
def case_restore(*, case_id: int, admin: Profile, note: str) -> Case:
    """An admin shows again content a moderator removed (nothing removed is ever deleted)."""
    if not (admin.user.is_active and admin.user.is_superuser):
        raise PermissionDenied("Only admins can restore removed content.")
    note = note.strip()
    if not note:
        raise ValidationError("Say why it is restored: it goes on the record.")
    case = _case_for_update(case_id)
    if case.status != Case.Status.REMOVED:
        raise ValidationError("Only removed content can be restored.")
    if not can_restore(case.content_type):
        raise ValidationError(f"A {case.content_type.name} cannot be restored.")
    content_restore(case.content_type, object_id=case.object_id, moderator=admin)
    Suspension.objects.filter(case=case, lifted_at__isnull=True).update(lifted_at=timezone.now())
    case.status = Case.Status.RESTORED
    case.save(update_fields=["status"])
    audit_record(
        actor=admin, action="case.restore", target=case, before="removed", after="restored", note=note[:1000]
    )
    return case


BULK_MAX = 100


def cases_decide_bulk(
    *, case_ids: list[int], moderator: Profile, decision: str, note: str = "", clause_id: int | None = None
) -> tuple[list[int], list[str]]:
    """A spam wave: the same keep or remove for many cases. Each case is decided on its own (its own
    lock, audit row and notice), so one already decided or claimed by someone else is skipped, not fatal.
    Returns (decided ids, what was skipped and why)."""
    _require_moderator(moderator)
    if decision not in (Case.Decision.KEEP, Case.Decision.REMOVE):
        raise ValidationError("A bulk decision is keep or remove.")
    if not case_ids:
        raise ValidationError("Tick the cases to decide.")
    if len(case_ids) > BULK_MAX:
        raise ValidationError(f"Decide at most {BULK_MAX} cases at once.")
    # What would refuse every case is said once, up front.
    if _decision_clause(clause_id) is None and decision == Case.Decision.REMOVE and not note.strip():
        raise ValidationError("Cite the guideline it breaks, or write the reason the authors will read.")
    decided: list[int] = []
    skipped: list[str] = []
    for case_id in sorted(set(case_ids)):
        try:
            case_decide(
                case_id=case_id, moderator=moderator, decision=decision, note=note, clause_id=clause_id
            )
        except (ValidationError, PermissionDenied) as exc:
            messages = exc.messages if isinstance(exc, ValidationError) else [str(exc)]
            skipped.append(f"case {case_id}: {' '.join(messages)}")
        else:
            decided.append(case_id)
    return decided, skipped


@transaction.atomic
def guidelines_accept(*, profile: Profile, version_number: int) -> GuidelineAcceptance:
    """Record that this person accepted this version; only the version in force can be accepted."""
    current = GuidelineVersion.objects.order_by("-number").first()
    if current is None or current.number != version_number:
        raise ValidationError(
            "The guidelines changed while you were reading: read the new version, then accept it."
        )
    acceptance, _ = GuidelineAcceptance.objects.get_or_create(profile=profile, version=current)
    return acceptance


def posting_check(*, author: Profile) -> None:
    """Raise ValidationError if this person may not post or comment now: the guidelines in force not yet
    accepted, or a suspension in force. Two queries."""
    pending = (
        GuidelineVersion.objects.order_by("-number")
        .annotate(accepted=Exists(GuidelineAcceptance.objects.filter(version=OuterRef("pk"), profile=author)))
        .values_list("number", "accepted")
        .first()
    )
    if pending is not None and not pending[1]:
        raise ValidationError(
            f"Read and accept the community guidelines (version {pending[0]}) before you post: /guidelines/"
        )
    now = timezone.now()
    suspension = (
        Suspension.objects.filter(profile=author, starts_at__lte=now, ends_at__gt=now, lifted_at__isnull=True)
        .order_by("-ends_at")
        .first()
    )
    if suspension is not None:
        until = timezone.localtime(suspension.ends_at)
        raise ValidationError(
            f"A moderator suspended your posting until {until:%-d %B %Y, %H:%M} "
            f"(see /moderation/cases/{suspension.case_id}/ to appeal)."
        )


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
