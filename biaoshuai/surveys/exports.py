"""The responses of a round as .xlsx, one row per response, streamed."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biaoshuai.core.exports import xlsx_response

from . import selectors


def round_export(*, survey_round):
    questions = list(selectors.survey_questions(survey=survey_round.survey))
    headers = [
        pgettext("response number", "No."),
        _("Submitted at"),
        _("Unit"),
        *selectors.export_headers(questions=questions),
    ]
    return xlsx_response(
        filename=f"{survey_round.survey.title}-{survey_round.name}.xlsx",
        sheet_title=_("Responses"),
        headers=headers,
        rows=selectors.export_rows(survey_round=survey_round, questions=questions),
        title=f"{survey_round.survey.title}（{survey_round.name}）",
        widths=[8, 18, 16] + [24] * (len(headers) - 3),
    )
