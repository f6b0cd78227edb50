from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.exports import export_or_task, task_threshold
from biaoshuai.core.paginate import paginate
from biaoshuai.core.permissions import is_cadre, user_passes
from biaoshuai.core.scope import MANAGE, get_scoped_or_404, scope_for
from biaoshuai.org.selectors import unit_choices

from . import exports, selectors, services
from .forms import AnswerForm, QuestionForm, RoundForm, SectionForm, SurveyForm
from .models import Question, Round, Survey

TEXTS_PER_PAGE = 20


def _survey(request, pk, action=None):
    queryset = Survey.objects.select_related("unit", "campaign")
    return get_scoped_or_404(
        queryset, request.user, action or selectors.oversight_action(request.user), pk=pk
    )


def _round(request, pk, action=None):
    """A round of a survey within the user's scope for `action`, in one query."""
    scope = scope_for(request.user, action or selectors.oversight_action(request.user))
    survey_round = (
        Round.objects.select_related("survey", "survey__unit", "survey__campaign")
        .filter(scope.q("survey__unit__path"), pk=pk)
        .first()
        if not scope.empty
        else None
    )
    if survey_round is None:
        raise Http404
    return survey_round


@user_passes(selectors.can_oversee)
@require_GET
def survey_list(request):
    page = paginate(request, selectors.surveys_visible_to(user=request.user))
    context = {"page": page, "can_build": selectors.can_build(request.user)}
    if request.htmx and not request.htmx.boosted:
        return render(request, "surveys/survey_list.html#table", context)
    return render(request, "surveys/survey_list.html", context)


@user_passes(selectors.can_build)
@require_http_methods(["GET", "POST"])
def survey_create(request):
    campaign = campaign_current()
    units = unit_choices(user=request.user, action=MANAGE)
    form = SurveyForm(request.POST or None, units=units, initial={"unit": units.first()})
    if campaign is None:
        form.add_error(None, _("There is no current campaign."))
    elif request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            survey = services.survey_create(campaign=campaign, by=request.user, **data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Questionnaire created. Now add its questions."))
            return redirect("surveys:survey_detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": None})


