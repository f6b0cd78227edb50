"""Writes for self-checks and democratic appraisals: one service per transition."""

import math

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.notifications.services import notify
from biaoshuai.org.models import Person

from . import selectors
from .models import (
    Appraisal,
    Participant,
    PeerAssessment,
    SelfCheck,
    SelfCheckFinding,
    self_rating_choices,
)

SELF_CHECK_SUBMITTED = _("This self-check has been submitted and can no longer be changed.")
SELF_CHECK_NOT_SUBMITTED = _("Only a submitted self-check can be returned.")
SELF_CHECK_RETURN_REASON = _("Say what the cadre should complete.")
SELF_CHECK_UNKNOWN_ITEM = _("Unknown self-check item: %(key)s.")
SELF_CHECK_BAD_RATING = _("Choose a rating for every entry of “%(item)s”.")
SELF_CHECK_INCOMPLETE = _("Rate yourself on every entry before submitting.")
SELF_CHECK_NO_FINDINGS = _("Name at least one problem of your own before submitting.")
SELF_CHECK_UNKNOWN_DIMENSION = _("Unknown problem dimension: %(key)s.")
FINDING_TOO_LONG = _("A problem is described in at most %(max)d characters.")

APPRAISAL_EXISTS = _("This unit already has a democratic appraisal for that period.")
APPRAISAL_NO_CADRES = _("The unit has no cadres in post to appraise.")
APPRAISAL_NOT_OPEN = _("Self- and peer assessment of this appraisal are closed.")
APPRAISAL_NO_BALLOTS = _(
    "No cadre has handed in a peer ballot yet: the assessment cannot be closed without any."
)
APPRAISAL_INCOMPLETE = _(
    "%(voters)s of %(total)s cadres have handed in a peer ballot and %(selves)s of %(total)s "
    "have written a self-assessment. Confirm to close the assessment all the same."
)
APPRAISAL_NOT_GRADING = _("Grades can be proposed only after assessment is closed.")
APPRAISAL_ALREADY_PUBLISHED = _("The results of this appraisal are already published.")
APPRAISAL_UNGRADED = _("Give every participant a grade before publishing the results.")
PEER_ALREADY_VOTED = _("You have already handed in your peer assessment; it cannot be repeated.")
PEER_NOT_PARTICIPANT = _("Only the cadres appraised can assess their colleagues.")
PEER_INCOMPLETE = _("Give every colleague a grade.")
UNKNOWN_GRADE = _("Unknown grade: %(key)s.")
GRADE_SHARE_EXCEEDED = _(
    "No more than %(share)s of those graded may be graded “%(grade)s” (at most %(max)d this time)."
)

FINDING_MAX_LENGTH = 500


# Self-check


@transaction.atomic
def self_check_save(*, person, campaign, by, answers, findings, submit=False):
    """Create or update the cadre's self-check draft; with `submit`, submit it too.

    `answers` is {self_check_items key: [SelfRating per reference entry]}; `findings` is
    {problem_dimensions key: [problem text] or a text with one problem per line}.
    """
    check = SelfCheck.objects.select_for_update().filter(person=person, campaign=campaign).first()
    created = check is None
    if created:
        check = SelfCheck(person=person, campaign=campaign, unit=person.unit)
    elif check.state == SelfCheck.State.SUBMITTED:
        raise ValidationError(SELF_CHECK_SUBMITTED)
    check.ratings = _clean_ratings(campaign, answers or {})
    rows = _clean_findings(campaign, findings or {})
    check.full_clean()
    check.save()
    check.findings.all().delete()
    SelfCheckFinding.objects.bulk_create(
        SelfCheckFinding(self_check=check, dimension=dim, text=text, order=index)
        for index, (dim, text) in enumerate(rows)
    )
    audit_record(
        actor=by,
        action="create" if created else "update",
        obj=check,
        changes={"findings": len(rows)},
    )
    if submit:
        self_check_submit(self_check=check, by=by)
    return check


