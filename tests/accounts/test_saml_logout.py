"""SAML single logout, both ways: signing out of Hive after a SAML sign-in signs out at the IdP too
(and Hive accepts only the IdP's signed answer to its own request), and a signed LogoutRequest from the
IdP ends every Hive session of the person it names. Unsigned or foreign logout messages change nothing."""

import datetime as dt

import pytest
from django.test import Client

from tests.accounts.oidc import signed_in_user
from tests.accounts.saml_idp import HOST, SLO_URL, SLS, SamlIdp, saml_sign_in
from tests.factories import ProfileFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("saml_host")]

RILEY = {"subject": "00u-riley", "email": "riley.stone@example.com"}


def browser() -> Client:
    return Client(HTTP_HOST=HOST)


def sign_out(client) -> str:
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    return response["Location"]


def test_signing_out_sends_a_logout_request_for_this_session_and_the_idps_answer_completes_it(client, saml):
    saml_sign_in(client, saml, session_index="_session-at-idp-1", **RILEY)
    assert signed_in_user(client).email == RILEY["email"]

    to_idp = sign_out(client)

    assert to_idp.startswith(SLO_URL + "?")
    request = SamlIdp.logout_request_of(to_idp)
    assert request["name_id"] == "00u-riley" and request["session_index"] == "_session-at-idp-1"
    assert signed_in_user(client) is None  # Hive's own session ended before the browser left
    answer = client.get(
        SLS,
        saml.logout_response(
            in_response_to=request["id"], destination=SLS, relay_state=request["relay_state"]
        ),
    )
    assert answer.status_code == 302 and answer["Location"] == f"http://{HOST}/"
    page = client.get(answer["Location"], follow=True)
    assert b"signed out of Hive and of your company sign-in" in page.content
    # The same answer a second time is not one Hive is waiting for.
    replay = client.get(
        SLS,
        saml.logout_response(
            in_response_to=request["id"], destination=SLS, relay_state=request["relay_state"]
        ),
    )
    assert replay.status_code == 400


def test_with_a_key_pair_hive_signs_its_logout_request(client, idp, settings):
    hive_keys = SamlIdp.create()
    settings.SOCIALACCOUNT_PROVIDERS = idp.app_settings(sp=hive_keys)
    saml_sign_in(client, idp, **RILEY)

    request = SamlIdp.logout_request_of(sign_out(client), sp_cert=hive_keys.cert)

    assert request["signed"]
    metadata = client.get("/accounts/saml/company/metadata/").content.decode()
    assert "".join(hive_keys.cert.splitlines()[1:-1]) in metadata
    assert (
        f'SingleLogoutService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-Redirect" Location="{SLS}"'
        in metadata
    )


@pytest.mark.parametrize(
    "tampering",
    ["unsigned", "signed-by-another-key", "another-issuer", "answers-another-request", "not-success"],
)
def test_a_logout_response_hive_cannot_trust_is_refused_with_hives_page(client, saml, tampering):
    saml_sign_in(client, saml, **RILEY)
    request = SamlIdp.logout_request_of(sign_out(client))
    signer = SamlIdp.create() if tampering == "signed-by-another-key" else saml
    options = {
        "unsigned": {"sign": False},
        "another-issuer": {"issuer": "https://evil.example.test/saml"},
        "answers-another-request": {"in_response_to": "_not-a-request-hive-sent"},
        "not-success": {"status": "urn:oasis:names:tc:SAML:2.0:status:Responder"},
    }.get(tampering, {})
    params = signer.logout_response(
        **{
            "in_response_to": request["id"],
            "destination": SLS,
            "relay_state": request["relay_state"],
            **options,
        }
    )

    answer = client.get(SLS, params)

    assert answer.status_code == 400
    assert b"did not confirm" in answer.content
    assert signed_in_user(client) is None


def test_password_sign_in_signs_out_of_hive_only(client, saml):
    ProfileFactory(user__email="pat@example.com")
    client.login(email="pat@example.com", password="correct-horse-battery")

    assert sign_out(client) == "/"


@pytest.mark.parametrize("switch", ["setting-off", "idp-without-logout-url"])
def test_without_single_logout_signing_out_ends_hives_session_only(client, idp, settings, switch):
    settings.SOCIALACCOUNT_PROVIDERS = idp.app_settings(slo=switch != "idp-without-logout-url")
    settings.HIVE_SAML_SINGLE_LOGOUT = switch != "setting-off"
    saml_sign_in(client, idp, **RILEY)

    assert sign_out(client) == "/"
    assert signed_in_user(client) is None


@pytest.fixture
def riley_on_two_devices_and_a_colleague(saml):
    laptop, phone, colleague = browser(), browser(), browser()
    saml_sign_in(laptop, saml, **RILEY)
    saml_sign_in(phone, saml, **RILEY)
    saml_sign_in(colleague, saml, subject="00u-kai", email="kai.moss@example.com", name="Kai Moss")
    assert signed_in_user(phone).email == RILEY["email"]
    return laptop, phone, colleague


def test_a_logout_request_from_the_idp_ends_every_session_of_that_person(
    saml, riley_on_two_devices_and_a_colleague
):
    laptop, phone, colleague = riley_on_two_devices_and_a_colleague

    answer = laptop.get(SLS, saml.logout_request(name_id="00u-riley", destination=SLS, session_index="_s"))

    assert answer.status_code == 302
    response = SamlIdp.logout_response_of(answer["Location"])
    assert response["status"] == "urn:oasis:names:tc:SAML:2.0:status:Success"
    assert signed_in_user(laptop) is None
    assert signed_in_user(phone) is None
    assert signed_in_user(colleague).email == "kai.moss@example.com"
    # Riley can sign in again afterwards.
    saml_sign_in(phone, saml, **RILEY)
    assert signed_in_user(phone).email == RILEY["email"]


def test_hives_answer_to_a_logout_request_is_signed_when_hive_has_a_key_pair(idp, settings):
    settings.SOCIALACCOUNT_PROVIDERS = idp.app_settings(sp=SamlIdp.create())
    laptop = browser()
    saml_sign_in(laptop, idp, **RILEY)

    answer = laptop.get(SLS, idp.logout_request(name_id="00u-riley", destination=SLS))

    assert SamlIdp.logout_response_of(answer["Location"])["signed"]
    assert signed_in_user(laptop) is None


@pytest.mark.parametrize(
    "tampering", ["unsigned", "signed-by-another-key", "another-issuer", "expired", "for-another-sp"]
)
def test_a_logout_request_hive_cannot_trust_ends_no_session(
    saml, riley_on_two_devices_and_a_colleague, tampering
):
    laptop, phone, _ = riley_on_two_devices_and_a_colleague
    signer = SamlIdp.create() if tampering == "signed-by-another-key" else saml
    options = {
        "unsigned": {"sign": False},
        "another-issuer": {"issuer": "https://evil.example.test/saml"},
        "expired": {"expires_in": dt.timedelta(minutes=-1)},
        "for-another-sp": {"destination": "https://other-app.example.test/saml/sls/"},
    }.get(tampering, {})
    params = signer.logout_request(name_id="00u-riley", **{"destination": SLS, **options})

    answer = laptop.get(SLS, params)

    assert answer.status_code == 400
    assert b"no session was ended" in answer.content
    assert signed_in_user(laptop).email == RILEY["email"]
    assert signed_in_user(phone).email == RILEY["email"]


def test_the_logout_service_without_a_message_says_so(client, saml):
    assert client.get(SLS).status_code == 400
