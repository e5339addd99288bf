"""Every change to groups: creating them, joining, asking to join, invitations, admins' decisions, leaving."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify

from common import live, similar_text
from communities.models import Community, GroupInvitation, JoinRequest, Membership
from communities.selectors import GROUP_KIND
from notifications.models import Kind
from notifications.services import notify
from profiles.models import Profile

NAME_MAX = 100


def _unique_slug(name: str) -> str:
    base = slugify(name, allow_unicode=True)[:100] or "group"
    taken = set(Community.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _add_member(*, community: Community, profile: Profile, role: str) -> Membership:
    try:
        with transaction.atomic():
            membership = Membership.objects.create(community=community, profile=profile, role=role)
    except IntegrityError as exc:
        raise ValidationError(f"You are already a member of {community.name}.") from exc
    Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + 1)
    live.audience_forget(user_id=profile.user_id)  # the group's posts now reach their feeds
    return membership


@transaction.atomic
def community_create(
    *, creator: Profile, name: str, description: str = "", category: str, visibility: str
) -> Community:
    """The creator becomes the group's first admin."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError("Give the group a name.")
    if len(name) > NAME_MAX:
        raise ValidationError(f"A group name is at most {NAME_MAX} characters.")
    if category not in Community.Category.values:
        raise ValidationError("Choose whether the group is about work or social.")
    if visibility not in Community.Visibility.values:
        raise ValidationError("Choose public or private.")
    if Community.objects.filter(name__iexact=name).exists():
        raise ValidationError(f"There is already a group called {name}: join it, or pick another name.")
    community = Community.objects.create(
        name=name,
        slug=_unique_slug(name),
        description=(description or "").strip()[:2000],
        category=category,
        visibility=visibility,
        created_by=creator,
    )
    _add_member(community=community, profile=creator, role=Membership.Role.ADMIN)
    community.refresh_from_db(fields=["member_count"])
    # Found by meaning by the next "a similar group exists" (communities.selectors.similar_groups).
    similar_text.vectors_compute_after_commit(kind=GROUP_KIND, object_id=community.pk)
    return community


@transaction.atomic
def community_join(*, community: Community, profile: Profile) -> Membership:
    if community.is_private:
        raise ValidationError(f"{community.name} is private: ask to join and an admin will decide.")
    return _add_member(community=community, profile=profile, role=Membership.Role.MEMBER)


@transaction.atomic
def join_request_create(*, community: Community, profile: Profile, message: str = "") -> JoinRequest:
    if not community.is_private:
        raise ValidationError(f"{community.name} is public: join it directly.")
    if Membership.objects.filter(community=community, profile=profile).exists():
        raise ValidationError(f"You are already a member of {community.name}.")
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                community=community, profile=profile, message=message.strip()[:300]
            )
    except IntegrityError as exc:
        raise ValidationError("You have already asked to join; an admin will decide soon.") from exc
    admins = list(
        Profile.objects.filter(
            community_memberships__community=community, community_memberships__role=Membership.Role.ADMIN
        )
    )
    notify(
        recipients=admins,
        kind=Kind.GROUP,
        actor=profile,
        summary=f"{profile.display_name} asks to join {community.name}",
        url=community.get_absolute_url(),
    )
    return request


def _require_admin(*, community: Community, profile: Profile) -> None:
    is_admin = Membership.objects.filter(
        community=community, profile=profile, role=Membership.Role.ADMIN
    ).exists()
    if not (is_admin or profile.user.is_superuser):
        raise PermissionDenied(f"Only admins of {community.name} can do that.")


