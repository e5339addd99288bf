"""Password authentication backends that refuse passwords in SSO-only mode (profiles/sso.py).

Both of Django's and allauth's backends are wrapped, so the rule holds for Hive's sign-in page and for
the admin's login alike; single sign-on does not go through them (allauth logs the user in directly).
"""

from allauth.account.auth_backends import AuthenticationBackend
from django.contrib.auth.backends import ModelBackend

from profiles.sso import password_sign_in_allowed


class CompanyModelBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        email = username or kwargs.get("email") or ""
        if not password_sign_in_allowed(email=email):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


class CompanyAuthenticationBackend(AuthenticationBackend):
    def authenticate(self, request, **credentials):
        email = credentials.get("email") or credentials.get("username") or ""
        if not password_sign_in_allowed(email=email):
            return None
        return super().authenticate(request, **credentials)
