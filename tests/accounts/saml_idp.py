"""A SAML 2.0 identity provider for the tests: its own RSA key and certificate, and assertions signed
with them (XML-DSig through xmlsec, as ADFS and Okta sign theirs), answering the AuthnRequest that Hive
sends. What Hive checks on the way in (signature, issuer, audience, destination, InResponseTo, validity
window) is python3-saml's real validation: nothing is mocked on Hive's side.

For single logout it reads Hive's LogoutRequest (checking Hive's signature when Hive has a key pair),
and sends its own LogoutRequest and LogoutResponse signed as the HTTP-Redirect binding prescribes (an
RSA-SHA256 signature over the query string)."""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

import xmlsec
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from config.saml import PERSISTENT, saml_provider

ENTITY_ID = "https://idp.example.test/saml"
SSO_URL = "https://idp.example.test/saml/sso"
SLO_URL = "https://idp.example.test/saml/slo"
SUCCESS = "urn:oasis:names:tc:SAML:2.0:status:Success"


def _key_and_cert() -> tuple[str, str]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test IdP")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=30)).sign(key, hashes.SHA256())
    )  # fmt: skip
    key_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return key_pem, cert.public_bytes(serialization.Encoding.PEM).decode()


@dataclass
class SamlIdp:
    key: str
    cert: str

    @classmethod
    def create(cls) -> SamlIdp:
        return cls(*_key_and_cert())

    def app_settings(
        self, *, authoritative: bool = False, slo: bool = True, sp: SamlIdp | None = None
    ) -> dict:
        """Hive's settings for this IdP; `sp` is a key pair for Hive to sign its logout messages with."""
        return {
            "saml": saml_provider(
                organization="company", name="Company SSO (SAML)", idp_entity_id=ENTITY_ID,
                idp_sso_url=SSO_URL, idp_slo_url=SLO_URL if slo else "", idp_x509cert=self.cert,
                sp_x509cert=sp.cert if sp else "", sp_private_key=sp.key if sp else "",
                verified_email=["example.com"] if authoritative else False,
            )
        }  # fmt: skip

    @staticmethod
    def request_of(redirect_url: str) -> tuple[str, str, str]:
        """Hive's AuthnRequest, read from its redirect to the IdP: (request id, ACS URL, RelayState)."""
        query = parse_qs(urlparse(redirect_url).query)
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
        request_id = re.search(r'ID="([^"]+)"', xml).group(1)
        acs = re.search(r'AssertionConsumerServiceURL="([^"]+)"', xml).group(1)
        return request_id, acs, query.get("RelayState", [""])[0]

    def response(
        self, *, request_id: str, acs: str, audience: str, subject: str, attributes: dict[str, str],
        sign: bool = True, issuer: str = ENTITY_ID, session_index: str = "",
    ) -> str:  # fmt: skip
        """A base64 SAMLResponse whose assertion is signed with this IdP's key."""
        session_index = session_index or f"_{uuid.uuid4().hex}"
        now = dt.datetime.now(dt.UTC)
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        later = (now + dt.timedelta(minutes=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
        values = "".join(
            f'<saml:Attribute Name="{name}"><saml:AttributeValue>{value}</saml:AttributeValue>'
            "</saml:Attribute>"
            for name, value in attributes.items()
        )
        assertion = (
            f'<saml:Assertion xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" '
            f'Version="2.0" IssueInstant="{stamp}"><saml:Issuer>{issuer}</saml:Issuer>'
            f'<saml:Subject><saml:NameID Format="{PERSISTENT}">{subject}</saml:NameID>'
            f'<saml:SubjectConfirmation Method="urn:oasis:names:tc:SAML:2.0:cm:bearer">'
            f'<saml:SubjectConfirmationData NotOnOrAfter="{later}" Recipient="{acs}" '
            f'InResponseTo="{request_id}"/>'
            f"</saml:SubjectConfirmation></saml:Subject>"
            f'<saml:Conditions NotBefore="{stamp}" NotOnOrAfter="{later}"><saml:AudienceRestriction>'
            f"<saml:Audience>{audience}</saml:Audience></saml:AudienceRestriction></saml:Conditions>"
            f'<saml:AuthnStatement AuthnInstant="{stamp}" SessionIndex="{session_index}">'
            f"<saml:AuthnContext><saml:AuthnContextClassRef>"
            f"urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"
            f"</saml:AuthnContextClassRef></saml:AuthnContext></saml:AuthnStatement>"
            f"<saml:AttributeStatement>{values}</saml:AttributeStatement></saml:Assertion>"
        )
        if sign:
            assertion = OneLogin_Saml2_Utils.add_sign(
                assertion, self.key, self.cert, sign_algorithm=C.RSA_SHA256, digest_algorithm=C.SHA256
            ).decode()
            assertion = re.sub(r"^<\?xml[^>]*>\s*", "", assertion)
        response = (
            f'<samlp:Response xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0" '
            f'IssueInstant="{stamp}" Destination="{acs}" InResponseTo="{request_id}">'
            f"<saml:Issuer>{issuer}</saml:Issuer><samlp:Status>"
            f'<samlp:StatusCode Value="urn:oasis:names:tc:SAML:2.0:status:Success"/></samlp:Status>'
            f"{assertion}</samlp:Response>"
        )
        return base64.b64encode(response.encode()).decode()

    # --- Single logout (HTTP-Redirect binding) ---------------------------------------------------

    def _redirect_message(self, saml_type: str, xml: str, relay_state: str | None, sign: bool) -> dict:
        data = OneLogin_Saml2_Utils.deflate_and_base64_encode(xml)
        params = {saml_type: data}
        if relay_state is not None:
            params["RelayState"] = relay_state
        if sign:
            query = OneLogin_Saml2_Auth._build_sign_query(data, relay_state, C.RSA_SHA256, saml_type)
            signature = OneLogin_Saml2_Utils.sign_binary(query, self.key, xmlsec.Transform.RSA_SHA256)
            params.update(SigAlg=C.RSA_SHA256, Signature=base64.b64encode(signature).decode())
        return params

    @staticmethod
    def logout_request_of(redirect_url: str, *, sp_cert: str = "") -> dict:
        """Hive's LogoutRequest, read from its redirect to the IdP's logout URL. With `sp_cert`, its
        signature must verify against Hive's certificate."""
        parsed = urlparse(redirect_url)
        assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == SLO_URL
        query = parse_qs(parsed.query)
        xml = zlib.decompress(base64.b64decode(query["SAMLRequest"][0]), -15).decode()
        signed = "Signature" in query
        if sp_cert:
            signed_query = OneLogin_Saml2_Auth._build_sign_query_from_qs(parsed.query, "SAMLRequest")
            assert OneLogin_Saml2_Utils.validate_binary_sign(
                signed_query, base64.b64decode(query["Signature"][0]), sp_cert, query["SigAlg"][0]
            ), "Hive's LogoutRequest signature does not verify"
        session_index = re.search(r"<samlp:SessionIndex>([^<]+)</samlp:SessionIndex>", xml)
        return {
            "id": re.search(r'ID="([^"]+)"', xml).group(1),
            "name_id": re.search(r"<saml:NameID[^>]*>([^<]+)</saml:NameID>", xml).group(1),
            "session_index": session_index.group(1) if session_index else None,
            "relay_state": query.get("RelayState", [None])[0],
            "signed": signed,
        }

    def logout_response(
        self, *, in_response_to: str, destination: str, relay_state: str | None = None,
        status: str = SUCCESS, sign: bool = True, issuer: str = ENTITY_ID,
    ) -> dict:  # fmt: skip
        """Query parameters of the IdP's LogoutResponse to Hive's SLS URL."""
        stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        xml = (
            f'<samlp:LogoutResponse xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0" '
            f'IssueInstant="{stamp}" Destination="{destination}" InResponseTo="{in_response_to}">'
            f'<saml:Issuer>{issuer}</saml:Issuer><samlp:Status><samlp:StatusCode Value="{status}"/>'
            f"</samlp:Status></samlp:LogoutResponse>"
        )
        return self._redirect_message("SAMLResponse", xml, relay_state, sign)

    def logout_request(
        self, *, name_id: str, destination: str, session_index: str = "", sign: bool = True,
        issuer: str = ENTITY_ID, expires_in: dt.timedelta = dt.timedelta(minutes=5),
    ) -> dict:  # fmt: skip
        """Query parameters of an IdP-initiated LogoutRequest to Hive's SLS URL."""
        now = dt.datetime.now(dt.UTC)
        stamp = now.strftime("%Y-%m-%dT%H:%M:%SZ")
        until = (now + expires_in).strftime("%Y-%m-%dT%H:%M:%SZ")
        index = f"<samlp:SessionIndex>{session_index}</samlp:SessionIndex>" if session_index else ""
        xml = (
            f'<samlp:LogoutRequest xmlns:samlp="urn:oasis:names:tc:SAML:2.0:protocol" '
            f'xmlns:saml="urn:oasis:names:tc:SAML:2.0:assertion" ID="_{uuid.uuid4().hex}" Version="2.0" '
            f'IssueInstant="{stamp}" Destination="{destination}" NotOnOrAfter="{until}">'
            f"<saml:Issuer>{issuer}</saml:Issuer>"
            f'<saml:NameID Format="{PERSISTENT}">{name_id}</saml:NameID>{index}</samlp:LogoutRequest>'
        )
        return self._redirect_message("SAMLRequest", xml, None, sign)

    @staticmethod
    def logout_response_of(redirect_url: str) -> dict:
        """Hive's LogoutResponse to the IdP's LogoutRequest: its status and what it answers."""
        parsed = urlparse(redirect_url)
        assert f"{parsed.scheme}://{parsed.netloc}{parsed.path}" == SLO_URL
        query = parse_qs(parsed.query)
        xml = zlib.decompress(base64.b64decode(query["SAMLResponse"][0]), -15).decode()
        return {
            "in_response_to": re.search(r'InResponseTo="([^"]+)"', xml).group(1),
            "status": re.search(r'StatusCode Value="([^"]+)"', xml).group(1),
            "signed": "Signature" in query,
        }


# --- Driving Hive's sign-in as a browser would ---------------------------------------------------

HOST = "hive.example.com"  # python3-saml refuses single-label hosts such as "testserver"
LOGIN = "/accounts/saml/company/login/"
AUDIENCE = f"http://{HOST}/accounts/saml/company/metadata/"
SLS = f"http://{HOST}/accounts/saml/company/sls/"


def saml_sign_in(client, idp, *, subject, email, verified="true", name="Riley Stone", **response_options):
    """Starts Hive's SAML sign-in, answers its AuthnRequest as the IdP, and follows Hive to the end."""
    started = client.post(LOGIN)
    assert started.status_code == 302 and started["Location"].startswith(SSO_URL)
    request_id, acs, relay_state = SamlIdp.request_of(started["Location"])
    attributes = {"email": email, "displayName": name} if email else {"displayName": name}
    if verified is not None:
        attributes["email_verified"] = verified
    signer = response_options.pop("signer", idp)
    saml_response = signer.response(
        request_id=request_id, acs=acs, audience=AUDIENCE, subject=subject, attributes=attributes,
        **response_options,
    )  # fmt: skip
    return client.post(acs, {"SAMLResponse": saml_response, "RelayState": relay_state}, follow=True)
