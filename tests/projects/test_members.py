"""Managing a project's people after it is created: leads add, re-role and remove; members leave.

The author leads the project; the colleague is a plain member or not on it; the outsider is nobody here.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from notifications.models import Kind, Notification
from projects import services
from projects.models import ProjectMember
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _roles(project) -> dict[int, str]:
    return dict(project.memberships.values_list("profile_id", "role"))


def _messages(response) -> str:
    return " ".join(str(m) for m in response.context["messages"])


# --- Services ---------------------------------------------------------------------------------------


def test_lead_adds_a_colleague_who_is_told_in_the_app(project, author, colleague):
    member = services.project_member_add(project=project, actor=author, profile=colleague, role="advisor")
    assert member.role == "advisor"
    project.refresh_from_db()
    assert project.member_count == 2
    note = Notification.objects.get(recipient=colleague)
    assert note.kind == Kind.PROJECT and note.actor == author
    assert note.summary == "Ada Author added you to Kubernetes migration as advisor"
    assert note.url == project.get_absolute_url()


def test_superuser_who_is_not_on_the_project_adds_people(project, colleague):
    admin = ProfileFactory(user__is_superuser=True, user__is_staff=True)
    services.project_member_add(project=project, actor=admin, profile=colleague, role="lead")
    assert _roles(project)[colleague.pk] == "lead"


def test_member_who_is_not_a_lead_cannot_add(project, colleague, outsider):
    services.project_join(project=project, profile=colleague)
    with pytest.raises(PermissionDenied):
        services.project_member_add(project=project, actor=colleague, profile=outsider)
    assert outsider.pk not in _roles(project)


def test_deactivated_person_cannot_be_added(project, author):
    gone = ProfileFactory(display_name="Gus Gone", user__is_active=False)
    with pytest.raises(ValidationError, match="Gus Gone no longer works here"):
        services.project_member_add(project=project, actor=author, profile=gone)
    project.refresh_from_db()
    assert project.member_count == 1 and not Notification.objects.exists()


def test_adding_someone_twice_is_an_error_not_a_second_row(project, author, colleague):
    services.project_member_add(project=project, actor=author, profile=colleague)
    with pytest.raises(ValidationError, match="already on this project"):
        services.project_member_add(project=project, actor=author, profile=colleague, role="lead")
    project.refresh_from_db()
    assert project.member_count == 2 and _roles(project)[colleague.pk] == "member"


def test_unknown_role_is_refused(project, author, colleague):
    with pytest.raises(ValidationError, match="not a project role"):
        services.project_member_add(project=project, actor=author, profile=colleague, role="owner")


def test_lead_removes_a_member(project, author, colleague):
    services.project_join(project=project, profile=colleague)
    services.project_member_remove(project=project, actor=author, profile=colleague)
    project.refresh_from_db()
    assert project.member_count == 1 and colleague.pk not in _roles(project)


def test_the_last_lead_cannot_be_removed(project, author):
    admin = ProfileFactory(user__is_superuser=True, user__is_staff=True)
    with pytest.raises(ValidationError, match="only lead"):
        services.project_member_remove(project=project, actor=admin, profile=author)
    project.refresh_from_db()
    assert project.member_count == 1 and _roles(project) == {author.pk: "lead"}


def test_a_lead_removes_another_lead_when_one_stays(project, author, colleague):
    services.project_member_add(project=project, actor=author, profile=colleague, role="lead")
    services.project_member_remove(project=project, actor=colleague, profile=author)
    assert _roles(project) == {colleague.pk: "lead"}


def test_removing_someone_not_on_the_project_is_an_error(project, author, outsider):
    with pytest.raises(ValidationError, match="Olga Outsider is not on this project"):
        services.project_member_remove(project=project, actor=author, profile=outsider)


def test_member_cannot_remove_anyone(project, colleague, outsider, author):
    services.project_join(project=project, profile=colleague)
    services.project_join(project=project, profile=outsider)
    with pytest.raises(PermissionDenied):
        services.project_member_remove(project=project, actor=colleague, profile=outsider)


def test_demoted_lead_loses_the_right_to_manage(project, author, colleague, outsider):
    services.project_member_add(project=project, actor=author, profile=colleague, role="lead")
    services.project_member_role_set(project=project, actor=author, profile=colleague, role="member")
    with pytest.raises(PermissionDenied):
        services.project_member_add(project=project, actor=colleague, profile=outsider)


def test_the_last_lead_cannot_be_demoted(project, author):
    with pytest.raises(ValidationError, match="needs a lead"):
        services.project_member_role_set(project=project, actor=author, profile=author, role="member")
    assert _roles(project) == {author.pk: "lead"}


# --- The project page -----------------------------------------------------------------------------


def test_lead_sees_the_add_form_and_remove_buttons_and_a_member_does_not(project, author, colleague):
    services.project_join(project=project, profile=colleague)
    lead_page = signed_in(author).get(project.get_absolute_url()).content.decode()
    assert reverse("projects:member_add", args=[project.pk]) in lead_page
    assert reverse("projects:member_remove", args=[project.pk, colleague.pk]) in lead_page
    assert reverse("profiles:suggest") in lead_page
    member_page = signed_in(colleague).get(project.get_absolute_url()).content.decode()
    assert reverse("projects:member_add", args=[project.pk]) not in member_page
    assert "/remove/" not in member_page


def test_lead_adds_a_colleague_picked_from_the_list(project, author, colleague):
    response = signed_in(author).post(
        reverse("projects:member_add", args=[project.pk]),
        {"recipient": "Colin Colleague <colin@example.com>", "role": "advisor"},
        follow=True,
    )
    assert "Colin Colleague is now on the project as an advisor." in _messages(response)
    assert _roles(project)[colleague.pk] == "advisor"


def test_lead_adds_a_colleague_by_typed_email(project, author, colleague):
    signed_in(author).post(
        reverse("projects:member_add", args=[project.pk]),
        {"recipient": "COLIN@example.com", "role": "member"},
    )
    assert _roles(project)[colleague.pk] == "member"


def test_non_lead_gets_403_on_every_member_action(project, author, colleague, outsider):
    services.project_join(project=project, profile=colleague)
    c = signed_in(colleague)
    add = c.post(reverse("projects:member_add", args=[project.pk]), {"recipient": "olga@example.com"})
    role = c.post(reverse("projects:member_role", args=[project.pk, author.pk]), {"role": "member"})
    remove = c.post(reverse("projects:member_remove", args=[project.pk, author.pk]))
    outsider_add = signed_in(outsider).post(
        reverse("projects:member_add", args=[project.pk]), {"recipient": "", "role": "bogus"}
    )
    assert [add.status_code, role.status_code, remove.status_code, outsider_add.status_code] == [403] * 4
    assert _roles(project) == {author.pk: "lead", colleague.pk: "member"}


def test_member_actions_need_a_post(project, author, colleague):
    c = signed_in(author)
    assert c.get(reverse("projects:member_add", args=[project.pk])).status_code == 405
    assert c.get(reverse("projects:member_remove", args=[project.pk, colleague.pk])).status_code == 405


@pytest.mark.parametrize(
    "recipient,role,error",
    [
        ("ghost@example.com", "member", "Nobody with the email “ghost@example.com” works here."),
        ("", "member", "Type the email of the colleague to add."),
        ("colin@example.com", "owner", "Choose a role from the list."),
        ("gus@example.com", "member", "Gus Gone no longer works here, so they can't be added."),
        ("ada@example.com", "member", "Ada Author is already on this project."),
    ],
)
def test_bad_additions_say_why_and_add_nobody(project, author, colleague, recipient, role, error):
    ProfileFactory(display_name="Gus Gone", user__email="gus@example.com", user__is_active=False)
    response = signed_in(author).post(
        reverse("projects:member_add", args=[project.pk]), {"recipient": recipient, "role": role}, follow=True
    )
    assert response.status_code == 200
    assert error in _messages(response)
    assert _roles(project) == {author.pk: "lead"}
    project.refresh_from_db()
    assert project.member_count == 1


def test_lead_removes_a_member_from_the_page(project, author, colleague):
    services.project_join(project=project, profile=colleague)
    response = signed_in(author).post(
        reverse("projects:member_remove", args=[project.pk, colleague.pk]), follow=True
    )
    assert "Colin Colleague is no longer on the project." in _messages(response)
    project.refresh_from_db()
    assert project.member_count == 1


def test_removing_the_last_lead_from_the_page_says_why(project, author):
    response = signed_in(author).post(
        reverse("projects:member_remove", args=[project.pk, author.pk]), follow=True
    )
    assert "Ada Author is the project's only lead: make someone else a lead first." in _messages(response)
    assert _roles(project) == {author.pk: "lead"}


def test_demoting_the_last_lead_from_the_page_says_why(project, author):
    response = signed_in(author).post(
        reverse("projects:member_role", args=[project.pk, author.pk]), {"role": "advisor"}, follow=True
    )
    assert "A project needs a lead: make someone else a lead first." in _messages(response)
    assert _roles(project) == {author.pk: "lead"}


def test_a_member_leaves_from_the_page(project, colleague):
    services.project_join(project=project, profile=colleague)
    response = signed_in(colleague).post(reverse("projects:leave", args=[project.pk]), follow=True)
    assert "You left the project." in _messages(response)
    assert not ProjectMember.objects.filter(project=project, profile=colleague).exists()


def test_detail_query_count_for_a_lead_holds_with_many_members(
    project, author, django_assert_max_num_queries
):
    for _ in range(15):
        services.project_member_add(project=project, actor=author, profile=ProfileFactory())
    c = signed_in(author)
    c.get(project.get_absolute_url())  # the day's first visit also records activity
    # session, user, project, its tags, profile, members, updates, the viewer's groups
    with django_assert_max_num_queries(9):
        assert c.get(project.get_absolute_url()).status_code == 200
