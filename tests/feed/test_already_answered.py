""" "Already answered?": while a question is typed, answered questions, posts and people who know the
topic, found by meaning (the sentence model) and by words (feed.already_answered)."""

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from common.models import TextVector
from common.similar_text import vectors_backfill
from communities.models import Community, Membership
from feed import already_answered as aa
from feed.models import Post
from feed.services import answer_mark, comment_create, post_create
from tests.factories import ProfileFactory
from tests.helpers import client_for, skill_give

QUESTIONS = [
    # (question, accepted answer)
    ("How do I get access to the VPN from home?", "Install the GlobalProtect client from the IT portal."),
    ("Who approves expense claims over 500 euros?", "Your department head, then Finance."),
    (
        "What is the best way to get started with Kubernetes coming from Docker?",
        "Do the internal K8s 101 course, then shadow the platform team's on-call.",
    ),
    ("Where can I find the brand guidelines and the logo files?", "On the Brand page of the wiki."),
]


def _ask(author, body, *, community=None, answer=None, answerer=None):
    post = post_create(author=author, body=body, kind=Post.Kind.QUESTION, community=community)
    if answer is not None:
        comment = comment_create(post_id=post.pk, author=answerer, body=answer)
        post = answer_mark(post_id=post.pk, comment_id=comment.pk, actor=author)
    return post


@pytest.fixture
def answered(author, colleague):
    """Four answered questions, and one open question close to the first."""
    posts = [_ask(author, q, answer=a, answerer=colleague) for q, a in QUESTIONS]
    open_one = _ask(author, "Is the VPN down for everyone working from home today?")
    vectors_backfill(kind=aa.QUESTION_KIND)  # no commit inside a test: the task's work, done here
    return posts, open_one


def _shown(found) -> list[str]:
    return [q.post.body for q in found.questions]


@pytest.mark.sentence_model
def test_a_question_in_other_words_finds_the_answered_one_by_meaning(answered, outsider):
    found = aa.already_answered(
        viewer=outsider, text="Can't connect to the company network when working remotely, who can help?"
    )
    assert _shown(found)[0] == QUESTIONS[0][0]
    assert found.questions[0].answer.body == QUESTIONS[0][1]
    # The open question about the VPN is near too, but has no accepted answer.
    assert "Is the VPN down for everyone working from home today?" not in _shown(found)
    # Unrelated answered questions stay out.
    assert QUESTIONS[3][0] not in _shown(found)


@pytest.mark.sentence_model
def test_a_paraphrase_sharing_no_word_is_still_found(answered, outsider):
    found = aa.already_answered(viewer=outsider, text="Who signs off on large expense reports?")
    assert _shown(found)[:1] == [QUESTIONS[1][0]]
    assert "meaning" in found.questions[0].reason


@pytest.mark.sentence_model
def test_a_question_on_another_topic_finds_nothing(answered, outsider):
    found = aa.already_answered(viewer=outsider, text="How do I book a meeting room for next Tuesday?")
    assert found.questions == []


def test_without_a_sentence_model_shared_words_still_find_answered_questions(author, colleague, outsider):
    for q, a in QUESTIONS:
        _ask(author, q, answer=a, answerer=colleague)
    found = aa.already_answered(
        viewer=outsider, text="Kubernetes for people coming from Docker: where to start?"
    )
    assert _shown(found) == [QUESTIONS[2][0]]
    assert found.questions[0].reason == "shares words with your question"


def test_a_private_groups_answered_question_is_shown_to_members_only(author, colleague, outsider):
    group = Community.objects.create(
        name="Payroll team", slug="payroll-team", visibility=Community.Visibility.PRIVATE, created_by=author
    )
    for person in (author, colleague):
        Membership.objects.create(community=group, profile=person)
    _ask(
        author,
        "Which payroll run covers the December bonus?",
        community=group,
        answer="The 20th.",
        answerer=colleague,
    )
    text = "When is the December bonus payroll run?"
    assert _shown(aa.already_answered(viewer=colleague, text=text)) == [
        "Which payroll run covers the December bonus?"
    ]
    nothing = aa.already_answered(viewer=outsider, text=text)
    assert nothing.questions == [] and nothing.posts == []


def test_removed_questions_and_removed_answers_are_not_shown(author, colleague, outsider):
    gone = _ask(
        author, "How do I renew my parking permit at the office?", answer="At reception.", answerer=colleague
    )
    Post.objects.filter(pk=gone.pk).update(removed_at=gone.created_at)
    kept = _ask(
        author, "Where do I renew my parking permit card?", answer="Reception desk.", answerer=colleague
    )
    kept.best_answer.removed_at = kept.created_at
    kept.best_answer.save()
    assert aa.already_answered(viewer=outsider, text="renew parking permit").questions == []


