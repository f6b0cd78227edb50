from datetime import datetime, time

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from biaoshuai.audit.archive import audit_archive, retention_days


class Command(BaseCommand):
    help = (
        "Export the audit events before a date to a JSON-lines file (with their hashes, so the "
        "file verifies with audit_verify --archive). With --purge, then delete the exported "
        "events older than AUDIT_RETENTION_DAYS (at least 180) and record the boundary."
    )

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="YYYY-MM-DD: events before this day")
        parser.add_argument("--output", required=True, help="the archive file to write")
        parser.add_argument("--purge", action="store_true", help="delete what was archived")

    def handle(self, *args, **options):
        try:
            day = datetime.strptime(options["before"], "%Y-%m-%d").date()
        except ValueError as exc:
            raise CommandError("--before must be a date, YYYY-MM-DD") from exc
        before = timezone.make_aware(datetime.combine(day, time.min))
        try:
            result = audit_archive(before=before, output=options["output"], purge=options["purge"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        span = f" (#{result.first_id}–#{result.last_id})" if result.exported else ""
        self.stdout.write(
            self.style.SUCCESS(f"{result.exported} events written to {options['output']}{span}.")
        )
        if options["purge"]:
            self.stdout.write(
                f"{result.purged} events older than {retention_days()} days removed from the "
                "database; a checkpoint was written."
                if result.purged
                else f"Nothing removed: no archived event is older than {retention_days()} days."
            )
