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
    return CompanyValueFactory(name="Be bold", emoji="🚀")
