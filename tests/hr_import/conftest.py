"""Fixtures for the HR import tests: run the import on CSV lines (tests/helpers.py builds the file)."""

import pytest

from profiles.hr_import import employees_import
from tests.helpers import HR_CSV_HEADER, hr_csv


@pytest.fixture
def run_import(db):
    def run(*lines: str, header: str = HR_CSV_HEADER, **options):
        return employees_import(data=hr_csv(*lines, header=header), **options)

    return run
