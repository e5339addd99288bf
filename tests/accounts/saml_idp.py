"""A SAML 2.0 identity provider for the tests: its own RSA key and certificate, and assertions signed
with them (XML-DSig through xmlsec, as ADFS and Okta sign theirs), answering the AuthnRequest that Hive
sends. What Hive checks on the way in (signature, issuer, audience, destination, InResponseTo, validity
window) is python3-saml's real validation: nothing is mocked on Hive's side."""

from __future__ import annotations

import base64
import datetime as dt
import re
import uuid
import zlib
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID
from onelogin.saml2.constants import OneLogin_Saml2_Constants as C
from onelogin.saml2.utils import OneLogin_Saml2_Utils

from config.saml import PERSISTENT, saml_provider

ENTITY_ID = "https://idp.example.test/saml"
SSO_URL = "https://idp.example.test/saml/sso"


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

    def app_settings(self, *, authoritative: bool = False) -> dict:
        return {
            "saml": saml_provider(
                organization="company", name="Company SSO (SAML)", idp_entity_id=ENTITY_ID,
                idp_sso_url=SSO_URL, idp_x509cert=self.cert,
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
        sign: bool = True, issuer: str = ENTITY_ID,
    ) -> str:  # fmt: skip
        """A base64 SAMLResponse whose assertion is signed with this IdP's key."""
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
            f'<saml:AuthnStatement AuthnInstant="{stamp}" SessionIndex="_{uuid.uuid4().hex}">'
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