def test_posts_sharing_the_questions_words_are_shown(author, outsider):
    post_create(
        author=author, body="We moved the Grafana dashboards for payments to the new observability stack."
    )
    post_create(author=author, body="Lunch is on us on Friday.")
    found = aa.already_answered(viewer=outsider, text="Where are the payments Grafana dashboards now?")
    assert [p.body for p in found.posts] == [
        "We moved the Grafana dashboards for payments to the new observability stack."
    ]


def test_people_listing_the_skill_named_are_shown_most_endorsed_first_never_the_asker(author, outsider):
    expert = ProfileFactory(display_name="Erin Expert")
    learner = ProfileFactory(display_name="Lee Learner")
    skill_give(expert, "Kubernetes", endorsements=7)
    skill_give(learner, "Kubernetes", endorsements=1)
    skill_give(outsider, "Kubernetes", endorsements=30)
    found = aa.already_answered(viewer=outsider, text="How do I debug a crash-looping pod in Kubernetes?")
    assert [h.profile.display_name for h in found.people] == ["Erin Expert", "Lee Learner"]
    assert found.people[0].skill.name == "Kubernetes" and found.people[0].endorsement_count == 7


def test_people_for_a_skill_alias_and_for_several_skills_take_turns(author, outsider):
    from expertise.models import Skill, SkillAlias

    a, b, c = (ProfileFactory(display_name=n) for n in ("Ann", "Ben", "Cat"))
    skill_give(a, "Kubernetes", endorsements=5)
    skill_give(b, "Kubernetes", endorsements=4)
    skill_give(c, "Terraform", endorsements=1)
    SkillAlias.objects.create(name="k8s", skill=Skill.objects.get(name="Kubernetes"))
    found = aa.already_answered(
        viewer=outsider, text="Our k8s clusters are built with terraform, any advice?"
    )
    assert {h.profile.display_name for h in found.people} == {"Ann", "Ben", "Cat"}
    assert found.people[-1].profile.display_name == "Ben"  # Cat (the only Terraform holder) came second


