"""News articles and exemplars: written by a unit, reviewed by the campaign office.

    draft ──submit──▶ submitted ──publish──▶ published
      ▲                  │                      │
      └──(edit)── returned ◀──return (reason)───┘
                     │
                     └──submit──▶ submitted

A published record may also be withdrawn by the office (back to returned, with a reason).
Only draft and returned records can be edited.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record, changes_between, snapshot
from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.disclosure import Disclosure, disclosure_decider_required
from biaoshuai.core.uploads import validate_upload
from biaoshuai.notifications.recipients import liaisons_of, office
from biaoshuai.notifications.services import notify

from ..cache import portal_cache_bump
from ..models import IMAGE_EXTENSIONS, Exemplar, NewsArticle, NewsImage, ReviewState

NOT_EDITABLE = _("Only a draft or a returned record can be edited.")
NOT_SUBMITTABLE = _("Only a draft or a returned record can be submitted for review.")
NOT_SUBMITTED = _("Only a record submitted for review can be published or returned.")
NOT_PUBLISHED = _("Only a published record can be withdrawn.")
RETURN_NEEDS_REASON = _("Say why it is returned, so the unit knows what to change.")
EXEMPLAR_PERSON_OUT_OF_UNIT = _("The cadre must belong to the unit or a unit below it.")
IMAGE_LIMIT_MB = 5

NEWS_FIELDS = ["title", "author", "summary", "body", "disclosure_proposed"]
EXEMPLAR_FIELDS = ["title", "kind", "person", "summary", "body", "disclosure_proposed"]


@transaction.atomic
def news_create(
    *,
    unit,
    by,
    title,
    body,
    author="",
    summary="",
    cover=None,
    images=(),
    disclosure_proposed=Disclosure.PUBLIC,
    campaign=None,
):
    """A draft news article of `unit`; `images` are (file, caption) pairs."""
    article = NewsArticle(
        campaign=campaign or campaign_current(),
        unit=unit,
        title=title,
        body=body,
        author=author,
        summary=summary,
        disclosure_proposed=disclosure_proposed,
        created_by=by,
    )
    if cover:
        validate_upload(cover, extensions=IMAGE_EXTENSIONS, max_mb=IMAGE_LIMIT_MB)
        article.cover = cover
    article.full_clean()
    article.save()
    for file, caption in images:
        _image_add(article, file, caption)
    audit_record(actor=by, action="create", obj=article, changes=snapshot(article, NEWS_FIELDS))
    return article


@transaction.atomic
def news_update(*, article, by, cover=None, **fields):
    """Change a draft or returned article's text (and cover)."""
    _check_editable(article)
    before = snapshot(article, NEWS_FIELDS)
    for name, value in fields.items():
        if name not in NEWS_FIELDS:
            raise TypeError(name)
        setattr(article, name, value)
    update = [*fields, "updated_at"]
    if cover:
        validate_upload(cover, extensions=IMAGE_EXTENSIONS, max_mb=IMAGE_LIMIT_MB)
        article.cover = cover
        update.append("cover")
    article.full_clean()
    article.save(update_fields=update)
    changes = changes_between(before, snapshot(article, NEWS_FIELDS), NEWS_FIELDS)
    if changes or cover:
        audit_record(actor=by, action="update", obj=article, changes=changes)
    return article


@transaction.atomic
def news_image_add(*, article, by, image, caption=""):
    _check_editable(article)
    added = _image_add(article, image, caption)
    audit_record(actor=by, action="update", obj=article, note=f"+ {added.image.name}")
    return added


@transaction.atomic
def news_image_remove(*, image, by):
    article = image.article
    _check_editable(article)
    name = image.image.name
    image.delete()
    audit_record(actor=by, action="update", obj=article, note=f"- {name}")


@transaction.atomic
def exemplar_create(
    *,
    unit,
    by,
    title,
    summary,
    body,
    kind=Exemplar.Kind.PRACTICE,
    person=None,
    disclosure_proposed=Disclosure.PUBLIC,
    campaign=None,
):
    """A draft exemplar of `unit`: a good practice, or a cadre as a good example."""
    exemplar = Exemplar(
        campaign=campaign or campaign_current(),
        unit=unit,
        title=title,
        summary=summary,
        body=body,
        kind=kind,
        person=person,
        disclosure_proposed=disclosure_proposed,
        created_by=by,
    )
    _check_person(exemplar)
    exemplar.full_clean()
    exemplar.save()
    audit_record(
        actor=by, action="create", obj=exemplar, changes=snapshot(exemplar, EXEMPLAR_FIELDS)
    )
    return exemplar


