"""The questionnaires the public answers on the portal (no login)."""

from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from biaoshuai.core.net import client_ip

from . import selectors, services
from .models import Round
from .views import _answer

SESSION_MARK = "surveys_seen"


@require_GET
def public_list(request):
    return render(request, "surveys/public_list.html", {"rounds": selectors.public_open_rounds()})


@require_http_methods(["GET", "POST"])
def public_answer(request, pk):
    survey_round = _public_round(pk)
    # The browser session identifies the respondent: make sure there is one to key on.
    if request.method == "GET" and not request.session.get(SESSION_MARK):
        request.session[SESSION_MARK] = True
    session_key = request.session.session_key if request.session.get(SESSION_MARK) else None
    if session_key and services.response_exists_for_session(
        survey_round=survey_round, session_key=session_key
    ):
        return render(
            request,
            "surveys/answered.html",
            {"round": survey_round, "message": services.ALREADY_ANSWERED, "portal": True},
        )
    units = selectors.rated_units() if survey_round.survey.asks_unit else None
    return _answer(
        request,
        survey_round,
        submit=lambda answers, unit: services.response_submit_public(
            survey_round=survey_round,
            session_key=session_key,
            ip=client_ip(request) or None,
            answers=answers,
            unit=unit,
        ),
        thanks=redirect("surveys_public:thanks", pk=survey_round.pk),
        template="surveys/public_answer.html",
        units=units,
    )


@require_GET
def public_thanks(request, pk):
    return render(request, "surveys/thanks.html", {"round": _public_round(pk), "portal": True})


def _public_round(pk):
    try:
        return selectors.public_round(pk=pk)
    except Round.DoesNotExist as exc:
        raise Http404 from exc
