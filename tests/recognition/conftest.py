"""Recognition test fixtures: company values to give kudos for."""

import pytest

from tests.factories import CompanyValueFactory


@pytest.fixture
def teamwork(db):
    return CompanyValueFactory(name="Teamwork", emoji="🤝")


@pytest.fixture
def retired_value(db):
    return CompanyValueFactory(name="Synergy", is_active=False)


@pytest.fixture
def boldness(db):
    # One of the default values (migration 0002), which a transactional test elsewhere may have flushed:
    # the same position either way, so values list in the same order (Teamwork first) in every run.
    return CompanyValueFactory(name="Be bold", emoji="🚀", position=4)
