"""A small company for pulse surveys: named departments, offices and tenures, and Cora in Communications."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.factories import DepartmentFactory, LocationFactory, ProfileFactory


class Company:
    """Sales: 8 in Paris, here since 2015 (10 years or more). Support: 6 in Lisbon, joined 100 days
    ago. Legal: 3 in Lisbon, start date unknown."""

    def __init__(self, comms):
        today = timezone.localdate()
        self.paris, self.lisbon = LocationFactory(name="Paris"), LocationFactory(name="Lisbon")
        self.sales, self.support, self.legal = (
            DepartmentFactory(name=n) for n in ("Sales", "Support", "Legal")
        )
        self.sellers = [
            ProfileFactory(department=self.sales, location=self.paris, start_date=date(2015, 1, 5))
            for _ in range(8)
        ]
        self.helpers = [
            ProfileFactory(
                department=self.support, location=self.lisbon, start_date=today - timedelta(days=100)
            )
            for _ in range(6)
        ]
        self.lawyers = [ProfileFactory(department=self.legal, location=self.lisbon) for _ in range(3)]
        comms.department, comms.location = None, self.lisbon
        comms.save()
        self.comms = comms


@pytest.fixture
def company(comms):
    return Company(comms)
