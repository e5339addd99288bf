"""Kudos given before kudos could name several people and values keep their recipient and value."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from recognition.models import Kudos
from tests.factories import CompanyValueFactory, PostFactory, ProfileFactory

pytestmark = pytest.mark.django_db(transaction=True)  # migrations run as they do on deploy

BEFORE = [("recognition", "0002_default_values")]


def test_existing_kudos_keep_their_recipient_and_value():
    giver, recipient = ProfileFactory(), ProfileFactory()
    value = CompanyValueFactory(name="Own it")
    post = PostFactory(author=giver, kind="kudos", body="Thanks")
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps.get_model("recognition", "Kudos")
    kept = old.objects.create(
        giver_id=giver.pk, recipient_id=recipient.pk, value_id=value.pk, message="Thanks", post_id=post.pk
    )

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to the latest schema of every app

    kudos = Kudos.objects.get(pk=kept.pk)
    assert list(kudos.recipients.all()) == [recipient]
    assert list(kudos.values.all()) == [value]
    assert kudos.recipient_rows.get().giver == giver
