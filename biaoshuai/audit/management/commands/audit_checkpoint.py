from django.core.management.base import BaseCommand, CommandError

from biaoshuai.audit.checkpoints import checkpoint_path, checkpoint_write


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit chain's head to AUDIT_CHECKPOINT_FILE "
        "(and syslog with AUDIT_CHECKPOINT_SYSLOG). Run it regularly; archive the file."
    )

    def handle(self, *args, **options):
        try:
            point = checkpoint_write()
        except OSError as exc:
            raise CommandError(
                f"Checkpoint not fully written ({checkpoint_path()}, syslog): {exc}"
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint written to {checkpoint_path()}: event #{point['event_id']}, "
                f"{point['count']} events, key {point['key_id']}."
            )
        )
