"""Badges and celebrations through a real Celery worker and the real Redis broker, each run twice."""

import time
from datetime import date, timedelta

import pytest
from django.utils import timezone
from taggit.models import Tag

from feed.models import Post
from notifications.models import Notification
from recognition.models import BadgeAward, Kudos, KudosRecipient
from recognition.tasks import badges_award, celebrations_post
from tests.factories import CommentFactory, DepartmentFactory, PostFactory, ProfileFactory
from tests.tasks.test_worker import _wait_for, celery_worker  # noqa: F401  (fixture, used by name)

pytestmark = pytest.mark.django_db(transaction=True)  # the worker reads what the test committed


def test_the_worker_awards_badges_and_posts_celebrations_once_whatever_the_reruns(
    celery_worker,  # noqa: F811
    author,
    colleague,
    settings,
):
    settings.HIVE_NEWCOMER_DAYS = 30
    PostFactory(author=author, body="Hello")
    kudos = Kudos.objects.create(giver=colleague, message="x", is_private=True)
    KudosRecipient.objects.create(kudos=kudos, recipient=author, giver=colleague)
    ProfileFactory(display_name="Vera Veteran", start_date=date(2020, 3, 10))
    # Ada talks with three other departments this month (a connector); Colin answers her #python questions
    # (the go-to person for it) and is the first to reply to Nina, who started last week (a welcomer).
    for name, department in [("Sam Sales", "Sales"), ("Fay Finance", "Finance"), ("Oli Ops", "Operations")]:
        other = ProfileFactory(
            display_name=name, department=DepartmentFactory(name=department), start_date=date(2019, 1, 7)
        )
        for _ in range(2):  # in contact: twice each
            CommentFactory(post=PostFactory(author=other), author=author)
    for _ in range(3):
        question = PostFactory(author=author, body="How? #python", kind=Post.Kind.QUESTION)
        question.tags.add("python")
        question.best_answer = CommentFactory(post=question, author=colleague)
        question.save(update_fields=["best_answer"])
    nina = ProfileFactory(display_name="Nina Newcomer", start_date=timezone.localdate() - timedelta(days=6))
    CommentFactory(post=PostFactory(author=nina, body="Hi all, I just joined!"), author=colleague)

    for run in (1, 2):
        badges_award.delay()
        celebrations_post.delay("2026-03-10")
        _wait_for(lambda n=run: celery_worker.count("recognition.badges_award") == n, f"badges run {run}")
        _wait_for(
            lambda n=run: celery_worker.count("recognition.celebrations_post") == n, f"celebrations run {run}"
        )
        time.sleep(0.2)
        awards = set(BadgeAward.objects.values_list("profile__display_name", "badge__slug"))
        assert awards == {
            ("Ada Author", "first-post"),
            ("Colin Colleague", "first-kudos-given"),
            ("Ada Author", "connector"),
            ("Colin Colleague", f"tag-{Tag.objects.get(name='python').pk}"),
            ("Colin Colleague", "welcomer"),
            *((name, "first-post") for name in ["Sam Sales", "Fay Finance", "Oli Ops", "Nina Newcomer"]),
        }
        # Each told once, whatever the reruns.
        assert Notification.objects.filter(kind="badge").count() == len(awards)
        assert list(Post.objects.filter(kind="celebration").values_list("body", flat=True)) == [
            "🎉 Vera Veteran joined us 6 years ago today!"
        ]
