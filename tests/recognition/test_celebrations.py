"""Birthdays (for people who opt in) and work anniversaries: a celebration card in the feed on the day,
once a year whatever the reruns, with a one-click congratulate."""

import threading
from datetime import date

import pytest
from django.db import connection

from feed.models import Post, Reaction
from recognition import services
from recognition.models import Celebration, RecognitionPreference
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db

DAY = date(2026, 6, 15)
QUERIES_TO_CELEBRATE = 13  # claims, posts, cards, and telling the team: 4 of them


def test_anniversaries_and_opted_in_birthdays_are_posted_once_whatever_the_reruns(author):
    veteran = ProfileFactory(display_name="Vera Veteran", start_date=date(2021, 6, 15))
    ProfileFactory(display_name="Nina Newcomer", start_date=date(2026, 6, 15))  # her first day, not a year
    ProfileFactory(display_name="Gus Gone", start_date=date(2020, 6, 15), user__is_active=False)
    services.recognition_preference_set(profile=author, leaderboard_opt_out=False, birthday=(6, 15))

    assert services.celebrations_post(today=DAY) == 2
    assert services.celebrations_post(today=DAY) == 0  # the rerun posts nothing

    bodies = set(Post.objects.filter(kind=Post.Kind.CELEBRATION).values_list("body", flat=True))
    assert bodies == {"🎉 Vera Veteran joined us 5 years ago today!", "🎂 It's Ada Author's birthday today!"}
    assert Post.objects.get(body__startswith="🎉").author == veteran
    assert Celebration.objects.filter(post__isnull=False).count() == 2
    assert services.celebrations_post(today=date(2027, 6, 15)) == 3  # next year again, and Nina's first


def test_without_opting_in_a_birthday_is_never_posted_and_clearing_it_stops_it(author):
    services.recognition_preference_set(profile=author, leaderboard_opt_out=False, birthday=(6, 15))
    services.recognition_preference_set(profile=author, leaderboard_opt_out=False, birthday=None)

    assert services.celebrations_post(today=DAY) == 0
    assert RecognitionPreference.objects.get(profile=author).birthday_month is None


def test_a_29_february_birthday_is_celebrated_on_the_28th_in_other_years(author):
    services.recognition_preference_set(profile=author, leaderboard_opt_out=False, birthday=(2, 29))
    assert services.celebrations_post(today=date(2027, 2, 28)) == 1
    assert services.celebrations_post(today=date(2028, 2, 28)) == 0  # a leap year: the 29th is coming
    assert services.celebrations_post(today=date(2028, 2, 29)) == 1


def test_an_impossible_birthday_is_refused_with_a_clear_message(author_client, author):
    response = author_client.post(
        "/kudos/preferences/", {"birthday_month": "2", "birthday_day": "30"}, follow=True
    )
    assert "That is not a day of the year" in response.content.decode()
    response = author_client.post("/kudos/preferences/", {"birthday_month": "2"}, follow=True)
    assert "Pick both the month and the day" in response.content.decode()
    assert not RecognitionPreference.objects.filter(profile=author, birthday_month__isnull=False).exists()


def test_opting_in_on_the_preferences_page_and_congratulating_in_one_click(author_client, author, colleague):
    author_client.post("/kudos/preferences/", {"birthday_month": "6", "birthday_day": "15"})
    assert 'value="6" selected' in author_client.get("/kudos/preferences/").content.decode()
    services.celebrations_post(today=DAY)
    post = Post.objects.get(kind=Post.Kind.CELEBRATION)
    browser = signed_in(colleague)

    page = browser.get(post.get_absolute_url()).content.decode()
    assert "🎉 Congratulate Ada Author" in page
    browser.post(f"/posts/{post.pk}/react/", {"kind": "celebrate", "next": "/"})

    assert Reaction.objects.filter(post=post, profile=colleague, kind="celebrate").exists()


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_post_each_celebration_once():
    people = [ProfileFactory(start_date=date(2020, 6, 15)) for _ in range(5)]
    results, errors = [], []

    def run():
        try:
            results.append(services.celebrations_post(today=DAY))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert not errors and sorted(results)[-1] == 5 and sum(results) == 5
    assert Post.objects.filter(kind=Post.Kind.CELEBRATION).count() == len(people)


