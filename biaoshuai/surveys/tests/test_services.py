import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from biaoshuai.surveys import selectors, services
from biaoshuai.surveys.models import Answer, Question, Response

from .factories import answers_for, survey_with_questions


def test_cadre_answers_once(cadre_survey, org):
    person = org.people["lishi_a"]
    response = services.response_submit_cadre(
        survey_round=cadre_survey.round, person=person, answers=answers_for(cadre_survey)
    )
    assert response.unit == org.lishi
    assert services.has_answered(survey_round=cadre_survey.round, person=person)
    with pytest.raises(ValidationError) as exc:
        services.response_submit_cadre(
            survey_round=cadre_survey.round, person=person, answers=answers_for(cadre_survey)
        )
    assert exc.value.messages == [str(services.ALREADY_ANSWERED)]
    assert Response.objects.count() == 1
    # nothing names the cadre: the key is a keyed hash, not their id
    assert str(person.pk) not in response.respondent_key or len(response.respondent_key) == 64
    assert not hasattr(response, "person")


def test_public_one_per_session_and_ip_cap(public_survey, org):
    survey_round = public_survey.round
    answers = answers_for(public_survey)
    first = services.response_submit_public(
        survey_round=survey_round,
        session_key="s1",
        ip="10.0.0.1",
        answers=answers,
        unit=org.lishi,
    )
    assert first.unit == org.lishi
    assert "10.0.0.1" not in first.ip_key and len(first.ip_key) == 64
    with pytest.raises(ValidationError) as exc:
        services.response_submit_public(
            survey_round=survey_round, session_key="s1", ip="10.0.0.9", answers=answers
        )
    assert exc.value.messages == [str(services.ALREADY_ANSWERED)]
    with override_settings(SURVEYS_PUBLIC_PER_IP_PER_DAY=2):
        services.response_submit_public(
            survey_round=survey_round, session_key="s2", ip="10.0.0.1", answers=answers
        )
        with pytest.raises(ValidationError) as exc:
            services.response_submit_public(
                survey_round=survey_round, session_key="s3", ip="10.0.0.1", answers=answers
            )
        assert exc.value.messages == [str(services.IP_CAP_REACHED)]
        # another address is fine, and tomorrow the same address is counted afresh
        services.response_submit_public(
            survey_round=survey_round, session_key="s4", ip="10.0.0.2", answers=answers
        )
    assert services.ip_key_for(survey_round=survey_round, ip="10.0.0.1") != services.ip_key_for(
        survey_round=survey_round, ip="10.0.0.1", day=datetime.date.today() + datetime.timedelta(1)
    )
    with pytest.raises(ValidationError) as exc:
        services.response_submit_public(
            survey_round=survey_round, session_key="", ip="10.0.0.3", answers=answers
        )
    assert exc.value.messages == [str(services.NO_SESSION)]


def test_default_ip_cap(public_survey):
    answers = answers_for(public_survey)
    for n in range(services.PUBLIC_PER_IP_PER_DAY):
        services.response_submit_public(
            survey_round=public_survey.round, session_key=f"s{n}", ip="10.1.1.1", answers=answers
        )
    with pytest.raises(ValidationError):
        services.response_submit_public(
            survey_round=public_survey.round, session_key="late", ip="10.1.1.1", answers=answers
        )


def test_wrong_audience_and_closed_round(cadre_survey, public_survey, org):
    with pytest.raises(ValidationError):
        services.response_submit_public(
            survey_round=cadre_survey.round,
            session_key="s",
            ip="1.1.1.1",
            answers=answers_for(cadre_survey),
        )
    with pytest.raises(ValidationError):
        services.response_submit_cadre(
            survey_round=public_survey.round,
            person=org.people["lishi_a"],
            answers=answers_for(public_survey),
        )
    services.round_close(survey_round=cadre_survey.round, by=None)
    with pytest.raises(ValidationError) as exc:
        services.response_submit_cadre(
            survey_round=cadre_survey.round,
            person=org.people["lishi_a"],
            answers=answers_for(cadre_survey),
        )
    assert exc.value.messages == [str(services.ROUND_NOT_ACCEPTING)]


def test_unit_survey_reaches_only_its_subtree(campaign, org):
    survey = survey_with_questions(campaign=campaign, unit=org.zengji, audience="cadres")
    with pytest.raises(ValidationError):
        services.response_submit_cadre(
            survey_round=survey.round, person=org.people["lishi_a"], answers=answers_for(survey)
        )
    assert selectors.open_rounds_for_cadre(person=org.people["lishi_a"]) == []
    assert [r.pk for r in selectors.open_rounds_for_cadre(person=org.people["zengji_a"])] == [
        survey.round.pk
    ]


