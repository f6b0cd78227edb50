"""Reads for questionnaires: lists within scope, results aggregated in the database.

The results of a round take a fixed number of queries whatever the number of responses:
the questions, and the round's tallies (counts per question, row and choice, and the
respondents per question), which the response services keep in the same transaction as the
answers and `services.tally_rebuild` recomputes from the answers with one GROUP BY.
"""

from django.db.models import Avg, Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from biaoshuai.core.permissions import is_leading_group, is_office
from biaoshuai.core.scope import MANAGE, VIEW, scope_for
from biaoshuai.org.models import Unit

from .models import Answer, Question, Response, Round, Survey, Tally
from .services import respondent_key_for_person


def oversight_action(user):
    """The office and the leading group read every unit's questionnaires (VIEW); a liaison
    those of the units they manage (MANAGE), not those where they are only a cadre."""
    return VIEW if is_office(user) or is_leading_group(user) else MANAGE


def can_oversee(user):
    return user.is_authenticated and not scope_for(user, oversight_action(user)).empty


def can_build(user):
    return user.is_authenticated and not scope_for(user, MANAGE).empty


def surveys_visible_to(*, user):
    """Questionnaires the user oversees, each with `round_total`, in one query."""
    return (
        Survey.objects.restrict(user, oversight_action(user))
        .select_related("unit")
        .annotate(
            round_total=_count(Round.objects.filter(survey=OuterRef("pk"))),
            open_total=_count(Round.objects.filter(survey=OuterRef("pk"), state=Round.State.OPEN)),
        )
        .order_by("-created_at", "-id")
    )


def survey_rounds(*, survey):
    """The survey's rounds in order (each carries its `response_total`)."""
    return Round.objects.filter(survey=survey).order_by("starts_on", "id")


def survey_questions(*, survey):
    return Question.objects.filter(survey=survey).select_related("section").order_by("order", "id")


def round_results(*, survey_round):
    """Everything the results page shows, in five queries.

    Returns {"questions": [...], "responses": n, "index": survey index or None}. Each
    question: {question, answered, options: [{label, count, percent}], rows (matrix):
    [{label, cells, answered, index}], index (rated questions), texts (text questions)}.
    """
    survey = survey_round.survey
    questions = list(survey_questions(survey=survey))
    counts, answered = _tallies(Tally.objects.filter(round=survey_round))
    results = [_question_result(q, counts, answered.get(q.pk, 0), survey.scale) for q in questions]
    return {
        "questions": results,
        "responses": survey_round.response_total,
        "index": _pooled_index(results),
    }


def survey_comparison(*, survey):
    """The rounds of a survey side by side, in three queries: [{round, responses, index}]
    and, per question, the results of each round."""
    rounds = list(survey_rounds(survey=survey))
    questions = list(survey_questions(survey=survey))
    by_round = {r.pk: ({}, {}) for r in rounds}
    for round_id, question_id, row, choice, n in Tally.objects.filter(
        round__survey=survey
    ).values_list("round_id", "question_id", "row", "choice", "n"):
        counts, answered = by_round[round_id]
        if choice == Tally.ANSWERED:
            answered[question_id] = n
        else:
            counts[(question_id, row, choice)] = n
    per_round = []
    for survey_round in rounds:
        counts, answered = by_round[survey_round.pk]
        results = [
            _question_result(q, counts, answered.get(q.pk, 0), survey.scale) for q in questions
        ]
        per_round.append(
            {
                "round": survey_round,
                "responses": survey_round.response_total,
                "results": results,
                "index": _pooled_index(results),
            }
        )
    previous = None
    for row in per_round:
        row["change"] = (
            row["index"] - previous if row["index"] is not None and previous is not None else None
        )
        if row["index"] is not None:
            previous = row["index"]
    comparison = []
    for position, question in enumerate(questions):
        if question.kind == Question.Kind.TEXT:
            continue
        comparison.append(
            {
                "question": question,
                "rounds": [(r["round"], r["results"][position]) for r in per_round],
            }
        )
    return {"rounds": per_round, "questions": comparison}


def text_answers(*, survey_round, question):
    return (
        Answer.objects.filter(round=survey_round, question=question)
        .exclude(text="")
        .select_related("unit")
        .order_by("-response_id")
        .values("text", "response__submitted_at", "unit__name")
    )


