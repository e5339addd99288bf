"""allauth adapters: sign-up only from the company's email domains, and a profile for every account."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.core.exceptions import ValidationError

from profiles.services import profile_ensure


def email_domain_allowed(email: str) -> bool:
    domain = email.rsplit("@", 1)[-1].lower()
    return domain in settings.HIVE_SIGNUP_DOMAINS


def _domain_error() -> ValidationError:
    domains = ", ".join("@" + d for d in settings.HIVE_SIGNUP_DOMAINS) or "(none configured)"
    return ValidationError(f"Sign-up is limited to company addresses: {domains}.")


class CompanyAccountAdapter(DefaultAccountAdapter):
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


class CompanySocialAccountAdapter(DefaultSocialAccountAdapter):
    def is_open_for_signup(self, request, sociallogin) -> bool:
        email = sociallogin.user.email or ""
        return bool(email) and email_domain_allowed(email)

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form=form)
        profile = profile_ensure(user=user)
        data = sociallogin.account.extra_data or {}
        full_name = (data.get("userinfo") or data).get("name", "")
        if full_name and profile.display_name != full_name:
            profile.display_name = full_name[:150]
            profile.save(update_fields=["display_name"])
        return user
