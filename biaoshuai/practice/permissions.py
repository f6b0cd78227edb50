"""Who may do what with practice records; data scope is still the scope mechanism's job."""

from biaoshuai.core.permissions import is_cadre, is_leading_group, is_liaison, is_office
from biaoshuai.core.scope import MANAGE, scope_for


def can_view_practice(user):
    """The campaign's roles; the three system roles do not read campaign records."""
    return is_office(user) or is_leading_group(user) or is_liaison(user) or is_cadre(user)


def can_record_discussion(user):
    return is_office(user) or is_liaison(user)


def can_record_own(user):
    """Pairings, visits and placements: cadres record their own, liaisons and the office any."""
    return is_office(user) or is_liaison(user) or is_cadre(user)


def can_edit_record(user, record):
    """Those who manage the record's unit, and the cadre a pairing or placement belongs to."""
    if scope_for(user, MANAGE).covers(record.unit):
        return True
    cadre = getattr(record, "cadre", None)
    return cadre is not None and cadre.user_id is not None and cadre.user_id == user.pk


def can_confirm_exemplar(user):
    return is_office(user)
