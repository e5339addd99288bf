"""A pulse survey from writing to results: sent to everyone or a segment, seen as a banner and a
notification, answered once, and its results (page, CSV, executive summary) checked against a count
made here from the scripted answers, with no group under 5 people shown."""

import csv
import io
import re
from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Notification
from surveys import services
from surveys.models import Respondent, Response, Survey, Tally
from surveys.services import QuestionDraft
from tests.helpers import signed_in

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("celery_eager")]

Q1 = "I know where to find what I need on Hive"
Q2 = "My team shares what it learns"
Q3 = "What would you change?"


def write(comms, **audience) -> Survey:
    return services.survey_create(
        author=comms,
        title="Pulse: finding things",
        intro="Three questions.",
        questions=[QuestionDraft("likert", Q1), QuestionDraft("likert", Q2), QuestionDraft("text", Q3)],
        closes_on=timezone.localdate() + timedelta(days=7),
        **audience,
    )


# The script: each answering person's (q1, q2, q3); None leaves the question out.
SALES = [(5, 4, "More search"), (5, 5, None), (4, 4, "Fewer emails"), (4, None, None), (4, 3, None),
         (3, 3, "Nothing"), (2, 2, None), (1, None, None)]  # fmt: skip
SUPPORT = [(4, 4, "A mobile app"), (4, 5, None), (4, 3, None), (4, 4, "Dark mode"), (2, 1, None)]
LEGAL = [(1, 1, "Better search"), (1, 2, None), (5, 5, None)]


def answer_all(company, survey):
    for people, script in ((company.sellers, SALES), (company.helpers, SUPPORT), (company.lawyers, LEGAL)):
        for person, (a, b, text) in zip(people, script, strict=False):
            choices = {n: c for n, c in ((1, a), (2, b)) if c is not None}
            services.survey_answer(
                survey_id=survey.pk, profile=person, choices=choices, texts={3: text} if text else {}
            )


def expected(question: int, rows) -> list[int]:
    counts = Counter(r[question - 1] for r in rows if r[question - 1] is not None)
    return [counts.get(c, 0) for c in range(1, 6)]


def table_rows(page: str, label: str) -> dict[str, list[str]]:
    section = page.split(f'aria-label="{label}"', 1)[1].split("</table>", 1)[0]
    return {
        m[0]: re.findall(r"<td>(.*?)</td>", m[1])
        for m in re.findall(r'<th scope="row">(.*?)</th>(.*?)</tr>', section, re.S)
    }


def test_a_survey_from_draft_to_results_matches_a_hand_count(
    company, comms, django_capture_on_commit_callbacks
):
    team = signed_in(comms)
    response = team.post(
        "/surveys/new/",
        {
            "title": "Pulse: finding things",
            "intro": "Three questions.",
            "closes_on": (timezone.localdate() + timedelta(days=7)).isoformat(),
            "q1_text": Q1, "q1_kind": "likert", "q2_text": Q2, "q2_kind": "likert",
            "q3_text": Q3, "q3_kind": "text", "q4_text": "", "q4_kind": "likert",
        },
    )  # fmt: skip
    survey = Survey.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/surveys/{survey.pk}/results/"
    assert survey.sent_at is None
    seller = signed_in(company.sellers[0])
    assert "A short survey is waiting" not in seller.get("/").content.decode()  # a draft

    page = team.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "Send to Everyone" in page and Q1 in page
    with django_capture_on_commit_callbacks(execute=True):
        team.post(f"/surveys/{survey.pk}/send/")
    survey.refresh_from_db()
    assert survey.sent_at is not None and survey.audience_size == 18  # 17 + Cora
    # Everyone is told once; the banner shows on the feed until they answer.
    assert Notification.objects.filter(kind="survey").count() == 18
    home = seller.get("/").content.decode()
    assert "A short survey is waiting for you" in home and f"/surveys/{survey.pk}/" in home

    answer_all(company, survey)
    assert "A short survey is waiting" not in seller.get("/").content.decode()
    page = seller.get(f"/surveys/{survey.pk}/").content.decode()
    assert "You answered this survey" in page

    # While open: how many answered, no answers (they would change between two looks).
    page = team.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "16 of 18 answered so far" in page and "Fewer emails" not in page
    team.post(f"/surveys/{survey.pk}/close/")

    page = team.get(f"/surveys/{survey.pk}/results/").content.decode()
    everyone = SALES + SUPPORT + LEGAL
    # Question 1 by department: Legal (3) is under 5, so Support (the smallest shown) joins it in
    # "Other" (8): Support's figures are never the total minus Sales minus Other.
    rows = table_rows(page, "Question 1 by department")
    assert rows["Everyone"][:6] == ["16", *map(str, expected(1, everyone))]
    assert rows["Sales"][:6] == ["8", *map(str, expected(1, SALES))]
    assert rows["Other (groups under 5 people)"][:6] == ["8", *map(str, expected(1, SUPPORT + LEGAL))]
    assert set(rows) == {"Everyone", "Sales", "Other (groups under 5 people)"}
    # By location: Paris 8, Lisbon 8. By tenure: 10+ (8); newcomers (5) and unknown (3) merged.
    rows = table_rows(page, "Question 1 by location")
    assert rows["Paris"][:6] == ["8", *map(str, expected(1, SALES))]
    assert rows["Lisbon"][:6] == ["8", *map(str, expected(1, SUPPORT + LEGAL))]
    rows = table_rows(page, "Question 1 by tenure")
    assert set(rows) == {"Everyone", "10 years or more", "Other (groups under 5 people)"}
    # Question 2: 14 answered (two sellers left it out): Sales 6, Support 5, Legal 3 -> Sales and
    # "Other" (8).
    q2 = [r for r in everyone if r[1] is not None]
    rows = table_rows(page, "Question 2 by department")
    assert rows["Everyone"][:6] == [str(len(q2)), *map(str, expected(2, everyone))]
    assert rows["Sales"][:6] == ["6", *map(str, expected(2, SALES))]
    favourable = sum(1 for r in q2 if r[1] >= 4) / len(q2)
    assert f"{round(100 * favourable)}% agree or strongly agree" in page
    # Free text: 7 answers (at least 5), each shown; Legal's cannot be told apart from others'.
    for text in ("More search", "Fewer emails", "Nothing", "A mobile app", "Dark mode", "Better search"):
        assert text in page

    # The CSV carries the same figures.
    body = team.get(f"/surveys/{survey.pk}/results.csv").content.decode()
    lines = list(csv.DictReader(io.StringIO(body)))
    sales = next(r for r in lines if r["question"] == "1" and r["segment"] == "Sales")
    assert [int(sales[k]) for k in ("Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree",
            "Strongly agree")] == expected(1, SALES)  # fmt: skip
    assert not any(r["segment"] in ("Legal", "Support") for r in lines if r["breakdown"] == "department")
    comments = team.get(f"/surveys/{survey.pk}/comments.csv").content.decode()
    assert sorted(r["answer"] for r in csv.DictReader(io.StringIO(comments))) == sorted(
        r[2] for r in everyone if r[2]
    )
    # The executive summary shows the survey's statements with their agreement.
    summary = team.get("/analytics/summary/").content.decode()
    q1_favourable = round(100 * sum(1 for r in everyone if r[0] >= 4) / 16)
    assert f"<td>{Q1}</td><td>16</td><td>{q1_favourable}%</td>" in summary


