from django.core.management.base import BaseCommand

from biaoshuai.campaigns.models import Campaign
from biaoshuai.study.completion import study_completion_refresh


class Command(BaseCommand):
    help = "Recompute the study completion figures of the current campaign (e.g. nightly by cron)."

    def handle(self, *args, **options):
        campaign = Campaign.objects.current()
        if campaign is None:
            self.stdout.write("No current campaign.")
            return
        count = study_completion_refresh(campaign=campaign)
        self.stdout.write(f"{campaign}: {count} figures computed.")
