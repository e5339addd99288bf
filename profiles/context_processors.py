from django.conf import settings

from profiles import roles
from profiles.selectors import viewer_profile


def viewer(request):
    """`viewer` (the signed-in person's profile) and their roles, in every template."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"viewer": None}
    held = roles.user_roles(user)
    return {
        "viewer": viewer_profile(request),
        "viewer_is_moderator": roles.MODERATORS in held,
        "viewer_sees_analytics": roles.COMMUNICATIONS in held,
    }


def sso(request):
    """`sso_only`: the sign-in page offers single sign-on alone (HIVE_SSO_ONLY)."""
    return {"sso_only": settings.HIVE_SSO_ONLY}
