"""SCIM 2.0 as Entra ID and Okta drive it: the request sequences their documentation describes for a
SCIM client (find by userName, create, PATCH in each one's shape, deactivate, group membership add and
remove), bad tokens, bad bodies, and nothing half-applied."""

import json

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from communities.models import Community, Membership
from communities.services import community_create
from profiles.models import Profile, User
from provisioning import services
from provisioning.models import ScimEvent, ScimIdentity
from provisioning.scim import ENTERPRISE, PATCH_SCHEMA
from tests.factories import DepartmentFactory, ProfileFactory

pytestmark = pytest.mark.django_db


def entra_user(user_name="alex.kim@example.com", **extra):
    # The body Entra ID's provisioning service sends (its documented SCIM request for a new user).
    body = {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User", ENTERPRISE],
        "externalId": "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef",
        "userName": user_name,
        "active": True,
        "emails": [{"primary": True, "type": "work", "value": user_name}],
        "meta": {"resourceType": "User"},
        "name": {"formatted": "Alex Kim", "familyName": "Kim", "givenName": "Alex"},
        "title": "Data Analyst",
        "addresses": [{"type": "work", "formatted": "Lisbon"}],
        ENTERPRISE: {"department": "Finance"},
    }
    body.update(extra)
    return body


def okta_user(user_name="sam.lee@example.com"):
    # Okta's documented "Create User" request.
    return {
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": user_name,
        "name": {"givenName": "Sam", "familyName": "Lee"},
        "emails": [{"primary": True, "value": user_name, "type": "work"}],
        "displayName": "Sam Lee",
        "locale": "en-US",
        "externalId": "00ujl29u0le5T6Aj10h7",
        "groups": [],
        "password": "ignored-by-hive",
        "active": True,
    }


def patch(*operations):
    return {"schemas": [PATCH_SCHEMA], "Operations": list(operations)}