def export_rows(*, survey_round, questions):
    """One row per response ([number, submitted at, unit, answer per column]), streamed
    from one query over responses LEFT JOINed to their answers, ordered by response."""
    columns, position = [], {}
    for question in questions:
        if question.kind == Question.Kind.MATRIX:
            for index, _label in enumerate(question.rows):
                position[(question.pk, index)] = len(columns)
                columns.append(question)
        else:
            position[(question.pk, 0)] = len(columns)
            columns.append(question)
    scale = [s["name"] for s in survey_round.survey.scale]
    by_pk = {q.pk: q for q in questions}
    rows = (
        Response.objects.filter(round=survey_round)
        .order_by("pk", "answers__id")
        .values_list(
            "pk",
            "submitted_at",
            "unit__name",
            "answers__question_id",
            "answers__row",
            "answers__choice",
            "answers__text",
        )
        .iterator(chunk_size=5000)
    )
    current, head, cells, number = None, [], [], 0
    for pk, submitted_at, unit_name, question_id, row, choice, text in rows:
        if pk != current:
            if current is not None:
                yield [number, *head, *cells]
            current, number = pk, number + 1
            head = [timezone.localtime(submitted_at).replace(tzinfo=None), unit_name or ""]
            cells = [""] * len(columns)
        if question_id is None:
            continue
        question = by_pk[question_id]
        slot = position[(question_id, row)]
        cells[slot] = _answer_label(question, choice, text, scale, cells[slot])
    if current is not None:
        yield [number, *head, *cells]


def export_headers(*, questions):
    headers = []
    for question in questions:
        if question.kind == Question.Kind.MATRIX:
            headers += [f"{question.text}：{label}" for label in question.rows]
        else:
            headers.append(question.text)
    return headers


