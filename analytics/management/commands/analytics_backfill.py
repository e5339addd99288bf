"""Fill the dashboard's figures for a range of past days: `manage.py analytics_backfill --from 2026-01-01`."""

from datetime import date, timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from analytics.fill import segments_backfill
from common.days import company_yesterday


class Command(BaseCommand):
    help = "Compute the adoption figures for every day of a range (reruns give the same rows)."

    def add_arguments(self, parser):
        parser.add_argument("--from", dest="start", type=date.fromisoformat, help="first day (YYYY-MM-DD)")
        parser.add_argument("--to", dest="end", type=date.fromisoformat, help="last day; default yesterday")
        parser.add_argument("--days", type=int, help="instead of --from: this many days up to --to")
        parser.add_argument("--missing", action="store_true", help="only the days not filled yet")

    def handle(self, *args, start, end, days, missing, **options):
        end = end or company_yesterday()
        if end > company_yesterday():
            raise CommandError(f"--to {end} is not over yet: the last day to fill is {company_yesterday()}.")
        if start is None:
            start = end - timedelta(days=(days or 30) - 1)
        if start > end:
            raise CommandError(f"--from {start} is after --to {end}.")
        filled = segments_backfill(start=start, end=end, missing_only=missing)
        self.stdout.write(f"Filled {filled} day(s) from {start} to {end}.")
        # VACUUM cannot run inside a transaction (a caller's, or a test's).
        if filled > 7 and connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The refilled days' old rows are dead until vacuumed, and the dashboard's index scans
            # would visit their pages too; autovacuum gets there eventually, this at once.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE analytics_segmentday, analytics_interactionday")
            self.stdout.write("Vacuumed the stored figures.")
