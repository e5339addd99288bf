"""`manage.py seed_demo`: fill an empty Hive with a believable company and four accounts to sign in with."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from demo import services


class Command(BaseCommand):
    help = (
        "Creates a demo company (people, skills, a month of posts, kudos, flags and analytics) and "
        "prints the demo accounts. Does nothing if the demo data is already there."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--employees",
            type=int,
            default=services.DEFAULT_EMPLOYEES,
            help=f"Size of the company (default {services.DEFAULT_EMPLOYEES}, "
            f"at least {services.MIN_EMPLOYEES}).",
        )

    def handle(self, *args, employees: int, **options):
        if services.demo_present():
            self.stdout.write("Demo data already present; nothing changed.")
            self._accounts()
            return
        if employees < services.MIN_EMPLOYEES:
            raise CommandError(f"--employees must be at least {services.MIN_EMPLOYEES}.")
        taken = services.demo_conflicting_emails()
        if taken:
            raise CommandError(
                f"{', '.join(taken)} already belong to accounts here, but the demo admin "
                f"({services.ADMIN_EMAIL}) does not. seed_demo only fills a database without demo accounts."
            )
        if not connection.features.can_return_rows_from_bulk_insert:
            # The seed links rows by the primary keys bulk inserts return (SQLite 3.35+, PostgreSQL).
            raise CommandError(f"This {connection.vendor} database can't return ids from bulk inserts.")

        started = time.monotonic()

        def progress(line: str) -> None:
            self.stdout.write(f"  {line}  [{time.monotonic() - started:.1f}s]")

        self.stdout.write(f"Seeding a demo company of {employees} people...")
        services.demo_company_create(employees=employees, progress=progress)
        self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f}s."))
        self._accounts()

    def _accounts(self) -> None:
        self.stdout.write(f"\nDemo accounts (password for all: {services.PASSWORD}):")
        for account in services.demo_accounts():
            self.stdout.write(
                f"  {account['email']:<24} {account['name']}, {account['title']} ({account['role']})"
            )
