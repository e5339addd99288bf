from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, backup_create


class Command(BaseCommand):
    help = "Backs up the database (pg_dump) and the uploaded files into a new folder under --into."

    def add_arguments(self, parser):
        parser.add_argument(
            "--into", default="backups", help="parent folder of the new backup (default: backups/)"
        )

    def handle(self, *args, into, **options):
        try:
            result = backup_create(into=Path(into), media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from None
        size, files = result.database_bytes, result.media_files
        self.stdout.write(f"Backed up to {result.folder}: database {size:,} bytes, {files:,} files.")
