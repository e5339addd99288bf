"""allauth's SAML 2.0 provider configured from plain values (config/settings.py reads them from the
environment; tests pass their own). For companies on ADFS or older Okta setups.

Hive's single sign-on rules hold as for OpenID Connect (profiles/sso.py): the account is found by the
subject (a persistent NameID, or the attribute named by `uid_attribute`), and an email counts as
verified only when the IdP asserts it (an `email_verified` attribute) or the admin declared the IdP
authoritative for the company's domains.

Single logout (profiles/saml.py) needs the IdP's logout URL (`idp_slo_url`, or its metadata); the IdP
must sign its logout messages, and Hive signs its own when given a key pair.
"""

from __future__ import annotations

from typing import Any

PERSISTENT = "urn:oasis:names:tc:SAML:2.0:nameid-format:persistent"
EMAIL_ATTRIBUTES = [
    "email",
    "mail",
    "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/emailaddress",
    "urn:oid:0.9.2342.19200300.100.1.3",
]
NAME_ATTRIBUTES = ["displayName", "http://schemas.microsoft.com/identity/claims/displayname", "name"]


def saml_provider(
    *,
    organization: str,
    name: str,
    idp_entity_id: str,
    idp_sso_url: str = "",
    idp_x509cert: str = "",
    idp_metadata_url: str = "",
    idp_slo_url: str = "",
    sp_entity_id: str = "",
    sp_x509cert: str = "",
    sp_private_key: str = "",
    uid_attribute: str = "",
    verified_email: bool | list[str] = False,
) -> dict[str, Any]:
    """SOCIALACCOUNT_PROVIDERS["saml"]: one IdP, at /accounts/saml/<organization>/."""
    if idp_metadata_url:
        idp: dict[str, str] = {"entity_id": idp_entity_id, "metadata_url": idp_metadata_url}
    else:
        idp = {"entity_id": idp_entity_id, "sso_url": idp_sso_url, "x509cert": idp_x509cert}
        if idp_slo_url:
            idp["slo_url"] = idp_slo_url
    mapping: dict[str, list[str]] = {
        "email": EMAIL_ATTRIBUTES,
        "email_verified": ["email_verified", "http://schemas.auth0.com/email_verified"],
        "name": NAME_ATTRIBUTES,
    }
    if uid_attribute:
        mapping["uid"] = [uid_attribute]
    advanced: dict[str, Any] = {
        # Strict checks on every response: signed assertions, this SP as audience and destination, no
        # unsolicited (IdP-initiated) responses, and a persistent NameID rather than a mutable email.
        "strict": True,
        "want_assertion_signed": True,
        "reject_idp_initiated_sso": True,
        "name_id_format": PERSISTENT,
        "want_name_id": True,
    }
    if sp_private_key and sp_x509cert:
        # Hive's own key pair: it signs Hive's logout messages, which ADFS and others require for
        # single logout (the certificate is published in Hive's metadata).
        advanced.update(
            private_key=sp_private_key,
            x509cert=sp_x509cert,
            logout_request_signed=True,
            logout_response_signed=True,
        )
    settings: dict[str, Any] = {
        "idp": idp,
        "attribute_mapping": mapping,
        "verified_email": verified_email,
        "advanced": advanced,
    }
    if sp_entity_id:
        settings["sp"] = {"entity_id": sp_entity_id}
    return {
        "APPS": [
            {"provider_id": idp_entity_id, "name": name, "client_id": organization, "settings": settings}
        ]
    }