@transaction.atomic
def join_request_decide(*, request_id: int, admin: Profile, approve: bool) -> JoinRequest:
    request = (
        JoinRequest.objects.select_for_update(of=("self",))
        .select_related("community", "profile")
        .get(pk=request_id)
    )
    _require_admin(community=request.community, profile=admin)
    if request.status != JoinRequest.Status.PENDING:
        raise ValidationError("Someone has already answered this request.")
    request.status = JoinRequest.Status.APPROVED if approve else JoinRequest.Status.DECLINED
    request.decided_by = admin
    request.decided_at = timezone.now()
    request.save(update_fields=["status", "decided_by", "decided_at"])
    if (
        approve
        and not Membership.objects.filter(community=request.community, profile=request.profile).exists()
    ):
        _add_member(community=request.community, profile=request.profile, role=Membership.Role.MEMBER)
    outcome = "approved: welcome!" if approve else "declined"
    notify(
        recipients=[request.profile],
        kind=Kind.GROUP,
        actor=admin,
        summary=f"Your request to join {request.community.name} was {outcome}",
        url=request.community.get_absolute_url(),
    )
    return request


@transaction.atomic
def community_leave(*, community: Community, profile: Profile) -> None:
    membership = Membership.objects.select_for_update().filter(community=community, profile=profile).first()
    if membership is None:
        raise ValidationError(f"You are not a member of {community.name}.")
    if membership.role == Membership.Role.ADMIN:
        admins = Membership.objects.filter(community=community, role=Membership.Role.ADMIN).count()
        others = Membership.objects.filter(community=community).exclude(pk=membership.pk).exists()
        if admins == 1 and others:
            raise ValidationError(
                "You are the group's only admin: make another member an admin before leaving."
            )
    membership.delete()
    Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - 1)
    live.audience_forget(user_id=profile.user_id)


@transaction.atomic
def membership_role_set(*, community: Community, admin: Profile, member_id: int, role: str) -> Membership:
    _require_admin(community=community, profile=admin)
    if role not in Membership.Role.values:
        raise ValidationError("Unknown role.")
    membership = (
        Membership.objects.select_for_update().filter(community=community, profile_id=member_id).first()
    )
    if membership is None:
        raise ValidationError("That person is not a member.")
    if membership.role == Membership.Role.ADMIN and role != Membership.Role.ADMIN:
        if Membership.objects.filter(community=community, role=Membership.Role.ADMIN).count() == 1:
            raise ValidationError("A group needs at least one admin.")
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def invitation_create(*, community: Community, inviter: Profile, invitee: Profile) -> GroupInvitation:
    """An admin invites a colleague; they are told in the app and decide on the group's page."""
    _require_admin(community=community, profile=inviter)
    if not invitee.user.is_active:
        raise ValidationError(f"{invitee.display_name} no longer works here.")
    if Membership.objects.filter(community=community, profile=invitee).exists():
        raise ValidationError(f"{invitee.display_name} is already a member of {community.name}.")
    try:
        with transaction.atomic():
            invitation = GroupInvitation.objects.create(
                community=community, invitee=invitee, invited_by=inviter
            )
    except IntegrityError as exc:
        raise ValidationError(
            f"{invitee.display_name} is already invited to {community.name}; they have not answered yet."
        ) from exc
    notify(
        recipients=[invitee],
        kind=Kind.GROUP,
        actor=inviter,
        summary=f"{inviter.display_name} invites you to join {community.name}",
        url=community.get_absolute_url(),
    )
    return invitation


