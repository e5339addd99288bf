from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path

from config.health import healthz
from profiles import saml_views
from profiles.views import media

admin.site.site_header = "Hive administration"
admin.site.site_title = "Hive admin"


@login_not_required
def favicon(request):
    # Browsers and bookmarking tools ask for /favicon.ico whatever the page says; a 404 there is noise.
    return HttpResponsePermanentRedirect(static("favicon.svg"))


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    # Uploaded photos, for signed-in people only (never served by the web server directly).
    path("media/<path:path>", media, name="media"),
    # Hive's own end of SAML sign-in and single logout service, ahead of allauth's (profiles/saml.py).
    path("accounts/saml/<str:organization_slug>/acs/finish/", saml_views.finish_acs),
    path("accounts/saml/<str:organization_slug>/sls/", saml_views.single_logout),
    path("accounts/", include("allauth.urls")),
    path("", include("feed.urls")),
    path("", include("digests.urls")),
    path("people/", include("profiles.urls")),
    path("skills/", include("expertise.urls")),
    path("kudos/", include("recognition.urls")),
    path("groups/", include("communities.urls")),
    path("notifications/", include("notifications.urls")),
    path("projects/", include("projects.urls")),
    path("events/", include("events.urls")),
    path("leadership/", include("events.urls_leadership")),
    path("search/", include("search.urls")),
    path("moderation/", include("moderation.urls")),
    path("guidelines/", include("moderation.urls_guidelines")),
    path("analytics/", include("analytics.urls")),
    path("surveys/", include("surveys.urls")),
    path("scim/v2/", include("provisioning.urls")),
    path("wiki/", include("wiki.urls")),
]

handler500 = "config.errors.server_error"
