from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.permissions import is_office
from biaoshuai.core.registry import registry
from biaoshuai.notifications.recipients import liaisons_of
from biaoshuai.notifications.services import notify

from ..cache import portal_cache_bump

DISCLOSURE_BAD_LEVEL = _("Choose a valid disclosure level.")
DISCLOSURE_OFFICE_ONLY = _("Only the campaign office sets disclosure levels.")


@transaction.atomic
def disclosure_set(*, obj, level, by):
    """Set the disclosure level of any disclosable record (the office's decision).

    `by` is an office user, or None for the system (imports, the demo). Portal pages
    cached before the change are dropped.
    """
    if level not in Disclosure.values:
        raise ValidationError({"disclosure": DISCLOSURE_BAD_LEVEL})
    if by is not None and not is_office(by):
        raise ValidationError(DISCLOSURE_OFFICE_ONLY)
    before = obj.disclosure
    if before == level:
        return obj
    obj.disclosure = level
    obj.full_clean()
    fields = ["disclosure"]
    if any(f.name == "updated_at" for f in obj._meta.concrete_fields):
        fields.append("updated_at")
    obj.save(update_fields=fields)
    audit_record(
        actor=by,
        action="update",
        obj=obj,
        changes={"disclosure": [before, level]},
        verb="disclosure_set",
    )
    portal_cache_bump()
    _tell(obj, by)
    return obj


def _tell(obj, by):
    """The unit the record belongs to (and its author) hears of the level decided."""
    unit = getattr(obj, "unit", None)
    author = getattr(obj, "created_by_id", None)
    recipients = ([author] if author else []) + (liaisons_of(unit) if unit else [])
    if not recipients:
        return
    spec = next((d for d in registry.disclosables.values() if d.model is type(obj)), None)
    notify(
        recipients=recipients,
        kind="publicity.disclosure",
        text=_("Disclosure decided: %(record)s — %(level)s")
        % {"record": str(obj)[:120], "level": obj.get_disclosure_display()},
        url=spec.url(obj) if spec and spec.url else "",
        actor=by,
        campaign=getattr(obj, "campaign", None),
    )
