"""Shared fixtures: named people with clear roles, and a guard that the suite runs on PostgreSQL."""

import os

import pytest
from django.db import connection

from profiles import roles
from tests.database import template_copy_create, template_copy_drop
from tests.factories import DepartmentFactory, ProfileFactory, in_group
from tests.helpers import client_for, signed_in


@pytest.fixture(scope="session")
def django_db_setup(django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """Each test process works on a copy of one migrated template (tests/database.py): test_hive_gw0,
    test_hive_gw1... under pytest-xdist, test_hive in a single process."""
    name = connection.creation._get_test_db_name()  # test_<NAME>, with _gwN under xdist
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    base = name.removesuffix(f"_{worker}") if worker else name
    with django_db_blocker.unblock():
        original = template_copy_create(name=name, template=f"{base}_template")
    yield
    with django_db_blocker.unblock():
        template_copy_drop(name=name, original=original)


def pytest_collection_finish(session):
    """The system of record is PostgreSQL: refuse to run the suite anywhere else, loudly."""
    if connection.vendor != "postgresql" and session.items:
        pytest.exit(
            f"Hive's tests run on PostgreSQL, but DATABASE_URL points at {connection.vendor}. "
            "Run `make test` (it sets DATABASE_URL) or export DATABASE_URL=postgres://...",
            returncode=3,
        )


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached figures (skill counts, sign-in rate limits) never leak from one test into the next."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _rate_limits_out_of_reach(settings):
    """Tests post and react in bursts no person would: limits (moderation/ratelimit.py) still count,
    a thousand times higher. tests/moderation/test_rate_limits.py sets the factor back to 1."""
    settings.HIVE_RATE_LIMIT_FACTOR = 1000


@pytest.fixture(autouse=True)
def _sentence_model_only_when_asked(request, settings):
    """The sentence model (common/sentence_embeddings.py: 87 MB of weights, seconds to load in each
    process, and every project's text through a BERT) only for tests marked `sentence_model`; the
    others match projects by words, as Hive does with HIVE_SEMANTIC_MODEL=off."""
    if request.node.get_closest_marker("sentence_model") is None:
        settings.HIVE_SEMANTIC_MODEL = "off"
    else:
        # Each test's database starts empty: vectors another test left in this process's memory
        # would be newer than this test's and hide them (common.vector_index reads what is newer).
        from common import retrieval

        retrieval.vector_index.cache_clear()
        retrieval.draft_vectors_forget()


@pytest.fixture(autouse=True)
def _newcomer_path_only_when_asked(request, settings):
    """Every factory-made person joined today, so each would be a newcomer with a checklist on Home and
    a tip on every page: only tests marked `newcomer_path` get them (tests/feed/test_newcomers.py)."""
    if request.node.get_closest_marker("newcomer_path") is None:
        settings.HIVE_NEWCOMER_DAYS = 0


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # Production's hashed-manifest storage needs `collectstatic` first; tests render pages without it.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def celery_eager():
    """Run tasks in the test's thread and transaction, whatever the environment asks for
    (tests/tasks/test_worker.py starts a real worker instead)."""
    from config.celery import app as celery_app

    previous = celery_app.conf.task_always_eager
    celery_app.conf.task_always_eager = True
    yield
    celery_app.conf.task_always_eager = previous


@pytest.fixture
def author(db):
    return ProfileFactory(display_name="Ada Author", user__email="ada@example.com")


@pytest.fixture
def colleague(db):
    return ProfileFactory(display_name="Colin Colleague", user__email="colin@example.com")


@pytest.fixture
def outsider(db):
    """Someone in another department, with no role."""
    return ProfileFactory(
        display_name="Olga Outsider",
        user__email="olga@example.com",
        department=DepartmentFactory(name="Finance"),
    )


@pytest.fixture
def moderator(db):
    return in_group(
        ProfileFactory(display_name="Mona Moderator", user__email="mona@example.com"), roles.MODERATORS
    )


@pytest.fixture
def comms(db):
    return in_group(
        ProfileFactory(display_name="Cora Comms", user__email="cora@example.com"), roles.COMMUNICATIONS
    )


@pytest.fixture
def author_client(client, author):
    return client_for(client, author)


@pytest.fixture
def colleague_client(colleague):
    return signed_in(colleague)


@pytest.fixture
def outsider_client(outsider):
    return signed_in(outsider)


@pytest.fixture
def moderator_client(moderator):
    return signed_in(moderator)
