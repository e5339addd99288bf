"""Polls: asking, voting once, results after voting or closing, and every way a ballot goes wrong."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from feed import polls
from feed.models import Poll, PollOption, PollVote, Post
from tests.factories import ProfileFactory
from tests.helpers import signed_in

pytestmark = pytest.mark.django_db


def _poll(author, options=("Tuesday", "Thursday"), multiple=False, days=7):
    return polls.poll_create(
        author=author,
        question="When should the all-hands be?",
        options=list(options),
        multiple=multiple,
        closes_at=timezone.now() + timedelta(days=days),
    )


def _new(client, **data):
    return client.post("/polls/new/", {"question": "Lunch?", "closes_in_days": 7} | data)


def test_author_creates_a_poll_that_appears_in_the_feed(author_client, colleague_client):
    response = _new(author_client, options="Pizza\nSushi\n\nTacos\n")

    post = Post.objects.get(kind="poll")
    assert response["Location"] == post.get_absolute_url()
    assert list(post.poll.options.values_list("label", flat=True)) == ["Pizza", "Sushi", "Tacos"]
    html = colleague_client.get("/all/").content.decode()
    assert 'type="radio" name="option"' in html and "Results show after you vote." in html


@pytest.mark.parametrize(
    "options, message",
    [
        ("Only one", "A poll needs at least two options."),
        ("Pizza\npizza ", "Each option must be different: “pizza” appears twice."),
        ("\n".join(f"Option {i}" for i in range(11)), "A poll has at most 10 options."),
    ],
)
def test_bad_options_get_a_clear_message_and_nothing_is_saved(author_client, options, message):
    response = _new(author_client, options=options)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Post.objects.exists() and not Poll.objects.exists()


def test_a_vote_counts_once_and_shows_the_results(author, colleague, colleague_client):
    post = _poll(author)
    thursday = PollOption.objects.get(label="Thursday")

    colleague_client.post(f"/posts/{post.pk}/vote/", {"option": thursday.pk})
    again = colleague_client.post(f"/posts/{post.pk}/vote/", {"option": thursday.pk}, follow=True)

    assert "You have already voted in this poll." in again.content.decode()
    thursday.refresh_from_db()
    assert thursday.vote_count == 1 and Poll.objects.get().voter_count == 1
    assert "Thursday <strong>(your vote)</strong>" in again.content.decode()


def test_results_stay_hidden_from_those_who_have_not_voted_until_it_closes(author, colleague, outsider):
    post = _poll(author)
    polls.poll_vote(post_id=post.pk, voter=colleague, option_ids=[PollOption.objects.first().pk])

    assert "1 vote<" not in signed_in(outsider).get(post.get_absolute_url()).content.decode()

    Poll.objects.update(closes_at=timezone.now() - timedelta(minutes=1))
    closed = signed_in(outsider).get(post.get_absolute_url()).content.decode()
    assert "1 vote<" in closed and "closed" in closed


def test_a_closed_poll_takes_no_votes(author, colleague):
    post = _poll(author)
    Poll.objects.update(closes_at=timezone.now() - timedelta(minutes=1))

    with pytest.raises(ValidationError, match="votes are no longer taken"):
        polls.poll_vote(post_id=post.pk, voter=colleague, option_ids=[PollOption.objects.first().pk])
    assert not PollVote.objects.exists()


def test_single_choice_refuses_two_options_and_multiple_choice_takes_them(author, colleague):
    single = _poll(author)
    both = list(single.poll.options.values_list("pk", flat=True))
    with pytest.raises(ValidationError, match="one choice only"):
        polls.poll_vote(post_id=single.pk, voter=colleague, option_ids=both)

    several = _poll(author, options=("Python", "Go", "Rust"), multiple=True)
    picks = list(several.poll.options.values_list("pk", flat=True))[:2]
    polls.poll_vote(post_id=several.pk, voter=colleague, option_ids=picks)
    several.poll.refresh_from_db()
    assert several.poll.voter_count == 1
    assert sorted(several.poll.options.values_list("vote_count", flat=True)) == [0, 1, 1]


def test_an_option_from_another_poll_is_refused(author, colleague):
    first, second = _poll(author), _poll(author, options=("Yes", "No"))

    with pytest.raises(ValidationError, match="not part of this poll"):
        polls.poll_vote(post_id=first.pk, voter=colleague, option_ids=[second.poll.options.first().pk])


def test_a_closing_time_in_the_past_is_refused(author):
    with pytest.raises(ValidationError, match="closing time in the future"):
        _poll(author, days=-1)
    assert not Post.objects.exists()


def test_feed_queries_stay_fixed_however_many_polls(author, colleague_client, django_assert_max_num_queries):
    def more(n):
        for _ in range(n):
            post = _poll(ProfileFactory())
            polls.poll_vote(post_id=post.pk, voter=author, option_ids=[post.poll.options.first().pk])

    more(2)
    colleague_client.get("/all/")
    with django_assert_max_num_queries(14) as small:
        colleague_client.get("/all/")
    more(15)
    with django_assert_max_num_queries(len(small.captured_queries)):
        html = colleague_client.get("/all/").content.decode()
    assert html.count('class="poll"') == 17
