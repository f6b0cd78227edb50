from django.core.management.base import BaseCommand

from biaoshuai.audit.checkpoints import checkpoint_path, checkpoint_write


class Command(BaseCommand):
    help = (
        "Append a signed checkpoint of the audit chain's head to AUDIT_CHECKPOINT_FILE "
        "(and syslog with AUDIT_CHECKPOINT_SYSLOG). Run it regularly; archive the file."
    )

    def handle(self, *args, **options):
        point = checkpoint_write()
        self.stdout.write(
            self.style.SUCCESS(
                f"Checkpoint written to {checkpoint_path()}: event #{point['event_id']}, "
                f"{point['count']} events, key {point['key_id']}."
            )
        )
