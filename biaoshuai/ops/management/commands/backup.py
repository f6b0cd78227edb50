"""Write a backup archive: database snapshot, media/ and a manifest with checksums.

manage.py backup --output /var/backups/biaoshuai/today.tar.gz
manage.py backup                 # a dated archive in BACKUP_DIR, older than BACKUP_KEEP days removed
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from biaoshuai.ops.backup import BackupError, backup_create, backup_to_dir


class Command(BaseCommand):
    help = (
        "Back up the database (SQLite online backup or pg_dump) and the media folder into one "
        "tar.gz with a manifest of checksums. Without --output, write a dated archive to "
        "BACKUP_DIR (or --dir) and remove the archives older than BACKUP_KEEP days."
    )

    def add_arguments(self, parser):
        parser.add_argument("--output", metavar="FILE", help="the archive to write")
        parser.add_argument("--dir", metavar="DIR", help="a folder for dated archives")
        parser.add_argument("--keep", type=int, help="days to keep archives in the folder")

    def handle(self, *args, output=None, dir=None, keep=None, **options):
        try:
            if output:
                manifest = backup_create(output=output)
                self._report(output, manifest)
                return
            directory = dir or settings.BACKUP_DIR
            if not directory:
                raise CommandError("Give --output FILE, or --dir DIR, or set BACKUP_DIR.")
            keep = settings.BACKUP_KEEP if keep is None else keep
            path, removed = backup_to_dir(directory=directory, keep_days=keep)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backup written: {path}")
        for old in removed:
            self.stdout.write(f"Removed (older than {keep} days): {old}")

    def _report(self, output, manifest):
        rows = sum(manifest["tables"].values())
        media = sum(1 for name in manifest["files"] if name.startswith("media/"))
        self.stdout.write(
            self.style.SUCCESS(
                f"Backup written: {output} ({manifest['database']['engine']}, "
                f"{len(manifest['tables'])} tables, {rows} rows, {media} media files)."
            )
        )
