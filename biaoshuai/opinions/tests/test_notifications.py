"""Opinions reach who must act: the unit's liaisons when assigned or returned, the office
when replied to or rated dissatisfied; never a liaison of another unit."""

import pytest

from biaoshuai.notifications.models import Notification
from biaoshuai.opinions.models import Opinion

from .factories import advance, opinion_new

pytestmark = pytest.mark.django_db


def _who(kind):
    return sorted(
        Notification.objects.filter(kind=kind).values_list("recipient__username", flat=True)
    )


def test_each_hand_over_reaches_who_must_act(campaign, org, users):
    opinion, _code = opinion_new(campaign)
    people = {"office": users.office, "liaison": users.liaison_lishi, "unit": org.lishi}
    advance(opinion, Opinion.State.RETURNED, **people)
    assert _who("opinions.assigned") == ["liaison_lishi"]
    assert _who("opinions.replied") == ["office"]
    assert _who("opinions.reviewed") == ["liaison_lishi"]
    returned = Notification.objects.get(kind="opinions.reviewed")
    assert "答复过于简单" in returned.text and returned.url == f"/opinions/{opinion.pk}/"

    other, _code = opinion_new(campaign, content="希望公开办事流程")
    advance(other, Opinion.State.REOPENED, **people)
    assert _who("opinions.unsatisfied") == ["liaison_lishi", "office"]
    assert not Notification.objects.filter(recipient=users.liaison_zengji).exists()
    assert not Notification.objects.filter(recipient=users.cadre_lishi).exists()
