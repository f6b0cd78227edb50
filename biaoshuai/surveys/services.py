"""Writes for questionnaires: building, rounds, and responses (one per respondent)."""

from collections import Counter

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.notifications.services import notify
from biaoshuai.org.models import Person

from .models import Answer, Question, Response, Round, Section, Survey, Tally

QUESTIONS_LOCKED = _(
    "This questionnaire already has answers: its questions are locked and cannot be changed."
)
AUDIENCE_LOCKED = _("This questionnaire already has answers: its audience cannot be changed.")
NO_SCALE = _("The campaign defines no satisfaction scale for rating questions.")
OPTIONS_NEEDED = _("A choice question needs at least two options, one per line.")
ROWS_NEEDED = _("A matrix question needs at least one row, one per line.")
NO_OPTIONS_ALLOWED = _("Only choice questions have options; matrix questions have rows.")
SECTION_OTHER_SURVEY = _("That section belongs to another questionnaire.")
ROUND_NOT_DRAFT = _("Only a round that has not been opened can be opened.")
ROUND_NOT_OPEN = _("Only an open round can be closed.")
ROUND_NO_QUESTIONS = _("Add questions before opening a round.")
ROUND_NOT_ACCEPTING = _("This questionnaire is not open for answers.")
ALREADY_ANSWERED = _("You have already answered this questionnaire. Thank you.")
IP_CAP_REACHED = _(
    "Too many answers to this questionnaire came from your network today. "
    "Please try again tomorrow."
)
NO_SESSION = _("Please open the questionnaire page before sending your answers.")
WRONG_AUDIENCE = _("This questionnaire is not addressed to you.")
ANSWER_REQUIRED = _("This question must be answered.")
ANSWER_INVALID = _("Choose one of the options given.")
TEXT_TOO_LONG = _("Answer in at most %(max)d characters.")

TEXT_MAX_LENGTH = 2000
TALLY_KEY = ("round_id", "question_id", "row", "choice")
# Public answers allowed per round from one IP address per day: enough for a family or an
# office behind one address, too few to flood the results. Settings may change it.
PUBLIC_PER_IP_PER_DAY = 5


# Building


@transaction.atomic
def survey_create(
    *,
    campaign,
    unit,
    by,
    title,
    audience,
    description="",
    asks_unit=False,
    in_assessment=False,
):
    """A new questionnaire; its rating scale is the campaign's satisfaction scale."""
    scale = campaign.config.get("lists", {}).get("satisfaction_scale", [])
    survey = Survey(
        campaign=campaign,
        unit=unit,
        title=title,
        description=description,
        audience=audience,
        asks_unit=asks_unit and audience == Survey.Audience.PUBLIC,
        in_assessment=in_assessment,
        scale=[{"key": s["key"], "name": s["name"], "score": s["score"]} for s in scale],
    )
    survey.full_clean()
    survey.save()
    audit_record(actor=by, action="create", obj=survey)
    return survey


@transaction.atomic
def survey_update(*, survey, by, **fields):
    """Change the title, introduction, flags; the audience only while nobody has answered."""
    if survey_is_locked(survey=survey) and (
        fields.get("audience", survey.audience) != survey.audience
        or fields.get("asks_unit", survey.asks_unit) != survey.asks_unit
    ):
        raise ValidationError(AUDIENCE_LOCKED)
    changes = {}
    for name, value in fields.items():
        if getattr(survey, name) != value:
            changes[name] = [getattr(survey, name), value]
            setattr(survey, name, value)
    if survey.audience != Survey.Audience.PUBLIC:
        survey.asks_unit = False
    survey.full_clean()
    survey.save(update_fields=[*fields, "asks_unit", "updated_at"])
    audit_record(actor=by, action="update", obj=survey, changes=changes)
    return survey


def survey_is_locked(*, survey):
    """Questions lock once any round of the survey has a response."""
    return Response.objects.filter(round__survey=survey).exists()


@transaction.atomic
def section_create(*, survey, by, title, order=None):
    _refuse_if_locked(survey)
    if order is None:
        order = survey.sections.count() + 1
    section = Section(survey=survey, title=title, order=order)
    section.full_clean()
    section.save()
    audit_record(actor=by, action="create", obj=section)
    return section


