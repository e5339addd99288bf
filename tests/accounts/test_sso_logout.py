"""Signing out of Hive after single sign-on also ends the provider's session (RP-initiated logout), so a
shared computer's next user is not signed straight back in as the last one; HIVE_OIDC_RP_LOGOUT=false
turns it off."""

import pytest
import requests
from django.test import Client

from tests.accounts.oidc import confirm_provider_logout, signed_in_user
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sam(oidc_provider):
    oidc_provider.add_person(sub="sub-sam", username="sam", email="sam@example.com", email_verified=True)
    return oidc_provider


def test_signing_out_ends_the_provider_session_too(sam, oidc_provider):
    hive, at_provider = Client(), requests.Session()
    oidc_provider.sign_in(hive, username="sam", browser=at_provider)

    response = hive.post("/accounts/logout/")

    assert response.status_code == 302
    assert response["Location"].startswith(f"{oidc_provider.issuer}/session/end?")
    assert signed_in_user(hive) is None
    assert confirm_provider_logout(at_provider, response["Location"]) == "http://testserver/"
    # The next person at this computer clicks the SSO button: the provider asks who they are.
    oidc_provider.sign_in(hive, username="sam", browser=at_provider)
    assert oidc_provider.login_forms_filled == 2


def test_with_rp_logout_off_the_provider_session_stays(sam, oidc_provider, settings):
    settings.HIVE_OIDC_RP_LOGOUT = False
    hive, at_provider = Client(), requests.Session()
    oidc_provider.sign_in(hive, username="sam", browser=at_provider)

    response = hive.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert signed_in_user(hive) is None
    # The provider still knows the browser: the next click signs straight back in.
    oidc_provider.sign_in(hive, username="sam", browser=at_provider)
    assert oidc_provider.login_forms_filled == 1
    assert signed_in_user(hive).email == "sam@example.com"


def test_password_sign_in_signs_out_of_hive_only(oidc_provider, client):
    ProfileFactory(user__email="pat@example.com")
    client.login(email="pat@example.com", password="correct-horse-battery")

    response = client.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert signed_in_user(client) is None


def test_an_unreachable_provider_still_signs_out_of_hive(sam, oidc_provider, settings):
    hive = Client()
    oidc_provider.sign_in(hive, username="sam")
    settings.SOCIALACCOUNT_PROVIDERS = oidc_provider.app_settings()
    settings.SOCIALACCOUNT_PROVIDERS["openid_connect"]["APPS"][0]["settings"]["server_url"] = (
        "http://127.0.0.1:9"
    )

    response = hive.post("/accounts/logout/")

    assert response["Location"] == "/"
    assert signed_in_user(hive) is None