@transaction.atomic
def self_check_submit(*, self_check, by):
    """Draft → submitted, once every entry is rated and at least one problem named."""
    if self_check.state != SelfCheck.State.DRAFT:
        raise ValidationError(SELF_CHECK_SUBMITTED)
    items = selectors.self_check_form_items(campaign=self_check.campaign)
    for item in items:
        ratings = self_check.ratings.get(item["key"], [])
        if len(ratings) != len(item["entries"]) or not all(ratings):
            raise ValidationError(SELF_CHECK_INCOMPLETE)
    if not self_check.findings.exists():
        raise ValidationError(SELF_CHECK_NO_FINDINGS)
    self_check.state = SelfCheck.State.SUBMITTED
    self_check.submitted_at = timezone.now()
    self_check.full_clean()
    self_check.return_reason = ""
    self_check.save(update_fields=["state", "submitted_at", "return_reason", "updated_at"])
    audit_record(actor=by, action="submit", obj=self_check)
    return self_check


@transaction.atomic
def self_check_return(*, self_check, by, note=""):
    """Submitted → draft: the unit sends a self-check back to be completed."""
    if self_check.state != SelfCheck.State.SUBMITTED:
        raise ValidationError(SELF_CHECK_NOT_SUBMITTED)
    if not (note or "").strip():
        raise ValidationError({"note": SELF_CHECK_RETURN_REASON})
    self_check.state = SelfCheck.State.DRAFT
    self_check.submitted_at = None
    self_check.return_reason = note.strip()
    self_check.save(update_fields=["state", "submitted_at", "return_reason", "updated_at"])
    audit_record(actor=by, action="return", obj=self_check, note=note)
    notify(
        recipients=[self_check.person.user_id],
        kind="appraisal.self_check",
        text=_("Your self-check was sent back to be completed: %(reason)s")
        % {"reason": self_check.return_reason[:150]},
        url=reverse("appraisal:self_check_mine"),
        actor=by,
        campaign=self_check.campaign,
    )
    return self_check


def _clean_ratings(campaign, answers):
    items = {i["key"]: i for i in selectors.self_check_form_items(campaign=campaign)}
    valid = {key for key, _name in self_rating_choices(campaign)}
    cleaned = {}
    for key, ratings in answers.items():
        if key not in items:
            raise ValidationError(SELF_CHECK_UNKNOWN_ITEM, params={"key": key})
        ratings = list(ratings or [])
        if len(ratings) > len(items[key]["entries"]) or any(r and r not in valid for r in ratings):
            raise ValidationError(SELF_CHECK_BAD_RATING, params={"item": items[key]["name"]})
        ratings += [""] * (len(items[key]["entries"]) - len(ratings))
        cleaned[key] = [r or "" for r in ratings]
    return cleaned


def _clean_findings(campaign, findings):
    dimensions = dict(selectors.problem_dimensions(campaign=campaign))
    rows = []
    for dimension in dimensions:  # in the template's order
        texts = findings.get(dimension) or []
        if isinstance(texts, str):
            texts = texts.splitlines()
        for text in texts:
            text = " ".join(text.split())
            if not text:
                continue
            if len(text) > FINDING_MAX_LENGTH:
                raise ValidationError(FINDING_TOO_LONG, params={"max": FINDING_MAX_LENGTH})
            rows.append((dimension, text))
    unknown = set(findings) - set(dimensions)
    if unknown:
        raise ValidationError(SELF_CHECK_UNKNOWN_DIMENSION, params={"key": sorted(unknown)[0]})
    return rows


# Democratic appraisal