def test_a_segment_survey_reaches_its_segment_only(company, comms, django_capture_on_commit_callbacks):
    survey = write(comms, department_id=company.sales.pk)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_send(actor=comms, survey_id=survey.pk)
    told = set(Notification.objects.filter(kind="survey").values_list("recipient_id", flat=True))
    assert told == {p.pk for p in company.sellers}
    assert "A short survey is waiting" not in signed_in(company.helpers[0]).get("/").content.decode()
    # Someone outside it who follows the link is told, and nothing is saved.
    client = signed_in(company.helpers[0])
    page = client.get(f"/surveys/{survey.pk}/").content.decode()
    assert "This survey is for another part of the company" in page
    response = client.post(f"/surveys/{survey.pk}/", {"q1": "5"})
    assert response.status_code == 400
    assert "This survey is for another part of the company" in response.content.decode()
    assert Respondent.objects.count() == Response.objects.count() == Tally.objects.count() == 0


def test_notifying_twice_tells_nobody_twice(company, comms, django_capture_on_commit_callbacks):
    survey = write(comms)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_send(actor=comms, survey_id=survey.pk)
    assert services.survey_notify_all(survey_id=survey.pk, batch_size=4) == 0
    Survey.objects.filter(pk=survey.pk).update(notified_through=0)  # as if the job crashed before
    Notification.objects.filter(kind="survey").delete()  # ...writing anything
    assert services.survey_notify_all(survey_id=survey.pk, batch_size=4) == 18
    assert services.survey_notify_all(survey_id=survey.pk, batch_size=4) == 0
    assert Notification.objects.filter(kind="survey").count() == 18


def test_fewer_than_five_answers_show_nothing(company, comms):
    survey = write(comms)
    services.survey_send(actor=comms, survey_id=survey.pk)
    for person in company.sellers[:4]:
        services.survey_answer(survey_id=survey.pk, profile=person, choices={1: 5}, texts={3: "Secret"})
    services.survey_close(actor=comms, survey_id=survey.pk)
    team = signed_in(comms)
    page = team.get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "Fewer than 5 people answered" in page and "Secret" not in page
    assert "Secret" not in team.get(f"/surveys/{survey.pk}/comments.csv").content.decode()
    assert team.get(f"/surveys/{survey.pk}/results.csv").content.decode().count("\n") == 1  # header
    assert (
        "Fewer than 5 people answered: no result is shown" in team.get("/analytics/summary/").content.decode()
    )


def test_free_text_needs_five_answers_to_that_question(company, comms):
    survey = write(comms)
    services.survey_send(actor=comms, survey_id=survey.pk)
    for n, person in enumerate(company.sellers):
        services.survey_answer(
            survey_id=survey.pk, profile=person, choices={1: 4}, texts={3: "Only me"} if n == 0 else {}
        )
    services.survey_close(actor=comms, survey_id=survey.pk)
    page = signed_in(comms).get(f"/surveys/{survey.pk}/results/").content.decode()
    assert "Only me" not in page and "Fewer than 5 people answered this question" in page


def test_only_the_communications_team_writes_and_reads_surveys(company, comms):
    survey = write(comms)
    client = signed_in(company.sellers[0])
    for url in ("/surveys/manage/", "/surveys/new/", f"/surveys/{survey.pk}/results/",
                f"/surveys/{survey.pk}/results.csv"):  # fmt: skip
        assert client.get(url).status_code == 403, url
    assert client.post(f"/surveys/{survey.pk}/send/").status_code == 403
    assert Survey.objects.get().sent_at is None
    assert client.get(f"/surveys/{survey.pk}/").status_code == 404  # a draft is the team's
