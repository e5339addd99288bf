"""A believable HR export of any size, to try or time the import:

    python -m tests.hr_import.make_csv 100000 > /tmp/hr.csv
    python manage.py import_employees /tmp/hr.csv

A second argument (a seed) gives the same people with other titles, departments, locations and dates.
"""

import csv
import random
import sys
from datetime import date, timedelta

DEPARTMENTS = [
    f"{area} {unit}"
    for area in ("Engineering", "Sales", "Finance", "People", "Operations")
    for unit in ("North", "South", "East", "West", "Platform", "Growth", "Core", "Labs")
]
LOCATIONS = [
    "Lisbon",
    "Berlin",
    "Austin",
    "Nairobi",
    "Singapore",
    "São Paulo",
    "Toronto",
    "Warsaw",
    "Pune",
    "Sydney",
    "Dublin",
    "Tokyo",
]
TITLES = ["Engineer", "Senior Engineer", "Analyst", "Designer", "Manager", "Account Executive", "Recruiter"]


def rows(count: int, *, seed: int = 3) -> list[dict[str, str]]:
    rng = random.Random(seed)
    people = []
    for i in range(count):
        people.append(
            {
                "email": f"employee{i:06d}@example.com",
                "name": f"Employee {i:06d}",
                "title": rng.choice(TITLES),
                "department": rng.choice(DEPARTMENTS),
                "location": rng.choice(LOCATIONS),
                # A tree eight wide: managers come earlier in the file, depth about six at 100,000.
                "manager_email": f"employee{(i - 1) // 8:06d}@example.com" if i else "",
                "start_date": (date(2005, 1, 1) + timedelta(days=rng.randrange(7300))).isoformat(),
            }
        )
    return people


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    people = rows(count, seed=int(sys.argv[2]) if len(sys.argv) > 2 else 3)
    writer = csv.DictWriter(sys.stdout, fieldnames=list(people[0]))
    writer.writeheader()
    writer.writerows(people)


if __name__ == "__main__":
    main()
