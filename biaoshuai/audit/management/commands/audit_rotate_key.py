from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from biaoshuai.audit import keys
from biaoshuai.audit.services import audit_key_rotate


class Command(BaseCommand):
    help = (
        "Move the audit chain to a new key (AUDIT_KEY_NEW, AUDIT_KEY_NEW_FILE or --key-file): "
        "verify the chain with the key in force, append a rotation event the old key vouches "
        "for, signed with the new key, and a checkpoint. Stop the application and workers first."
    )

    def add_arguments(self, parser):
        parser.add_argument("--key-file", help="file holding the new key as hex on its first line")

    def handle(self, *args, **options):
        try:
            new_key = keys.new_key(options["key_file"])
            old_id = keys.key_id(keys.signing_key())
            event = audit_key_rotate(new_key=new_key)
        except (ImproperlyConfigured, ValueError) as exc:
            raise CommandError(str(exc)) from exc
        new_id = keys.key_id(new_key)
        self.stdout.write(
            self.style.SUCCESS(f"Audit key rotated from {old_id} to {new_id} at event #{event.pk}.")
        )
        self.stdout.write(
            "Now set AUDIT_KEY (or AUDIT_KEY_FILE) to the new key, add the old key to "
            "AUDIT_KEY_PREVIOUS (or AUDIT_KEY_PREVIOUS_FILE), then start the application. "
            "Until then nothing must write to the audit log."
        )
