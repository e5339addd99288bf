"""An open tab's poll with its poll token (feed/middleware.py): "nothing new" answered from the cache
before the session is read, never for anyone but the person the token was made for."""

import re

import pytest
from django.core import signing
from django.test import Client

from common import live
from feed import services as feed_services
from notifications.services import notify
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _token_of_page(client) -> str:
    return re.search(r'data-live-token="([^"]+)"', client.get("/").content.decode()).group(1)


def _poll(client, top_post, *, token=None, etag=None, scope="home"):
    headers = {}
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
        again = _poll(Client(), top_post, token=first["X-Hive-Live"], etag=first["ETag"])

    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]


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

    answer = _poll(Client(), top_post, token=colin_token, etag=fiona_etag)

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

    assert _poll(Client(), top_post, token=token, etag=etag).status_code == 302


def test_signing_out_ends_the_token_s_answers(follower_client, top_post, django_capture_on_commit_callbacks):
    token = _token_of_page(follower_client)
    etag = _poll(follower_client, top_post, token=token)["ETag"]
    assert _poll(Client(), top_post, token=token, etag=etag).status_code == 304

    with django_capture_on_commit_callbacks(execute=True):
        follower_client.post("/accounts/logout/")

    assert _poll(Client(), top_post, token=token, etag=etag).status_code == 302


def test_a_malformed_poll_with_a_token_gets_the_view_s_own_answer(follower_client, top_post):
    token = _token_of_page(follower_client)

    bad = follower_client.get("/live/?after=abc&scope=home", HTTP_X_HIVE_LIVE=token, HTTP_IF_NONE_MATCH='"x"')

    assert bad.status_code == 400
