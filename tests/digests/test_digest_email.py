"""The digest email: multipart text and HTML, one per person and day whatever happens, and an
unsubscribe link that works signed out."""

import re
from datetime import date, datetime, time, timedelta
from time import time as time_now

import pytest
from django.core import signing
from django.test import Client
from django.utils import timezone

from delivery.models import DeliveryMessage
from delivery.services import delivery_plan, delivery_send
from digests import mail
from digests.models import DigestSetting
from digests.tasks import digest_send_daily, digest_send_day
from tests.factories import PostFactory, ProfileFactory
from tests.helpers import digest_off

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

DAY = date(2025, 3, 10)  # a Monday: its digest goes out on Tuesday morning


def at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def _unsubscribe_path(message) -> str:
    url = re.search(r"Stop it: (\S+)", message.body).group(1)
    return url.removeprefix("http://127.0.0.1:8000")


def _frequency(profile) -> str:
    row = DigestSetting.objects.filter(profile=profile).first()
    return row.frequency if row else "daily"


@pytest.fixture
def opted_out(db):
    return digest_off(ProfileFactory(display_name="Otto Optout", user__email="otto@example.com"))


@pytest.fixture
def departed(db):
    return ProfileFactory(display_name="Dora Departed", user__email="dora@example.com", user__is_active=False)


@pytest.fixture
def busy_day(author, colleague, poster, opted_out, departed):
    """Four posts on DAY by Pat, one removed, one the day before; ranked by reactions + 2 x comments."""
    post = {
        "first": PostFactory(author=poster, body="Launch is live", reaction_count=10, created_at=at(DAY, 9)),
        "second": PostFactory(author=poster, body="Lunch talk", comment_count=4, created_at=at(DAY, 10)),
        "third": PostFactory(
            author=poster, body="Office move", reaction_count=5, comment_count=1, created_at=at(DAY, 11)
        ),
        "fourth": PostFactory(author=poster, body="New hire", reaction_count=3, created_at=at(DAY, 12)),
    }
    PostFactory(
        author=poster,
        body="Removed rant",
        reaction_count=100,
        created_at=at(DAY, 8),
        removed_at=at(DAY, 9),
        removed_by=poster,
    )
    PostFactory(author=poster, body="Old news", reaction_count=50, created_at=at(DAY - timedelta(days=1), 23))
    return post


def test_each_colleague_gets_one_email_with_the_days_top_posts(busy_day, mailoutbox):
    queued = digest_send_day.delay(DAY.isoformat()).get()

    assert queued == 2
    assert sorted(m.to[0] for m in mailoutbox) == ["ada@example.com", "colin@example.com"]
    message = next(m for m in mailoutbox if m.to == ["ada@example.com"])
    assert message.subject == "Hive digest: 3 new for you since Monday 10 March"
    assert message.body.startswith("Hi Ada Author,")
    assert "POPULAR ACROSS THE COMPANY" in message.body
    listed = re.findall(r"^\* Pat Poster: (.+)$", message.body, re.M)
    assert listed == ["Launch is live", "Lunch talk", "Office move"]
    assert f"http://127.0.0.1:8000/posts/{busy_day['first'].pk}/" in message.body


def test_digest_is_multipart_text_and_html_built_of_tables_with_nothing_remote(busy_day, mailoutbox):
    digest_send_day.delay(DAY.isoformat())

    message = mailoutbox[0]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert "<strong>Pat Poster</strong>" in html
    assert html.index("Launch is live") < html.index("Lunch talk") < html.index("Office move")
    assert "10 reactions · 0 comments" in html
    assert '<table role="presentation"' in html
    assert "<script" not in html and "<img" not in html and "<link" not in html
    assert 'href="http://127.0.0.1:8000/people/me/email/"' in html  # the settings page


def test_removed_posts_posts_of_other_days_and_the_fourth_are_left_out(busy_day, mailoutbox):
    digest_send_day.delay(DAY.isoformat())

    for message in mailoutbox:
        for text in (message.body, message.alternatives[0][0]):
            assert "Removed rant" not in text
            assert "Old news" not in text
            assert "New hire" not in text