def test_required_and_invalid_answers(cadre_survey, org):
    answers = answers_for(cadre_survey)
    answers[cadre_survey.q_single.pk] = None
    answers[cadre_survey.q_rating.pk] = 9
    answers[cadre_survey.q_matrix.pk] = {0: 1}
    with pytest.raises(ValidationError) as exc:
        services.response_submit_cadre(
            survey_round=cadre_survey.round, person=org.people["lishi_a"], answers=answers
        )
    errors = exc.value.message_dict
    assert errors[f"q{cadre_survey.q_single.pk}"] == [str(services.ANSWER_REQUIRED)]
    assert errors[f"q{cadre_survey.q_rating.pk}"] == [str(services.ANSWER_INVALID)]
    assert errors[f"q{cadre_survey.q_matrix.pk}"] == [str(services.ANSWER_REQUIRED)]
    assert not Response.objects.exists()


def test_questions_lock_once_answered(cadre_survey, org):
    question = cadre_survey.q_single
    services.question_update(
        question=question,
        by=None,
        kind=Question.Kind.SINGLE,
        text="您的身份是",
        required=True,
        options=["党员干部", "普通群众", "其他"],
    )
    services.response_submit_cadre(
        survey_round=cadre_survey.round,
        person=org.people["lishi_a"],
        answers=answers_for(cadre_survey),
    )
    for attempt in (
        lambda: services.question_update(
            question=question,
            by=None,
            kind=Question.Kind.SINGLE,
            text="改",
            required=True,
            options=["a", "b"],
        ),
        lambda: services.question_delete(question=question, by=None),
        lambda: services.question_create(
            survey=cadre_survey, by=None, kind=Question.Kind.TEXT, text="新题"
        ),
        lambda: services.section_create(survey=cadre_survey, by=None, title="新部分"),
    ):
        with pytest.raises(ValidationError) as exc:
            attempt()
        assert exc.value.messages == [str(services.QUESTIONS_LOCKED)]
    with pytest.raises(ValidationError):
        services.survey_update(survey=cadre_survey, by=None, audience="public")
    services.survey_update(survey=cadre_survey, by=None, title="新标题")


def test_question_validation(cadre_survey):
    with pytest.raises(ValidationError):
        services.question_create(
            survey=cadre_survey, by=None, kind=Question.Kind.SINGLE, text="x", options=["only"]
        )
    with pytest.raises(ValidationError):
        services.question_create(survey=cadre_survey, by=None, kind=Question.Kind.MATRIX, text="x")


def _fixed_dataset(survey, org):
    """Ten responses with known ratings: 很满意×4, 满意×3, 基本满意×2, 不满意×1."""
    people = list(org.people.values())
    ratings = [0, 0, 0, 0, 1, 1, 1, 2, 2, 4]
    for n, rating in enumerate(ratings):
        answers = answers_for(
            survey,
            single=n % 3,
            multiple=(0,) if n < 5 else (0, 2),
            rating=rating,
            matrix=(0, 3) if n < 5 else (1, 4),
            text="多下基层" if n < 2 else "",
        )
        if n < len(people):
            services.response_submit_cadre(
                survey_round=survey.round, person=people[n], answers=answers
            )
        else:
            services.response_submit_public(
                survey_round=survey.round,
                session_key=f"s{n}",
                ip=f"10.0.0.{n}",
                answers=answers,
            ) if survey.audience == "public" else _extra(survey, n, answers)


def _extra(survey, n, answers):
    from biaoshuai.org.models import Person
    from biaoshuai.org.services import person_create

    unit = survey.unit
    person = Person.objects.filter(name=f"测试{n}").first() or person_create(
        by=None, unit=unit, name=f"测试{n}"
    )
    services.response_submit_cadre(survey_round=survey.round, person=person, answers=answers)


