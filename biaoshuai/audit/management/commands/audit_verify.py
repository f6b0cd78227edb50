from django.core.management.base import BaseCommand, CommandError

from biaoshuai.audit.models import AuditEvent
from biaoshuai.audit.services import audit_verify


class Command(BaseCommand):
    help = "Verify the audit log's hash chain and report the first tampered record."

    def handle(self, *args, **options):
        bad = audit_verify()
        count = AuditEvent.objects.count()
        if bad is None:
            self.stdout.write(self.style.SUCCESS(f"Audit chain intact: {count} events verified."))
            return
        if bad.pk is None:
            raise CommandError("The chain head does not match the last event: events were removed.")
        raise CommandError(
            f"Audit chain broken at event #{bad.pk} ({bad.at:%Y-%m-%d %H:%M:%S}, "
            f"{bad.action} {bad.object_type} {bad.object_id}): it or its link was altered."
        )
