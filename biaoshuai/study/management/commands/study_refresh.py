from django.core.management.base import BaseCommand

from biaoshuai.campaigns.selectors import campaigns_under_way
from biaoshuai.study.completion import study_completion_refresh


class Command(BaseCommand):
    help = (
        "Recompute the study completion figures of every campaign under way (e.g. nightly by cron)."
    )

    def handle(self, *args, **options):
        campaigns = list(campaigns_under_way())
        if not campaigns:
            self.stdout.write("No campaign is under way.")
        for campaign in campaigns:
            count = study_completion_refresh(campaign=campaign)
            self.stdout.write(f"{campaign}: {count} figures computed.")