def test_short_or_empty_drafts_look_nothing_up(outsider, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert not aa.already_answered(viewer=outsider, text="  How ")
        assert not aa.already_answered(viewer=outsider, text="")


@pytest.mark.sentence_model
def test_queries_stay_the_same_however_many_questions_there_are(
    author, colleague, outsider, django_assert_max_num_queries
):
    skill_give(colleague, "Kubernetes", endorsements=2)
    for q, a in QUESTIONS:
        _ask(author, q, answer=a, answerer=colleague)
    vectors_backfill(kind=aa.QUESTION_KIND)
    vectors_backfill(kind="expertise.skill")
    text = "What is the best way to learn Kubernetes when you know Docker?"
    aa.already_answered(viewer=outsider, text=text)  # loads the vectors into memory
    # The module docstring's eight: whatever the number of questions, posts, skills or people, and
    # when both kinds' freshness is due (common.retrieval.STORED_CHECK_SECONDS).
    _freshness_due()
    with django_assert_max_num_queries(8):
        small = aa.already_answered(viewer=outsider, text=text)
    for n in range(40):
        _ask(
            author, f"Question {n} about Kubernetes and Docker networking?", answer="Yes.", answerer=colleague
        )
    vectors_backfill(kind=aa.QUESTION_KIND)
    aa.already_answered(viewer=outsider, text=text)
    _freshness_due()
    with django_assert_max_num_queries(8):
        big = aa.already_answered(viewer=outsider, text=text)
    assert small.questions and big.questions and big.people


def _freshness_due() -> None:
    from common import retrieval

    for kind in (aa.QUESTION_KIND, "expertise.skill"):
        retrieval.vector_index(kind=kind, model_name="all-MiniLM-L6-v2").recheck()


# --- The page ------------------------------------------------------------------------------------


def test_the_compose_box_asks_as_a_question_is_typed(author_client):
    html = author_client.get(reverse("feed:home")).content.decode()
    box = re.search(r'<div id="already-answered"[^>]*>', html).group(0)
    assert reverse("feed:already_answered") in box and "hx-get" in box


def test_the_panel_shows_an_answered_question_for_a_question_and_nothing_for_an_update(
    author, colleague, outsider, client
):
    _ask(author, QUESTIONS[2][0], answer=QUESTIONS[2][1], answerer=colleague)
    browser = client_for(client, outsider)
    url = reverse("feed:already_answered")
    html = browser.get(
        url, {"kind": "question", "body": "Starting with Kubernetes after Docker?"}
    ).content.decode()
    assert "Already answered?" in html and QUESTIONS[2][0] in html and "the internal K8s 101 course" in html
    assert (
        browser.get(url, {"kind": "update", "body": "Starting with Kubernetes after Docker?"}).content.strip()
        == b""
    )


def test_the_panel_escapes_what_people_wrote(author, colleague, outsider, client):
    _ask(
        author,
        "Kubernetes <script>alert(1)</script> ingress question?",
        answer="<img src=x onerror=alert(2)>",
        answerer=colleague,
    )
    html = (
        client_for(client, outsider)
        .get(reverse("feed:already_answered"), {"body": "Kubernetes ingress question"})
        .content.decode()
    )
    assert "Kubernetes" in html and "<script>alert(1)" not in html and "<img src=x" not in html


# --- Vectors -------------------------------------------------------------------------------------


@pytest.mark.sentence_model
def test_a_question_gets_its_vector_once_answered_and_loses_it_when_the_answer_is_cleared(
    author, colleague, celery_eager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        question = post_create(author=author, body="How do I get a second monitor?", kind=Post.Kind.QUESTION)
        post_create(author=author, body="Shipped the new onboarding flow today.")
    assert not TextVector.objects.exists()  # an open question is never shown: no vector, no product
    with django_capture_on_commit_callbacks(execute=True):
        reply = comment_create(post_id=question.pk, author=colleague, body="Ask IT for one.")
        answer_mark(post_id=question.pk, comment_id=reply.pk, actor=author)
    stored = TextVector.objects.get()
    assert (stored.kind, stored.object_id, stored.model) == (
        aa.QUESTION_KIND,
        question.pk,
        "all-MiniLM-L6-v2",
    )
    assert len(stored.vector) == 384 * 4
    with django_capture_on_commit_callbacks(execute=True):
        answer_mark(post_id=question.pk, comment_id=None, actor=author)
    assert not TextVector.objects.exists()


@pytest.mark.sentence_model
def test_a_question_answered_after_a_look_up_is_found_by_the_next_one(answered, author, colleague, outsider):
    """The index asks whether vectors changed at most every few seconds
    (common.retrieval.STORED_CHECK_SECONDS), but a vector this process stores is seen at once."""
    text = "Where do I pick up a visitor badge for a guest?"
    assert aa.already_answered(viewer=outsider, text=text).questions == []
    _ask(author, "How do I get a badge for a visitor?", answer="At reception.", answerer=colleague)
    vectors_backfill(kind=aa.QUESTION_KIND)
    assert _shown(aa.already_answered(viewer=outsider, text=text)) == ["How do I get a badge for a visitor?"]


@pytest.mark.sentence_model
def test_the_backfill_command_computes_what_is_missing_once(author, colleague):
    for q, a in QUESTIONS:
        _ask(author, q, answer=a, answerer=colleague)
    TextVector.objects.all().delete()
    call_command("text_vectors_backfill", "--kind", aa.QUESTION_KIND)
    assert TextVector.objects.filter(kind=aa.QUESTION_KIND).count() == len(QUESTIONS)
    assert vectors_backfill(kind=aa.QUESTION_KIND) == 0


def test_the_backfill_command_refuses_an_unknown_kind():
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="Unknown kind"):
        call_command("text_vectors_backfill", "--kind", "nothing.here")


def test_people_found_in_one_statement_are_those_the_portable_path_finds(author, outsider):
    """PostgreSQL reads the skills and their holders in one statement (LATERAL); SQLite, the demo's
    database, in two: both choose the same people, in the same order, with what the panel shows."""
    from expertise import selectors as expertise
    from expertise.models import Skill, SkillAlias

    people = {n: ProfileFactory(display_name=n) for n in ("Ann", "Ben", "Cat", "Dan", "Eve")}
    skill_give(people["Ann"], "Kubernetes", endorsements=5)
    skill_give(people["Ben"], "Kubernetes", endorsements=5, level=3)
    skill_give(people["Cat"], "Terraform", endorsements=2)
    skill_give(people["Dan"], "Terraform", endorsements=9)
    skill_give(people["Eve"], "Kubernetes", endorsements=40)
    skill_give(people["Cat"], "Kubernetes", endorsements=1)
    skill_give(outsider, "Terraform", endorsements=50)  # the asker
    people["Dan"].user.is_active = False  # left the company
    people["Dan"].user.save()
    SkillAlias.objects.create(name="k8s", skill=Skill.objects.get(name="Kubernetes"))
    text = "Our k8s clusters are built with terraform, any advice?"

    def shown(holders):
        return [
            (
                h.profile.pk,
                h.profile.display_name,
                h.profile.department,
                h.skill.name,
                h.level_label,
                h.endorsement_count,
            )
            for h in holders
        ]

    one = expertise.skill_holders_matching(text=text, vector=None, exclude_id=outsider.pk, limit=3)
    two = expertise._skill_holders_matching_portable(text=text, vector=None, exclude_id=outsider.pk, limit=3)
    assert shown(one) == shown(two)
    assert [h.profile.display_name for h in one] == ["Eve", "Cat", "Ben"]
