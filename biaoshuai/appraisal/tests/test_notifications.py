"""A self-check sent back tells the cadre why; a democratic appraisal opening tells its
participants."""

import pytest
from django.core.exceptions import ValidationError

from biaoshuai.appraisal import services
from biaoshuai.appraisal.models import SelfCheck
from biaoshuai.notifications.models import Notification

from .factories import self_check_submitted

pytestmark = pytest.mark.django_db


def test_self_check_returned_with_reason(campaign, org, users):
    check = self_check_submitted(person=org.people["lishi_a"], campaign=campaign)
    with pytest.raises(ValidationError):
        services.self_check_return(self_check=check, by=users.liaison_lishi, note=" ")
    services.self_check_return(self_check=check, by=users.liaison_lishi, note="请补充问题")
    check.refresh_from_db()
    assert (check.state, check.return_reason) == (SelfCheck.State.DRAFT, "请补充问题")
    notice = Notification.objects.get(kind="appraisal.self_check")
    assert notice.recipient == users.cadre_lishi and "请补充问题" in notice.text


def test_ballot_open_reaches_the_participants(campaign, org, users):
    services.appraisal_create(campaign=campaign, unit=org.lishi, period="2026年度", by=users.office)
    recipients = Notification.objects.filter(kind="appraisal.ballot").values_list(
        "recipient", flat=True
    )
    assert list(recipients) == [users.cadre_lishi.pk]  # the only participant with a login
