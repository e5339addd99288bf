"""Helpers for the HR import tests: build a CSV from lines, run the import, read people back."""

import pytest

from profiles.hr_import import employees_import
from profiles.models import Profile

HEADER = "email,name,title,department,location,manager_email,start_date"


def hr_csv(*lines: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *lines]) + "\n").encode()


def profile_of(email: str) -> Profile:
    return Profile.objects.select_related("user", "department", "location", "manager__user").get(
        user__email=email
    )


@pytest.fixture
def run_import(db):
    def run(*lines: str, header: str = HEADER, **options):
        return employees_import(data=hr_csv(*lines, header=header), **options)

    return run