@transaction.atomic
def exemplar_update(*, exemplar, by, **fields):
    _check_editable(exemplar)
    before = snapshot(exemplar, EXEMPLAR_FIELDS)
    for name, value in fields.items():
        if name not in EXEMPLAR_FIELDS:
            raise TypeError(name)
        setattr(exemplar, name, value)
    _check_person(exemplar)
    exemplar.full_clean()
    exemplar.save(update_fields=[*fields, "updated_at"])
    changes = changes_between(before, snapshot(exemplar, EXEMPLAR_FIELDS), EXEMPLAR_FIELDS)
    if changes:
        audit_record(actor=by, action="update", obj=exemplar, changes=changes)
    return exemplar


@transaction.atomic
def review_submit(*, obj, by):
    """The unit sends a draft (or a returned record it has changed) to the office."""
    if obj.state not in (ReviewState.DRAFT, ReviewState.RETURNED):
        raise ValidationError(NOT_SUBMITTABLE)
    return _move(obj, by, ReviewState.SUBMITTED, submitted_at=timezone.now())


@transaction.atomic
def review_publish(*, obj, by, disclosure=None):
    """The office publishes a submitted record at `disclosure` (default: the level proposed).

    Only what is then 向社会公开 reaches the portal; 内部公开 is for logged-in users.
    """
    disclosure_decider_required(by)
    if obj.state != ReviewState.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    level = disclosure or obj.disclosure_proposed or obj.disclosure
    if level not in Disclosure.values:
        raise ValidationError({"disclosure": _("Choose a valid disclosure level.")})
    return _move(
        obj,
        by,
        ReviewState.PUBLISHED,
        published_at=obj.published_at or timezone.now(),
        reviewed_by=by,
        return_reason="",
        disclosure=level,
    )


@transaction.atomic
def review_return(*, obj, by, reason):
    """The office sends a submitted record back to its unit, saying why."""
    disclosure_decider_required(by)
    if obj.state != ReviewState.SUBMITTED:
        raise ValidationError(NOT_SUBMITTED)
    return _returned(obj, by, reason)


@transaction.atomic
def review_withdraw(*, obj, by, reason):
    """The office takes a published record off (back to its unit, with the reason)."""
    disclosure_decider_required(by)
    if obj.state != ReviewState.PUBLISHED:
        raise ValidationError(NOT_PUBLISHED)
    return _returned(obj, by, reason)


def _returned(obj, by, reason):
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"return_reason": RETURN_NEEDS_REASON})
    return _move(obj, by, ReviewState.RETURNED, reviewed_by=by, return_reason=reason)


def _move(obj, by, state, **values):
    before = obj.state
    obj.state = state
    for name, value in values.items():
        setattr(obj, name, value)
    obj.full_clean()
    obj.save(update_fields=["state", *values, "updated_at"])
    changes = {"state": [before, state]}
    if "disclosure" in values:
        changes["disclosure"] = [None, values["disclosure"]]
    audit_record(
        actor=by,
        action="update",
        obj=obj,
        changes=changes,
        note=values.get("return_reason", ""),
        verb=f"review_{state}",
    )
    if ReviewState.PUBLISHED in (before, state):
        portal_cache_bump()
    _tell(obj, by, state)
    return obj


def _tell(obj, by, state):
    """The office hears of a submission; the unit (and the author) of a decision."""
    authors = ([obj.created_by_id] if obj.created_by_id else []) + liaisons_of(obj.unit)
    texts = {
        ReviewState.SUBMITTED: (office(), _("Submitted for review: %(title)s (%(unit)s)")),
        ReviewState.PUBLISHED: (authors, _("Published: %(title)s")),
        ReviewState.RETURNED: (authors, _("Returned: %(title)s — %(reason)s")),
    }
    if state not in texts:
        return
    recipients, text = texts[state]
    name = "news_detail" if isinstance(obj, NewsArticle) else "exemplar_detail"
    notify(
        recipients=recipients,
        kind="publicity.review",
        text=text
        % {"title": obj.title[:100], "unit": obj.unit.name, "reason": obj.return_reason[:120]},
        url=reverse(f"publicity:{name}", args=[obj.pk]),
        actor=by,
        campaign=obj.campaign,
    )


def _image_add(article, file, caption):
    validate_upload(file, extensions=IMAGE_EXTENSIONS, max_mb=IMAGE_LIMIT_MB)
    order = article.images.count() + 1
    image = NewsImage(article=article, image=file, caption=caption or "", order=order)
    image.full_clean()
    image.save()
    return image


def _check_editable(obj):
    if not obj.is_editable:
        raise ValidationError(NOT_EDITABLE)


def _check_person(exemplar):
    person = exemplar.person
    if person is not None and not person.unit.path.startswith(exemplar.unit.path):
        raise ValidationError({"person": EXEMPLAR_PERSON_OUT_OF_UNIT})
