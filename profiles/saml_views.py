"""SAML endpoints Hive answers itself instead of allauth: the end of sign-in (to note the SAML session
for single logout) and the single logout service (profiles/saml.py)."""

from __future__ import annotations

import logging

from allauth.account.adapter import get_adapter as get_account_adapter
from allauth.socialaccount.providers.saml.views import FinishACSView
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from profiles.saml import saml_logout_request_obey, saml_logout_response_accept, saml_session_note

logger = logging.getLogger(__name__)


class FinishAcsView(FinishACSView):
    """allauth's, noting the validated assertion's NameID and SessionIndex on the way."""

    def get_provider(self, organization_slug):
        provider = super().get_provider(organization_slug)
        from_response = provider.sociallogin_from_response

        def noting(request, auth):
            saml_session_note(request=request, provider=provider, auth=auth)
            return from_response(request, auth)

        provider.sociallogin_from_response = noting
        return provider


finish_acs = FinishAcsView.as_view()


def _refused(request, *, title: str, message: str, reason: str):
    context = {"title": title, "message": message, "reason": reason}
    return render(request, "profiles/sso_logout_refused.html", context, status=400)


@csrf_exempt
@login_not_required
@require_GET
def single_logout(request, organization_slug: str):
    """The IdP's LogoutResponse (to Hive's request) or LogoutRequest (its own), HTTP-Redirect binding."""
    if "SAMLResponse" in request.GET:
        outcome = saml_logout_response_accept(request=request, organization=organization_slug)
        if outcome.error:
            logger.warning("Refused a SAML LogoutResponse: %s", outcome.error)
            return _refused(
                request,
                reason="logout_response",
                title="Your company sign-in did not confirm the sign-out",
                message=(
                    "You are signed out of Hive, but your company's sign-in service did not confirm that it "
                    "signed you out too. On a shared computer, close every browser window."
                ),
            )
        messages.success(request, "You have signed out of Hive and of your company sign-in.")
        adapter = get_account_adapter(request)
        to = outcome.redirect_to or "/"
        return HttpResponseRedirect(to if adapter.is_safe_url(to) else "/")
    if "SAMLRequest" in request.GET:
        outcome = saml_logout_request_obey(request=request, organization=organization_slug)
        if outcome.error:
            logger.warning("Refused a SAML LogoutRequest: %s", outcome.error)
            return _refused(
                request,
                reason="logout_request",
                title="Hive could not accept this sign-out",
                message=(
                    "A sign-out request reached Hive that it cannot trust (it is not signed by your "
                    "company's sign-in service, or has expired), so no session was ended."
                ),
            )
        return HttpResponseRedirect(outcome.redirect_to or "/")
    return _refused(
        request,
        reason="logout_missing",
        title="Nothing to sign out",
        message="This address is for your company's sign-in service; there was no sign-out message.",
    )
