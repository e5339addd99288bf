"""Badges and celebrations through a real Celery worker and the real Redis broker, each run twice."""

import time
from datetime import date

import pytest

from feed.models import Post
from recognition.models import BadgeAward, Kudos, KudosRecipient
from recognition.tasks import badges_award, celebrations_post
from tests.factories import PostFactory, ProfileFactory
from tests.tasks.test_worker import _wait_for, celery_worker  # noqa: F401  (fixture, used by name)

pytestmark = pytest.mark.django_db(transaction=True)  # the worker reads what the test committed


def test_the_worker_awards_badges_and_posts_celebrations_once_whatever_the_reruns(
    celery_worker,  # noqa: F811
    author,
    colleague,
):
    PostFactory(author=author, body="Hello")
    kudos = Kudos.objects.create(giver=colleague, message="x", is_private=True)
    KudosRecipient.objects.create(kudos=kudos, recipient=author, giver=colleague)
    ProfileFactory(display_name="Vera Veteran", start_date=date(2020, 3, 10))

    for run in (1, 2):
        badges_award.delay()
        celebrations_post.delay("2026-03-10")
        _wait_for(lambda n=run: celery_worker.count("recognition.badges_award") == n, f"badges run {run}")
        _wait_for(
            lambda n=run: celery_worker.count("recognition.celebrations_post") == n, f"celebrations run {run}"
        )
        time.sleep(0.2)
        awards = set(BadgeAward.objects.values_list("profile__display_name", "badge__slug"))
        assert awards == {("Ada Author", "first-post"), ("Colin Colleague", "first-kudos-given")}
        assert list(Post.objects.filter(kind="celebration").values_list("body", flat=True)) == [
            "🎉 Vera Veteran joined us 6 years ago today!"
        ]
