"""Each person sets their digest on a page reached from their profile: daily, weekly on a weekday
they pick, or never; and whether it comes only when they have been away."""

import re

import pytest

from digests.models import DigestSetting
from tests.helpers import client_for

pytestmark = pytest.mark.django_db


def test_the_settings_page_is_linked_from_their_own_profile_only(client, author, colleague):
    browser = client_for(client, author)

    assert 'href="/people/me/email/"' in browser.get(f"/people/{author.pk}/").content.decode()
    assert 'href="/people/me/email/"' not in browser.get(f"/people/{colleague.pk}/").content.decode()


def test_a_person_chooses_a_weekly_digest_on_friday(client, author):
    browser = client_for(client, author)
    page = browser.get("/people/me/email/").content.decode()
    assert re.search(r'<input[^>]*value="daily"[^>]*checked', page)  # the default

    response = browser.post(
        "/people/me/email/", {"frequency": "weekly", "weekday": "4", "only_when_away": "on"}
    )

    assert response.status_code == 302
    setting = DigestSetting.objects.get(profile=author)
    assert (setting.frequency, setting.weekday, setting.only_when_away) == ("weekly", 4, True)
    assert "Email settings saved." in browser.get("/people/me/email/").content.decode()


def test_turning_it_off_and_getting_it_even_after_a_visit(client, author):
    browser = client_for(client, author)

    browser.post("/people/me/email/", {"frequency": "never", "weekday": "0"})

    setting = DigestSetting.objects.get(profile=author)
    assert (setting.frequency, setting.only_when_away) == ("never", False)


@pytest.mark.parametrize(
    "data", [{"frequency": "hourly", "weekday": "0"}, {"frequency": "weekly", "weekday": "9"}, {}]
)
def test_bad_input_is_refused_with_a_message_and_changes_nothing(client, author, data):
    browser = client_for(client, author)
    browser.post("/people/me/email/", {"frequency": "weekly", "weekday": "2", "only_when_away": "on"})

    response = browser.post("/people/me/email/", data)

    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()
    setting = DigestSetting.objects.get(profile=author)
    assert (setting.frequency, setting.weekday) == ("weekly", 2)


def test_each_person_changes_only_their_own_settings(client, author, colleague):
    client_for(client, author).post("/people/me/email/", {"frequency": "never", "weekday": "0"})

    assert DigestSetting.objects.get(profile=author).frequency == "never"
    assert not DigestSetting.objects.filter(profile=colleague, frequency="never").exists()


def test_a_visit_is_recorded_once_a_day_not_on_every_page(client, author, django_assert_max_num_queries):
    browser = client_for(client, author)
    browser.get("/")
    first = DigestSetting.objects.get(profile=author).last_seen_at
    assert first is not None

    browser.get("/")

    assert DigestSetting.objects.get(profile=author).last_seen_at == first


def test_signed_out_visitors_are_sent_to_sign_in(client):
    response = client.get("/people/me/email/")

    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
