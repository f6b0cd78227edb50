"""Opening a cadre questionnaire's round tells its audience: the cadres with a login in the
owning unit's subtree."""

import pytest

from biaoshuai.notifications.models import Notification

from .factories import survey_with_questions

pytestmark = pytest.mark.django_db


def test_round_open_reaches_the_audience(campaign, org, users):
    survey = survey_with_questions(
        campaign=campaign, unit=org.lishi, audience="cadres", open_round=True
    )
    notice = Notification.objects.get(kind="surveys.round_open")
    assert notice.recipient == users.cadre_lishi
    assert notice.url == f"/surveys/rounds/{survey.round.pk}/answer/"


def test_public_round_tells_nobody(campaign, org, users):
    survey_with_questions(campaign=campaign, unit=org.lishi, audience="public", open_round=True)
    assert not Notification.objects.exists()
