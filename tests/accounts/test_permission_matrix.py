"""The identity permission matrix in one table: who may call SCIM (only a live token, never a browser
session, however privileged), who may manage SCIM tokens and provider groups (admins with the model
permission), and what SSO-only mode leaves to whom (break-glass administrators alone keep passwords).
Each row is a person, a request, and what they must get."""

import json

import pytest
from django.contrib.auth.models import Permission
from django.core import mail

from provisioning import services
from tests.accounts.oidc import signed_in_user
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what UserFactory sets
PEOPLE = ["anonymous", "employee", "token_admin", "superuser", "break_glass"]


@pytest.fixture
def people():
    employee = ProfileFactory(user__email="emma@example.com").user
    token_admin = ProfileFactory(user__email="it@example.com", user__is_staff=True).user
    token_admin.user_permissions.set(
        Permission.objects.filter(
            codename__in=["add_scimtoken", "view_scimtoken", "change_scimgroup", "view_scimgroup"]
        )
    )
    superuser = ProfileFactory(
        user__email="root@example.com", user__is_staff=True, user__is_superuser=True
    ).user
    glass = ProfileFactory(user__email="admin@example.com", user__is_staff=True, user__is_superuser=True).user
    return {
        "anonymous": None,
        "employee": employee,
        "token_admin": token_admin,
        "superuser": superuser,
        "break_glass": glass,
    }


def as_person(client, people, who):
    if people[who] is not None:
        client.force_login(people[who])
    return client


# --- SCIM: a bearer token or nothing --------------------------------------------------------------

SCIM_REQUESTS = {
    "list users": ("GET", "/scim/v2/Users", None, 200),
    "create user": ("POST", "/scim/v2/Users", {"userName": "new@example.com"}, 201),
    "create group": ("POST", "/scim/v2/Groups", {"displayName": "Moderators"}, 201),
    "service config": ("GET", "/scim/v2/ServiceProviderConfig", None, 200),
}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("request_name", SCIM_REQUESTS)
def test_scim_needs_a_token_whoever_is_signed_in(client, people, who, request_name):
    method, path, body, _ = SCIM_REQUESTS[request_name]
    answer = as_person(client, people, who).generic(
        method, path, json.dumps(body) if body else "", content_type="application/scim+json"
    )
    assert answer.status_code == 401 and answer["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("token_state", ["live", "revoked", "wrong"])
@pytest.mark.parametrize("request_name", SCIM_REQUESTS)
def test_scim_answers_a_live_token_only(client, token_state, request_name):
    token, key = services.token_create(name="Okta", created_by=None)
    if token_state == "revoked":
        services.token_revoke(token=token)
    method, path, body, ok = SCIM_REQUESTS[request_name]
    answer = client.generic(
        method, path, json.dumps(body) if body else "", content_type="application/scim+json",
        HTTP_AUTHORIZATION=f"Bearer {key if token_state != 'wrong' else key + 'x'}",
    )  # fmt: skip
    assert answer.status_code == (ok if token_state == "live" else 401)


# --- Managing SCIM: the admin, with the model permission -----------------------------------------

ADMIN_PAGES = ["/admin/provisioning/scimtoken/add/", "/admin/provisioning/scimgroup/"]
ADMIN_EXPECTED = {"anonymous": 302, "employee": 302, "token_admin": 200, "superuser": 200, "break_glass": 200}


@pytest.mark.parametrize("who", PEOPLE)
@pytest.mark.parametrize("page", ADMIN_PAGES)
def test_scim_tokens_and_groups_are_managed_by_admins_with_the_permission(client, people, who, page):
    answer = as_person(client, people, who).get(page)
    assert answer.status_code == ADMIN_EXPECTED[who]
    if answer.status_code == 302:
        assert answer["Location"].startswith(("/admin/login/", "/accounts/login/"))


def test_a_staff_member_without_the_permission_cannot_create_tokens(client):
    staff = ProfileFactory(user__is_staff=True).user
    client.force_login(staff)
    assert client.get("/admin/provisioning/scimtoken/add/").status_code == 403
    assert client.post("/admin/provisioning/scimtoken/add/", {"name": "Mine"}).status_code == 403


# --- SSO-only mode: passwords for break-glass administrators only --------------------------------


@pytest.fixture(params=[True, False], ids=["sso-only", "passwords-allowed"])
def mode(request, saml, settings):
    settings.HIVE_SSO_ONLY = request.param
    settings.HIVE_SSO_BREAK_GLASS_EMAILS = ["admin@example.com"]
    return request.param


@pytest.mark.usefixtures("saml_host")
@pytest.mark.parametrize("who", ["employee", "superuser", "break_glass"])
def test_password_sign_in(client, people, mode, who):
    email = people[who].email
    client.post("/accounts/login/", {"login": email, "password": PASSWORD, "break_glass": "1"})
    allowed = not mode or who == "break_glass"
    assert (signed_in_user(client) is not None) == allowed


@pytest.mark.usefixtures("saml_host")
@pytest.mark.parametrize("who", ["employee", "superuser", "break_glass"])
def test_admin_password_sign_in(client, people, mode, who):
    client.post("/admin/login/", {"username": people[who].email, "password": PASSWORD})
    allowed = who != "employee" and (not mode or who == "break_glass")
    assert client.get("/admin/").status_code == (200 if allowed else 302)


@pytest.mark.usefixtures("saml_host")
@pytest.mark.parametrize("who", ["employee", "break_glass"])
def test_password_reset(client, people, mode, who):
    client.post("/accounts/password/reset/", {"email": people[who].email})
    allowed = not mode or who == "break_glass"
    assert len(mail.outbox) == 1
    assert ("/accounts/password/reset/key/" in mail.outbox[0].body) == allowed


@pytest.mark.usefixtures("saml_host")
def test_password_sign_up_and_the_sign_in_page(client, mode):
    client.post(
        "/accounts/signup/",
        {"email": "newbie@example.com", "password1": "a-Long-passw0rd!", "password2": "a-Long-passw0rd!"},
    )
    assert (signed_in_user(client) is not None) == (not mode)
    client.logout()
    page = client.get("/accounts/login/").content.decode()
    assert "Company SSO (SAML)" in page
    assert ('name="password"' in page) == (not mode)
