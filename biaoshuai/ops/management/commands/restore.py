"""Restore a backup archive into an empty database and media folder, then verify it.

manage.py restore /var/backups/biaoshuai/biaoshuai-20261118-023000.tar.gz
"""

from django.core.management.base import BaseCommand, CommandError

from biaoshuai.ops.backup import BackupError, backup_restore


class Command(BaseCommand):
    help = (
        "Restore an archive written by `manage.py backup`: verify every checksum, restore the "
        "database (file copy or pg_restore) and the media folder, compare the row counts with "
        "the manifest and verify the audit chain. Refuses a database or media folder that "
        "holds data unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", metavar="FILE")
        parser.add_argument(
            "--force",
            action="store_true",
            help="replace whatever the database and the media folder hold",
        )

    def handle(self, *args, archive, force=False, **options):
        try:
            manifest = backup_restore(archive=archive, force=force, log=self.stdout.write)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Restored the backup of {manifest['created']}; the audit chain verifies."
            )
        )
