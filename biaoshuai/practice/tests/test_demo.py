"""The demo's practice records: loaded through the services, idempotent, exemplars in every state."""

import pytest

from biaoshuai.demo import data
from biaoshuai.demo.loader import load_accounts, load_campaign, load_org
from biaoshuai.demo.practice import load_practice
from biaoshuai.practice.models import Discussion, ExemplarStatus, Pairing, Placement

pytestmark = pytest.mark.django_db


def test_demo_practice_records(client):
    log = lambda message: None  # noqa: E731
    for loader in (load_org, load_accounts, load_campaign):
        loader(log=log)
    created = load_practice(log=log)
    assert created > 0
    assert load_practice(log=log) == 0

    assert set(Discussion.objects.values_list("unit__name", flat=True)) == {
        data.LISHI,
        data.ZENGJI,
        data.ROOT_NAME,
    }
    for discussion in Discussion.objects.all():
        keys = {key for key, _name in discussion.campaign.choices("discussion_questions")}
        answers = dict(discussion.answers.values_list("question_key", "text"))
        assert set(answers) == keys and all(len(text) > 40 for text in answers.values())
    own = Pairing.objects.get(cadre__user__username="cadre_lishi")
    assert own.unit.name == data.LISHI and own.paired_kind == "village"
    for pairing in Pairing.objects.all():
        assert 2 <= pairing.visits.count() <= 4
    assert {"village", "enterprise", "community"} <= set(
        Pairing.objects.values_list("paired_kind", flat=True)
    )
    assert set(Placement.objects.values_list("kind", flat=True)) == {
        "enterprise",
        "village",
        "study_tour",
    }
    confirmed = [
        (r.exemplar_status, r.disclosure)
        for model in (Discussion, Pairing, Placement)
        for r in model.objects.exclude(exemplar_status=ExemplarStatus.NONE)
    ]
    assert confirmed.count((ExemplarStatus.CONFIRMED, "public")) >= 3
    assert (ExemplarStatus.CONFIRMED, "internal") in confirmed
    assert [s for s, _d in confirmed].count(ExemplarStatus.PROPOSED) == 1
    assert Discussion.objects.public().count() == 2