def _celebration_notes():
    from notifications.models import Kind, Notification

    return dict(
        Notification.objects.filter(kind=Kind.CELEBRATION).values_list("recipient__display_name", "summary")
    )


def test_the_team_and_followers_are_told_once_in_the_morning_and_nobody_else(django_assert_max_num_queries):
    from feed.models import FollowPerson
    from notifications.models import Notification
    from notifications.services import preferences_set

    boss = ProfileFactory(display_name="Bea Boss")
    vera = ProfileFactory(display_name="Vera Veteran", manager=boss, start_date=date(2021, 6, 15))
    ProfileFactory(display_name="Rui Report", manager=vera)
    ProfileFactory(display_name="Pia Peer", manager=boss)
    fan = ProfileFactory(display_name="Finn Follower")
    FollowPerson.objects.create(follower=fan, followee=vera)
    muted = ProfileFactory(display_name="Mia Muted", manager=boss)
    preferences_set(profile=muted, choices={"celebration": "off"})
    ProfileFactory(display_name="Gil Gone", manager=boss, user__is_active=False)
    ProfileFactory(display_name="Olga Outsider")  # same department, not on the team, not following

    services.celebrations_post(today=DAY)
    services.celebrations_post(today=DAY)  # the rerun tells nobody again

    post = Post.objects.get(kind=Post.Kind.CELEBRATION)
    said = "Today is 🎉 Vera Veteran's 5-year work anniversary: congratulate them."
    assert _celebration_notes() == {
        name: said for name in ["Bea Boss", "Rui Report", "Pia Peer", "Finn Follower"]
    }
    assert set(Notification.objects.filter(kind="celebration").values_list("url", flat=True)) == {
        post.get_absolute_url()
    }


def test_someone_close_to_two_people_celebrated_gets_one_notification_naming_both(author):
    boss = ProfileFactory(display_name="Bea Boss")
    ProfileFactory(display_name="Vera Veteran", manager=boss, start_date=date(2024, 6, 15))
    ada = ProfileFactory(display_name="Ada Bday", manager=boss)
    services.recognition_preference_set(profile=ada, leaderboard_opt_out=False, birthday=(6, 15))

    services.celebrations_post(today=DAY)

    notes = _celebration_notes()
    assert notes["Bea Boss"] == (
        "Celebrations today: 🎉 Vera Veteran's 2-year work anniversary and 🎂 Ada Bday's birthday."
    )
    # Each of the two is told of the other's day, not of their own.
    assert notes["Ada Bday"] == "Today is 🎉 Vera Veteran's 2-year work anniversary: congratulate them."
    assert notes["Vera Veteran"] == "Today is 🎂 Ada Bday's birthday: congratulate them."


@pytest.mark.parametrize("team_size", [2, 12])
def test_telling_the_team_takes_the_same_queries_however_many_are_told(team_size, django_assert_num_queries):
    from feed.models import FollowPerson

    boss = ProfileFactory()
    celebrated = [ProfileFactory(manager=boss, start_date=date(2020, 6, 15)) for _ in range(team_size)]
    for person in celebrated:
        FollowPerson.objects.create(follower=ProfileFactory(), followee=person)
    with django_assert_num_queries(QUERIES_TO_CELEBRATE):
        services.celebrations_post(today=DAY)
    assert Post.objects.filter(kind=Post.Kind.CELEBRATION).count() == team_size
    assert len(_celebration_notes()) == 2 * team_size + 1  # the team, the followers and the boss


def test_a_celebration_rolled_back_tells_nobody(monkeypatch):
    from notifications.models import Notification

    ProfileFactory(display_name="Vera Veteran", manager=ProfileFactory(), start_date=date(2021, 6, 15))
    monkeypatch.setattr(services.Celebration.objects, "bulk_update", _fail)
    with pytest.raises(RuntimeError):
        services.celebrations_post(today=DAY)
    assert not Notification.objects.exists() and not Post.objects.filter(kind="celebration").exists()


def _fail(*args, **kwargs):
    raise RuntimeError("crash half-way")
