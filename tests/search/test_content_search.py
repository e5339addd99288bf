"""Posts, questions, polls, announcements, kudos and comments are found from the one search box: ranked,
highlighted, each linking to the post or to the comment in its thread."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from feed import services as feed
from feed.models import Post
from feed.polls import poll_create
from tests.factories import ProfileFactory
from tests.helpers import skill_give

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]


def content_section(page: str) -> str:
    match = re.search(r'id="results-content".*?</section>', page, re.S)
    return match.group(0) if match else ""


def hits(page: str) -> list[str]:
    """Each result's text, markup removed, in the order shown."""
    items = re.findall(r'<li class="content-hit".*?</li>', content_section(page), re.S)
    return [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in items]


def links(page: str) -> list[str]:
    return re.findall(r'<li class="content-hit"[^>]*>\s*<a href="([^"]+)"', content_section(page))


def search(client, q: str) -> str:
    response = client.get("/search/", {"q": q})
    assert response.status_code == 200
    return response.content.decode()


def aged(post: Post, days: int) -> Post:
    Post.objects.filter(pk=post.pk).update(created_at=timezone.now() - timedelta(days=days))
    return post


def test_a_post_is_found_by_its_words_with_the_words_highlighted(colleague_client, author):
    post = feed.post_create(author=author, body="The new pricing page ships on Thursday; old links redirect.")
    feed.post_create(author=author, body="Lunch is on the roof today.")

    page = search(colleague_client, "pricing page")

    assert links(page) == [post.get_absolute_url()]
    assert "<mark>pricing</mark> <mark>page</mark>" in content_section(page)
    assert "Post by Ada Author" in hits(page)[0]


def test_english_stemming_finds_other_forms_of_a_word(colleague_client, author):
    post = feed.post_create(
        author=author, body="The postmortem for Tuesday's checkout slowdown is written up."
    )

    page = search(colleague_client, "postmortems checkout slowdowns")

    assert links(page) == [post.get_absolute_url()]


def test_a_comment_links_to_itself_in_its_thread(colleague_client, author, colleague):
    question = feed.post_create(author=author, body="How do I rotate the VPN certificate?", kind="question")
    answer = feed.comment_create(
        post_id=question.pk, author=colleague, body="Run the renewal playbook first."
    )
    feed.answer_mark(post_id=question.pk, comment_id=answer.pk, actor=author)

    page = search(colleague_client, "renewal playbook")

    assert links(page) == [answer.get_absolute_url()]
    assert f"?comment={answer.pk}#comment-{answer.pk}" in links(page)[0]
    shown = hits(page)[0]
    assert "Best answer by Colin Colleague" in shown
    assert "How do I rotate the VPN certificate?" in shown  # what it answers


def test_the_comment_link_opens_the_thread_at_that_comment(colleague_client, author, colleague):
    post = feed.post_create(author=author, body="Release train this week")
    comment = feed.comment_create(post_id=post.pk, author=colleague, body="Blue-green switchover at noon")

    url = links(search(colleague_client, "switchover"))[0].replace("&amp;", "&")

    response = colleague_client.get(url)
    assert response.status_code == 200
    assert f'id="comment-{comment.pk}"' in response.content.decode()


def test_every_kind_of_post_is_found_and_labelled(colleague_client, author, colleague):
    feed.post_create(author=author, body="Zephyr open question here", kind="question")
    answered = feed.post_create(author=author, body="Zephyr solved question here", kind="question")
    reply = feed.comment_create(post_id=answered.pk, author=colleague, body="Like this.")
    feed.answer_mark(post_id=answered.pk, comment_id=reply.pk, actor=author)
    poll_create(
        author=author, question="Zephyr poll: which day?", options=["Mon", "Tue"],
        closes_at=timezone.now() + timedelta(days=1),
    )  # fmt: skip
    feed.post_create(author=author, body="Zephyr announcement for all", kind="announcement")

    shown = " | ".join(hits(search(colleague_client, "zephyr")))

    for label in ("Question · open", "Question · answered", "Poll by", "Announcement by"):
        assert label in shown


def test_recent_beats_old_for_the_same_words_and_engagement_breaks_ties(colleague_client, author, colleague):
    old = aged(feed.post_create(author=author, body="Quarterly roadmap review notes"), days=700)
    new = feed.post_create(author=author, body="Quarterly roadmap review notes, again")
    quiet = feed.post_create(author=author, body="Quarterly roadmap review draft")
    liked = feed.post_create(author=author, body="Quarterly roadmap review draft too")
    for person in [colleague, *ProfileFactory.create_batch(5)]:
        feed.reaction_toggle(post_id=liked.pk, profile=person, kind="like")

    order = links(search(colleague_client, "quarterly roadmap review"))

    assert order.index(new.get_absolute_url()) < order.index(old.get_absolute_url())
    assert order.index(liked.get_absolute_url()) < order.index(quiet.get_absolute_url())
    assert order[-1] == old.get_absolute_url()


def test_removed_posts_and_comments_are_not_found(colleague_client, author, colleague):
    gone = feed.post_create(author=author, body="Obsolete vendor contract details")
    kept = feed.post_create(author=author, body="Another thread")
    comment = feed.comment_create(post_id=kept.pk, author=author, body="Obsolete vendor invoice")
    Post.objects.filter(pk=gone.pk).update(removed_at=timezone.now())
    type(comment).objects.filter(pk=comment.pk).update(removed_at=timezone.now())

    page = search(colleague_client, "obsolete vendor")

    assert hits(page) == []
    assert "Nothing matches" in page


def test_a_misspelt_skill_also_finds_posts_about_it(colleague_client, author):
    skill_give(author, "Kubernetes")
    post = feed.post_create(author=author, body="Our Kubernetes upgrade went smoothly.")

    page = search(colleague_client, "kubernets")

    assert post.get_absolute_url() in links(page)


def test_the_count_says_how_many_were_found(colleague_client, author):
    for n in range(3):
        feed.post_create(author=author, body=f"Badminton league round {n}")

    page = search(colleague_client, "badminton")

    assert "3 matches you can read" in content_section(page)