@transaction.atomic
def appraisal_create(*, campaign, unit, period, by):
    """Open a democratic appraisal of `unit` for `period`: every cadre in post of the unit
    and its sub-units takes part."""
    if Appraisal.objects.filter(campaign=campaign, unit=unit, period=period).exists():
        raise ValidationError(APPRAISAL_EXISTS)
    people = list(Person.objects.filter(is_active=True, unit__path__subtree=unit.path))
    if not people:
        raise ValidationError(APPRAISAL_NO_CADRES)
    appraisal = Appraisal(campaign=campaign, unit=unit, period=period)
    appraisal.full_clean()
    appraisal.save()
    Participant.objects.bulk_create(Participant(appraisal=appraisal, person=p) for p in people)
    audit_record(actor=by, action="create", obj=appraisal, changes={"participants": len(people)})
    notify(
        recipients=[p.user_id for p in people if p.user_id],
        kind="appraisal.ballot",
        text=_("Democratic appraisal of %(unit)s is open: assess yourself and your colleagues")
        % {"unit": unit.name},
        url=reverse("appraisal:my_appraisal", args=[appraisal.pk]),
        actor=by,
        campaign=campaign,
    )
    return appraisal


@transaction.atomic
def appraisal_self_assess(*, participant, by, text, grade=""):
    """The participant's own assessment (and the grade they think fits), while open."""
    appraisal = participant.appraisal
    if appraisal.state != Appraisal.State.OPEN:
        raise ValidationError(APPRAISAL_NOT_OPEN)
    _check_grade(appraisal.campaign, grade, allow_blank=True)
    participant.self_assessment = text.strip()
    participant.self_grade = grade
    participant.self_assessed_at = timezone.now()
    participant.full_clean()
    participant.save(
        update_fields=["self_assessment", "self_grade", "self_assessed_at", "updated_at"]
    )
    audit_record(actor=by, action="self_assess", obj=participant)
    return participant


@transaction.atomic
def peer_ballot_submit(*, appraisal, assessor, grades, by):
    """One cadre's grades for every colleague in the appraisal, handed in once.

    `grades` is {participant id: grade key}. The ballot is recorded without any link the
    assessed can see; the audit event names the appraisal, not the grades.
    """
    if appraisal.state != Appraisal.State.OPEN:
        raise ValidationError(APPRAISAL_NOT_OPEN)
    me = Participant.objects.filter(appraisal=appraisal, person=assessor).first()
    if me is None:
        raise ValidationError(PEER_NOT_PARTICIPANT)
    if selectors.has_voted(appraisal=appraisal, person=assessor):
        raise ValidationError(PEER_ALREADY_VOTED)
    targets = list(selectors.peer_ballot_targets(participant=me))
    grades = {int(k): v for k, v in grades.items() if v}
    if {t.pk for t in targets} - set(grades):
        raise ValidationError(PEER_INCOMPLETE)
    for key in grades.values():
        _check_grade(appraisal.campaign, key)
    try:
        with transaction.atomic():
            PeerAssessment.objects.bulk_create(
                PeerAssessment(participant=t, assessor=assessor, grade=grades[t.pk])
                for t in targets
            )
    except IntegrityError as exc:  # a second ballot racing the first
        raise ValidationError(PEER_ALREADY_VOTED) from exc
    audit_record(actor=by, action="peer_assess", obj=appraisal, note=str(len(targets)))
    return len(targets)


@transaction.atomic
def appraisal_close_assessment(*, appraisal, by, confirm_incomplete=False):
    """Assessing → grading: no more self or peer assessments.

    Never without a single peer ballot; with ballots or self-assessments missing, only
    when the closer confirms, having been told how many are in."""
    if appraisal.state != Appraisal.State.OPEN:
        raise ValidationError(APPRAISAL_NOT_OPEN)
    progress = selectors.appraisal_progress(appraisal=appraisal)
    if progress["voters"] == 0:
        raise ValidationError(APPRAISAL_NO_BALLOTS, code="no_ballots")
    if not progress["complete"] and not confirm_incomplete:
        raise ValidationError(APPRAISAL_INCOMPLETE, code="incomplete", params=progress)
    appraisal.state = Appraisal.State.GRADING
    appraisal.save(update_fields=["state", "updated_at"])
    audit_record(actor=by, action="close_assessment", obj=appraisal)
    return appraisal


