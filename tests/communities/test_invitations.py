"""Group invitations: an admin invites a colleague, who accepts or declines on the group's page."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from communities import services
from communities.models import GroupInvitation, JoinRequest, Membership
from feed import cards
from notifications.models import Kind, Notification
from tests.factories import PostFactory, ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    """The messages shown on the page the action redirected to."""
    return [str(m) for m in response.context["messages"]]


def _invite(client, group, who: str):
    return client.post(f"/groups/{group.slug}/invite/", {"recipient": who}, follow=True)


def test_admin_invites_a_colleague_who_is_told_and_accepts_into_a_private_group(
    author, author_client, outsider, outsider_client, private_group
):
    response = _invite(author_client, private_group, "olga@example.com")

    assert response.redirect_chain == [(f"/groups/{private_group.slug}/", 302)]
    assert _messages(response) == ["Invitation sent to Olga Outsider."]
    note = Notification.objects.get(recipient=outsider)
    assert note.kind == Kind.GROUP and note.actor == author
    assert note.summary == "Ada Author invites you to join M&A deal room"
    assert note.url == f"/groups/{private_group.slug}/"
    page = outsider_client.get(note.url).content.decode()
    assert "You're invited by" in page and "Ada Author" in page and "Accept" in page

    invitation = GroupInvitation.objects.get()
    outsider_client.post(f"/groups/{private_group.slug}/invitations/{invitation.pk}/", {"decision": "accept"})

    assert Membership.objects.get(community=private_group, profile=outsider).role == Membership.Role.MEMBER
    private_group.refresh_from_db()
    assert private_group.member_count == 3 == private_group.memberships.count()
    assert not JoinRequest.objects.filter(profile=outsider).exists()
    invitation.refresh_from_db()
    assert invitation.status == GroupInvitation.Status.ACCEPTED and invitation.answered_at
    assert Notification.objects.filter(
        recipient=author, summary__contains="accepted your invitation"
    ).exists()
    page = outsider_client.get(f"/groups/{private_group.slug}/").content.decode()
    assert "You're invited by" not in page and "Leave group" in page


def test_declining_is_recorded_and_makes_nobody_a_member(author, outsider, outsider_client, private_group):
    invitation = services.invitation_create(community=private_group, inviter=author, invitee=outsider)

    response = outsider_client.post(
        f"/groups/{private_group.slug}/invitations/{invitation.pk}/", {"decision": "decline"}, follow=True
    )

    assert _messages(response) == ["Invitation declined."]
    invitation.refresh_from_db()
    assert invitation.status == GroupInvitation.Status.DECLINED
    assert not Membership.objects.filter(community=private_group, profile=outsider).exists()
    private_group.refresh_from_db()
    assert private_group.member_count == 2
    assert "You're invited by" not in outsider_client.get(f"/groups/{private_group.slug}/").content.decode()
    # Declined is not pending: the admin may ask again later.
    services.invitation_create(community=private_group, inviter=author, invitee=outsider)


def test_only_admins_invite(colleague, colleague_client, outsider, private_group, public_group):
    member_tries = _invite(colleague_client, private_group, "olga@example.com")
    stranger_tries = _invite(signed_in(outsider), public_group, "colin@example.com")

    assert member_tries.status_code == 403 and stranger_tries.status_code == 403
    assert not GroupInvitation.objects.exists()
    assert not Notification.objects.filter(recipient=outsider).exists()


def test_only_admins_see_the_invite_form(author_client, colleague_client, private_group):
    assert 'name="recipient"' in author_client.get(f"/groups/{private_group.slug}/").content.decode()
    assert 'name="recipient"' not in colleague_client.get(f"/groups/{private_group.slug}/").content.decode()


def test_an_existing_member_cannot_be_invited(author_client, colleague, private_group):
    told_before = Notification.objects.filter(recipient=colleague).count()

    response = _invite(author_client, private_group, "colin@example.com")

    assert _messages(response) == ["Colin Colleague is already a member of M&A deal room."]
    assert not GroupInvitation.objects.exists()
    assert Notification.objects.filter(recipient=colleague).count() == told_before


def test_someone_who_left_the_company_cannot_be_invited(author_client, public_group):
    gone = ProfileFactory(display_name="Gil Gone", user__email="gil@example.com")
    gone.user.is_active = False
    gone.user.save(update_fields=["is_active"])

    response = _invite(author_client, public_group, "gil@example.com")

    assert _messages(response) == ["Gil Gone no longer works here."]
    assert not GroupInvitation.objects.exists()


def test_an_unknown_or_empty_email_is_refused_clearly(author_client, public_group):
    unknown = _invite(author_client, public_group, "nobody@example.com")
    empty = _invite(author_client, public_group, "  ")

    assert _messages(unknown) == ["Nobody with the email “nobody@example.com” works here."]
    assert _messages(empty) == ["Type the email of the colleague to invite."]
    assert not GroupInvitation.objects.exists()


def test_the_same_person_is_not_invited_twice_while_pending(author_client, outsider, public_group):
    _invite(author_client, public_group, "olga@example.com")

    again = _invite(author_client, public_group, "Olga Outsider <OLGA@example.com>")

    assert _messages(again) == [
        "Olga Outsider is already invited to Running club; they have not answered yet."
    ]
    assert GroupInvitation.objects.count() == 1
    assert Notification.objects.filter(recipient=outsider).count() == 1


def test_the_picker_format_name_and_email_is_understood(author_client, outsider, public_group):
    response = _invite(author_client, public_group, "Olga Outsider <olga@example.com>")

    assert _messages(response) == ["Invitation sent to Olga Outsider."]
    assert GroupInvitation.objects.get().invitee == outsider


def test_only_the_invitee_answers_and_only_once(author, colleague, outsider, private_group):
    invitation = services.invitation_create(community=private_group, inviter=author, invitee=outsider)

    with pytest.raises(PermissionDenied):
        services.invitation_answer(invitation_id=invitation.pk, invitee=colleague, accept=False)
    response = signed_in(colleague).post(
        f"/groups/{private_group.slug}/invitations/{invitation.pk}/", {"decision": "decline"}
    )
    assert response.status_code == 403
    invitation.refresh_from_db()
    assert invitation.status == GroupInvitation.Status.PENDING

    services.invitation_answer(invitation_id=invitation.pk, invitee=outsider, accept=True)
    with pytest.raises(ValidationError, match="already answered"):
        services.invitation_answer(invitation_id=invitation.pk, invitee=outsider, accept=False)
    private_group.refresh_from_db()
    assert private_group.member_count == 3


def test_an_invitation_answers_the_invitees_own_join_request(author, outsider, private_group):
    services.join_request_create(community=private_group, profile=outsider)
    invitation = services.invitation_create(community=private_group, inviter=author, invitee=outsider)

    services.invitation_answer(invitation_id=invitation.pk, invitee=outsider, accept=True)

    request = JoinRequest.objects.get(profile=outsider)
    assert request.status == JoinRequest.Status.APPROVED and request.decided_by == author
    private_group.refresh_from_db()
    assert private_group.member_count == 3


def test_accepting_after_joining_directly_counts_the_member_once(author, outsider, public_group):
    invitation = services.invitation_create(community=public_group, inviter=author, invitee=outsider)
    services.community_join(community=public_group, profile=outsider)

    services.invitation_answer(invitation_id=invitation.pk, invitee=outsider, accept=True)

    public_group.refresh_from_db()
    assert public_group.member_count == 2 == public_group.memberships.count()


def test_an_invitation_of_another_group_is_not_found_here(author, outsider, outsider_client, public_group):
    other = services.community_create(
        creator=author, name="Book club", category="social", visibility="public"
    )
    invitation = services.invitation_create(community=other, inviter=author, invitee=outsider)

    response = outsider_client.post(
        f"/groups/{public_group.slug}/invitations/{invitation.pk}/", {"decision": "accept"}
    )

    assert response.status_code == 404
    assert not Membership.objects.filter(profile=outsider).exists()


def test_invitee_sees_private_group_posts_only_after_accepting(
    author, outsider, outsider_client, private_group, secret_post
):
    invitation = services.invitation_create(community=private_group, inviter=author, invitee=outsider)
    before = outsider_client.get(f"/groups/{private_group.slug}/").content.decode()
    assert "Project Falcon" not in before and "You're invited by" in before

    outsider_client.post(f"/groups/{private_group.slug}/invitations/{invitation.pk}/", {"decision": "accept"})

    assert "Project Falcon" in outsider_client.get(f"/groups/{private_group.slug}/").content.decode()


def test_invitee_group_page_runs_a_fixed_number_of_queries(
    author, outsider, outsider_client, public_group, django_assert_max_num_queries
):
    services.invitation_create(community=public_group, inviter=author, invitee=outsider)
    PostFactory(author=author, community=public_group)
    url = f"/groups/{public_group.slug}/"
    outsider_client.get(url)
    cards.memo_clear()  # both times with no card rendered before: cards the memo holds cost 2 queries fewer
    with django_assert_max_num_queries(20) as small:
        assert "You're invited by" in outsider_client.get(url).content.decode()
    for _ in range(20):
        member = ProfileFactory()
        services.community_join(community=public_group, profile=member)
        PostFactory(author=member, community=public_group)
        services.invitation_create(community=public_group, inviter=author, invitee=ProfileFactory())
    cards.memo_clear()
    with django_assert_max_num_queries(len(small.captured_queries)):
        outsider_client.get(url)