@transaction.atomic
def question_create(
    *, survey, by, kind, text, required=True, options=(), rows=(), section=None, order=None
):
    """Add a question. Choice questions have options, matrix questions rows; rating and
    matrix questions are answered on the survey's satisfaction scale."""
    _refuse_if_locked(survey)
    if order is None:
        order = survey.questions.count() + 1
    question = Question(survey=survey, order=order)
    _fill_question(question, kind, text, required, options, rows, section)
    question.save()
    audit_record(actor=by, action="create", obj=question)
    return question


@transaction.atomic
def question_update(
    *, question, by, kind, text, required, options=(), rows=(), section=None, order=None
):
    _refuse_if_locked(question.survey)
    before = {"kind": question.kind, "text": question.text, "options": question.options}
    _fill_question(question, kind, text, required, options, rows, section)
    if order is not None:
        question.order = order
    question.save(update_fields=["kind", "text", "required", "options", "rows", "section", "order"])
    audit_record(actor=by, action="update", obj=question, changes={"before": before})
    return question


@transaction.atomic
def question_delete(*, question, by):
    _refuse_if_locked(question.survey)
    audit_record(actor=by, action="delete", obj=question)
    question.delete()


def _fill_question(question, kind, text, required, options, rows, section):
    options = [o.strip() for o in options if o and o.strip()]
    rows = [r.strip() for r in rows if r and r.strip()]
    if kind in (Question.Kind.SINGLE, Question.Kind.MULTIPLE):
        if len(options) < 2:
            raise ValidationError({"options": OPTIONS_NEEDED})
        rows = []
    elif kind == Question.Kind.MATRIX:
        if not rows:
            raise ValidationError({"rows": ROWS_NEEDED})
        if options:
            raise ValidationError({"options": NO_OPTIONS_ALLOWED})
    else:
        options, rows = [], []
    if kind in (Question.Kind.RATING, Question.Kind.MATRIX) and not question.survey.scale:
        raise ValidationError(NO_SCALE)
    if section is not None and section.survey_id != question.survey_id:
        raise ValidationError({"section": SECTION_OTHER_SURVEY})
    question.kind, question.text, question.required = kind, text.strip(), required
    question.options, question.rows, question.section = options, rows, section
    question.full_clean()


def _refuse_if_locked(survey):
    if survey_is_locked(survey=survey):
        raise ValidationError(QUESTIONS_LOCKED)


# Rounds


@transaction.atomic
def round_create(*, survey, by, name, starts_on, ends_on):
    """A new round of the survey (same questions), not yet open."""
    survey_round = Round(survey=survey, name=name, starts_on=starts_on, ends_on=ends_on)
    survey_round.full_clean()
    if ends_on < starts_on:
        raise ValidationError({"ends_on": _("The closing date is before the opening date.")})
    survey_round.save()
    audit_record(actor=by, action="create", obj=survey_round)
    return survey_round


@transaction.atomic
def round_open(*, survey_round, by):
    """Not opened → open: answers are accepted from its opening to its closing date."""
    if survey_round.state != Round.State.DRAFT:
        raise ValidationError(ROUND_NOT_DRAFT)
    if not survey_round.survey.questions.exists():
        raise ValidationError(ROUND_NO_QUESTIONS)
    survey_round.state = Round.State.OPEN
    survey_round.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action="open", obj=survey_round)
    survey = survey_round.survey
    if survey.audience == Survey.Audience.CADRES:
        audience = Person.objects.filter(
            is_active=True, user__isnull=False, unit__path__startswith=survey.unit.path
        ).values_list("user_id", flat=True)
        notify(
            recipients=list(audience),
            kind="surveys.round_open",
            text=_("Questionnaire open until %(ends)s: %(title)s")
            % {"ends": survey_round.ends_on, "title": survey.title[:150]},
            url=reverse("surveys:answer", args=[survey_round.pk]),
            actor=by,
            campaign=survey.campaign,
        )
    return survey_round


@transaction.atomic
def round_close(*, survey_round, by):
    if survey_round.state != Round.State.OPEN:
        raise ValidationError(ROUND_NOT_OPEN)
    survey_round.state = Round.State.CLOSED
    survey_round.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action="close", obj=survey_round)
    return survey_round


# Responses


def respondent_key_for_person(*, survey_round, person):
    return _keyed("respondent", f"{survey_round.pk}:person:{person.pk}")


def respondent_key_for_session(*, survey_round, session_key):
    return _keyed("respondent", f"{survey_round.pk}:session:{session_key}")


