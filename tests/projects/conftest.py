"""Projects made through the real service, so member_count and the creator's lead role are right."""

import itertools

import pytest

from projects import services

_n = itertools.count()


def make_project(creator, *, name=None, summary=None, tags="", **extra):
    i = next(_n)
    return services.project_create(
        creator=creator,
        name=name or f"Project {i}",
        summary=summary or f"Summary of project number {i}.",
        tags=tags,
        **extra,
    )


@pytest.fixture
def project(author):
    return make_project(
        author,
        name="Kubernetes migration",
        summary="Move every service from the old virtual machines to the Kubernetes clusters.",
        tags="Kubernetes, Cloud",
    )
