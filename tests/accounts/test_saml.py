"""SAML 2.0 sign-in (allauth's SAML provider) under the same rules as OpenID Connect: the account is
found by the subject (persistent NameID), an email joins or creates an account only when the IdP
asserts it verified (or is declared authoritative), and a response Hive did not ask for, or signed by
another key, is refused."""

import pytest
from allauth.socialaccount.models import SocialAccount

from profiles.models import User
from tests.accounts.saml_idp import AUDIENCE, LOGIN, SamlIdp
from tests.accounts.saml_idp import saml_sign_in as sign_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("saml_host")]


def test_a_verified_first_sign_in_creates_the_person_and_a_repeat_reuses_the_account(client, saml):
    answer = sign_in(client, saml, subject="00u-riley", email="riley.stone@example.com")
    assert answer.status_code == 200
    user = User.objects.get(email="riley.stone@example.com")
    assert answer.wsgi_request.user == user
    assert user.profile.display_name == "Riley Stone"
    assert SocialAccount.objects.get(user=user).uid == "00u-riley"
    client.logout()
    again = sign_in(client, saml, subject="00u-riley", email="riley.stone@example.com")
    assert again.wsgi_request.user == user
    assert User.objects.filter(email="riley.stone@example.com").count() == 1


def test_an_hr_imported_person_signs_in_to_their_own_account(client, saml):
    imported = ProfileFactory(user__email="dana.fox@example.com")
    from profiles.services import company_addresses_verify

    company_addresses_verify(users=[imported.user])
    answer = sign_in(client, saml, subject="00u-dana", email="dana.fox@example.com")
    assert answer.wsgi_request.user == imported.user


def test_an_unverified_email_neither_creates_nor_joins_an_account(client, saml):
    victim = ProfileFactory(user__email="moderator@example.com")
    answer = sign_in(client, saml, subject="00u-attacker", email="moderator@example.com", verified="false")
    assert not answer.wsgi_request.user.is_authenticated
    assert not SocialAccount.objects.exists()
    answer = sign_in(client, saml, subject="00u-new", email="new.hire@example.com", verified=None)
    assert answer.status_code == 403
    assert not User.objects.filter(email="new.hire@example.com").exists()
    assert not SocialAccount.objects.filter(user=victim.user).exists()


def test_an_authoritative_idp_needs_no_email_verified_attribute(client, idp, settings):
    settings.SOCIALACCOUNT_PROVIDERS = idp.app_settings(authoritative=True)
    answer = sign_in(client, idp, subject="00u-kai", email="kai.moss@example.com", verified=None)
    assert answer.wsgi_request.user.email == "kai.moss@example.com"


def test_another_domain_is_refused_with_hives_page(client, saml):
    answer = sign_in(client, saml, subject="00u-ext", email="someone@elsewhere.org")
    assert answer.status_code == 403
    assert b"company addresses" in answer.content or b"example.com" in answer.content
    assert not User.objects.filter(email="someone@elsewhere.org").exists()


@pytest.mark.parametrize("tampering", ["unsigned", "signed-by-another-key", "another-issuer"], ids=str)
def test_a_response_hive_cannot_trust_signs_nobody_in(client, saml, tampering):
    options = {
        "unsigned": {"sign": False},
        "signed-by-another-key": {"signer": SamlIdp.create()},
        "another-issuer": {"issuer": "https://evil.example.test/saml"},
    }[tampering]
    answer = sign_in(client, saml, subject="00u-mallory", email="mallory@example.com", **options)
    assert not answer.wsgi_request.user.is_authenticated
    assert not User.objects.filter(email="mallory@example.com").exists()


def test_an_unsolicited_response_is_refused(client, saml):
    client.post(LOGIN)  # a session, but this response answers no request Hive sent
    saml_response = saml.response(
        request_id="_not-a-request-hive-sent", acs="http://hive.example.com/accounts/saml/company/acs/",
        audience=AUDIENCE, subject="00u-x", attributes={"email": "x@example.com", "email_verified": "true"},
    )  # fmt: skip
    answer = client.post("/accounts/saml/company/acs/", {"SAMLResponse": saml_response}, follow=True)
    assert not answer.wsgi_request.user.is_authenticated
    assert not User.objects.filter(email="x@example.com").exists()


def test_a_response_without_an_email_is_refused_with_hives_page(client, saml):
    answer = sign_in(client, saml, subject="00u-noemail", email=None)
    assert answer.status_code == 403
    assert b"did not include an email address" in answer.content
    assert not SocialAccount.objects.exists()


def test_a_deactivated_person_is_refused_with_hives_page(client, saml):
    from profiles.services import company_addresses_verify

    gone = ProfileFactory(user__email="left@example.com", user__is_active=False)
    company_addresses_verify(users=[gone.user])
    answer = sign_in(client, saml, subject="00u-left", email="left@example.com")
    assert answer.status_code == 403
    assert b"deactivated" in answer.content
    assert not answer.wsgi_request.user.is_authenticated
    assert not SocialAccount.objects.filter(user=gone.user).exists()