def ip_key_for(*, survey_round, ip, day=None):
    day = day or timezone.localdate()
    return _keyed("ip", f"{survey_round.pk}:{ip}:{day.isoformat()}")


def has_answered(*, survey_round, person):
    key = respondent_key_for_person(survey_round=survey_round, person=person)
    return Response.objects.filter(round=survey_round, respondent_key=key).exists()


@transaction.atomic
def response_submit_cadre(*, survey_round, person, answers, now=None):
    """A cadre's answers: one response per cadre and round. Only the cadre's unit is kept
    with the answers, never who gave them."""
    survey = survey_round.survey
    if survey.audience != Survey.Audience.CADRES or not person.unit.path.startswith(
        survey.unit.path
    ):
        raise ValidationError(WRONG_AUDIENCE)
    key = respondent_key_for_person(survey_round=survey_round, person=person)
    return _response_create(survey_round, key, "", person.unit, answers, now)


@transaction.atomic
def response_submit_public(*, survey_round, session_key, ip, answers, unit=None, now=None):
    """A member of the public's answers: one per browser session and round, and at most
    PUBLIC_PER_IP_PER_DAY per round from one address a day (addresses kept only hashed)."""
    survey = survey_round.survey
    if survey.audience != Survey.Audience.PUBLIC:
        raise ValidationError(WRONG_AUDIENCE)
    if not session_key:
        raise ValidationError(NO_SESSION)
    key = respondent_key_for_session(survey_round=survey_round, session_key=session_key)
    ip_key = ip_key_for(survey_round=survey_round, ip=ip or "") if ip else ""
    if ip_key:
        # The count and the insert are one step for every worker and machine: the round's
        # row is locked until commit (PostgreSQL; SQLite's IMMEDIATE transactions already
        # take turns), so two answers sent at once cannot both pass at cap - 1.
        list(Round.objects.select_for_update().filter(pk=survey_round.pk).values_list("pk"))
        cap = getattr(settings, "SURVEYS_PUBLIC_PER_IP_PER_DAY", PUBLIC_PER_IP_PER_DAY)
        if Response.objects.filter(round=survey_round, ip_key=ip_key).count() >= cap:
            if not Response.objects.filter(round=survey_round, respondent_key=key).exists():
                raise ValidationError(IP_CAP_REACHED)
    return _response_create(
        survey_round, key, ip_key, unit if survey.asks_unit else None, answers, now
    )


def _response_create(survey_round, key, ip_key, unit, answers, now):
    # `now` records answers given earlier (e.g. paper questionnaires entered afterwards):
    # the round must have been open on that day.
    day = timezone.localdate(now) if now is not None else None
    if not survey_round.accepting(day):
        raise ValidationError(ROUND_NOT_ACCEPTING)
    if Response.objects.filter(round=survey_round, respondent_key=key).exists():
        raise ValidationError(ALREADY_ANSWERED)
    questions = list(survey_round.survey.questions.all())
    rows = clean_answers(survey=survey_round.survey, questions=questions, answers=answers)
    try:
        with transaction.atomic():
            response = Response.objects.create(
                round=survey_round,
                respondent_key=key,
                ip_key=ip_key,
                unit=unit,
                submitted_at=now or timezone.now(),
            )
    except IntegrityError as exc:  # the same respondent in a second tab, at the same moment
        raise ValidationError(ALREADY_ANSWERED) from exc
    Answer.objects.bulk_create(
        Answer(response=response, round=survey_round, unit=unit, **row) for row in rows
    )
    _tally_add(survey_round, rows)
    return response


def _tally_add(survey_round, rows):
    """Add one response's answers to the round's tallies (an upsert per count)."""
    counts = Counter(
        (r["question"].pk, r["row"], r["choice"]) for r in rows if r["choice"] is not None
    )
    for question_id in {r["question"].pk for r in rows}:
        counts[(question_id, 0, Tally.ANSWERED)] += 1
    q = connection.ops.quote_name
    table, key = q(Tally._meta.db_table), ", ".join(q(c) for c in TALLY_KEY)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {table} ({key}, {q('n')}) VALUES (%s, %s, %s, %s, %s) "
            f"ON CONFLICT ({key}) DO UPDATE SET {q('n')} = {table}.{q('n')} + excluded.{q('n')}",
            [(survey_round.pk, qid, row, choice, n) for (qid, row, choice), n in counts.items()],
        )
    Round.objects.filter(pk=survey_round.pk).update(response_total=F("response_total") + 1)


