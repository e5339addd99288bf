"""SAML single logout, both ways, on top of allauth's SAML provider (which signs people in but never
sends a LogoutRequest, and ends only the browser's own session when the IdP sends one).

- Signing out of Hive after a SAML sign-in sends the person on to the IdP with a LogoutRequest naming
  their NameID and SessionIndex (SP-initiated), so a shared computer's next user meets the IdP's
  sign-in page rather than the last person's session. The IdP answers at Hive's SLS URL with a
  LogoutResponse, accepted only when it is signed by the IdP and answers a request Hive sent.
- A LogoutRequest from the IdP (the person signed out there, or an admin ended their sessions) ends
  every Hive session of the person it names, on every device, and is answered with a LogoutResponse.
  Only a request signed with the IdP's key is obeyed.

Logout messages use the HTTP-Redirect binding, so their signature is in the query string (SigAlg,
Signature). python3-saml checks it, the issuer, the destination and the validity window.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from allauth.account.internal.flows.login import get_authentication_records
from allauth.socialaccount.models import SocialAccount
from allauth.socialaccount.providers.saml.utils import (
    build_saml_config,
    get_app_or_404,
    prepare_django_request,
)
from django.conf import settings
from django.contrib.auth import logout
from django.core.cache import cache
from django.http import Http404
from onelogin.saml2.auth import OneLogin_Saml2_Auth
from onelogin.saml2.errors import OneLogin_Saml2_Error
from onelogin.saml2.logout_request import OneLogin_Saml2_Logout_Request
from onelogin.saml2.logout_response import OneLogin_Saml2_Logout_Response
from requests import RequestException

from profiles.services import user_sessions_end

logger = logging.getLogger(__name__)

SESSION_KEY = "hive_saml_session"
_PENDING = "saml-logout-request:{}"
PENDING_SECONDS = 10 * 60  # how long Hive waits for the IdP's LogoutResponse


def saml_auth(*, request, organization: str, logout_messages_signed: bool = False) -> tuple[Any, Any]:
    """(provider, python3-saml Auth) for the SAML app at /accounts/saml/<organization>/.

    With `logout_messages_signed`, python3-saml refuses any logout message without a signature. It is
    not set for sign-in responses: many IdPs (ADFS, Entra ID) sign the assertion, which Hive requires,
    but not the response around it.
    """
    provider = get_app_or_404(request, organization).get_provider(request)
    config = build_saml_config(request, provider.app.settings, provider.app.client_id)
    if logout_messages_signed:
        config["security"]["wantMessagesSigned"] = True
    return provider, OneLogin_Saml2_Auth(prepare_django_request(request), config)


def _uid_is_name_id(provider) -> bool:
    # A SocialAccount's uid is the NameID unless the admin mapped another attribute to it.
    return "uid" not in provider.app.settings.get("attribute_mapping", {})


def saml_session_note(*, request, provider, auth) -> None:
    """Called with a validated sign-in response: keep what a LogoutRequest will need to name this
    session. It waits on the request until the sign-in completes (saml_session_keep), so a refused
    sign-in leaves nothing behind."""
    request.hive_saml_session = {
        "provider": provider.app.provider_id,
        "organization": provider.app.client_id,
        "name_id": auth.get_nameid(),
        "name_id_format": auth.get_nameid_format(),
        "name_id_nq": auth.get_nameid_nq(),
        "name_id_spnq": auth.get_nameid_spnq(),
        "session_index": auth.get_session_index(),
    }


def saml_session_keep(*, request) -> None:
    """After the sign-in: the session now belongs to the person, so it can carry their SAML session."""
    noted = getattr(request, "hive_saml_session", None)
    if noted:
        request.session[SESSION_KEY] = noted
    else:
        request.session.pop(SESSION_KEY, None)


def saml_logout_url(*, request, after: str) -> str | None:
    """The IdP's logout URL with a LogoutRequest for this session, or None to sign out of Hive only.

    Only for a session that signed in through SAML, while HIVE_SAML_SINGLE_LOGOUT is on and the IdP has
    a logout URL. An IdP that cannot be reached (metadata) costs only its own logout.
    """
    noted = request.session.get(SESSION_KEY)
    if not settings.HIVE_SAML_SINGLE_LOGOUT or not noted:
        return None
    records = get_authentication_records(request, request.user)
    if not any(
        r.get("method") == "socialaccount" and r.get("provider") == noted["provider"] for r in records
    ):
        return None
    try:
        _, auth = saml_auth(request=request, organization=noted["organization"])
        if not auth.get_slo_url():
            return None
        url = auth.logout(
            return_to=after,
            name_id=noted["name_id"],
            session_index=noted["session_index"],
            name_id_format=noted["name_id_format"],
            nq=noted["name_id_nq"],
            spnq=noted["name_id_spnq"],
        )
    except (Http404, OneLogin_Saml2_Error, RequestException, KeyError) as error:
        logger.warning("Cannot send a SAML LogoutRequest to the IdP: %s", error)
        return None
    cache.set(_PENDING.format(auth.get_last_request_id()), noted["provider"], PENDING_SECONDS)
    return url


@dataclass(frozen=True)
class LogoutOutcome:
    """What a logout message from the IdP came to: where to send the browser, or why it was refused."""

    redirect_to: str | None = None
    error: str | None = None
    ended_sessions_of: int = 0


def saml_logout_response_accept(*, request, organization: str) -> LogoutOutcome:
    """The IdP's answer to Hive's LogoutRequest: accepted only if signed by the IdP and answering a
    request Hive sent (and only once). Hive's own session ended before the person left for the IdP."""
    provider, auth = saml_auth(request=request, organization=organization, logout_messages_signed=True)
    try:
        in_response_to = OneLogin_Saml2_Logout_Response(
            auth.get_settings(), request.GET["SAMLResponse"]
        ).get_in_response_to()
    except Exception as error:  # noqa: BLE001 - anything unreadable is refused alike
        return LogoutOutcome(error=f"unreadable LogoutResponse: {error}")
    if not in_response_to or cache.get(_PENDING.format(in_response_to)) != provider.app.provider_id:
        return LogoutOutcome(error="a LogoutResponse to no logout Hive asked for")
    try:
        auth.process_slo(keep_local_session=True, request_id=in_response_to)
    except OneLogin_Saml2_Error as error:
        return LogoutOutcome(error=str(error))
    if auth.get_errors():
        return LogoutOutcome(error=auth.get_last_error_reason() or ", ".join(auth.get_errors()))
    cache.delete(_PENDING.format(in_response_to))
    return LogoutOutcome(redirect_to=request.GET.get("RelayState") or "/")


