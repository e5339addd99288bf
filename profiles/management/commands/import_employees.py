"""`manage.py import_employees FILE`: create and update employees from an HR export (CSV)."""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from profiles.hr_import import COLUMNS, HRFileError, employees_import
from profiles.models import ImportRun, User

MAX_ERRORS_PRINTED = 200


class Command(BaseCommand):
    help = (
        "Creates or updates employees from an HR export: a CSV file (UTF-8, comma or semicolon separated) "
        f"with a header row naming some of the columns {', '.join(COLUMNS)} (email and name required). "
        "Rows with errors are reported by line and skipped; the others are applied in one transaction. "
        "Running the same file twice changes nothing the second time."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="Path to the CSV file.")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check the file and report what would change; write nothing.",
        )
        parser.add_argument(
            "--full",
            action="store_true",
            help="The file is the whole company: deactivate active people missing from it (never superusers "
            "or the --as account; nobody is deleted) and reactivate deactivated people who are in it. "
            "Refused if the file has any error.",
        )
        parser.add_argument(
            "--allow-mass-deactivation",
            action="store_true",
            help="With --full, go ahead even if more than 20%% of active accounts would be deactivated.",
        )
        parser.add_argument(
            "--as",
            dest="actor",
            metavar="EMAIL",
            help="The admin running the import (never deactivated by --full).",
        )

    def handle(
        self, *args, file: str, dry_run: bool, full: bool, allow_mass_deactivation: bool, actor, **opts
    ):
        path = Path(file)
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise CommandError(f"Can't read {file}: {exc.strerror or exc}.") from None
        actor_user = None
        if actor:
            actor_user = User.objects.filter(email__iexact=actor).first()
            if actor_user is None:
                raise CommandError(f"--as {actor}: no account has that email.")

        started = time.monotonic()

        def progress(line: str) -> None:
            self.stdout.write(f"  {line}  [{time.monotonic() - started:.1f}s]")

        mode = "full export" if full else "update"
        self.stdout.write(f"Importing {path.name} ({mode}{', dry run' if dry_run else ''})...")
        try:
            report = employees_import(
                data=data,
                actor=actor_user,
                full=full,
                dry_run=dry_run,
                allow_mass_deactivation=allow_mass_deactivation,
                progress=progress,
                source=ImportRun.Source.COMMAND,
                file_name=path.name,
            )
        except HRFileError as exc:
            raise CommandError(str(exc)) from None

        self.stdout.write("")
        for label, value in report.summary():
            self.stdout.write(f"  {label + ':':<24}{value:>10,}")
        for error in report.errors[:MAX_ERRORS_PRINTED]:
            self.stderr.write(str(error))
        if len(report.errors) > MAX_ERRORS_PRINTED:
            self.stderr.write(f"... and {len(report.errors) - MAX_ERRORS_PRINTED:,} more errors")
        elapsed = f" ({time.monotonic() - started:.1f}s)"
        if report.refused:
            raise CommandError(report.headline + elapsed)
        if report.errors:
            self.stdout.write(self.style.WARNING(report.headline + elapsed))
            raise CommandError(f"{len(report.errors):,} errors on {report.skipped:,} rows (listed above).")
        self.stdout.write(self.style.SUCCESS(report.headline + elapsed))
