"""SSO-only mode (HIVE_SSO_ONLY): no password sign-in, sign-up or reset, except for the named break-glass
administrators; the sign-in page offers single sign-on alone, which keeps working."""

import pytest
from django.core import mail
from django.test import Client

from profiles.models import User
from tests.accounts.oidc import signed_in_user
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what UserFactory sets
PASSWORD_FIELD = 'name="password"'
SSO_BUTTON = 'href="/accounts/oidc/sso/login/?process=login">Company SSO</a>'


@pytest.fixture
def sso_only(settings, oidc_provider):
    settings.HIVE_SSO_ONLY = True
    settings.HIVE_SSO_BREAK_GLASS_EMAILS = ["admin@example.com"]
    return oidc_provider


@pytest.fixture
def employee():
    return ProfileFactory(user__email="emma@example.com").user


@pytest.fixture
def break_glass_admin():
    return ProfileFactory(user__email="admin@example.com", user__is_staff=True, user__is_superuser=True).user


def test_sign_in_page_offers_only_single_sign_on(sso_only, client):
    page = client.get("/accounts/login/").content.decode()

    assert SSO_BUTTON in page
    assert PASSWORD_FIELD not in page
    assert "sign up" not in page
    assert "Or use a third-party" not in page


def test_sign_in_page_offers_passwords_when_sso_only_is_off(oidc_provider, client):
    page = client.get("/accounts/login/").content.decode()

    assert PASSWORD_FIELD in page
    assert SSO_BUTTON in page


def test_employee_password_sign_in_is_refused_with_a_clear_message(sso_only, employee, client):
    response = client.post("/accounts/login/", {"login": "emma@example.com", "password": PASSWORD})

    assert "Password sign-in is turned off: sign in with Company SSO instead." in response.content.decode()
    assert signed_in_user(client) is None


def test_employee_cannot_use_the_admin_login_either(sso_only, client):
    ProfileFactory(user__email="staff@example.com", user__is_staff=True)

    client.post("/admin/login/", {"username": "staff@example.com", "password": PASSWORD})

    assert signed_in_user(client) is None


def test_break_glass_admin_signs_in_with_a_password(sso_only, break_glass_admin, client):
    page = client.get("/accounts/login/?break_glass=1").content.decode()
    assert PASSWORD_FIELD in page

    client.post("/accounts/login/", {"login": "Admin@example.com", "password": PASSWORD, "break_glass": "1"})

    assert signed_in_user(client) == break_glass_admin


def test_break_glass_form_stays_after_a_wrong_password(sso_only, break_glass_admin, client):
    response = client.post(
        "/accounts/login/", {"login": "admin@example.com", "password": "wrong", "break_glass": "1"}
    )

    page = response.content.decode()
    assert PASSWORD_FIELD in page
    assert "not correct" in page
    assert signed_in_user(client) is None


def test_sign_up_is_closed_and_creates_nobody(sso_only, client):
    response = client.post(
        "/accounts/signup/",
        {"email": "new@example.com", "password1": "A-long-pass-9", "password2": "A-long-pass-9"},
    )

    assert "Sign Up Closed" in response.content.decode()
    assert not User.objects.exists()


def test_password_reset_sends_no_reset_link_but_says_how_to_sign_in(sso_only, employee, client):
    client.post("/accounts/password/reset/", {"email": "emma@example.com"})

    assert len(mail.outbox) == 1
    assert "no password to reset" in mail.outbox[0].subject
    assert "Company SSO" in mail.outbox[0].body
    assert "/accounts/password/reset/key/" not in mail.outbox[0].body


def test_break_glass_admin_can_still_reset_their_password(sso_only, break_glass_admin, client):
    client.post("/accounts/password/reset/", {"email": "admin@example.com"})

    assert len(mail.outbox) == 1
    assert "/accounts/password/reset/key/" in mail.outbox[0].body


def test_single_sign_on_keeps_working(sso_only):
    sso_only.add_person(sub="sub-emma", username="emma", email="emma@example.com", email_verified=True)
    browser = Client()

    sso_only.sign_in(browser, username="emma")

    assert signed_in_user(browser).email == "emma@example.com"
