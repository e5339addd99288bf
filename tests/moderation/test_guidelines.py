"""Community guidelines: moderators publish numbered clauses in Markdown, as versions nobody can rewrite."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from moderation.models import AuditEntry, GuidelineClause, GuidelineVersion
from moderation.services import guidelines_publish
from tests.moderation.conftest import GUIDELINES_V1

pytestmark = pytest.mark.django_db


def test_publishing_numbers_the_clauses_in_the_order_written(guidelines, moderator):
    assert guidelines.number == 1
    assert guidelines.preamble.startswith("Hive is where we work together.")
    assert [(c.number, c.title) for c in guidelines.clauses.order_by("number")] == [
        (1, "Be respectful"),
        (2, "Keep confidential things confidential"),
        (3, "Stay on topic"),
    ]
    entry = AuditEntry.objects.get(action="guidelines.publish")
    assert entry.actor == moderator
    assert entry.detail["after"] == 1 and entry.detail["before"] is None


def test_a_change_publishes_the_next_version_and_keeps_the_old_words(guidelines, moderator):
    source = GUIDELINES_V1.replace(
        "## Stay on topic", "## 4. Assume good intent\nAsk before you judge.\n\n## Stay on topic"
    )

    v2 = guidelines_publish(editor=moderator, source=source, change_note="Adds good intent")

    assert v2.number == 2
    assert [c.title for c in v2.clauses.order_by("number")] == [
        "Be respectful",
        "Keep confidential things confidential",
        "Assume good intent",
        "Stay on topic",
    ]
    assert guidelines.clauses.get(number=3).title == "Stay on topic"  # version 1 as it was


def test_publishing_the_same_text_again_is_refused(guidelines, moderator):
    with pytest.raises(ValidationError, match="Nothing changed since version 1"):
        guidelines_publish(editor=moderator, source=GUIDELINES_V1, change_note="Again")
    assert GuidelineVersion.objects.count() == 1


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("Just an introduction, no clauses.", "at least one clause"),
        ("## Be kind\nx\n\n## be KIND\ny", "Two clauses are called"),
        ("## " + "x" * 121, "longer than 120 characters"),
    ],
)
def test_guidelines_that_cannot_be_numbered_are_refused_and_nothing_is_saved(moderator, source, message):
    with pytest.raises(ValidationError, match=message):
        guidelines_publish(editor=moderator, source=source, change_note="Try")
    assert not GuidelineVersion.objects.exists()
    assert not GuidelineClause.objects.exists()


def test_a_version_needs_a_note_on_what_changed(moderator):
    with pytest.raises(ValidationError, match="Say in a line what changed"):
        guidelines_publish(editor=moderator, source=GUIDELINES_V1, change_note="   ")
    assert not GuidelineVersion.objects.exists()


def test_an_employee_cannot_publish_guidelines(colleague):
    with pytest.raises(PermissionDenied):
        guidelines_publish(editor=colleague, source=GUIDELINES_V1, change_note="Mine now")
    assert not GuidelineVersion.objects.exists()


# --- Pages ---------------------------------------------------------------------------------------


def test_everyone_reads_the_guidelines_with_numbered_clauses(guidelines, colleague_client):
    page = colleague_client.get("/guidelines/").content.decode()

    assert "version 1" in page
    assert 'id="clause-2"' in page
    assert "2. Keep confidential things confidential" in page
    assert "Edit the guidelines" not in page


def test_the_guidelines_page_says_when_there_are_none_yet(colleague_client):
    assert "No guidelines are published yet." in colleague_client.get("/guidelines/").content.decode()


def test_moderator_publishes_a_new_version_from_the_edit_page(guidelines, moderator_client):
    form = moderator_client.get("/guidelines/edit/").content.decode()
    assert "## Be respectful" in form  # the current version, ready to edit

    response = moderator_client.post(
        "/guidelines/edit/",
        {"source": GUIDELINES_V1 + "\n## No spam\nNo ads.", "change_note": "Adds no spam"},
        follow=True,
    )

    page = response.content.decode()
    assert "Version 2 of the guidelines is published." in page
    assert "4. No spam" in page
    assert 'href="/guidelines/v1/"' in page
    assert "First version" in moderator_client.get("/guidelines/v1/").content.decode()


def test_edit_page_shows_what_to_fix_and_keeps_the_text(guidelines, moderator_client):
    response = moderator_client.post(
        "/guidelines/edit/", {"source": "No headings at all", "change_note": "Oops"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Write at least one clause" in page
    assert "No headings at all" in page
    assert GuidelineVersion.objects.count() == 1


def test_an_employee_cannot_open_or_post_the_edit_page(guidelines, colleague_client):
    assert colleague_client.get("/guidelines/edit/").status_code == 403
    response = colleague_client.post("/guidelines/edit/", {"source": "## Mine", "change_note": "x"})
    assert response.status_code == 403
    assert GuidelineVersion.objects.count() == 1


def test_unknown_version_is_404(colleague_client):
    assert colleague_client.get("/guidelines/v9/").status_code == 404
