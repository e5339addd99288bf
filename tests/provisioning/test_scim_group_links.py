"""What a provider group grants stays an admin's decision: a linked group the provider renames is
flagged for review in the admin (and keeps granting until an admin changes the link), and an admin can
relink a group to another role, a Hive group, or nothing."""

import pytest
from django.contrib.auth.models import Group

from communities.models import Membership
from communities.services import community_create
from provisioning.models import ScimEvent, ScimGroup
from provisioning.scim import PATCH_SCHEMA
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


def rename(scim, group_id, name, *, shape):
    if shape == "entra":
        operation = {"op": "Replace", "path": "displayName", "value": name}
    else:  # Okta: no path, the attributes as an object
        operation = {"op": "replace", "value": {"id": str(group_id), "displayName": name}}
    return scim("PATCH", f"Groups/{group_id}", {"schemas": [PATCH_SCHEMA], "Operations": [operation]})


@pytest.fixture
def moderators(scim):
    alex = ProfileFactory()
    group_id = scim(
        "POST", "Groups", {"displayName": "Moderators", "members": [{"value": str(alex.pk)}]}
    ).json()["id"]
    return group_id, alex


@pytest.mark.parametrize("shape", ["entra", "okta"])
def test_renaming_a_linked_group_flags_it_and_keeps_what_it_grants(scim, moderators, shape):
    group_id, alex = moderators

    assert rename(scim, group_id, "Former moderators", shape=shape).status_code == 204

    group = ScimGroup.objects.get(pk=group_id)
    assert group.display_name == "Former moderators" and group.renamed_from == "Moderators"
    assert Group.objects.get(name="Moderators").user_set.filter(pk=alex.user_id).exists()
    event = ScimEvent.objects.filter(action="group_update").get()
    assert event.detail["renamed_from"] == "Moderators"
    # A second rename keeps the name the admin last linked.
    rename(scim, group_id, "Old mods", shape=shape)
    assert ScimGroup.objects.get(pk=group_id).renamed_from == "Moderators"


def test_renaming_a_group_linked_to_nothing_needs_no_review(scim):
    group_id = scim("POST", "Groups", {"displayName": "Book club"}).json()["id"]
    rename(scim, group_id, "Readers", shape="entra")
    assert ScimGroup.objects.get(pk=group_id).renamed_from == ""


@pytest.fixture
def admin_client(client):
    admin = ProfileFactory(user__is_superuser=True, user__is_staff=True)
    client.force_login(admin.user)
    return client


def test_the_admin_shows_renamed_groups_for_review_and_saving_confirms_the_link(
    scim, moderators, admin_client
):
    group_id, alex = moderators
    rename(scim, group_id, "Former moderators", shape="entra")

    listing = admin_client.get("/admin/provisioning/scimgroup/?review=needed").content.decode()
    assert "Former moderators" in listing and "Renamed from “Moderators”: check the link" in listing
    page = admin_client.get(f"/admin/provisioning/scimgroup/{group_id}/change/").content.decode()
    assert "The provider renamed “Moderators” to “Former moderators”" in page

    role = Group.objects.get(name="Moderators")
    saved = admin_client.post(f"/admin/provisioning/scimgroup/{group_id}/change/", {"role_group": role.pk})
    assert saved.status_code == 302
    assert ScimGroup.objects.get(pk=group_id).renamed_from == ""
    listing = admin_client.get("/admin/provisioning/scimgroup/?review=needed").content.decode()
    assert "check the link" not in listing and "0 SCIM groups" in listing
    assert role.user_set.filter(pk=alex.user_id).exists()


def test_an_admin_unlinking_a_renamed_role_group_takes_the_role_away(scim, moderators, admin_client):
    group_id, alex = moderators
    rename(scim, group_id, "Former moderators", shape="entra")

    admin_client.post(f"/admin/provisioning/scimgroup/{group_id}/change/", {"role_group": ""})

    assert not Group.objects.get(name="Moderators").user_set.filter(pk=alex.user_id).exists()
    group = ScimGroup.objects.get(pk=group_id)
    assert group.role_group is None and group.renamed_from == ""
    assert list(group.memberships.values_list("profile_id", flat=True)) == [alex.pk]


def test_a_role_kept_by_another_provider_group_survives_the_unlink(scim, moderators, admin_client):
    group_id, alex = moderators
    scim("POST", "Groups", {"displayName": "Leadership", "members": [{"value": str(alex.pk)}]})
    other = ScimGroup.objects.get(display_name="Leadership")
    other.role_group = Group.objects.get(name="Moderators")  # an admin linked it to Moderators too
    other.save()

    admin_client.post(f"/admin/provisioning/scimgroup/{group_id}/change/", {"role_group": ""})

    assert Group.objects.get(name="Moderators").user_set.filter(pk=alex.user_id).exists()


def test_an_admin_can_move_a_group_from_a_role_to_a_hive_group(scim, moderators, admin_client):
    group_id, alex = moderators
    founder = ProfileFactory()
    guild = community_create(
        creator=founder, name="Guild", description="", category="work", visibility="private"
    )

    admin_client.post(
        f"/admin/provisioning/scimgroup/{group_id}/change/", {"role_group": "", "community": guild.pk}
    )

    assert not Group.objects.get(name="Moderators").user_set.filter(pk=alex.user_id).exists()
    assert Membership.objects.filter(community=guild, profile=alex).exists()


def test_a_group_cannot_grant_a_role_and_a_hive_group_at_once(scim, moderators, admin_client):
    group_id, alex = moderators
    guild = community_create(
        creator=ProfileFactory(), name="Guild", description="", category="work", visibility="private"
    )
    role = Group.objects.get(name="Moderators")

    answer = admin_client.post(
        f"/admin/provisioning/scimgroup/{group_id}/change/",
        {"role_group": role.pk, "community": guild.pk},
        follow=True,
    )

    assert b"not both" in answer.content
    assert not Membership.objects.filter(community=guild, profile=alex).exists()
    assert ScimGroup.objects.get(pk=group_id).community is None
