"""Single sign-on against a real OpenID Connect provider on loopback: who gets in, as whom, and who is
refused."""

import pytest
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.test import Client

from profiles.models import User
from tests.accounts.oidc import signed_in_user
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what UserFactory sets


def _verified_person(email: str, name: str) -> User:
    user = ProfileFactory(user__email=email, display_name=name).user
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def test_verified_first_sign_in_creates_the_person_from_the_claims(oidc_provider):
    oidc_provider.add_person(
        sub="sub-sam", username="sam", email="sam.s@example.com", email_verified=True, name="Samantha Sample"
    )
    browser = Client()

    response = oidc_provider.sign_in(browser, username="sam")

    assert response.status_code == 200
    assert "Samantha Sample" in response.content.decode()
    user = signed_in_user(browser)
    assert user.email == "sam.s@example.com"
    assert user.profile.display_name == "Samantha Sample"
    assert not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "sub-sam"
    assert EmailAddress.objects.get(user=user).verified is True


def test_repeat_sign_in_reuses_the_account(oidc_provider):
    oidc_provider.add_person(sub="sub-sam", username="sam", email="sam.s@example.com", email_verified=True)
    oidc_provider.sign_in(Client(), username="sam")
    first = User.objects.get()
    browser = Client()

    oidc_provider.sign_in(browser, username="sam")

    assert signed_in_user(browser) == first
    assert User.objects.count() == 1
    assert SocialAccount.objects.count() == 1


def test_verified_email_links_to_the_existing_account_and_its_password_keeps_working(oidc_provider):
    dana = _verified_person("dana@example.com", "Dana Existing")
    oidc_provider.add_person(sub="sub-dana", username="dana", email="dana@example.com", email_verified=True)
    browser = Client()

    response = oidc_provider.sign_in(browser, username="dana")

    assert "Dana Existing" in response.content.decode()
    assert signed_in_user(browser) == dana
    assert SocialAccount.objects.get(uid="sub-dana").user == dana
    assert Client().login(email="dana@example.com", password=PASSWORD)
    assert User.objects.count() == 1


def test_a_wrong_password_at_the_provider_signs_nobody_in(oidc_provider):
    oidc_provider.add_person(sub="sub-sam", username="sam", email="sam@example.com", email_verified=True)
    browser = Client()

    with pytest.raises(AssertionError, match="Provider refused sign-in"):
        oidc_provider.sign_in(browser, username="sam", password="not-it")

    assert signed_in_user(browser) is None
    assert not User.objects.exists()


def test_deactivated_person_is_refused_on_hives_page(oidc_provider):
    dana = _verified_person("dana@example.com", "Dana Departed")
    dana.is_active = False
    dana.save(update_fields=["is_active"])
    oidc_provider.add_person(sub="sub-dana", username="dana", email="dana@example.com", email_verified=True)
    browser = Client()

    response = oidc_provider.sign_in(browser, username="dana")

    assert response.status_code == 403
    assert "Your Hive account is deactivated" in response.content.decode()
    assert signed_in_user(browser) is None
    assert not SocialAccount.objects.exists()
    assert User.objects.count() == 1


def test_deactivated_person_already_connected_is_refused(oidc_provider):
    oidc_provider.add_person(sub="sub-sam", username="sam", email="sam@example.com", email_verified=True)
    oidc_provider.sign_in(Client(), username="sam")
    User.objects.filter(email="sam@example.com").update(is_active=False)
    browser = Client()

    response = oidc_provider.sign_in(browser, username="sam")

    assert response.status_code == 403
    assert "Your Hive account is deactivated" in response.content.decode()
    assert signed_in_user(browser) is None


def test_disallowed_domain_is_refused_on_hives_page_and_creates_no_account(oidc_provider):
    oidc_provider.add_person(sub="sub-out", username="otto", email="otto@gmail.com", email_verified=True)
    browser = Client()

    response = oidc_provider.sign_in(browser, username="otto")

    assert response.status_code == 403
    page = response.content.decode()
    assert '<h1 id="sso-refused-title">Sign-up is limited to company addresses</h1>' in page
    assert "otto@gmail.com, but sign-up is limited to company addresses: @example.com." in page
    assert "No Hive account was created or changed." in page
    assert signed_in_user(browser) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()


def test_missing_email_claim_is_refused_on_hives_page_and_creates_no_account(oidc_provider):
    oidc_provider.add_person(sub="sub-anon", username="anon", name="No Email")
    browser = Client()

    response = oidc_provider.sign_in(browser, username="anon")

    assert response.status_code == 403
    assert "did not tell Hive your email address" in response.content.decode()
    assert signed_in_user(browser) is None
    assert not User.objects.exists()
    assert not SocialAccount.objects.exists()