def test_people_who_turned_it_off_and_departed_people_get_nothing(busy_day, opted_out, departed, mailoutbox):
    digest_send_day.delay(DAY.isoformat())

    addresses = {m.to[0] for m in mailoutbox}
    assert "otto@example.com" not in addresses
    assert "dora@example.com" not in addresses
    assert not DeliveryMessage.objects.filter(profile__in=[opted_out, departed]).exists()


def test_running_the_digest_again_sends_nothing_more(busy_day, mailoutbox):
    digest_send_day.delay(DAY.isoformat())
    sent = len(mailoutbox)

    again = digest_send_day.delay(DAY.isoformat()).get()

    assert again == 0
    assert len(mailoutbox) == sent == 2
    deliveries = DeliveryMessage.objects.values_list(
        "profile__user__email", "run__kind", "run__period", "state"
    )
    assert sorted(deliveries) == [
        ("ada@example.com", "digest", "2025-03-10", "sent"),
        ("colin@example.com", "digest", "2025-03-10", "sent"),
    ]


def _planned(profiles) -> list[int]:
    run = delivery_plan(kind="digest", period=DAY.isoformat(), profile_ids=[p.pk for p in profiles])
    return list(DeliveryMessage.objects.filter(run=run).order_by("id").values_list("id", flat=True))


def test_a_repeated_batch_sends_nobody_a_second_email(busy_day, author, colleague, mailoutbox):
    # A broker can deliver a batch twice (acks_late after a worker crash): the second run sends nothing.
    ids = _planned([author, colleague])
    assert delivery_send(message_ids=ids)["sent"] == 2

    assert delivery_send(message_ids=ids)["sent"] == 0
    assert len(mailoutbox) == 2


def test_someone_who_turns_it_off_before_their_batch_runs_gets_nothing(
    busy_day, author, colleague, mailoutbox
):
    ids = _planned([author, colleague])
    digest_off(colleague)

    delivery_send(message_ids=ids)

    assert [m.to for m in mailoutbox] == [["ada@example.com"]]
    skipped = DeliveryMessage.objects.get(profile=colleague)
    assert (skipped.state, skipped.last_error) == ("skipped", "turned the digest off before it went out")


def test_small_batches_still_reach_everyone_once(busy_day, settings, mailoutbox):
    settings.HIVE_DIGEST_BATCH_SIZE = 1
    for n in range(3):
        ProfileFactory(user__email=f"extra{n}@example.com")

    digest_send_day.delay(DAY.isoformat())

    addresses = [m.to[0] for m in mailoutbox]
    assert len(addresses) == len(set(addresses)) == 5


def test_a_day_with_nothing_new_sends_nothing_and_says_why(author, colleague, mailoutbox):
    digest_send_day.delay(DAY.isoformat())

    assert mailoutbox == []
    assert set(DeliveryMessage.objects.values_list("state", "last_error")) == {
        ("skipped", "nothing new since the last digest")
    }


def test_morning_job_sends_the_digest_of_yesterday(author, poster, mailoutbox):
    yesterday = timezone.localdate() - timedelta(days=1)
    PostFactory(author=poster, body="Yesterday's news", created_at=at(yesterday, 12))
    PostFactory(author=poster, body="Today's news")

    digest_send_daily.delay()

    assert len(mailoutbox) == 1
    assert "Yesterday's news" in mailoutbox[0].body
    assert "Today's news" not in mailoutbox[0].body


def test_post_text_is_escaped_in_the_html_part(author, poster, mailoutbox):
    PostFactory(author=poster, body="<script>alert(1)</script> Q&A", created_at=at(DAY, 9))

    digest_send_day.delay(DAY.isoformat())

    html = mailoutbox[0].alternatives[0][0]
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Q&amp;A" in html
    assert "<script>alert(1)</script> Q&A" in mailoutbox[0].body


def test_company_name_reads_plainly_in_the_subject(author, poster, settings, mailoutbox):
    settings.HIVE_COMPANY_NAME = "Smith & O'Brien"
    PostFactory(author=poster, created_at=at(DAY, 9))

    digest_send_day.delay(DAY.isoformat())

    assert mailoutbox[0].subject == "Smith & O'Brien digest: 1 new for you since Monday 10 March"


