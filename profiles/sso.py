"""Single sign-on rules: who an OpenID Connect sign-in is, and when it may create or join a Hive account.

A provider account is identified by its stable subject (`sub`, the SocialAccount uid), never by its
email, which people and admins can change and which the provider may not have checked. The email is
trusted, to create an account or to join an existing one, only when the provider asserts it verified
(`email_verified`) or when the admin has declared the provider authoritative for the company's domains
(HIVE_OIDC_EMAIL_AUTHORITATIVE, turned into allauth's `verified_email` app setting in config/settings.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

import requests
from allauth.account.internal.flows.login import get_authentication_records
from allauth.account.models import EmailAddress
from allauth.socialaccount.adapter import get_adapter as get_social_adapter
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Q

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SsoRefusal:
    """Why an SSO sign-in may not go on, in words for the person who tried."""

    reason: str
    title: str
    message: str


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.HIVE_SIGNUP_DOMAINS


def password_sign_in_allowed(*, email: str) -> bool:
    """False in SSO-only mode (HIVE_SSO_ONLY) for everyone but the named break-glass administrators."""
    return not settings.HIVE_SSO_ONLY or email.strip().lower() in settings.HIVE_SSO_BREAK_GLASS_EMAILS


def sso_user_by_verified_email(*, email: str):
    """The Hive account that owns `email` as a verified address, if any.

    Only a verified address counts: an unverified one may have been typed in by anyone (a password
    sign-up, an old SSO sign-up that was never checked), so joining by it would hand the real owner's
    sign-in to whoever typed it.
    """
    address = (
        EmailAddress.objects.filter(email__iexact=email, verified=True, user__isnull=False)
        .select_related("user")
        .order_by("-primary", "pk")
        .first()
    )
    return address.user if address else None


def _email_taken(*, email: str) -> bool:
    User = get_user_model()
    return (
        EmailAddress.objects.filter(email__iexact=email).exists()
        or User.objects.filter(Q(email__iexact=email)).exists()
    )


def sso_inactive_refusal() -> SsoRefusal:
    return SsoRefusal(
        reason="inactive",
        title="Your Hive account is deactivated",
        message=(
            "Your company sign-in worked, but your Hive account has been deactivated, so Hive cannot sign "
            "you in. If you think this is a mistake, ask your HR team or a Hive administrator."
        ),
    )


def sso_sign_up_refusal(*, email: str, email_verified: bool) -> SsoRefusal | None:
    """Why a provider account that matches no Hive account may not become a new one, or None."""
    if not email:
        return SsoRefusal(
            reason="email_missing",
            title="Your sign-in did not include an email address",
            message=(
                "Your company's sign-in service did not tell Hive your email address, so Hive cannot "
                "tell who you are. Ask your IT team to release the email address to Hive (the "
                "OpenID Connect `email` scope), then try again."
            ),
        )
    if not email_domain_allowed(email):
        domains = ", ".join("@" + d for d in settings.HIVE_SIGNUP_DOMAINS) or "(none configured)"
        return SsoRefusal(
            reason="domain",
            title="Sign-up is limited to company addresses",
            message=(
                f"Your sign-in gave the address {email}, but sign-up is limited to company addresses: "
                f"{domains}. Sign in with your company account instead."
            ),
        )
    if not email_verified:
        return SsoRefusal(
            reason="email_unverified",
            title="Your email address isn't confirmed",
            message=(
                f"Your company's sign-in service did not confirm that {email} belongs to you, so Hive "
                "cannot create an account for it. Ask your IT team to mark the address as verified in "
                "the sign-in service, then try again."
            ),
        )
    if _email_taken(email=email):
        return SsoRefusal(
            reason="email_unconfirmed_in_hive",
            title="This address already has an unconfirmed account",
            message=(
                f"Hive already has an account for {email}, but its address was never confirmed, so Hive "
                "will not connect your company sign-in to it. Sign in with that account's password and "
                "connect single sign-on from your account settings, or ask a Hive administrator."
            ),
        )
    return None


def sso_end_session_url(*, request, after: str) -> str | None:
    """Where to send someone signing out so the provider's session ends too, or None.

    Only for a session that signed in through OpenID Connect, while HIVE_OIDC_RP_LOGOUT is on and the
    provider publishes an `end_session_endpoint` (RP-initiated logout). Without it the next click on
    the SSO button would sign a shared computer's next user straight back in as the last one. The
    provider sends the browser back to `after`, which must be registered with it as a post-logout
    redirect URI. A provider that cannot be reached costs only its own logout: Hive's still happens.
    """
    if not settings.HIVE_OIDC_RP_LOGOUT:
        return None
    apps: list[dict[str, Any]] = settings.SOCIALACCOUNT_PROVIDERS.get("openid_connect", {}).get("APPS", [])
    provider_ids = {app["provider_id"] for app in apps}
    records = get_authentication_records(request, request.user)
    signed_in_with = [r.get("provider") for r in records if r.get("method") == "socialaccount"]
    provider_id = next((p for p in reversed(signed_in_with) if p in provider_ids), None)
    if provider_id is None:
        return None
    try:
        provider = get_social_adapter().get_provider(request, provider_id)
        end_session = OpenIDConnectOAuth2Adapter(request, provider_id).openid_config.get(
            "end_session_endpoint"
        )
    except (requests.RequestException, ValueError) as error:
        logger.warning("Cannot reach the SSO provider to end its session: %s", error)
        return None
    if not end_session:
        return None
    query = urlencode({"client_id": provider.app.client_id, "post_logout_redirect_uri": after})
    return f"{end_session}{'&' if '?' in end_session else '?'}{query}"