@transaction.atomic
def tally_rebuild(*, survey_round):
    """Recompute a round's tallies and response count from its answers (GROUP BY), e.g.
    after answers were loaded in bulk."""
    answers = Answer.objects.filter(round=survey_round).order_by()
    Tally.objects.filter(round=survey_round).delete()
    rows = [
        Tally(
            round=survey_round,
            question_id=t["question_id"],
            row=t["row"],
            choice=t["choice"],
            n=t["n"],
        )
        for t in answers.exclude(choice=None)
        .values("question_id", "row", "choice")
        .annotate(n=Count("id"))
    ]
    rows += [
        Tally(
            round=survey_round, question_id=t["question_id"], row=0, choice=Tally.ANSWERED, n=t["n"]
        )
        for t in answers.values("question_id").annotate(n=Count("response_id", distinct=True))
    ]
    Tally.objects.bulk_create(rows, batch_size=1000)
    survey_round.response_total = Response.objects.filter(round=survey_round).count()
    survey_round.save(update_fields=["response_total"])
    return survey_round


def clean_answers(*, survey, questions, answers):
    """Answer rows {question, row, choice, score, text} from {question id: value}, or a
    ValidationError {"q<id>": message} for each question answered wrongly.

    Values: single and rating, an index; multiple, a list of indexes; matrix, {row index:
    scale index}; text, a string.
    """
    scores = [s["score"] for s in survey.scale]
    rows, errors = [], {}
    for question in questions:
        value = answers.get(question.pk, answers.get(str(question.pk)))
        try:
            rows += _answer_rows(question, value, scores)
        except ValidationError as exc:
            errors[f"q{question.pk}"] = exc.messages[0]
    if errors:
        raise ValidationError(errors)
    return rows


def _answer_rows(question, value, scores):
    kind = question.Kind
    empty = value in (None, "", [], {}) or (
        question.kind == kind.MATRIX and not any(v not in (None, "") for v in value.values())
    )
    if empty:
        if question.required:
            raise ValidationError(ANSWER_REQUIRED)
        return []
    if question.kind == kind.TEXT:
        text = str(value).strip()
        if not text:
            if question.required:
                raise ValidationError(ANSWER_REQUIRED)
            return []
        if len(text) > TEXT_MAX_LENGTH:
            raise ValidationError(TEXT_TOO_LONG, params={"max": TEXT_MAX_LENGTH})
        return [{"question": question, "row": 0, "choice": None, "score": None, "text": text}]
    if question.kind == kind.SINGLE:
        index = _index(value, len(question.options))
        return [{"question": question, "row": 0, "choice": index, "score": None, "text": ""}]
    if question.kind == kind.MULTIPLE:
        indexes = sorted({_index(v, len(question.options)) for v in value})
        return [
            {"question": question, "row": 0, "choice": i, "score": None, "text": ""}
            for i in indexes
        ]
    if question.kind == kind.RATING:
        index = _index(value, len(scores))
        return [
            {"question": question, "row": 0, "choice": index, "score": scores[index], "text": ""}
        ]
    rows = []
    for row, choice in value.items():
        row = _index(row, len(question.rows))
        if choice in (None, ""):
            if question.required:
                raise ValidationError(ANSWER_REQUIRED)
            continue
        index = _index(choice, len(scores))
        rows.append(
            {"question": question, "row": row, "choice": index, "score": scores[index], "text": ""}
        )
    if question.required and len(rows) < len(question.rows):
        raise ValidationError(ANSWER_REQUIRED)
    return rows


def _index(value, size):
    try:
        index = int(value)
    except (TypeError, ValueError) as exc:
        raise ValidationError(ANSWER_INVALID) from exc
    if not 0 <= index < size:
        raise ValidationError(ANSWER_INVALID)
    return index


def _keyed(purpose, value):
    """HMAC-SHA256 keyed by a salt derived from SECRET_KEY: stable, not reversible."""
    return salted_hmac(f"biaoshuai.surveys.{purpose}", value, algorithm="sha256").hexdigest()


def response_exists_for_session(*, survey_round, session_key):
    key = respondent_key_for_session(survey_round=survey_round, session_key=session_key)
    return Response.objects.filter(round=survey_round, respondent_key=key).exists()
