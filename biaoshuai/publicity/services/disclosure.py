from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from biaoshuai.audit.services import audit_record
from biaoshuai.core.disclosure import Disclosure
from biaoshuai.core.permissions import is_office

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
    return obj
