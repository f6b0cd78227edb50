from django.core.management.base import BaseCommand, CommandError

from biaoshuai.audit.archive import archive_verify
from biaoshuai.audit.checkpoints import checkpoint_latest, checkpoint_path
from biaoshuai.audit.models import AuditEvent
from biaoshuai.audit.services import audit_verify


class Command(BaseCommand):
    help = (
        "Verify the audit log: every event's HMAC-SM3 signature and link, and the latest "
        "signed checkpoint (AUDIT_CHECKPOINT_FILE). With --archive, verify an archive file."
    )

    def add_arguments(self, parser):
        parser.add_argument("--archive", metavar="FILE", help="verify this archive file instead")
        parser.add_argument(
            "--require-checkpoint",
            action="store_true",
            help="fail when there is no checkpoint yet",
        )

    def handle(self, *args, **options):
        if options["archive"]:
            return self._archive(options["archive"])
        broken = audit_verify()
        if broken is not None:
            raise CommandError(f"Audit chain broken: {broken}.")
        count = AuditEvent.objects.count()
        if checkpoint_latest() is None:
            if options["require_checkpoint"]:
                raise CommandError(f"No checkpoint in {checkpoint_path()}.")
            self.stderr.write(
                self.style.WARNING(
                    f"No checkpoint yet in {checkpoint_path()}: run manage.py audit_checkpoint "
                    "regularly, or events removed from the end cannot be detected."
                )
            )
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Audit chain intact: {count} events verified; the latest checkpoint matches."
            )
        )

    def _archive(self, path):
        try:
            broken, count, first_prev, last_hash = archive_verify(path)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"Cannot read the archive {path}: {exc}") from exc
        if broken is not None:
            raise CommandError(f"Archive broken: {broken}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Archive intact: {count} events verified; it continues from {first_prev} "
                f"and ends at {last_hash}."
            )
        )
