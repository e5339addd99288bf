"""Reads of groups, and the one rule for who may read a group's content."""

from collections.abc import Collection

from django.db.models import Q, QuerySet

from common.pagination import Page, keyset_page
from communities.models import Community, GroupInvitation, JoinRequest, Membership
from moderation.protocol import Reach
from profiles.models import Profile


def member_community_ids(*, profile: Profile) -> frozenset[int]:
    """The groups this person belongs to: one indexed query, reused for every visibility check of a page."""
    return frozenset(Membership.objects.filter(profile=profile).values_list("community_id", flat=True))


def readable_q(*, member_ids: frozenset[int], prefix: str = "community") -> Q:
    """Content with no group, in a public group, or in a group the viewer belongs to.

    `prefix` is the path from the queried model to its community (e.g. "post__community").
    """
    return (
        Q(**{f"{prefix}__isnull": True})
        | Q(**{f"{prefix}__visibility": Community.Visibility.PUBLIC})
        | Q(**{f"{prefix}_id__in": member_ids})
    )


def can_read(*, community: Community | None, member_ids: frozenset[int]) -> bool:
    return community is None or not community.is_private or community.pk in member_ids


def community_by_slug(*, slug: str) -> Community | None:
    return Community.objects.select_related("created_by").filter(slug=slug).first()


def communities_page(*, cursor: str | None, category: str | None = None, size: int = 30) -> Page:
    """Every group, the most joined first; private ones are listed (name, description) but not their posts."""
    qs: QuerySet = Community.objects.all()
    if category:
        qs = qs.filter(category=category)
    return keyset_page(qs, keys=("member_count", "id"), cursor=cursor, size=size, descending=True)


def communities_of(*, profile: Profile, limit: int = 50) -> list[Community]:
    return list(Community.objects.filter(memberships__profile=profile).order_by("name")[:limit])


def membership_of(*, community: Community, profile: Profile) -> Membership | None:
    return Membership.objects.filter(community=community, profile=profile).first()


def community_admins(*, community: Community) -> list[Profile]:
    return list(
        Profile.objects.filter(
            community_memberships__community=community, community_memberships__role=Membership.Role.ADMIN
        ).order_by("display_name")[:20]
    )


def community_members_page(*, community: Community, cursor: str | None, size: int = 40) -> Page:
    qs = Profile.objects.filter(
        community_memberships__community=community, user__is_active=True
    ).select_related("department", "location")  # the card shows both
    return keyset_page(qs, keys=("display_name", "id"), cursor=cursor, size=size, descending=False)


def pending_requests(*, community: Community, limit: int = 100) -> list[JoinRequest]:
    return list(
        JoinRequest.objects.filter(community=community, status=JoinRequest.Status.PENDING)
        .select_related("profile__department")
        .order_by("created_at")[:limit]
    )


def has_pending_request(*, community: Community, profile: Profile) -> bool:
    return JoinRequest.objects.filter(
        community=community, profile=profile, status=JoinRequest.Status.PENDING
    ).exists()


def readable_filter(queryset: QuerySet, *, viewer: Profile, prefix: str = "community") -> QuerySet:
    return queryset.filter(readable_q(member_ids=member_community_ids(profile=viewer), prefix=prefix))


def pending_invitation(*, community: Community, profile: Profile) -> GroupInvitation | None:
    """The visitor's unanswered invitation to this group, with who sent it: one query."""
    return (
        GroupInvitation.objects.filter(
            community=community, invitee=profile, status=GroupInvitation.Status.PENDING
        )
        .select_related("invited_by")
        .first()
    )


def join_request_exists(*, community: Community, request_id: int) -> bool:
    return JoinRequest.objects.filter(pk=request_id, community=community).exists()


def invitation_exists(*, community: Community, invitation_id: int) -> bool:
    return GroupInvitation.objects.filter(pk=invitation_id, community=community).exists()


def member_community_ids_of_many(*, profile_ids: Collection[int]) -> dict[int, frozenset[int]]:
    """Each person's groups, for a batch of people at once (the digest): one query."""
    groups: dict[int, set[int]] = {pk: set() for pk in profile_ids}
    for profile_id, community_id in Membership.objects.filter(profile_id__in=profile_ids).values_list(
        "profile_id", "community_id"
    ):
        groups[profile_id].add(community_id)
    return {pk: frozenset(ids) for pk, ids in groups.items()}


def community_moderation_reach(community: Community) -> Reach:
    """For moderation's queue: anyone can open a group's page, public or private; its members most."""
    return Reach(audience=None, group_id=community.pk, group_name=community.name)


def community_moderation_readable(*, object_id: int, viewer: Profile) -> bool:
    """Every group's page (name and description) is open to everyone signed in, private ones included."""
    return viewer is not None and Community.objects.filter(pk=object_id).exists()
