"""Fixtures for project tests: a project made through the real service."""

import pytest

from tests.helpers import make_project


@pytest.fixture
def project(author):
    return make_project(
        author,
        name="Kubernetes migration",
        summary="Move every service from the old virtual machines to the Kubernetes clusters.",
        tags="Kubernetes, Cloud",
    )
