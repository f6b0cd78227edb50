"""The responses of a round as .xlsx, one row per response, streamed; beyond
EXPORT_TASK_ROWS responses a background task writes it (core/exports.py)."""

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from biaoshuai.core.exports import Sheet, export_builder, xlsx_response
from biaoshuai.core.scope import scope_for

from . import selectors
from .models import Round


def round_export(*, survey_round):
    sheet = round_sheet_of(survey_round=survey_round)
    return xlsx_response(
        filename=sheet.filename,
        sheet_title=sheet.sheet_title,
        headers=sheet.headers,
        rows=sheet.rows,
        title=sheet.title,
        widths=sheet.widths,
    )


@export_builder("surveys.responses")
def round_sheet(*, user, query):
    """The responses of the round `query["round"]`, if the user oversees its survey's unit
    (else no round: the task fails, as the page would answer 404)."""
    scope = scope_for(user, selectors.oversight_action(user))
    survey_round = (
        Round.objects.select_related("survey", "survey__unit", "survey__campaign")
        .filter(scope.q("survey__unit__path"), pk=int(query.get("round") or 0))
        .get()
    )
    return round_sheet_of(survey_round=survey_round)


def round_sheet_of(*, survey_round):
    questions = list(selectors.survey_questions(survey=survey_round.survey))
    headers = [
        pgettext("response number", "No."),
        _("Submitted at"),
        _("Unit"),
        *selectors.export_headers(questions=questions),
    ]
    return Sheet(
        filename=f"{survey_round.survey.title}-{survey_round.name}.xlsx",
        sheet_title=_("Responses"),
        label=f"{survey_round.survey.title}（{survey_round.name}）",
        headers=headers,
        rows=selectors.export_rows(survey_round=survey_round, questions=questions),
        total=survey_round.responses.count(),
        title=f"{survey_round.survey.title}（{survey_round.name}）",
        widths=[8, 18, 16] + [24] * (len(headers) - 3),
    )
