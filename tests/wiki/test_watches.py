"""Watching wiki pages: watchers of a page or of its wiki are told of edits, in batches, once committed."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from communities import services as communities
from notifications.models import Channel, Kind, Notification
from notifications.services import preferences_set
from tests.factories import ProfileFactory
from tests.helpers import signed_in
from wiki import services, tasks, watches
from wiki.models import Page, Watch

pytestmark = pytest.mark.django_db

SETTLED = watches.QUIET + timedelta(seconds=1)


def told(profile) -> list[tuple[str, str]]:
    return list(
        Notification.objects.filter(recipient=profile, kind=Kind.WIKI)
        .order_by("id")
        .values_list("summary", "url")
    )


def later(delta: timedelta = SETTLED):
    return timezone.now() + delta


@pytest.fixture
def travel(editor):
    page = services.page_create(author=editor, community=None, title="Travel", body="Book trains.")
    watches.edits_notify_due(now=later())  # the new page is told of (to nobody: only its author watches)
    return page


def edit(page, who, body):
    page.refresh_from_db()
    return services.page_update(
        page_id=page.pk, editor=who, title=page.title, body=body, base_version=page.version
    )


def test_watcher_is_told_of_an_edit_once_the_page_settles_with_a_link_to_the_change(
    travel, editor, comms, colleague
):
    watches.page_watch_toggle(profile=colleague, page_id=travel.pk)
    edit(travel, comms, "Book trains early.")
    assert watches.edits_notify_due(now=later(timedelta(minutes=1))) == 0  # still being written
    assert told(colleague) == []

    watches.edits_notify_due(now=later())
    assert told(colleague) == [
        ("Cora Comms edited “Travel” in the company wiki", f"{travel.diff_url()}?from=1&to=2")
    ]
    # The page's author watches it from writing it, and is told of Cora's edit too.
    assert told(editor) == told(colleague)
    # Nobody is told of their own edit.
    assert told(comms) == []


def test_a_burst_of_saves_is_one_notification_naming_every_editor(travel, editor, comms, colleague):
    watches.page_watch_toggle(profile=colleague, page_id=travel.pk)
    edit(travel, comms, "v2")
    edit(travel, editor, "v3")
    edit(travel, comms, "v4")

    watches.edits_notify_due(now=later())
    assert told(colleague) == [
        (
            "Cora Comms and Eve Editor edited “Travel” (3 changes) in the company wiki",
            f"{travel.diff_url()}?from=1&to=4",
        )
    ]
    # Each editor is told of the other's changes, once.
    assert len(told(editor)) == 1 and len(told(comms)) == 1


def test_running_the_job_again_tells_nobody_twice_and_a_later_edit_starts_from_what_they_saw(
    travel, comms, colleague
):
    watches.page_watch_toggle(profile=colleague, page_id=travel.pk)
    edit(travel, comms, "v2")
    watches.edits_notify_due(now=later())
    assert watches.edits_notify_due(now=later()) == 0
    assert tasks.edits_notify() == 0  # the beat job, now: nothing left
    assert len(told(colleague)) == 1

    edit(travel, comms, "v3")
    watches.edits_notify_due(now=later())
    assert told(colleague)[-1][1] == f"{travel.diff_url()}?from=2&to=3"


def test_a_page_saved_again_and_again_is_told_of_after_the_longest_wait(travel, comms, colleague):
    watches.page_watch_toggle(profile=colleague, page_id=travel.pk)
    edit(travel, comms, "v2")
    # Saved again and again since, the last time a second before the longest wait is over.
    Page.objects.filter(pk=travel.pk).update(updated_at=later(watches.LONGEST_WAIT))
    assert watches.edits_notify_due(now=later(watches.LONGEST_WAIT - timedelta(minutes=1))) == 0
    watches.edits_notify_due(now=later(watches.LONGEST_WAIT + timedelta(seconds=1)))
    assert len(told(colleague)) == 1


def test_an_edit_that_rolls_back_tells_nobody(travel, comms, colleague):
    watches.page_watch_toggle(profile=colleague, page_id=travel.pk)
    with pytest.raises(RuntimeError), transaction.atomic():
        edit(travel, comms, "never saved")
        raise RuntimeError("the request failed after the save")
    assert watches.edits_notify_due(now=later()) == 0
    assert told(colleague) == []


def test_watching_a_group_wiki_tells_of_new_pages_and_edits(author, colleague):
    group = communities.community_create(creator=author, name="Guild", category="work", visibility="public")
    space = services.space_ensure(community=group)
    assert watches.space_watch_toggle(profile=colleague, space=space) is True
    page = services.page_create(author=author, community=group, title="Rota", body="Mondays.")
    watches.edits_notify_due(now=later())
    assert told(colleague) == [
        ("Ada Author wrote a new page “Rota” in the Guild wiki", page.get_absolute_url())
    ]
    edit(page, author, "Tuesdays.")
    watches.edits_notify_due(now=later())
    assert told(colleague)[-1][0] == "Ada Author edited “Rota” in the Guild wiki"
    assert told(author) == []  # her own page, her own edits


def test_someone_who_left_a_private_group_is_no_longer_told_of_its_pages(
    author, colleague, secret_group, secret_page
):
    watches.space_watch_toggle(profile=colleague, space=secret_page.space)
    watches.edits_notify_due(now=later())
    communities.community_leave(community=secret_group, profile=colleague)
    edit(secret_page, author, "The zanzibar deal moves to April.")
    watches.edits_notify_due(now=later())
    assert "zanzibar" not in str(told(colleague))
    assert all("Falcon launch plan" not in summary for summary, _ in told(colleague)[1:])


def test_outsider_cannot_watch_a_private_groups_page_or_wiki(outsider_client, secret_page, outsider):
    assert outsider_client.post(secret_page.watch_url()).status_code == 403
    assert outsider_client.post(f"/wiki/groups/{secret_page.space.community.slug}/watch/").status_code == 403
    assert not Watch.objects.filter(profile=outsider).exists()


def test_deleted_page_tells_nobody_of_its_last_edits(travel, editor, comms, colleague):
    watches.page_watch_toggle(profile=colleague, page_id=travel.pk)
    edit(travel, comms, "v2")
    services.page_delete(page_id=travel.pk, actor=editor)
    watches.edits_notify_due(now=later())
    assert told(colleague) == []


def test_watcher_who_turned_wiki_notifications_off_is_not_told(travel, comms, colleague):
    watches.page_watch_toggle(profile=colleague, page_id=travel.pk)
    preferences_set(profile=colleague, choices={Kind.WIKI: Channel.OFF})
    edit(travel, comms, "v2")
    watches.edits_notify_due(now=later())
    assert told(colleague) == []


def test_watch_and_stop_watching_from_the_page_and_the_wiki(travel, colleague):
    client = signed_in(colleague)
    html = client.get(travel.get_absolute_url()).content.decode()
    assert "Watch this page" in html
    response = client.post(travel.watch_url(), follow=True)
    assert "You watch “Travel”" in response.content.decode()
    assert "Stop watching" in client.get(travel.get_absolute_url()).content.decode()
    client.post(travel.watch_url())
    assert not Watch.objects.filter(profile=colleague).exists()

    response = client.post("/wiki/watch/", follow=True)
    assert "You watch the Company wiki" in response.content.decode()
    assert "Stop watching this wiki" in client.get("/wiki/").content.decode()
    assert "You already watch every page" in client.get(travel.get_absolute_url()).content.decode()


def test_the_job_runs_as_many_queries_for_many_watchers_as_for_few(travel, comms):
    def run_with(watchers: int) -> int:
        for person in ProfileFactory.create_batch(watchers):
            watches.page_watch_toggle(profile=person, page_id=travel.pk)
        edit(travel, comms, f"with {watchers} more watchers")
        with CaptureQueriesContext(connection) as queries:
            assert watches.edits_notify_due(now=later()) >= watchers
        return len(queries)

    assert run_with(2) == run_with(20)
