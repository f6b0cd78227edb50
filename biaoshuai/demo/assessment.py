"""The demo's assessment: the office's "leadership" scores for every participating unit,
month by month, and the scores computed for every month of the campaign so far.

Runs last: the computed scores read the figures the other modules' demo data produce.
Scores already entered and months already computed are left as they are.
"""

import random

from django.utils import timezone

from biaoshuai.assessment.models import ManualScore, ScorePeriod
from biaoshuai.assessment.periods import campaign_months
from biaoshuai.assessment.scoring import indicators_of, participating_units
from biaoshuai.assessment.services import manual_score_set, score_period_compute
from biaoshuai.campaigns.models import Campaign

from . import data
from .common import TEMPLATE_KEY, demo_user

NOTES = [
    "领导小组健全，定期研究活动工作",
    "主要负责同志亲自部署，责任落实到人",
    "按时制定实施方案，动员部署到位",
    "活动组织较好，个别环节进度偏慢",
    "组织协调有待加强，需进一步压实责任",
]


def load_assessment(*, log):
    campaign = Campaign.objects.filter(template_key=TEMPLATE_KEY, is_current=True).first()
    if campaign is None:
        log("Assessment: no current campaign, nothing to do.")
        return 0
    office = demo_user("office")
    manual = [i.key for i in indicators_of(campaign) if i.manual]
    months = campaign_months(campaign, timezone.localdate())
    units = list(participating_units())
    entered = 0
    for key in manual:
        have = set(
            ManualScore.objects.filter(campaign=campaign, indicator=key).values_list(
                "unit_id", "period_start"
            )
        )
        for unit in units:
            rng = random.Random(f"{data.SEED}:assessment:{key}:{unit.name}")
            base = rng.randint(62, 90)
            for index, month in enumerate(months):
                if (unit.pk, month.start) in have:
                    continue
                value = min(100, base + index * rng.randint(0, 2) + rng.choice([-2, 0, 0, 1, 2]))
                manual_score_set(
                    campaign=campaign,
                    unit=unit,
                    indicator=key,
                    period_start=month.start,
                    period_end=month.end,
                    value=value,
                    note=NOTES[min(len(NOTES) - 1, max(0, (95 - value) // 8))],
                    by=office,
                )
                entered += 1
    computed = set(
        ScorePeriod.objects.filter(campaign=campaign).values_list("period_start", "period_end")
    )
    made = 0
    for month in months:
        if (month.start, month.end) in computed:
            continue
        score_period_compute(
            campaign=campaign, period_start=month.start, period_end=month.end, by=office
        )
        made += 1
    log(
        f"Assessment: {entered} manual scores entered for {len(units)} units; "
        f"{made} of {len(months)} months computed."
    )
    return entered + made
