"""The opinions demo: every state and channel, overdue and rated opinions, groups, a problem,
and the two published tracking codes; loading it twice changes nothing."""

from collections import Counter

import pytest
from django.urls import reverse

from biaoshuai.demo.loader import load_accounts, load_campaign, load_org
from biaoshuai.demo.opinions import DEMO_CODES, load_opinions
from biaoshuai.opinions.models import GroupingRun, Opinion
from biaoshuai.opinions.selectors import opinion_by_code, problems_for


@pytest.fixture
def demo(db):
    for loader in (load_org, load_accounts, load_campaign):
        loader(log=lambda message: None)
    lines = []
    made = load_opinions(log=lines.append)
    return made, lines


def test_demo_opinions(demo, client):
    made, lines = demo
    assert 140 <= made <= 160
    opinions = Opinion.objects.all()
    states = Counter(opinions.values_list("state", flat=True))
    assert set(states) == set(Opinion.State.values), states
    channels = set(opinions.values_list("channel", flat=True))
    assert len(channels) == 6
    assert opinions.values("unit").distinct().count() >= 10
    assert opinions.overdue().count() >= 3
    assert opinions.exclude(rating="").count() >= 10
    assert Opinion.objects.public().exists()
    run = GroupingRun.objects.get(state=GroupingRun.State.DONE)
    assert run.group_count >= 5
    archive_ids = list(
        Opinion.objects.filter(content__contains="档案").values_list("pk", flat=True)
    )
    assert len(problems_for(kind="opinion", source_ids=archive_ids)) == len(archive_ids) >= 5
    for code in DEMO_CODES.values():
        assert code in lines[-1]
        assert opinion_by_code(code=code) is not None
    replied = opinion_by_code(code=DEMO_CODES["replied"])
    assert replied.state == Opinion.State.CLOSED and replied.can_be_rated
    body = client.post(
        reverse("opinions_public:track"), {"code": DEMO_CODES["replied"]}
    ).content.decode()
    assert 'name="rating"' in body
    assert load_opinions(log=lambda message: None) == 0
    assert Opinion.objects.count() == made
