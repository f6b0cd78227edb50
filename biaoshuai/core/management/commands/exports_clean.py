from django.core.management.base import BaseCommand

from biaoshuai.core.exports import export_jobs_clean


class Command(BaseCommand):
    help = "Delete the export jobs past their keeping time (EXPORT_KEEP_HOURS) and their files."

    def handle(self, *args, **options):
        self.stdout.write(f"{export_jobs_clean()} export jobs removed.")