@transaction.atomic
def appraisal_grades_set(*, appraisal, by, grades):
    """The unit's proposed grades ({participant id: grade key or ""}), within each grade's
    maximum share of those graded (优秀 at most one third, rounded down)."""
    if appraisal.state == Appraisal.State.PUBLISHED:
        raise ValidationError(APPRAISAL_ALREADY_PUBLISHED)
    if appraisal.state != Appraisal.State.GRADING:
        raise ValidationError(APPRAISAL_NOT_GRADING)
    participants = {p.pk: p for p in Participant.objects.filter(appraisal=appraisal)}
    proposed = {pk: p.grade for pk, p in participants.items()}
    for pk, key in grades.items():
        pk = int(pk)
        if pk in participants:
            _check_grade(appraisal.campaign, key, allow_blank=True)
            proposed[pk] = key
    grade_share_check(campaign=appraisal.campaign, grades=list(proposed.values()))
    now = timezone.now()
    changed = []
    for pk, participant in participants.items():
        if participant.grade != proposed[pk]:
            participant.grade = proposed[pk]
            participant.graded_at = now if proposed[pk] else None
            changed.append(participant)
    Participant.objects.bulk_update(changed, ["grade", "graded_at", "updated_at"])
    audit_record(actor=by, action="grade", obj=appraisal, changes={"graded": len(changed)})
    return appraisal


def grade_share_check(*, campaign, grades):
    """Refuse when a grade with a `max_share` exceeds it: the limit is the share of those
    graded, rounded down (3 graded → 1, 4 → 1, 6 → 2)."""
    graded = [g for g in grades if g]
    names = dict(selectors.grade_choices(campaign=campaign))
    for key, share in selectors.grade_limits(campaign=campaign).items():
        limit = math.floor(len(graded) * share)
        if graded.count(key) > limit:
            raise ValidationError(
                GRADE_SHARE_EXCEEDED,
                params={"grade": names.get(key, key), "share": share_label(share), "max": limit},
            )


@transaction.atomic
def appraisal_publish(*, appraisal, by):
    """Grading → published: every participant graded; each cadre then sees their result."""
    if appraisal.state == Appraisal.State.PUBLISHED:
        raise ValidationError(APPRAISAL_ALREADY_PUBLISHED)
    if appraisal.state != Appraisal.State.GRADING:
        raise ValidationError(APPRAISAL_NOT_GRADING)
    grades = list(Participant.objects.filter(appraisal=appraisal).values_list("grade", flat=True))
    if not all(grades):
        raise ValidationError(APPRAISAL_UNGRADED)
    grade_share_check(campaign=appraisal.campaign, grades=grades)
    appraisal.state = Appraisal.State.PUBLISHED
    appraisal.published_at = timezone.now()
    appraisal.save(update_fields=["state", "published_at", "updated_at"])
    audit_record(actor=by, action="publish", obj=appraisal)
    return appraisal


_CHINESE_NUMERALS = "零一二三四五六七八九十"


def share_label(share):
    """A fraction as people say it: 三分之一 in Chinese, 1/3 otherwise."""
    if (
        (get_language() or "").startswith("zh")
        and share.denominator <= 10
        and share.numerator <= 10
    ):
        return f"{_CHINESE_NUMERALS[share.denominator]}分之{_CHINESE_NUMERALS[share.numerator]}"
    return f"{share.numerator}/{share.denominator}"


def _check_grade(campaign, key, *, allow_blank=False):
    if allow_blank and not key:
        return
    if key not in dict(selectors.grade_choices(campaign=campaign)):
        raise ValidationError(UNKNOWN_GRADE, params={"key": key})
