"""An open tab's poll with its poll token (feed/live_gate.py): "nothing new" answered from the cache
in front of Django, never for anyone but the person the token was made for; everything else goes on
to Django as before."""

import re
from types import SimpleNamespace

import pytest
from django.core import signing
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse
from django.test import Client

from common import live
from feed import live as feed_live
from feed import services as feed_services
from feed.live_gate import LivePollGate
from notifications.services import notify
from tests.factories import ProfileFactory
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


class GatedClient(Client):
    """A browser whose requests meet the gate first, as under gunicorn (config/wsgi.py). What the gate
    passes on reaches Django through the test client's own handler, as every other test's requests."""

    def request(self, **request):
        passed: list[dict] = []
        gate = LivePollGate(lambda environ, start_response: passed.append(environ) or [])
        answer: dict = {}
        environ = self._base_environ(**request)
        gate(environ, lambda status, headers: answer.update(status=status, headers=headers))
        if passed:
            response = super().request(**request)
            response.by_gate = False
            return response
        response = HttpResponse(status=int(answer["status"].split()[0]))
        for name, value in answer["headers"]:
            response[name] = value
        response.by_gate = True
        return response


def signed_in(profile) -> GatedClient:
    return client_for(GatedClient(), profile)


@pytest.fixture
def follower_client(follower):
    return signed_in(follower)


def test_gunicorn_serves_hive_behind_the_gate():
    from config import wsgi

    assert isinstance(wsgi.application, LivePollGate)
    assert isinstance(wsgi.application.app, WSGIHandler)


def _token_of_page(client) -> str:
    return re.search(r'data-live-token="([^"]+)"', client.get("/").content.decode()).group(1)


def _poll(client, top_post, *, token=None, etag=None, scope="home", **headers):
    if etag:
        headers["HTTP_IF_NONE_MATCH"] = etag
    if token:
        headers["HTTP_X_HIVE_LIVE"] = token
    return client.get(f"/live/?after={top_post.pk}&scope={scope}", **headers)


def test_a_tab_with_nothing_new_gets_its_304_without_a_single_query(
    follower_client, top_post, django_assert_num_queries
):
    token = _token_of_page(follower_client)
    first = _poll(follower_client, top_post, token=token)
    assert first.status_code == 200 and first["X-Hive-Live"]

    # No session cookie at all: the token alone, and not one query.
    with django_assert_num_queries(0):
        again = _poll(GatedClient(), top_post, token=first["X-Hive-Live"], etag=first["ETag"])

    assert again.status_code == 304 and again.by_gate
    assert again["ETag"] == first["ETag"]
    # The headers Django's SecurityMiddleware gives every answer, and no cache may share it.
    assert again["X-Content-Type-Options"] == "nosniff"
    assert again["Referrer-Policy"] == "same-origin"
    assert set(again["Cache-Control"].split(", ")) == {"private", "no-cache"}


def test_a_new_post_or_notification_goes_the_long_way_and_is_counted(
    author, follower, follower_client, top_post, django_capture_on_commit_callbacks
):
    token = _token_of_page(follower_client)
    etag = _poll(follower_client, top_post, token=token)["ETag"]

    with django_capture_on_commit_callbacks(execute=True):
        feed_services.post_create(author=author, body="Fresh news")
    answer = _poll(follower_client, top_post, token=token, etag=etag)
    assert answer.status_code == 200 and "1 new post: show" in answer.content.decode()

    etag = answer["ETag"]
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipients=[follower], kind="mention", actor=author, summary="Hi", url="/")
    assert _poll(follower_client, top_post, token=token, etag=etag).status_code == 200


def test_a_token_names_only_its_own_person(follower_client, top_post, colleague):
    """Colin cannot use his own token to ask about Fiona's feed: the ETag is Fiona's, the token
    his, and the comparison is made on his stamps, so he never gets her 304."""
    fiona_etag = _poll(follower_client, top_post, token=_token_of_page(follower_client))["ETag"]
    colin_token = _token_of_page(signed_in(colleague))

    answer = _poll(GatedClient(), top_post, token=colin_token, etag=fiona_etag)

    assert answer.status_code == 302  # the long way: no session, so the sign-in page


@pytest.mark.parametrize("tamper", ["forged", "expired", "other salt"])
def test_a_forged_or_expired_token_goes_the_long_way(
    follower, follower_client, top_post, tamper, monkeypatch
):
    token = _token_of_page(follower_client)
    etag = _poll(follower_client, top_post, token=token)["ETag"]
    if tamper == "forged":
        token = f"{ProfileFactory().user_id}:" + token.split(":", 1)[1]
    elif tamper == "expired":
        monkeypatch.setattr(live, "TOKEN_SECONDS", -1)
    else:
        token = signing.TimestampSigner(salt="another").sign(str(follower.user_id))

    assert _poll(GatedClient(), top_post, token=token, etag=etag).status_code == 302