@user_passes(selectors.can_build)
@require_http_methods(["GET", "POST"])
def survey_edit(request, pk):
    survey = _survey(request, pk, MANAGE)
    units = unit_choices(user=request.user, action=MANAGE)
    form = SurveyForm(request.POST or None, instance=Survey.objects.get(pk=survey.pk), units=units)
    if request.method == "POST" and form.is_valid():
        fields = {name: form.cleaned_data[name] for name in form.changed_data}
        try:
            services.survey_update(survey=survey, by=request.user, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Questionnaire saved."))
            return redirect("surveys:survey_detail", pk=survey.pk)
    return render(request, "surveys/survey_form.html", {"form": form, "survey": survey})


@user_passes(selectors.can_oversee)
@require_GET
def survey_detail(request, pk):
    survey = _survey(request, pk)
    return render(
        request,
        "surveys/survey_detail.html",
        {
            "survey": survey,
            "questions": selectors.survey_questions(survey=survey),
            "rounds": selectors.survey_rounds(survey=survey),
            "locked": services.survey_is_locked(survey=survey),
            "can_manage": scope_for(request.user, MANAGE).covers(survey.unit),
        },
    )


@user_passes(selectors.can_build)
@require_http_methods(["GET", "POST"])
def section_create(request, pk):
    survey = _survey(request, pk, MANAGE)
    form = SectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.section_create(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("Section added."))
            return redirect("surveys:survey_detail", pk=survey.pk)
    return render(
        request,
        "surveys/item_form.html",
        {"form": form, "survey": survey, "title": _("Add a section")},
    )


@user_passes(selectors.can_build)
@require_http_methods(["GET", "POST"])
def question_create(request, pk):
    survey = _survey(request, pk, MANAGE)
    form = QuestionForm(request.POST or None, survey=survey)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_create(survey=survey, by=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, exc) if not hasattr(exc, "error_dict") else _dict_errors(form, exc)
        else:
            messages.success(request, _("Question added."))
            return redirect("surveys:survey_detail", pk=survey.pk)
    return render(
        request,
        "surveys/item_form.html",
        {"form": form, "survey": survey, "title": _("Add a question")},
    )


@user_passes(selectors.can_build)
@require_http_methods(["GET", "POST"])
def question_edit(request, pk):
    question = Question.objects.select_related("survey").filter(pk=pk).first()
    if question is None:
        raise Http404
    survey = _survey(request, question.survey_id, MANAGE)
    initial = {
        "section": question.section_id,
        "kind": question.kind,
        "text": question.text,
        "required": question.required,
        "options": "\n".join(question.options),
        "rows": "\n".join(question.rows),
        "order": question.order,
    }
    form = QuestionForm(request.POST or None, survey=survey, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.question_update(question=question, by=request.user, **form.service_fields())
        except ValidationError as exc:
            form.add_error(None, exc) if not hasattr(exc, "error_dict") else _dict_errors(form, exc)
        else:
            messages.success(request, _("Question saved."))
            return redirect("surveys:survey_detail", pk=survey.pk)
    return render(
        request,
        "surveys/item_form.html",
        {"form": form, "survey": survey, "title": _("Edit a question")},
    )


@user_passes(selectors.can_build)
@require_POST
def question_delete(request, pk):
    question = Question.objects.select_related("survey").filter(pk=pk).first()
    if question is None:
        raise Http404
    survey = _survey(request, question.survey_id, MANAGE)
    try:
        services.question_delete(question=question, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Question deleted."))
    return redirect("surveys:survey_detail", pk=survey.pk)


@user_passes(selectors.can_build)
@require_http_methods(["GET", "POST"])
def round_create(request, pk):
    survey = _survey(request, pk, MANAGE)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.round_create(survey=survey, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            _dict_errors(form, exc) if hasattr(exc, "error_dict") else form.add_error(None, exc)
        else:
            messages.success(request, _("Round added. Open it when it should take answers."))
            return redirect("surveys:survey_detail", pk=survey.pk)
    return render(
        request,
        "surveys/item_form.html",
        {"form": form, "survey": survey, "title": _("Add a round")},
    )


@user_passes(selectors.can_build)
@require_POST
def round_transition(request, pk, action):
    survey_round = _round(request, pk, MANAGE)
    service = {"open": services.round_open, "close": services.round_close}.get(action)
    if service is None:
        raise Http404
    try:
        service(survey_round=survey_round, by=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Round opened.") if action == "open" else _("Round closed."))
    return redirect("surveys:survey_detail", pk=survey_round.survey_id)


@user_passes(selectors.can_oversee)
@require_GET
def round_results(request, pk):
    survey_round = _round(request, pk)
    results = selectors.round_results(survey_round=survey_round)
    charts = [
        _chart(item) for item in results["questions"] if item["question"].kind != Question.Kind.TEXT
    ]
    return render(
        request,
        "surveys/round_results.html",
        {
            "round": survey_round,
            "survey": survey_round.survey,
            "results": results,
            "rounds": selectors.survey_rounds(survey=survey_round.survey),
            "charts": charts,
        },
    )


@user_passes(selectors.can_oversee)
@require_GET
def round_texts(request, pk, question_pk):
    survey_round = _round(request, pk)
    question = Question.objects.filter(
        pk=question_pk, survey_id=survey_round.survey_id, kind=Question.Kind.TEXT
    ).first()
    if question is None:
        raise Http404
    page = paginate(
        request,
        selectors.text_answers(survey_round=survey_round, question=question),
        per_page=TEXTS_PER_PAGE,
    )
    context = {"round": survey_round, "question": question, "page": page}
    if request.htmx and not request.htmx.boosted:
        return render(request, "surveys/round_texts.html#table", context)
    return render(request, "surveys/round_texts.html", context)


@user_passes(selectors.can_oversee)
@require_GET
def round_export(request, pk):
    """The file itself for a few thousand responses; a background task beyond."""
    survey_round = _round(request, pk)
    fmt = request.GET.get("format") == "csv"
    if fmt or survey_round.responses.count() > task_threshold():
        query = request.GET.copy()
        query["round"] = str(survey_round.pk)
        request.GET = query
        return export_or_task(request, "surveys.responses")
    return exports.round_export(survey_round=survey_round)


@user_passes(selectors.can_oversee)
@require_GET
def survey_compare(request, pk):
    survey = _survey(request, pk)
    comparison = selectors.survey_comparison(survey=survey)
    charts = {
        "index": {
            "labels": [r["round"].name for r in comparison["rounds"]],
            "values": [_round1(r["index"]) for r in comparison["rounds"]],
        },
        "questions": [_compare_chart(item) for item in comparison["questions"]],
    }
    return render(
        request,
        "surveys/survey_compare.html",
        {"survey": survey, "comparison": comparison, "charts": charts},
    )


# Cadres


def _person(user):
    return getattr(user, "person", None)


@user_passes(is_cadre)
@require_GET
def my_surveys(request):
    rounds = selectors.open_rounds_for_cadre(person=_person(request.user))
    return render(request, "surveys/my_surveys.html", {"rounds": rounds})


@user_passes(is_cadre)
@require_http_methods(["GET", "POST"])
def cadre_answer(request, pk):
    person = _person(request.user)
    if person is None:
        raise Http404
    try:
        survey_round = selectors.cadre_round(person=person, pk=pk)
    except Round.DoesNotExist as exc:
        raise Http404 from exc
    if services.has_answered(survey_round=survey_round, person=person):
        return render(
            request,
            "surveys/answered.html",
            {"round": survey_round, "message": services.ALREADY_ANSWERED, "portal": False},
        )
    return _answer(
        request,
        survey_round,
        submit=lambda answers, unit: services.response_submit_cadre(
            survey_round=survey_round, person=person, answers=answers
        ),
        thanks=redirect("surveys:thanks", pk=survey_round.pk),
        template="surveys/answer.html",
    )


@user_passes(is_cadre)
@require_GET
def cadre_thanks(request, pk):
    person = _person(request.user)
    if person is None:
        raise Http404
    try:
        survey_round = selectors.cadre_round(person=person, pk=pk)
    except Round.DoesNotExist as exc:
        raise Http404 from exc
    return render(request, "surveys/thanks.html", {"round": survey_round, "portal": False})


def _answer(request, survey_round, *, submit, thanks, template, units=None):
    survey = survey_round.survey
    questions = list(selectors.survey_questions(survey=survey))
    form = AnswerForm(request.POST or None, survey=survey, questions=questions, units=units)
    closed = not survey_round.accepting()
    if request.method == "POST" and not closed and form.is_valid():
        try:
            submit(form.answers(), form.cleaned_data.get("unit"))
        except ValidationError as exc:
            if hasattr(exc, "error_dict"):
                form.add_service_errors(exc)
            else:
                form.add_error(None, exc)
        else:
            return thanks
    return render(
        request, template, {"round": survey_round, "survey": survey, "form": form, "closed": closed}
    )


def _dict_errors(form, exc):
    for field, errors in exc.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _round1(value):
    return None if value is None else round(value, 1)


def _chart(item):
    question = item["question"]
    if question.kind == Question.Kind.MATRIX:
        return {
            "id": question.pk,
            "kind": "matrix",
            "categories": [r["label"] for r in item["rows"]],
            "series": [
                {"name": label, "data": [r["cells"][i]["count"] for r in item["rows"]]}
                for i, label in enumerate(item["labels"])
            ],
        }
    return {
        "id": question.pk,
        "kind": question.kind,
        "categories": [o["label"] for o in item["options"]],
        "series": [{"name": _("Answers"), "data": [o["count"] for o in item["options"]]}],
    }


def _compare_chart(item):
    question = item["question"]
    rounds = item["rounds"]
    if question.is_rated:
        return {
            "id": question.pk,
            "kind": "index",
            "categories": [r.name for r, _res in rounds],
            "series": [{"name": _("Index"), "data": [_round1(res["index"]) for _r, res in rounds]}],
        }
    return {
        "id": question.pk,
        "kind": "percent",
        "categories": [o["label"] for o in rounds[0][1]["options"]] if rounds else [],
        "series": [
            {"name": r.name, "data": [round(o["percent"], 1) for o in res["options"]]}
            for r, res in rounds
        ],
    }
