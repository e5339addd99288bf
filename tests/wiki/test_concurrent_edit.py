"""Two people save the same page from the same version, on real PostgreSQL connections: the second
is told, shown the difference, and keeps their text; every version stays."""

import threading

import pytest
from django.db import connection, transaction

from profiles import roles
from tests.factories import ProfileFactory, in_group
from wiki import services
from wiki.models import Page, Version


@pytest.mark.django_db(transaction=True)
def test_second_save_from_the_same_version_is_told_and_loses_nothing():
    first = in_group(ProfileFactory(display_name="Fay First"), roles.COMMUNICATIONS)
    second = in_group(ProfileFactory(display_name="Sid Second"), roles.COMMUNICATIONS)
    page = services.page_create(
        author=first, community=None, title="Travel", body="Book trains.\nKeep receipts."
    )
    first_saved, release = threading.Event(), threading.Event()
    outcome: dict[str, object] = {}

    def fay():
        try:
            # Fay's save holds the page until she is told to commit: Sid's save starts meanwhile.
            with transaction.atomic():
                services.page_update(
                    page_id=page.pk,
                    editor=first,
                    title="Travel",
                    body="Book trains early.\nKeep receipts.",
                    base_version=1,
                )
                first_saved.set()
                release.wait(10)
            outcome["fay"] = "saved"
        finally:
            connection.close()

    def sid():
        try:
            first_saved.wait(10)
            services.page_update(
                page_id=page.pk,
                editor=second,
                title="Travel",
                body="Book trains.\nKeep every receipt.",
                base_version=1,
            )
            outcome["sid"] = "saved"
        except services.EditConflict as exc:
            outcome["sid"] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=fay), threading.Thread(target=sid)]
    for t in threads:
        t.start()
    first_saved.wait(10)
    threads[1].join(0.5)  # Sid is waiting on Fay's lock, not racing past it
    assert threads[1].is_alive()
    release.set()
    for t in threads:
        t.join(10)

    assert outcome["fay"] == "saved"
    conflict = outcome["sid"]
    assert isinstance(conflict, services.EditConflict)
    assert conflict.mine_body == "Book trains.\nKeep every receipt."  # Sid's text comes back to him
    assert "Fay First saved this page (version 2)" in conflict.messages[0]
    assert [(line.op, line.text) for line in conflict.changes if line.op != "same"] == [
        ("removed", "Book trains."),
        ("added", "Book trains early."),
    ]
    assert Page.objects.get().version == 2
    assert list(Version.objects.order_by("number").values_list("body", flat=True)) == [
        "Book trains.\nKeep receipts.",
        "Book trains early.\nKeep receipts.",
    ]


@pytest.mark.django_db
def test_the_editor_page_shows_the_conflict_and_keeps_the_text(comms):
    other = in_group(ProfileFactory(display_name="Fay First"), roles.COMMUNICATIONS)
    page = services.page_create(author=other, community=None, title="Travel", body="Book trains.")
    services.page_update(page_id=page.pk, editor=other, title="Travel", body="Book planes.", base_version=1)
    from tests.helpers import signed_in

    response = signed_in(comms).post(
        page.edit_url(), {"title": "Travel", "body": "Book buses, my words.", "base_version": 1}
    )
    html = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this page" in html and "Book buses, my words." in html
    assert "+ Book planes." in html and 'name="base_version" value="2"' in html
    # Saving again from there goes through, as version 3.
    signed_in(comms).post(
        page.edit_url(), {"title": "Travel", "body": "Book buses, my words.", "base_version": 2}
    )
    assert Page.objects.get().version == 3