def test_signing_out_ends_the_token_s_answers(follower_client, top_post, django_capture_on_commit_callbacks):
    token = _token_of_page(follower_client)
    etag = _poll(follower_client, top_post, token=token)["ETag"]
    assert _poll(GatedClient(), top_post, token=token, etag=etag).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        follower_client.post("/accounts/logout/")

    assert _poll(GatedClient(), top_post, token=token, etag=etag).status_code == 302


def test_a_malformed_poll_with_a_token_gets_the_view_s_own_answer(follower_client, top_post):
    token = _token_of_page(follower_client)

    bad = follower_client.get("/live/?after=abc&scope=home", HTTP_X_HIVE_LIVE=token, HTTP_IF_NONE_MATCH='"x"')

    assert bad.status_code == 400


def _fresh_poll(client, top_post) -> tuple[str, str]:
    """A tab's token and the ETag of its first answer: the next such poll is the gate's 304."""
    first = _poll(client, top_post, token=_token_of_page(client))
    return first["X-Hive-Live"], first["ETag"]


def test_a_host_hive_does_not_serve_gets_django_s_400(follower_client, top_post):
    token, etag = _fresh_poll(follower_client, top_post)

    answer = _poll(GatedClient(), top_post, token=token, etag=etag, HTTP_HOST="evil.example")

    assert answer.status_code == 400 and not answer.by_gate


def test_plain_http_where_https_is_required_gets_django_s_redirect(follower_client, top_post, settings):
    token, etag = _fresh_poll(follower_client, top_post)
    settings.SECURE_SSL_REDIRECT = True

    answer = _poll(GatedClient(), top_post, token=token, etag=etag)

    assert answer.status_code == 301 and answer["Location"].startswith("https://")
    assert _poll(GatedClient(), top_post, token=token, etag=etag, secure=True).status_code == 304


def test_only_a_get_of_the_poll_itself_is_answered_by_the_gate(follower_client, top_post):
    token, etag = _fresh_poll(follower_client, top_post)
    headers = {"HTTP_X_HIVE_LIVE": token, "HTTP_IF_NONE_MATCH": etag}

    assert not GatedClient().head(f"/live/?after={top_post.pk}&scope=home", **headers).by_gate
    assert not GatedClient().get("/live/x/", **headers).by_gate
    assert not GatedClient().get(f"/live/?after={top_post.pk}&scope=home", HTTP_X_HIVE_LIVE=token).by_gate


def test_an_error_in_the_gate_passes_the_poll_to_django(follower_client, top_post, monkeypatch):
    token, etag = _fresh_poll(follower_client, top_post)

    def broken(**kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("feed.live.early_poll_answer", broken)
    answer = _poll(follower_client, top_post, token=token, etag=etag)

    assert answer.status_code == 304 and not answer.by_gate  # the session's own 304


def test_each_person_s_answer_goes_to_the_database_once_a_window(follower_client, top_post, monkeypatch):
    """However long a tab stays open with nothing new, its answer and the audience it is built on
    are worked out again from the database once every ANSWER_SECONDS (a stamp renewal lost while
    the cache was down is seen by then), in one poll, which hands the tab a fresh token."""
    token, etag = _fresh_poll(follower_client, top_post)
    assert _poll(GatedClient(), top_post, token=token, etag=etag).by_gate

    later = feed_live.time.time() + feed_live.ANSWER_SECONDS
    monkeypatch.setattr(feed_live, "time", SimpleNamespace(time=lambda: later))
    assert _poll(GatedClient(), top_post, token=token, etag=etag).status_code == 302  # not the gate's
    answer = _poll(follower_client, top_post, token=token, etag=etag)

    assert answer.status_code == 200 and answer["ETag"] != etag
    again = _poll(GatedClient(), top_post, token=answer["X-Hive-Live"], etag=answer["ETag"])
    assert again.status_code == 304 and again.by_gate


def test_a_company_s_tabs_do_not_all_go_to_the_database_in_the_same_half_minute(monkeypatch):
    def windows(at: float) -> list[int]:
        monkeypatch.setattr(feed_live, "time", SimpleNamespace(time=lambda: at))
        return [feed_live._window(user_id=pk) for pk in range(1, 1001)]

    for now in (1_800_000_000.0, 1_800_000_000.0 + 17 * 61):
        starting = sum(a != b for a, b in zip(windows(now), windows(now + 30), strict=True))
        assert starting <= 60  # 1,000 people x 30 s / 600 s: 50, where one shared clock gave 0 or 1,000
