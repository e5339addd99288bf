"""Reads of groups, and the one rule for who may read a group's content."""

from collections.abc import Collection
from dataclasses import dataclass

from django.db import connection
from django.db.models import BooleanField, Q, QuerySet, Value

from common import similar_text
from common.pagination import Page, keyset_page
from communities.models import Community, GroupInvitation, JoinRequest, Membership
from moderation.protocol import Reach
from profiles.models import Profile


def member_community_ids(*, profile: Profile) -> frozenset[int]:
    """The groups this person belongs to: one indexed query, reused for every visibility check of a page."""
    return frozenset(Membership.objects.filter(profile=profile).values_list("community_id", flat=True))


def community_access(*, profile: Profile | None) -> tuple[frozenset[int], frozenset[int]]:
    """(the groups this person belongs to, the private groups they are not in), in one query: for
    pages that check thousands of rows' groups against a list rather than joining each row's group
    (search)."""
    private = Community.objects.filter(visibility=Community.Visibility.PRIVATE).values_list(
        "id", Value(False, output_field=BooleanField())
    )
    rows = (
        Membership.objects.filter(profile=profile)
        .values_list("community_id", Value(True, output_field=BooleanField()))
        .union(private, all=True)
        if profile is not None
        else private
    )
    member: set[int] = set()
    hidden: set[int] = set()
    for community_id, is_member in rows:
        (member if is_member else hidden).add(community_id)
    return frozenset(member), frozenset(hidden - member)


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


# --- "A similar group exists" while a group is being created --------------------------------------

GROUP_KIND = "communities.community"
SIMILAR_SHOWN = 3
SIMILAR_NEAREST = 10
SIMILAR_WORD_CANDIDATES = 20
# all-MiniLM-L6-v2 between a new group's name and description and an existing group's: 0.6-0.9
# for the same purpose in other words ("Runners" / "Running club"), 0.3-0.5 for groups that only
# share a broad area (tests/communities/test_similar_groups.py holds examples).
SIMILAR_FLOOR = 0.5
SIMILAR_FLOOR_WITH_WORDS = 0.4


def group_text(name: str, description: str) -> str:
    """What the sentence model reads of a group, or of a draft one."""
    return f"{(name or '').strip()}. {(description or '').strip()}"


@dataclass
class SimilarGroup:
    community: Community
    cosine: float | None
    reason: str


def similar_groups(*, name: str, description: str = "") -> list[SimilarGroup]:
    """Existing groups like the one being created, by meaning and by words (common.similar_text). Every
    group is listed in the directory, private ones too, so every group can be shown. Queries: the
    vectors' freshness, the word candidates, the groups."""
    name, description = " ".join((name or "").split())[:100], (description or "").strip()[:2000]
    if len(name) + len(description) < 3:
        return []
    draft = similar_text.draft_read(group_text(name, description))
    word_ids = _group_ids_by_words(f"{name} {description}", name=name)
    matches = similar_text.similar(kind=GROUP_KIND, draft=draft, word_ids=word_ids, k=SIMILAR_NEAREST)
    groups = Community.objects.in_bulk([m.id for m in matches])
    found = []
    for match in matches:
        community = groups.get(match.id)
        if community is None:
            continue
        if community.name.lower() == name.lower():
            reason = "the same name"
        elif match.cosine is None:
            if match.by_words is None or draft.vector is not None:
                continue
            reason = "shares words with yours"
        elif match.cosine >= SIMILAR_FLOOR:
            reason = "very close in purpose" if match.cosine >= 0.75 else "close in purpose"
        elif match.by_words is not None and match.cosine >= SIMILAR_FLOOR_WITH_WORDS:
            reason = "shares words and purpose with yours"
        else:
            continue
        found.append(SimilarGroup(community=community, cosine=match.cosine, reason=reason))
    found.sort(key=lambda g: (g.reason != "the same name",))  # stable: otherwise in fused order
    return found[:SIMILAR_SHOWN]


def _group_ids_by_words(text: str, *, name: str) -> list[int]:
    """Groups whose name or description shares a word of `text` (the 'english' configuration), best
    rank first, a group of the same name before them: served by community_words_idx (migration
    0003) on PostgreSQL."""
    if connection.vendor != "postgresql":
        wanted = {w for w in text.lower().split() if len(w) > 2}
        rows = Community.objects.values_list("id", "name", "description")[:2000]
        hits = [(len(wanted & set(f"{n} {d}".lower().split())), pk) for pk, n, d in rows]
        same = [pk for pk, n, _ in rows if n.lower() == name.lower()]
        found = [pk for shared, pk in sorted(hits, reverse=True) if shared]
        return list(dict.fromkeys([*same, *found]))[:SIMILAR_WORD_CANDIDATES]
    document = (
        "to_tsvector('english'::regconfig, COALESCE({t}.name, '') || ' ' || COALESCE({t}.description, ''))"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            WITH wanted AS (
                SELECT string_agg(quote_literal(lex), ' | ')::tsquery AS q
                FROM unnest(tsvector_to_array(to_tsvector('english', %s))) AS lex
            ), pool AS (
                (
                    SELECT c.id, c.name, c.description FROM communities_community c, wanted
                    WHERE wanted.q IS NOT NULL AND {document.format(t="c")} @@ wanted.q
                    ORDER BY c.member_count DESC, c.id LIMIT 200
                ) UNION (
                    -- a name of no words ("C++", markup) is still a name
                    SELECT c.id, c.name, c.description FROM communities_community c
                    WHERE upper(c.name) = upper(%s)
                )
            )
            SELECT pool.id FROM pool, wanted
            ORDER BY upper(pool.name) = upper(%s) DESC,
                COALESCE(ts_rank({document.format(t="pool")}, wanted.q), 0) DESC, pool.id
            LIMIT %s
            """,
            [text, name, name, SIMILAR_WORD_CANDIDATES],
        )
        return [row[0] for row in cursor.fetchall()]


def group_texts(ids: list[int]) -> dict[int, str]:
    return {
        pk: group_text(n, d)
        for pk, n, d in Community.objects.filter(pk__in=ids).values_list("pk", "name", "description")
    }


def group_ids() -> list[int]:
    return list(Community.objects.values_list("pk", flat=True))


def community_moderation_reach(community: Community) -> Reach:
    """For moderation's queue: anyone can open a group's page, public or private; its members most."""
    return Reach(audience=None, group_id=community.pk, group_name=community.name)


def community_moderation_readable(*, object_id: int, viewer: Profile) -> bool:
    """Every group's page (name and description) is open to everyone signed in, private ones included."""
    return viewer is not None and Community.objects.filter(pk=object_id).exists()
