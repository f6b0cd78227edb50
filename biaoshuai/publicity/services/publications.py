"""Publicity records (组工信息调研宣传): units record pieces published outside; the office
confirms each one before it scores.

    recorded ──confirm──▶ confirmed
        │
        └──reject (reason)──▶ rejected ──(edit)──▶ recorded

A piece scores once, at its best appearance: the largest of the points its appearances
earn under the campaign's rules (publication_levels[].points[medium]), so a piece reprinted
at several levels counts at its highest level only.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record, changes_between, snapshot
from biaoshuai.core.uploads import validate_upload

from ..models import PROOF_EXTENSIONS, Appearance, Publication

NEED_APPEARANCE = _("Give at least one place where the piece appeared.")
NEED_PROOF = _("Attach a proof (a scan or a photo) or give a link to the piece.")
NEED_AUTHOR = _("Name at least one author.")
AUTHOR_OUT_OF_UNIT = _("Cadre authors must belong to the unit or a unit below it.")
APPEARANCE_BAD_MEDIUM = _("Choose one of the campaign's media.")
APPEARANCE_BAD_LEVEL = _("Choose one of the campaign's levels.")
APPEARANCE_IN_FUTURE = _("The date of publication cannot be in the future.")
PUBLICATION_NOT_RECORDED = _("Only a record awaiting confirmation can be confirmed or rejected.")
PUBLICATION_NOT_EDITABLE = _("A confirmed record can no longer be changed.")
REJECT_NEEDS_REASON = _("Say why the record is rejected.")
PROOF_LIMIT_MB = 10

FIELDS = ["title", "authors_text", "link", "points", "level", "published_on", "state"]


def publication_points(*, campaign, appearances):
    """(points, level key) of a piece: its best appearance under the campaign's rules.

    `appearances` are objects or dicts with `medium` and `level`. Levels are listed highest
    first in the template; a tie in points goes to the higher level.
    """
    levels = campaign.config.get("lists", {}).get("publication_levels", [])
    rank = {item["key"]: index for index, item in enumerate(levels)}
    rules = {item["key"]: item.get("points", {}) for item in levels}
    best = (0, "")
    best_key = None
    for appearance in appearances:
        level, medium = _get(appearance, "level"), _get(appearance, "medium")
        points = int(rules.get(level, {}).get(medium, 0))
        key = (points, -rank.get(level, len(rank)))
        if best_key is None or key > best_key:
            best_key, best = key, (points, level)
    return best


@transaction.atomic
def publication_record(
    *,
    campaign,
    unit,
    by,
    title,
    appearances,
    authors=(),
    authors_text="",
    proof=None,
    link="",
):
    """Record a piece of `unit` with its appearances ([{outlet, medium, level, published_on}])."""
    publication = Publication(
        campaign=campaign,
        unit=unit,
        title=title,
        authors_text=authors_text,
        link=link,
        recorded_by=by,
    )
    if proof:
        validate_upload(proof, extensions=PROOF_EXTENSIONS, max_mb=PROOF_LIMIT_MB)
        publication.proof = proof
    rows = _check(publication, appearances, authors)
    publication.full_clean()
    publication.save()
    publication.authors.set(authors)
    Appearance.objects.bulk_create(rows_for(publication, rows))
    audit_record(
        actor=by,
        action="create",
        obj=publication,
        changes={**snapshot(publication, FIELDS), "appearances": _describe(rows)},
    )
    return publication


@transaction.atomic
def publication_update(*, publication, by, appearances=None, authors=None, proof=None, **fields):
    """Change a record that is not confirmed; a rejected record goes back to awaiting
    confirmation."""
    if publication.state == Publication.State.CONFIRMED:
        raise ValidationError(PUBLICATION_NOT_EDITABLE)
    before = snapshot(publication, FIELDS)
    for name, value in fields.items():
        if name not in ("title", "authors_text", "link"):
            raise TypeError(name)
        setattr(publication, name, value)
    if proof:
        validate_upload(proof, extensions=PROOF_EXTENSIONS, max_mb=PROOF_LIMIT_MB)
        publication.proof = proof
    if appearances is None:
        appearances = list(publication.appearances.all())
    if authors is None:
        authors = list(publication.authors.all())
    rows = _check(publication, appearances, authors)
    publication.state = Publication.State.RECORDED
    publication.reject_reason = ""
    publication.full_clean()
    publication.save()
    publication.authors.set(authors)
    publication.appearances.all().delete()
    Appearance.objects.bulk_create(rows_for(publication, rows))
    changes = changes_between(before, snapshot(publication, FIELDS), FIELDS)
    audit_record(actor=by, action="update", obj=publication, changes=changes)
    return publication


@transaction.atomic
def publication_confirm(*, publication, by):
    """The office confirms a record: from now on it scores."""
    if publication.state != Publication.State.RECORDED:
        raise ValidationError(PUBLICATION_NOT_RECORDED)
    publication.state = Publication.State.CONFIRMED
    publication.confirmed_by, publication.confirmed_at = by, timezone.now()
    publication.full_clean()
    publication.save(update_fields=["state", "confirmed_by", "confirmed_at", "updated_at"])
    audit_record(
        actor=by,
        action="update",
        obj=publication,
        changes={"state": [Publication.State.RECORDED, Publication.State.CONFIRMED]},
        verb="publication_confirm",
    )
    return publication


@transaction.atomic
def publication_reject(*, publication, by, reason):
    if publication.state != Publication.State.RECORDED:
        raise ValidationError(PUBLICATION_NOT_RECORDED)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reject_reason": REJECT_NEEDS_REASON})
    publication.state, publication.reject_reason = Publication.State.REJECTED, reason
    publication.full_clean()
    publication.save(update_fields=["state", "reject_reason", "updated_at"])
    audit_record(
        actor=by,
        action="update",
        obj=publication,
        changes={"state": [Publication.State.RECORDED, Publication.State.REJECTED]},
        note=reason,
        verb="publication_reject",
    )
    return publication


def rows_for(publication, rows):
    return [Appearance(publication=publication, **row) for row in rows]


def _check(publication, appearances, authors):
    """Validate the appearances and authors; set the derived points, level and date."""
    campaign = publication.campaign
    media = {key for key, _name in campaign.choices("publication_media")}
    levels = {key for key, _name in campaign.choices("publication_levels")}
    today = timezone.localdate()
    rows, errors = [], []
    for appearance in appearances:
        row = {
            name: _get(appearance, name) for name in ("outlet", "medium", "level", "published_on")
        }
        if row["medium"] not in media:
            errors.append(APPEARANCE_BAD_MEDIUM)
        if row["level"] not in levels:
            errors.append(APPEARANCE_BAD_LEVEL)
        if isinstance(row["published_on"], datetime.date) and row["published_on"] > today:
            errors.append(APPEARANCE_IN_FUTURE)
        Appearance(publication=publication, **row).full_clean(exclude=["publication"])
        rows.append(row)
    if not rows:
        errors.append(NEED_APPEARANCE)
    if not publication.proof and not publication.link:
        errors.append(NEED_PROOF)
    if not authors and not publication.authors_text.strip():
        errors.append(NEED_AUTHOR)
    if any(not a.unit.path.startswith(publication.unit.path) for a in authors):
        errors.append(AUTHOR_OUT_OF_UNIT)
    if errors:
        raise ValidationError(list(dict.fromkeys(errors)))
    publication.points, publication.level = publication_points(campaign=campaign, appearances=rows)
    publication.published_on = min(row["published_on"] for row in rows)
    return rows


def _get(appearance, name):
    if isinstance(appearance, dict):
        return appearance.get(name)
    return getattr(appearance, name)


def _describe(rows):
    return [f"{r['outlet']} {r['medium']} {r['level']} {r['published_on']}" for r in rows]