# --- Unsubscribing --------------------------------------------------------------------------


def test_unsubscribe_link_works_signed_out_and_asks_before_changing_anything(busy_day, author, mailoutbox):
    digest_send_day.delay(DAY.isoformat())
    message = next(m for m in mailoutbox if m.to == ["ada@example.com"])
    path = _unsubscribe_path(message)
    browser = Client(enforce_csrf_checks=True)  # not signed in, CSRF checked as in a real browser

    confirm = browser.get(path)

    assert confirm.status_code == 200
    assert "Stop the email digest?" in confirm.content.decode()
    assert _frequency(author) == "daily"

    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.content.decode()).group(1)
    done = browser.post(path, {"csrfmiddlewaretoken": token})

    assert done.status_code == 200
    assert "You're unsubscribed" in done.content.decode()
    assert _frequency(author) == "never"


def test_the_link_is_the_same_in_text_html_and_list_unsubscribe_header(busy_day, mailoutbox):
    digest_send_day.delay(DAY.isoformat())

    message = mailoutbox[0]
    url = "http://127.0.0.1:8000" + _unsubscribe_path(message)
    assert f'href="{url}"' in message.alternatives[0][0]
    assert message.extra_headers["List-Unsubscribe"] == f"<{url}>"


def test_unsubscribed_person_gets_no_digest_the_next_day(busy_day, author, poster, mailoutbox):
    digest_send_day.delay(DAY.isoformat())
    Client().post(_unsubscribe_path(next(m for m in mailoutbox if m.to == ["ada@example.com"])))
    next_day = DAY + timedelta(days=1)
    PostFactory(author=poster, created_at=at(next_day, 9))
    mailoutbox.clear()

    digest_send_day.delay(next_day.isoformat())

    assert [m.to for m in mailoutbox] == [["colin@example.com"]]


@pytest.mark.parametrize("method", ["get", "post"])
def test_tampered_unsubscribe_link_is_refused_and_changes_nothing(author, colleague, method):
    token = mail.unsubscribe_token(author.pk)
    tampered = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # signature no longer matches
        signing.dumps(colleague.pk),  # signed, but not as an unsubscribe link
        "garbage",
    ]

    for bad in tampered:
        response = getattr(Client(), method)(f"/digest/unsubscribe/{bad}/")

        assert response.status_code == 400
        assert "That link is not valid" in response.content.decode()
    assert not DigestSetting.objects.exists()


def test_mail_clients_one_click_unsubscribe_needs_no_browser_session(busy_day, author, mailoutbox):
    """RFC 8058: the mail client POSTs to the List-Unsubscribe address itself, with no cookies."""
    digest_send_day.delay(DAY.isoformat())
    message = next(m for m in mailoutbox if m.to == ["ada@example.com"])
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    response = Client(enforce_csrf_checks=True).post(
        _unsubscribe_path(message), {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert _frequency(author) == "never"


def _link_signed_days_ago(profile, days: int) -> str:
    """The token a digest sent `days` ago carried: the same signature, an older timestamp."""

    class Then(signing.TimestampSigner):
        def timestamp(self):
            return signing.b62_encode(int(time_now()) - days * 86400)

    return Then(salt=mail.UNSUBSCRIBE_SALT).sign_object(profile.pk)


def test_an_expired_unsubscribe_link_says_so_and_changes_nothing(author, settings):
    settings.HIVE_UNSUBSCRIBE_LINK_DAYS = 60
    token = _link_signed_days_ago(author, 68)

    for method in ("get", "post"):
        response = getattr(Client(), method)(f"/digest/unsubscribe/{token}/")

        assert response.status_code == 410
        assert "That link has expired" in response.content.decode()
        assert 'href="/people/me/email/"' in response.content.decode()
    assert _frequency(author) == "daily"


def test_a_link_within_its_days_still_works(author, settings):
    settings.HIVE_UNSUBSCRIBE_LINK_DAYS = 60
    token = _link_signed_days_ago(author, 55)

    response = Client().post(f"/digest/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert _frequency(author) == "never"
