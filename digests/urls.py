from django.urls import path

from digests import views

app_name = "digests"
urlpatterns = [
    path("people/me/email/", views.email_settings, name="settings"),
    # The path the digest's links have always used, so links in mail already sent keep working.
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
