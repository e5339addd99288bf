"""Signing in: every page needs it, the email address is the login, and only /accounts/login/ and /healthz
(plus the digest's unsubscribe link) answer a visitor who is not signed in."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from feed.models import Post
from profiles.models import User
from tests.factories import ProfileFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"  # what UserFactory sets
# Hive's own pages; allauth's and the admin's are theirs to guard.
HIVE_NAMESPACES = {"feed", "profiles", "expertise", "recognition", "moderation", "analytics"}
# Reached from a link in an email, by someone who may well be signed out.
PUBLIC_URL_NAMES = {"digests:unsubscribe"}
# A value each path converter accepts, so any URL name can be turned into a URL.
SAMPLE_ARGUMENT = {"IntConverter": 1, "SlugConverter": "python", "StringConverter": "sample"}


def _hive_url_names(patterns=None, namespace: str | None = None):
    """(name, url) for every named URL in Hive's apps, found by walking the URLconf."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in HIVE_NAMESPACES:
                yield from _hive_url_names(entry.url_patterns, entry.namespace)
        elif isinstance(entry, URLPattern) and namespace and entry.name:
            name = f"{namespace}:{entry.name}"
            kwargs = {
                key: SAMPLE_ARGUMENT[type(converter).__name__]
                for key, converter in entry.pattern.converters.items()
            }
            yield name, reverse(name, kwargs=kwargs)


PRIVATE_URLS = sorted((name, url) for name, url in _hive_url_names() if name not in PUBLIC_URL_NAMES)


def test_the_url_walk_finds_every_page_the_issue_lists():
    # Guards the parametrised test below against silently checking nothing.
    names = {name for name, _ in PRIVATE_URLS}
    assert {
        "feed:home",
        "feed:post",
        "profiles:directory",
        "profiles:detail",
        "profiles:edit",
        "expertise:index",
        "expertise:skill",
        "expertise:edit_mine",
        "recognition:give",
        "moderation:queue",
        "analytics:dashboard",
    } <= names


@pytest.mark.parametrize(("name", "url"), PRIVATE_URLS, ids=[name for name, _ in PRIVATE_URLS])
def test_visitor_who_is_not_signed_in_is_sent_to_sign_in(client, name, url):
    response = client.get(url)

    assert response.status_code == 302, name
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_visitor_who_is_not_signed_in_cannot_post(client):
    response = client.post(reverse("feed:home"), {"body": "Anonymous hello"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert not Post.objects.exists()


def test_sign_in_page_opens_for_visitor(client):
    response = client.get("/accounts/login/")

    assert response.status_code == 200
    assert 'name="login"' in response.content.decode()
    assert 'name="password"' in response.content.decode()


def test_healthz_answers_visitor_who_is_not_signed_in(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json()["status"] == "ok"


def test_person_signs_in_with_email_and_password_and_lands_on_the_feed(client):
    ProfileFactory(display_name="Ada Author", user__email="ada@example.com")

    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == reverse("feed:home")
    feed = client.get(reverse("feed:home"))
    assert feed.status_code == 200
    assert feed.wsgi_request.user.email == "ada@example.com"
    assert "Ada Author" in feed.content.decode()


def test_email_is_matched_whatever_its_case_at_sign_in(client):
    ProfileFactory(user__email="ada@example.com")

    response = client.post("/accounts/login/", {"login": "Ada@Example.COM", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("feed:home")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client):
    ProfileFactory(user__email="ada@example.com")

    response = client.post(
        "/accounts/login/?next=/people/", {"login": "ada@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == "/people/"


def test_wrong_password_shows_an_error_and_signs_nobody_in(client):
    ProfileFactory(user__email="ada@example.com")

    response = client.post("/accounts/login/", {"login": "ada@example.com", "password": "not-my-password"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert not response.wsgi_request.user.is_authenticated
    assert client.get(reverse("feed:home")).status_code == 302


def test_deactivated_person_cannot_sign_in(client):
    ProfileFactory(user__email="gone@example.com", user__is_active=False)

    client.post("/accounts/login/", {"login": "gone@example.com", "password": PASSWORD})

    assert client.get(reverse("feed:home")).status_code == 302


def test_accounts_have_no_username_only_an_email():
    field_names = {field.name for field in User._meta.get_fields()}

    assert "username" not in field_names
    assert User.USERNAME_FIELD == "email"


def test_sign_out_ends_the_session(client):
    ProfileFactory(user__email="ada@example.com")
    client.post("/accounts/login/", {"login": "ada@example.com", "password": PASSWORD})

    feed = client.get(reverse("feed:home")).content.decode()
    assert re.search(r'action="/accounts/logout/"', feed)
    client.post("/accounts/logout/")

    assert client.get(reverse("feed:home")).status_code == 302


TOO_MANY = "Too many failed login attempts"


def _sign_in(client, *, address: str):
    return client.post(
        "/accounts/login/", {"login": "ada@example.com", "password": PASSWORD}, HTTP_X_FORWARDED_FOR=address
    )


def _fail_sign_ins(client, *, times: int, address: str) -> None:
    for n in range(times):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.com", "password": "wrong-password-here"},
            HTTP_X_FORWARDED_FOR=address,
        )


def test_behind_a_proxy_one_persons_failed_sign_ins_do_not_lock_out_everyone(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1  # what DJANGO_BEHIND_PROXY=true sets
    ProfileFactory(user__email="ada@example.com")
    _fail_sign_ins(client, times=12, address="203.0.113.7")

    blocked = _sign_in(client, address="203.0.113.7")
    colleague = _sign_in(client, address="198.51.100.4")

    assert blocked.status_code == 200 and TOO_MANY in blocked.content.decode()
    assert colleague.status_code == 302


def test_a_forged_forwarded_address_does_not_escape_the_limit(client, settings):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    ProfileFactory(user__email="ada@example.com")
    # The proxy appends the real address; what the client wrote in front of it changes nothing.
    for n in range(12):
        client.post(
            "/accounts/login/",
            {"login": f"nobody{n}@example.com", "password": "wrong-password-here"},
            HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7",
        )

    again = _sign_in(client, address="10.9.9.9, 203.0.113.7")

    assert again.status_code == 200 and TOO_MANY in again.content.decode()
