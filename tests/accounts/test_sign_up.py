"""Sign-up is for company addresses only (settings.HIVE_SIGNUP_DOMAINS), by password or through SSO, and
every new account comes with a profile."""

import pytest
from allauth.account.models import EmailAddress
from allauth.core.context import request_context
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.urls import reverse

from digests.selectors import digest_setting_of
from profiles.adapters import CompanySocialAccountAdapter
from profiles.forms import SsoSignupForm
from profiles.models import Profile, User

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "a-long-and-unusual-passphrase"


def _sign_up(client, email: str):
    return client.post(
        "/accounts/signup/", {"email": email, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD}
    )


def test_company_address_signs_up_and_gets_a_profile(client):
    response = _sign_up(client, "new.starter@example.com")

    assert response.status_code == 302
    user = User.objects.get(email="new.starter@example.com")
    profile = Profile.objects.get(user=user)
    assert profile.display_name == "New Starter"
    assert digest_setting_of(profile_id=profile.pk).frequency == "daily"  # the digest is on by default
    # Signed in straight away, and the feed opens.
    assert client.get(reverse("feed:home")).status_code == 200


def test_company_address_in_capitals_is_accepted_and_stored_in_lower_case(client):
    response = _sign_up(client, "New.Starter@EXAMPLE.com")

    assert response.status_code == 302
    assert User.objects.get().email == "new.starter@example.com"
    assert Profile.objects.count() == 1


@pytest.mark.parametrize(
    "email",
    [
        "someone@gmail.com",
        "someone@mail.example.com",  # a subdomain is another domain
        "someone@example.com.evil.org",
        "someone@notexample.com",
    ],
)
def test_outside_address_is_refused_with_a_clear_error_and_no_account(client, email):
    response = _sign_up(client, email)

    assert response.status_code == 200
    assert "Sign-up is limited to company addresses: @example.com." in response.content.decode()
    assert not User.objects.exists()
    assert not Profile.objects.exists()


def test_signup_domains_come_from_settings(client, settings):
    settings.HIVE_SIGNUP_DOMAINS = ["hive.test", "example.org"]

    refused = _sign_up(client, "someone@example.com")
    accepted = _sign_up(client, "someone@example.org")

    assert "@hive.test, @example.org" in refused.content.decode()
    assert accepted.status_code == 302
    assert list(User.objects.values_list("email", flat=True)) == ["someone@example.org"]


def test_nobody_signs_up_when_no_domain_is_configured(client, settings):
    settings.HIVE_SIGNUP_DOMAINS = []

    response = _sign_up(client, "someone@example.com")

    assert response.status_code == 200
    assert "(none configured)" in response.content.decode()
    assert not User.objects.exists()


def test_signing_up_twice_with_one_address_is_refused(client):
    _sign_up(client, "ada@example.com")
    client.logout()

    response = _sign_up(client, "ADA@example.com")

    assert response.status_code == 200
    assert "already registered" in response.content.decode()
    assert User.objects.count() == 1


# --- Single sign-on -----------------------------------------------------------------------


def _request():
    request = RequestFactory().get("/accounts/oidc/sso/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def _sso_login(email: str, extra_data: dict | None = None, *, verified: bool = True) -> SocialLogin:
    return SocialLogin(
        user=User(email=email),
        account=SocialAccount(provider="sso", uid=f"uid-{email}", extra_data=extra_data or {}),
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)] if email else [],
    )


@pytest.mark.parametrize("email", ["sam@example.com", "Sam@EXAMPLE.COM"])
def test_sso_sign_up_is_open_to_company_addresses(email):
    request = _request()

    assert CompanySocialAccountAdapter(request).is_open_for_signup(request, _sso_login(email)) is True


@pytest.mark.parametrize("email", ["sam@gmail.com", "sam@sub.example.com", ""])
def test_sso_sign_up_is_closed_to_other_or_missing_addresses(email):
    request = _request()

    assert CompanySocialAccountAdapter(request).is_open_for_signup(request, _sso_login(email)) is False


def test_sso_sign_up_is_closed_to_an_address_the_provider_did_not_verify():
    request = _request()
    sociallogin = _sso_login("sam@example.com", verified=False)

    assert CompanySocialAccountAdapter(request).is_open_for_signup(request, sociallogin) is False


def test_sso_sign_up_creates_a_profile_named_as_the_identity_provider_says():
    request = _request()
    sociallogin = _sso_login("sam.s@example.com", {"userinfo": {"name": "Samantha Sample"}})

    with request_context(request):  # as allauth's views set it up
        user = CompanySocialAccountAdapter(request).save_user(request, sociallogin)

    assert Profile.objects.get(user=user).display_name == "Samantha Sample"
    assert not user.has_usable_password()


def test_sso_sign_up_form_keeps_the_address_the_provider_vouched_for():
    # Hive refuses every SSO sign-in that would reach this form; should one reach it anyway, a typed-in
    # address is ignored.
    form = SsoSignupForm(data={"email": "new.hire@example.com"}, sociallogin=_sso_login("sam@example.com"))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["email"] == "sam@example.com"