def test_entra_id_creates_finds_updates_and_deactivates_a_person(scim, client):
    found = scim("GET", 'Users?filter=userName eq "alex.kim@example.com"').json()
    assert found["totalResults"] == 0

    created = scim("POST", "Users", entra_user())
    assert created.status_code == 201, created.content
    resource = created.json()
    assert created["Location"].endswith(f"/scim/v2/Users/{resource['id']}")
    profile = Profile.objects.select_related("user", "department", "location").get(pk=resource["id"])
    assert (profile.display_name, profile.job_title) == ("Alex Kim", "Data Analyst")
    assert (profile.department.name, profile.location.name) == ("Finance", "Lisbon")
    assert profile.user.email == "alex.kim@example.com" and not profile.user.has_usable_password()
    # The company created the account, so single sign-on may link to it (profiles/sso.py).
    assert EmailAddress.objects.filter(
        user=profile.user, email="alex.kim@example.com", verified=True
    ).exists()

    found = scim("GET", 'Users?filter=userName eq "Alex.Kim@example.com"').json()
    assert [r["id"] for r in found["Resources"]] == [resource["id"]]
    by_external = scim("GET", 'Users?filter=externalId eq "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"').json()
    assert by_external["totalResults"] == 1

    boss = ProfileFactory(display_name="Bo Boss")
    answer = scim(
        "PATCH",
        f"Users/{resource['id']}",
        patch(
            {"op": "Replace", "path": "title", "value": "Senior Data Analyst"},
            {"op": "Replace", "path": f"{ENTERPRISE}:department", "value": "Data"},
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": str(boss.pk)},
            {"op": "Replace", "path": 'addresses[type eq "work"].formatted', "value": "Berlin"},
        ),
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()[ENTERPRISE]["manager"]["value"] == str(boss.pk)
    profile.refresh_from_db()
    assert (profile.job_title, profile.department.name, profile.location.name) == (
        "Senior Data Analyst",
        "Data",
        "Berlin",
    )
    assert profile.manager_id == boss.pk

    client.force_login(profile.user)
    assert client.get("/").status_code == 200
    answer = scim(
        "PATCH", f"Users/{resource['id']}", patch({"op": "Replace", "path": "active", "value": "False"})
    )
    assert answer.status_code == 200 and answer.json()["active"] is False
    # Deactivation ends the person's sessions at once: their very next request is signed out.
    assert client.get("/").status_code == 302
    actions = list(ScimEvent.objects.order_by("id").values_list("action", flat=True))
    assert actions == ["create", "update", "deactivate"]


def test_okta_creates_replaces_and_deactivates_a_person(scim):
    assert (
        scim("GET", 'Users?filter=userName eq "sam.lee@example.com"&startIndex=1&count=100').json()[
            "Resources"
        ]
        == []
    )
    created = scim("POST", "Users", okta_user()).json()
    user_id = created["id"]
    assert created["displayName"] == "Sam Lee" and created["active"] is True

    replaced = {**okta_user(), "id": user_id, "title": "Account Executive", "displayName": "Samuel Lee"}
    answer = scim("PUT", f"Users/{user_id}", replaced)
    assert answer.status_code == 200
    assert (answer.json()["title"], answer.json()["displayName"]) == ("Account Executive", "Samuel Lee")

    answer = scim("PATCH", f"Users/{user_id}", patch({"op": "replace", "value": {"active": False}}))
    assert answer.json()["active"] is False
    assert not User.objects.get(email="sam.lee@example.com").is_active
    answer = scim("PATCH", f"Users/{user_id}", patch({"op": "replace", "value": {"active": True}}))
    assert User.objects.get(email="sam.lee@example.com").is_active
    assert scim("DELETE", f"Users/{user_id}").status_code == 204
    # Leaving deactivates: what the person wrote stays, and the account can come back.
    assert not User.objects.get(email="sam.lee@example.com").is_active


def test_a_person_the_hr_import_created_is_linked_not_duplicated(scim):
    imported = ProfileFactory(user__email="alex.kim@example.com", display_name="A. Kim")
    answer = scim("POST", "Users", entra_user())
    assert answer.status_code == 201
    assert answer.json()["id"] == str(imported.pk)
    assert User.objects.filter(email="alex.kim@example.com").count() == 1
    imported.refresh_from_db()
    assert imported.display_name == "Alex Kim"
    assert ScimEvent.objects.get().action == "link"
    # The same userName again is a conflict, as SCIM says, not a second account.
    again = scim("POST", "Users", entra_user())
    assert again.status_code == 409 and again.json()["scimType"] == "uniqueness"


def test_role_group_membership_follows_the_provider_group(scim):
    alex = ProfileFactory()
    sam = ProfileFactory()
    created = scim(
        "POST",
        "Groups",
        {
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"],
            "displayName": "Moderators",
            "members": [],
        },
    )
    assert created.status_code == 201
    group_id = created.json()["id"]
    # Entra ID: add members by path "members".
    answer = scim(
        "PATCH",
        f"Groups/{group_id}",
        patch({"op": "Add", "path": "members", "value": [{"value": str(alex.pk)}, {"value": str(sam.pk)}]}),
    )
    assert answer.status_code == 204
    moderators = Group.objects.get(name="Moderators")
    assert set(moderators.user_set.values_list("pk", flat=True)) == {alex.user_id, sam.user_id}
    # Okta: remove one member with a value filter.
    scim("PATCH", f"Groups/{group_id}", patch({"op": "remove", "path": f'members[value eq "{alex.pk}"]'}))
    assert set(moderators.user_set.values_list("pk", flat=True)) == {sam.user_id}
    # Entra ID: remove by path "members" naming them in value.
    scim(
        "PATCH",
        f"Groups/{group_id}",
        patch({"op": "Remove", "path": "members", "value": [{"value": str(sam.pk)}]}),
    )
    assert not moderators.user_set.exists()

    listed = scim("GET", 'Groups?filter=displayName eq "Moderators"&excludedAttributes=members').json()
    assert listed["totalResults"] == 1 and "members" not in listed["Resources"][0]


def test_a_provider_group_named_like_a_hive_group_keeps_its_membership(scim):
    founder = ProfileFactory()
    community = community_create(
        creator=founder, name="Data Guild", description="", category="work", visibility="private"
    )
    alex, sam = ProfileFactory(), ProfileFactory()
    group_id = scim(
        "POST",
        "Groups",
        {"displayName": "Data Guild", "members": [{"value": str(alex.pk)}, {"value": str(sam.pk)}]},
    ).json()["id"]
    members = set(Membership.objects.filter(community=community).values_list("profile_id", flat=True))
    assert members == {founder.pk, alex.pk, sam.pk}
    assert Community.objects.get(pk=community.pk).member_count == 3
    # PUT with the full member list: sam left the provider group; the group's own admin stays.
    scim("PUT", f"Groups/{group_id}", {"displayName": "Data Guild", "members": [{"value": str(alex.pk)}]})
    members = set(Membership.objects.filter(community=community).values_list("profile_id", flat=True))
    assert members == {founder.pk, alex.pk}
    assert Community.objects.get(pk=community.pk).member_count == 2


@pytest.mark.parametrize(
    "authorization",
    ["", "Bearer", "Bearer not-a-token", "Basic dXNlcjpwYXNz", "Token hive_scim_x"],
    ids=["none", "empty-bearer", "wrong-token", "basic", "other-scheme"],
)
def test_requests_without_a_valid_token_get_401_and_change_nothing(client, authorization):
    answer = client.post(
        "/scim/v2/Users",
        data=json.dumps(entra_user()),
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=authorization,
    )
    assert answer.status_code == 401
    assert answer["WWW-Authenticate"].startswith("Bearer")
    assert answer.json()["status"] == "401"
    assert not User.objects.filter(email="alex.kim@example.com").exists()


def test_a_revoked_token_stops_working_and_a_signed_in_admin_is_no_token(scim, client, key):
    assert scim("GET", "Users").status_code == 200
    services.token_revoke(token=services.token_authenticate(key=key))
    assert scim("GET", "Users").status_code == 401
    admin = ProfileFactory(user__is_superuser=True, user__is_staff=True)
    client.force_login(admin.user)
    answer = client.get("/scim/v2/Users")
    assert answer.status_code == 401  # the browser session grants nothing here


@pytest.mark.parametrize(
    ("body", "detail"),
    [
        ("{not json", "not valid JSON"),
        ([1, 2], "JSON object"),
        ({"emails": [{"value": "x@example.com"}]}, "userName is required"),
        ({"userName": "no-address"}, "work email is required"),
        ({"userName": "bad@", "emails": [{"value": "bad@"}]}, "not an email address"),
        ({"userName": "a@example.com", "active": "maybe"}, "active must be true or false"),
        ({"userName": "a@example.com", ENTERPRISE: {"manager": {"value": "999999"}}}, "not a user in Hive"),
        ({"userName": "a@example.com", "title": "x" * 151}, "longer than 150"),
    ],
)
def test_a_malformed_user_gets_a_scim_error_and_nothing_is_written(scim, client, key, body, detail):
    answer = client.post(
        "/scim/v2/Users",
        data=body if isinstance(body, str) else json.dumps(body),
        content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {key}",
    )
    assert answer.status_code == 400, answer.content
    error = answer.json()
    assert error["schemas"] == ["urn:ietf:params:scim:api:messages:2.0:Error"]
    assert detail in error["detail"]
    assert not User.objects.exists() and not ScimIdentity.objects.exists()
    assert ScimEvent.objects.count() == 0


def test_a_patch_that_fails_half_way_changes_nothing(scim):
    user_id = scim("POST", "Users", entra_user()).json()["id"]
    answer = scim(
        "PATCH",
        f"Users/{user_id}",
        patch(
            {"op": "Replace", "path": "title", "value": "Changed"},
            {"op": "Add", "path": f"{ENTERPRISE}:manager", "value": "424242"},
        ),
    )
    assert answer.status_code == 400
    assert Profile.objects.get(pk=user_id).job_title == "Data Analyst"

    group_id = scim("POST", "Groups", {"displayName": "Leadership"}).json()["id"]
    answer = scim(
        "PATCH",
        f"Groups/{group_id}",
        patch({"op": "Add", "path": "members", "value": [{"value": user_id}, {"value": "424242"}]}),
    )
    assert answer.status_code == 400 and "424242" in answer.json()["detail"]
    assert not Group.objects.get(name="Leadership").user_set.exists()


@pytest.mark.parametrize(
    "expression", ['userName eq "unclosed', 'title eq "x"', 'userName xx "a"', "a" * 1001]
)
def test_a_filter_hive_cannot_read_is_a_clear_400(scim, expression):
    answer = scim("GET", f"Users?filter={expression}")
    assert answer.status_code == 400
    assert answer.json()["scimType"] == "invalidFilter" or "1,000" in answer.json()["detail"]


def test_listing_users_costs_the_same_queries_for_10_or_60_people(scim, django_assert_max_num_queries):
    department = DepartmentFactory()
    ProfileFactory.create_batch(10, department=department)
    with django_assert_max_num_queries(4) as small:
        assert len(scim("GET", "Users?count=100").json()["Resources"]) == 10
    ProfileFactory.create_batch(50, department=department)
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert len(scim("GET", "Users?count=100").json()["Resources"]) == 60


def test_a_user_name_that_is_not_the_email_is_found_by_it(scim):
    # Entra ID matches on userPrincipalName, which need not be the mail address.
    body = entra_user(emails=[{"primary": True, "type": "work", "value": "alex.kim@example.com"}])
    body["userName"] = "akim@corp.onmicrosoft.com"
    user_id = scim("POST", "Users", body).json()["id"]

    found = scim("GET", 'Users?filter=userName eq "AKim@corp.onmicrosoft.com"').json()

    assert found["totalResults"] == 1 and found["Resources"][0]["id"] == user_id
    assert found["Resources"][0]["emails"][0]["value"] == "alex.kim@example.com"
    assert scim("GET", 'Users?filter=userName eq "alex.kim@example.com"').json()["totalResults"] == 0


def test_a_put_to_a_company_account_hive_already_had_links_it(scim):
    imported = ProfileFactory(user__email="alex.kim@example.com", display_name="A. Kim")

    answer = scim("PUT", f"Users/{imported.pk}", entra_user())

    assert answer.status_code == 200 and answer.json()["userName"] == "alex.kim@example.com"
    assert ScimIdentity.objects.get(profile=imported).external_id == "0a21f0f2-8d2a-4f8e-bf98-7363c4aed4ef"
    assert set(ScimEvent.objects.values_list("action", flat=True)) == {"link", "update"}


def test_one_patch_adds_and_removes_members_in_order(scim):
    alex, sam, kai = ProfileFactory(), ProfileFactory(), ProfileFactory()
    group_id = scim(
        "POST", "Groups", {"displayName": "Moderators", "members": [{"value": str(kai.pk)}]}
    ).json()["id"]

    answer = scim(
        "PATCH",
        f"Groups/{group_id}",
        patch(
            {"op": "Add", "path": "members", "value": [{"value": str(alex.pk)}, {"value": str(sam.pk)}]},
            {"op": "Remove", "path": f'members[value eq "{sam.pk}"]'},
            {"op": "Remove", "path": "members", "value": [{"value": str(kai.pk)}]},
        ),
    )

    assert answer.status_code == 204
    assert set(Group.objects.get(name="Moderators").user_set.values_list("pk", flat=True)) == {alex.user_id}
    actions = list(ScimEvent.objects.filter(action__startswith="members").values_list("action", "detail"))
    assert ("members_add", {"profiles": [alex.pk]}) in actions
    assert ("members_remove", {"profiles": [kai.pk]}) in actions


def test_adding_members_costs_the_same_queries_for_a_group_of_10_or_300(scim, django_assert_max_num_queries):
    people = Profile.objects.bulk_create(
        [
            Profile(user=User.objects.create_user(email=f"p{i}@example.com"), display_name=f"P {i}")
            for i in range(304)
        ]
    )

    def add_to(group_id, newcomers):
        body = patch({"op": "Add", "path": "members", "value": [{"value": str(p.pk)} for p in newcomers]})
        with django_assert_max_num_queries(14) as captured:
            assert scim("PATCH", f"Groups/{group_id}", body).status_code == 204
        return len(captured)

    small = scim(
        "POST", "Groups", {"displayName": "Small", "members": [{"value": str(p.pk)} for p in people[:10]]}
    )
    large = scim(
        "POST", "Groups", {"displayName": "Large", "members": [{"value": str(p.pk)} for p in people[10:300]]}
    )
    assert add_to(small.json()["id"], people[300:302]) == add_to(large.json()["id"], people[302:304])