@transaction.atomic
def invitation_answer(*, invitation_id: int, invitee: Profile, accept: bool) -> GroupInvitation:
    """Only the invitee answers, once. Accepting a private group's invitation needs no join request."""
    invitation = (
        GroupInvitation.objects.select_for_update(of=("self",))
        .select_related("community", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or invitation.invitee_id != invitee.pk:
        raise PermissionDenied("That invitation is not yours.")
    if invitation.status != GroupInvitation.Status.PENDING:
        raise ValidationError("You have already answered this invitation.")
    community = invitation.community
    invitation.status = GroupInvitation.Status.ACCEPTED if accept else GroupInvitation.Status.DECLINED
    invitation.answered_at = timezone.now()
    invitation.save(update_fields=["status", "answered_at"])
    if accept:
        if not Membership.objects.filter(community=community, profile=invitee).exists():
            _add_member(community=community, profile=invitee, role=Membership.Role.MEMBER)
        # A request they had made is answered by the invitation: admins need not decide it too.
        JoinRequest.objects.filter(
            community=community, profile=invitee, status=JoinRequest.Status.PENDING
        ).update(
            status=JoinRequest.Status.APPROVED, decided_by=invitation.invited_by, decided_at=timezone.now()
        )
    answer = "accepted" if accept else "declined"
    notify(
        recipients=[invitation.invited_by],
        kind=Kind.GROUP,
        actor=invitee,
        summary=f"{invitee.display_name} {answer} your invitation to {community.name}",
        url=community.get_absolute_url(),
    )
    return invitation


# Membership the company's identity provider manages (provisioning/): in bulk, without the join rules a
# person meets (private groups, requests), because the provider's group is the authority.


@transaction.atomic
def community_members_provision(*, community: Community, profile_ids: list[int]) -> int:
    """Makes these people members (those already in keep their role); returns how many joined."""
    have = set(
        Membership.objects.filter(community=community, profile_id__in=profile_ids).values_list(
            "profile_id", flat=True
        )
    )
    joining = [pid for pid in dict.fromkeys(profile_ids) if pid not in have]
    Membership.objects.bulk_create(
        [Membership(community=community, profile_id=pid) for pid in joining], ignore_conflicts=True
    )
    joined = Membership.objects.filter(community=community, profile_id__in=joining).count()
    if joined:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") + joined)
        _audiences_forget(profile_ids=joining)
    return joined


@transaction.atomic
def community_members_deprovision(*, community: Community, profile_ids: list[int]) -> int:
    """Removes these people, except the group's admins (a group is never left without its admins by a
    provider's change); returns how many left."""
    leaving = Membership.objects.filter(
        community=community, profile_id__in=profile_ids, role=Membership.Role.MEMBER
    )
    left_ids = list(leaving.values_list("profile_id", flat=True))
    leaving.delete()
    if left_ids:
        Community.objects.filter(pk=community.pk).update(member_count=F("member_count") - len(left_ids))
        _audiences_forget(profile_ids=left_ids)
    return len(left_ids)


def _audiences_forget(*, profile_ids: list[int]) -> None:
    user_ids = list(Profile.objects.filter(pk__in=profile_ids).values_list("user_id", flat=True))
    live.stamps_renew([live.audience_stamp_key(user_id=uid) for uid in user_ids])


# Moderation (registered in CommunitiesConfig.ready): a moderator's decision on a flagged group acts on
# its description; the group itself, its members and posts stay.


@transaction.atomic
def community_description_remove_by_moderator(*, object_id: int, moderator: Profile, at) -> None:
    Community.objects.filter(pk=object_id, description_removed_at__isnull=True).update(
        description_removed_at=at, description_removed_by=moderator
    )


@transaction.atomic
def community_description_restore_by_moderator(*, object_id: int, moderator: Profile) -> None:
    Community.objects.filter(pk=object_id).update(description_removed_at=None, description_removed_by=None)


@transaction.atomic
def community_description_edit_by_moderator(*, object_id: int, moderator: Profile, text: str) -> str:
    """A moderator rewrites the description; returns the text it replaced (the case keeps it)."""
    community = Community.objects.select_for_update().filter(pk=object_id).first()
    if community is None:
        raise ValidationError("That group no longer exists.")
    text = (text or "").strip()
    if len(text) > 2000:
        raise ValidationError(f"A group description is at most 2,000 characters; this is {len(text)}.")
    if text == community.description:
        raise ValidationError("The text is unchanged: edit it, or choose another decision.")
    before = community.description
    community.description = text
    community.save(update_fields=["description"])
    return before
