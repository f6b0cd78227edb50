import datetime

import pytest

from biaoshuai.campaigns.services import campaign_create_from_template

from .factories import survey_with_questions


@pytest.fixture
def campaign(db):
    return campaign_create_from_template(
        template_key="jiangdangxing",
        starts_on=datetime.date.today().replace(day=1),
        by=None,
        make_current=True,
    )


@pytest.fixture
def cadre_survey(campaign, org):
    return survey_with_questions(campaign=campaign, unit=org.department, audience="cadres")


@pytest.fixture
def public_survey(campaign, org):
    return survey_with_questions(
        campaign=campaign, unit=org.department, audience="public", asks_unit=True
    )
