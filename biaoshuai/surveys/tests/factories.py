"""Questionnaires for tests, built through the real services."""

import datetime

from biaoshuai.surveys import services
from biaoshuai.surveys.models import Question


def survey_with_questions(*, campaign, unit, audience, asks_unit=False, open_round=True, by=None):
    """A questionnaire with one question of each type and (by default) one open round."""
    survey = services.survey_create(
        campaign=campaign,
        unit=unit,
        by=by,
        title="组织工作满意度测评",
        audience=audience,
        asks_unit=asks_unit,
        in_assessment=True,
    )
    section = services.section_create(survey=survey, by=by, title="总体评价")
    survey.q_single = services.question_create(
        survey=survey,
        by=by,
        kind=Question.Kind.SINGLE,
        text="您的身份",
        options=["党员干部", "普通群众", "其他"],
        section=section,
    )
    survey.q_multiple = services.question_create(
        survey=survey,
        by=by,
        kind=Question.Kind.MULTIPLE,
        text="您了解组织工作的渠道",
        options=["政府网站", "电视", "报刊", "微信"],
        section=section,
    )
    survey.q_rating = services.question_create(
        survey=survey,
        by=by,
        kind=Question.Kind.RATING,
        text="您对组织工作的总体评价",
        section=section,
    )
    survey.q_matrix = services.question_create(
        survey=survey,
        by=by,
        kind=Question.Kind.MATRIX,
        text="对以下方面的评价",
        rows=["选人用人", "干部作风"],
    )
    survey.q_text = services.question_create(
        survey=survey,
        by=by,
        kind=Question.Kind.TEXT,
        text="意见和建议",
        required=False,
    )
    if open_round:
        today = datetime.date.today()
        survey.round = services.round_create(
            survey=survey,
            by=by,
            name=str(today.year),
            starts_on=today - datetime.timedelta(days=3),
            ends_on=today + datetime.timedelta(days=30),
        )
        services.round_open(survey_round=survey.round, by=by)
    return survey


def answers_for(survey, *, single=0, multiple=(0, 1), rating=0, matrix=(0, 1), text=""):
    return {
        survey.q_single.pk: single,
        survey.q_multiple.pk: list(multiple),
        survey.q_rating.pk: rating,
        survey.q_matrix.pk: dict(enumerate(matrix)),
        survey.q_text.pk: text,
    }


def post_data(survey, *, single=0, multiple=(0, 1), rating=0, matrix=(0, 1), text="", unit=None):
    data = {
        f"q{survey.q_single.pk}": str(single),
        f"q{survey.q_multiple.pk}": [str(m) for m in multiple],
        f"q{survey.q_rating.pk}": str(rating),
        f"q{survey.q_text.pk}": text,
    }
    for row, value in enumerate(matrix):
        data[f"q{survey.q_matrix.pk}_r{row}"] = str(value)
    if unit is not None:
        data["unit"] = str(unit.pk)
    return data
