"""What practice contributes to the registry: figures, navigation, exports, the home panel,
disclosable record types and (once mounted) the portal's exemplar page."""

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import is_cadre, is_liaison, is_office
from biaoshuai.core.registry import (
    Disclosable,
    Export,
    HomePanel,
    Metric,
    NavItem,
    PortalSection,
    registry,
)
from biaoshuai.core.scope import MANAGE, scope_for

from . import selectors
from .models import Discussion, Pairing, Placement, Visit
from .permissions import can_view_practice

PORTAL_SECTION = PortalSection(
    "practice.exemplars", _("Good practices and exemplars"), "practice_public:exemplar_list", 40
)


def _total(model):
    def total(*, user, campaign=None):
        if not can_view_practice(user):
            return None
        return selectors.record_count(model=model, user=user, campaign=campaign)

    return total


def _by_unit(model):
    def by_unit(*, campaign=None, unit_ids):
        """{unit_id: records in the unit's subtree}, in one query."""
        return selectors.record_counts_by_unit(model=model, unit_ids=unit_ids, campaign=campaign)

    return by_unit


def practice_panel(request):
    """Recent records and what awaits the office's confirmation, for the office, liaisons
    and cadres; None for everyone else."""
    user = request.user
    office, liaison = is_office(user), is_liaison(user)
    person = None
    if not (office or liaison):
        if not is_cadre(user):
            return None
        person = selectors.own_person(user=user)
        if person is None:
            return None
    return {
        "recent": selectors.recent_records(user=user, person=person),
        "pending": selectors.pending_exemplars_count(user=user),
        "office": office,
        "manages": not scope_for(user, MANAGE).empty,
    }


for key, model, label, url_name, order in [
    ("practice.discussions", Discussion, _("Discussions"), "practice:discussion_list", 60),
    ("practice.visits", Visit, _("Assistance visits"), "practice:visit_list", 61),
    ("practice.placements", Placement, _("Exchange placements"), "practice:placement_list", 62),
]:
    registry.register(
        Metric(key, label, _total(model), by_unit=_by_unit(model), url_name=url_name, order=order)
    )

registry.register(
    NavItem(
        "practice.discussions",
        _("Discussions"),
        "practice:discussion_list",
        can_view_practice,
        "chat-square-quote",
        60,
        group="study",
    )
)
registry.register(
    NavItem(
        "practice.pairings",
        _("Pairings"),
        "practice:pairing_list",
        can_view_practice,
        "people-fill",
        61,
        group="study",
    )
)
registry.register(
    NavItem(
        "practice.placements",
        _("Exchange placements"),
        "practice:placement_list",
        can_view_practice,
        "arrow-left-right",
        62,
        group="study",
    )
)
for key, label, url_name in [
    ("practice.discussions", _("Discussions"), "practice:discussion_export"),
    ("practice.pairings", _("Pairings"), "practice:pairing_export"),
    ("practice.visits", _("Assistance visits"), "practice:visit_export"),
    ("practice.placements", _("Exchange placements"), "practice:placement_export"),
]:
    registry.register(Export(key, label, url_name, can_view_practice))

registry.register(Disclosable("practice.discussion", _("Discussion"), Discussion))
registry.register(Disclosable("practice.pairing", _("Pairing"), Pairing))
registry.register(Disclosable("practice.placement", _("Exchange placement"), Placement))
registry.register(HomePanel("practice.panel", "practice/panels/practice.html", practice_panel, 60))


def register_portal_section():
    """The portal lists its sections by URL name: register ours only once its public URLs
    are mounted, so that the portal's front page never links to a page that is not there."""
    try:
        reverse(PORTAL_SECTION.url_name)
    except NoReverseMatch:
        return False
    registry.register(PORTAL_SECTION)
    return True