def open_rounds_for_cadre(*, person, today=None):
    """Open rounds of the cadre questionnaires addressed to the cadre's unit, each with
    `answered`, in two queries."""
    if person is None:
        return []
    today = today or timezone.localdate()
    ancestors = _ancestor_paths(person.unit.path)
    rounds = list(
        Round.objects.filter(
            survey__in=Survey.objects.in_campaign(),
            survey__audience=Survey.Audience.CADRES,
            survey__unit__path__in=ancestors,
            state=Round.State.OPEN,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .select_related("survey")
        .order_by("ends_on", "id")
    )
    keys = {respondent_key_for_person(survey_round=r, person=person): r for r in rounds}
    answered = set(
        Response.objects.filter(respondent_key__in=list(keys)).values_list(
            "respondent_key", flat=True
        )
    )
    for key, survey_round in keys.items():
        survey_round.answered = key in answered
    return rounds


def cadre_round(*, person, pk):
    """An open-or-closed round addressed to the cadre; DoesNotExist otherwise."""
    return (
        Round.objects.filter(
            survey__in=Survey.objects.in_campaign(),
            survey__audience=Survey.Audience.CADRES,
            survey__unit__path__in=_ancestor_paths(person.unit.path),
        )
        .exclude(state=Round.State.DRAFT)
        .select_related("survey")
        .get(pk=pk)
    )


def public_open_rounds(*, today=None):
    today = today or timezone.localdate()
    return (
        Round.objects.filter(
            survey__in=Survey.objects.public(),
            state=Round.State.OPEN,
            starts_on__lte=today,
            ends_on__gte=today,
        )
        .select_related("survey")
        .order_by("ends_on", "id")
    )


def public_round(*, pk):
    """A round of a public questionnaire that has been opened; DoesNotExist otherwise."""
    return (
        Round.objects.filter(survey__in=Survey.objects.public())
        .exclude(state=Round.State.DRAFT)
        .select_related("survey")
        .get(pk=pk)
    )


def rated_units():
    """Units a public respondent may choose to rate: townships and county agencies."""
    return Unit.objects.filter(
        is_active=True, kind__in=[Unit.Kind.TOWNSHIP, Unit.Kind.COUNTY_AGENCY]
    ).order_by("sort_order", "path")


# The satisfaction index metric


def index_rounds(*, campaign, today=None):
    """Ids of the rounds the satisfaction index reads: for every questionnaire of the
    campaign that counts toward it, its latest round that has been opened and begun."""
    today = today or timezone.localdate()
    rows = (
        Round.objects.filter(
            survey__campaign=campaign,
            survey__in_assessment=True,
            state__in=[Round.State.OPEN, Round.State.CLOSED],
            starts_on__lte=today,
        )
        .order_by("survey_id", "-starts_on", "-id")
        .values_list("survey_id", "pk")
    )
    latest = {}
    for survey_id, pk in rows:
        latest.setdefault(survey_id, pk)
    return list(latest.values())


def satisfaction_index(*, round_ids, unit_paths=None):
    """Mean score of every rating answer in the rounds (optionally only answers about
    units in the given subtrees); None without answers."""
    answers = Answer.objects.filter(round_id__in=round_ids, score__isnull=False)
    if unit_paths is not None:
        query = Q(pk__in=[])
        for path in unit_paths:
            query |= Q(unit__path__subtree=path)
        answers = answers.filter(query)
    return answers.aggregate(index=Avg("score"))["index"]


def satisfaction_index_by_unit(*, round_ids, unit_ids):
    """{unit_id: mean score of the rating answers about its subtree}, in one query."""
    means = (
        Answer.objects.filter(
            round_id__in=round_ids, score__isnull=False, unit__path__subtree=OuterRef("path")
        )
        .order_by()
        .annotate(one=Value(1))
        .values("one")
        .annotate(mean=Avg("score"))
        .values("mean")
    )
    rows = Unit.objects.filter(pk__in=list(unit_ids)).annotate(index=Subquery(means))
    return dict(rows.values_list("pk", "index"))


def _question_result(question, counts, respondents, scale):
    kind = Question.Kind
    result = {"question": question, "options": [], "rows": [], "index": None, "texts": 0}
    if question.kind == kind.TEXT:
        result["texts"] = respondents
        result["answered"] = respondents
        return result
    if question.kind == kind.MATRIX:
        total_score = total_n = 0
        for row, label in enumerate(question.rows):
            cells = [counts.get((question.pk, row, i), 0) for i in range(len(scale))]
            answered = sum(cells)
            score = sum(n * s["score"] for n, s in zip(cells, scale, strict=True))
            total_score, total_n = total_score + score, total_n + answered
            result["rows"].append(
                {
                    "label": label,
                    "answered": answered,
                    "cells": [_cell(n, answered) for n in cells],
                    "index": score / answered if answered else None,
                }
            )
        result["answered"] = max((r["answered"] for r in result["rows"]), default=0)
        result["index"] = total_score / total_n if total_n else None
        result["score_sum"], result["score_n"] = total_score, total_n
        result["labels"] = [s["name"] for s in scale]
        return result
    labels = [s["name"] for s in scale] if question.kind == kind.RATING else question.options
    values = [counts.get((question.pk, 0, i), 0) for i in range(len(labels))]
    answered = respondents if question.kind == kind.MULTIPLE else sum(values)
    result["answered"] = answered
    result["options"] = [
        {"label": label, **_cell(n, answered)} for label, n in zip(labels, values, strict=True)
    ]
    if question.kind == kind.RATING:
        score = sum(n * s["score"] for n, s in zip(values, scale, strict=True))
        result["index"] = score / answered if answered else None
        result["score_sum"], result["score_n"] = score, answered
    return result


def _tallies(tallies):
    """({(question, row, choice): n}, {question: respondents}) from tally rows."""
    counts, answered = {}, {}
    for question_id, row, choice, n in tallies.values_list("question_id", "row", "choice", "n"):
        if choice == Tally.ANSWERED:
            answered[question_id] = n
        else:
            counts[(question_id, row, choice)] = n
    return counts, answered


def _pooled_index(results):
    """The survey's index: the mean score over all its rating answers (each rating
    question's answer and each matrix row's answer counts once)."""
    total = sum(r.get("score_sum", 0) for r in results)
    n = sum(r.get("score_n", 0) for r in results)
    return total / n if n else None


def _cell(n, total):
    return {"count": n, "percent": n / total * 100 if total else 0}


def _answer_label(question, choice, text, scale, existing):
    if question.kind == Question.Kind.TEXT:
        return text
    if question.kind in (Question.Kind.RATING, Question.Kind.MATRIX):
        return scale[choice] if choice is not None and choice < len(scale) else ""
    label = (
        question.options[choice] if choice is not None and choice < len(question.options) else ""
    )
    if question.kind == Question.Kind.MULTIPLE and existing:
        return f"{existing}；{label}"
    return label


def _ancestor_paths(path):
    """Every prefix of a materialized path that is a unit's path (itself included)."""
    segments = [s for s in path.split("/") if s]
    return ["".join(f"{s}/" for s in segments[: i + 1]) for i in range(len(segments))]


def _count(queryset):
    counts = queryset.order_by().annotate(one=Value(1)).values("one").annotate(n=Count("pk"))
    return Coalesce(Subquery(counts.values("n"), output_field=IntegerField()), 0)