def saml_logout_request_obey(*, request, organization: str) -> LogoutOutcome:
    """A LogoutRequest from the IdP: end every session of the person it names, then answer it."""
    provider, auth = saml_auth(request=request, organization=organization, logout_messages_signed=True)
    try:
        answer = auth.process_slo(keep_local_session=True)
    except OneLogin_Saml2_Error as error:
        return LogoutOutcome(error=str(error))
    if auth.get_errors() or not answer:
        return LogoutOutcome(error=auth.get_last_error_reason() or ", ".join(auth.get_errors()))
    name_id = OneLogin_Saml2_Logout_Request.get_nameid(auth.get_last_request_xml())
    ended = 0
    if _uid_is_name_id(provider):
        accounts = SocialAccount.objects.filter(provider=provider.app.provider_id, uid=name_id)
        for account in accounts.select_related("user"):
            user_sessions_end(user=account.user)
            ended += 1
    noted = request.session.get(SESSION_KEY) or {}
    if noted.get("provider") == provider.app.provider_id and noted.get("name_id") == name_id:
        # This browser's own session (the only one there is to end when the subject is an attribute).
        logout(request)
        ended = ended or 1
    logger.info("SAML single logout from the IdP ended the sessions of %s account(s)", ended)
    return LogoutOutcome(redirect_to=answer, ended_sessions_of=ended)
