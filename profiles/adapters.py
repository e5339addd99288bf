"""allauth adapters: sign-up only from the company's email domains, and a profile for every account.

Single sign-on follows the rules in profiles/sso.py: a provider account is found by its subject, joins an
existing Hive account by email only when both sides have verified that email, and creates a new account
only from a verified company address.
"""

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.core.internal.datakit import parse_bool_safely
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthProcess
from django.conf import settings
from django.core.exceptions import ValidationError
from django.shortcuts import render

from profiles.saml import saml_logout_url, saml_session_keep
from profiles.services import profile_ensure
from profiles.sso import (
    SsoRefusal,
    email_domain_allowed,
    password_sign_in_allowed,
    sso_end_session_url,
    sso_inactive_refusal,
    sso_sign_up_refusal,
    sso_user_by_verified_email,
)

__all__ = ["CompanyAccountAdapter", "CompanySocialAccountAdapter", "email_domain_allowed"]


def _domain_error() -> ValidationError:
    domains = ", ".join("@" + d for d in settings.HIVE_SIGNUP_DOMAINS) or "(none configured)"
    return ValidationError(f"Sign-up is limited to company addresses: {domains}.")


def _sso_name() -> str:
    for provider in ("openid_connect", "saml"):
        apps: list[dict[str, Any]] = settings.SOCIALACCOUNT_PROVIDERS.get(provider, {}).get("APPS", [])
        if apps:
            return apps[0]["name"]
    return "single sign-on"


def sso_refused_response(request, refusal: SsoRefusal):
    return render(request, "profiles/sso_refused.html", {"refusal": refusal}, status=403)


class CompanyAccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # Password sign-up; SSO sign-up is CompanySocialAccountAdapter's.
        return not settings.HIVE_SSO_ONLY and super().is_open_for_signup(request)

    def authenticate(self, request, **credentials):
        email = credentials.get("email") or ""
        if not password_sign_in_allowed(email=email):
            raise ValidationError(f"Password sign-in is turned off: sign in with {_sso_name()} instead.")
        return super().authenticate(request, **credentials)

    def get_logout_redirect_url(self, request) -> str:
        # Called before the session ends, so it can still tell how the person signed in.
        url = super().get_logout_redirect_url(request)
        after = request.build_absolute_uri(url)
        return (
            sso_end_session_url(request=request, after=after)
            or saml_logout_url(request=request, after=after)
            or url
        )

    def login(self, request, user) -> None:
        super().login(request, user)
        saml_session_keep(request=request)

    def send_password_reset_mail(self, user, email, context) -> None:
        if not password_sign_in_allowed(email=email):
            # No password to reset: say how to sign in instead, to the address that asked.
            self.send_mail(
                "account/email/password_reset_sso_only", email, {**context, "sso_name": _sso_name()}
            )
            return
        super().send_password_reset_mail(user, email, context)

    def clean_email(self, email: str) -> str:
        email = super().clean_email(email)
        if not email_domain_allowed(email):
            raise _domain_error()
        return email

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            profile_ensure(user=user)
        return user


def _saml_attribute_mapping(provider_id: str) -> dict[str, list[str]] | None:
    """The attribute mapping of the SAML IdP with this id (its entity id), or None for another provider."""
    for app in settings.SOCIALACCOUNT_PROVIDERS.get("saml", {}).get("APPS", []):
        if app["provider_id"] == provider_id:
            return app["settings"]["attribute_mapping"]
    return None


def _claims(sociallogin) -> dict:
    """The provider's claims: OpenID Connect's userinfo or ID token, or SAML's attributes (lists of
    values, read as their first value)."""
    data = sociallogin.account.extra_data or {}
    claims = data.get("userinfo") or data.get("id_token") or data
    mapping = _saml_attribute_mapping(sociallogin.account.provider)
    if mapping is not None:
        values = {k: v[0] for k, v in claims.items() if isinstance(v, list) and v}
        return {
            key: next((values[name] for name in names if name in values), None)
            for key, names in mapping.items()
            if any(name in values for name in names)
        }
    return claims


def _provider_email(sociallogin) -> tuple[str, bool]:
    """The provider's primary email and whether it counts as verified (claim or authoritative setting)."""
    for address in sociallogin.email_addresses:
        return address.email, bool(address.verified)
    # allauth drops addresses that CompanyAccountAdapter.clean_email rejects (other domains), so read
    # the claim itself to tell "another domain" from "no email at all".
    return str(_claims(sociallogin).get("email") or "").strip(), False


class CompanySocialAccountAdapter(DefaultSocialAccountAdapter):
    def populate_user(self, request, sociallogin, data):
        user = super().populate_user(request, sociallogin, data)
        # HIVE_OIDC_EMAIL_AUTHORITATIVE makes allauth count every company address as verified; a
        # provider that says outright that this one is not verified is believed all the same.
        claims = _claims(sociallogin)
        if "email_verified" in claims and not parse_bool_safely(claims["email_verified"]):
            for address in sociallogin.email_addresses:
                address.verified = False
        return user

    def authenticate_by_email(self, sociallogin):
        # allauth's default matches any Hive user holding the address, verified or not (it then wipes
        # that user's password, but still signs the newcomer into the account). Here both sides must
        # have verified the address: the provider (claim or authoritative setting) and Hive.
        for address in sociallogin.email_addresses:
            if not address.verified or not self.can_authenticate_by_email(sociallogin, address.email):
                continue
            user = sso_user_by_verified_email(email=address.email)
            if user is not None:
                return user, address.email
        return None

    def pre_social_login(self, request, sociallogin) -> None:
        super().pre_social_login(request, sociallogin)
        if sociallogin.state.get("process") == AuthProcess.CONNECT:
            # A signed-in person linking their own provider account: the password proved who they are.
            return
        if sociallogin.is_existing:
            # Found by subject, or by an email both sides verified: theirs unless deactivated (refused
            # here, before allauth would connect the provider account to it).
            if not sociallogin.user.is_active:
                raise ImmediateHttpResponse(sso_refused_response(request, sso_inactive_refusal()))
            return
        email, verified = _provider_email(sociallogin)
        refusal = sso_sign_up_refusal(email=email, email_verified=verified)
        if refusal is not None:
            raise ImmediateHttpResponse(sso_refused_response(request, refusal))

    def is_open_for_signup(self, request, sociallogin) -> bool:
        email, verified = _provider_email(sociallogin)
        return bool(email) and verified and email_domain_allowed(email)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        profile = profile_ensure(user=user)
        full_name = str(_claims(sociallogin).get("name") or "")
        if full_name and profile.display_name != full_name:
            profile.display_name = full_name[:150]
            profile.save(update_fields=["display_name"])
        return user
