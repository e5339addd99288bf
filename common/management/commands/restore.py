from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from common.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restores a backup folder made by `manage.py backup` into the configured database, which must be new "
        "and empty, and into an empty HIVE_MEDIA_ROOT."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "folder", help="a folder made by `manage.py backup`, e.g. backups/hive-20261206T040000Z"
        )

    def handle(self, *args, folder, **options):
        try:
            files = backup_restore(folder=Path(folder), media_root=Path(settings.MEDIA_ROOT))
        except BackupError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Restored {folder}: the database and {files:,} files.")
