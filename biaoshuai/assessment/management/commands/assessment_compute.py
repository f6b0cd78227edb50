"""Compute the assessment scores of a period (this month by default) into the snapshot, for
one campaign (`--campaign`) or every campaign under way."""

import time

from django.core.management.base import BaseCommand, CommandError

from biaoshuai.assessment.periods import campaign_months, period_from_query
from biaoshuai.assessment.services import score_period_compute
from biaoshuai.campaigns.models import Campaign
from biaoshuai.campaigns.selectors import campaigns_under_way


class Command(BaseCommand):
    help = (
        "Compute every participating unit's assessment score for a period and store it. "
        "Run daily (e.g. from cron) to keep this month's ranking and the monthly trend current."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--campaign", type=int, help="campaign id (default: every campaign under way)"
        )
        parser.add_argument(
            "--period",
            choices=["month", "quarter", "year", "custom"],
            help="kind of period (default: this month)",
        )
        parser.add_argument("--month", help="YYYY-MM, with --period month")
        parser.add_argument("--quarter", help="YYYY-N (N = 1…4), with --period quarter")
        parser.add_argument("--year", help="YYYY, with --period year")
        parser.add_argument("--start", help="YYYY-MM-DD, with --period custom")
        parser.add_argument("--end", help="YYYY-MM-DD, with --period custom")
        parser.add_argument(
            "--all-months",
            action="store_true",
            help="every month from the campaign's start to this month",
        )

    def handle(self, *args, **options):
        if options["campaign"]:
            campaigns = list(Campaign.objects.filter(pk=options["campaign"]))
            if not campaigns:
                raise CommandError("No such campaign.")
        else:
            campaigns = list(campaigns_under_way())
            if not campaigns:
                self.stdout.write("No campaign is under way.")
                return
        params = {
            k: options[k] or "" for k in ("period", "month", "quarter", "year", "start", "end")
        }
        for campaign in campaigns:
            if options["all_months"]:
                periods = campaign_months(campaign)
            else:
                periods = [period_from_query(params)]
            for period in periods:
                started = time.perf_counter()
                stored = score_period_compute(
                    campaign=campaign, period_start=period.start, period_end=period.end
                )
                self.stdout.write(
                    f"{campaign}, {period.label}: {stored.summary.get('units', 0)} units, "
                    f"mean {stored.summary.get('mean')}, {time.perf_counter() - started:.2f} s"
                )