def test_satisfaction_index_exact(cadre_survey, org, django_assert_num_queries):
    _fixed_dataset(cadre_survey, org)
    survey_round = cadre_survey.round
    survey_round = type(survey_round).objects.select_related("survey").get(pk=survey_round.pk)
    with django_assert_num_queries(2):
        results = selectors.round_results(survey_round=survey_round)
    by_question = {r["question"].pk: r for r in results["questions"]}
    rating = by_question[cadre_survey.q_rating.pk]
    # (4×100 + 3×80 + 2×60 + 1×0) / 10 = 76
    assert rating["index"] == 76.0
    assert [o["count"] for o in rating["options"]] == [4, 3, 2, 0, 1]
    assert rating["options"][0]["percent"] == 40.0
    matrix = by_question[cadre_survey.q_matrix.pk]
    # row 1: 5×100 + 5×80 → 90; row 2: 5×30 + 5×0 → 15; question: 1050/20 = 52.5
    assert [r["index"] for r in matrix["rows"]] == [90.0, 15.0]
    assert matrix["index"] == 52.5
    # survey: (760 + 1050) / 30 answers
    assert results["index"] == pytest.approx(1810 / 30)
    multiple = by_question[cadre_survey.q_multiple.pk]
    assert multiple["answered"] == 10
    assert [o["count"] for o in multiple["options"]] == [10, 0, 5, 0]
    assert multiple["options"][2]["percent"] == 50.0
    single = by_question[cadre_survey.q_single.pk]
    assert [o["count"] for o in single["options"]] == [4, 3, 3]
    assert by_question[cadre_survey.q_text.pk]["texts"] == 2
    assert results["responses"] == 10
    assert Answer.objects.filter(round=survey_round).count() == 10 * 5 + 5 + 2


def test_metric_and_by_unit(cadre_survey, org, campaign):
    _fixed_dataset(cadre_survey, org)
    round_ids = selectors.index_rounds(campaign=campaign)
    assert round_ids == [cadre_survey.round.pk]
    # all 30 rating answers: 1810/30
    assert selectors.satisfaction_index(round_ids=round_ids) == pytest.approx(1810 / 30)
    by_unit = selectors.satisfaction_index_by_unit(
        round_ids=round_ids, unit_ids=[org.lishi.pk, org.zengji.pk, org.department.pk]
    )
    # 李市镇 subtree: responses 0 (王建国) and 1 (李秀英): ratings 100,100; matrix 100,30 ×2
    assert by_unit[org.lishi.pk] == pytest.approx((100 + 100 + 100 + 30 + 100 + 30) / 6)
    assert by_unit[org.department.pk] == pytest.approx(1810 / 30)


def test_rounds_compared(campaign, org):
    survey = survey_with_questions(campaign=campaign, unit=org.department, audience="public")
    today = datetime.date.today()
    last = services.round_create(
        survey=survey,
        by=None,
        name="去年",
        starts_on=today - datetime.timedelta(days=10),
        ends_on=today,
    )
    services.round_open(survey_round=last, by=None)
    for n, rating in enumerate([2, 3]):  # 60, 30 → 45
        services.response_submit_public(
            survey_round=last,
            session_key=f"old{n}",
            ip="10.0.0.1",
            answers=answers_for(survey, rating=rating, matrix=(0, 0)),
        )
    for n, rating in enumerate([0, 1]):  # 100, 80 → 90
        services.response_submit_public(
            survey_round=survey.round,
            session_key=f"s{n}",
            ip="10.0.0.1",
            answers=answers_for(survey, rating=rating, matrix=(0, 0)),
        )
    comparison = selectors.survey_comparison(survey=survey)
    assert [r["round"].name for r in comparison["rounds"]] == ["去年", survey.round.name]
    rating_row = next(q for q in comparison["questions"] if q["question"] == survey.q_rating)
    assert [res["index"] for _r, res in rating_row["rounds"]] == [45.0, 90.0]
    # with the matrix rows (100 each): (60 + 30 + 400) / 6 and (100 + 80 + 400) / 6
    assert comparison["rounds"][0]["index"] == pytest.approx(490 / 6)
    assert comparison["rounds"][1]["index"] == pytest.approx(580 / 6)
    assert comparison["rounds"][1]["change"] == pytest.approx(15.0)
    assert comparison["rounds"][0]["change"] is None


def test_tallies_match_a_rebuild_from_the_answers(cadre_survey, org):
    from biaoshuai.surveys.models import Tally

    _fixed_dataset(cadre_survey, org)
    survey_round = cadre_survey.round

    def snapshot():
        return sorted(
            Tally.objects.filter(round=survey_round).values_list(
                "question_id", "row", "choice", "n"
            )
        )

    kept = snapshot()
    survey_round.refresh_from_db()
    assert survey_round.response_total == 10
    services.tally_rebuild(survey_round=survey_round)
    assert snapshot() == kept
    assert survey_round.response_total == 10
