"""What org contributes to the registry: its figures, navigation, export and home panel."""

from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import (
    can_manage_org,
    can_view_accounts,
    can_view_org,
    can_view_units,
)
from biaoshuai.core.registry import Export, HomePanel, Metric, NavItem, registry
from biaoshuai.core.scope import scope_for

from .models import Person, Unit
from .selectors import liaison_units, unit_cadre_counts, unit_subtree_sizes


def units_total(*, user, campaign=None):
    if scope_for(user).empty:
        return None
    return Unit.objects.restrict(user).filter(is_active=True).count()


def cadres_total(*, user, campaign=None):
    if scope_for(user).empty:
        return None
    return Person.objects.restrict(user).filter(is_active=True).count()


def units_by_unit(*, campaign=None, unit_ids):
    """{unit_id: active units in its subtree, itself included}, in one query."""
    return unit_subtree_sizes(unit_ids=unit_ids)


def cadres_by_unit(*, campaign=None, unit_ids):
    """{unit_id: cadres in post in the unit and every unit below it}, in one query."""
    return unit_cadre_counts(unit_ids=unit_ids)


def liaison_panel(request):
    """The liaison's own unit(s) with their cadre counts; None for everyone else."""
    units = list(liaison_units(user=request.user))
    if not units:
        return None
    return {"units": units}


registry.register(
    Metric(
        "org.units",
        _("Units"),
        units_total,
        by_unit=units_by_unit,
        url_name="org:unit_list",
        order=20,
    )
)
registry.register(
    Metric(
        "org.cadres",
        _("Cadres"),
        cadres_total,
        by_unit=cadres_by_unit,
        url_name="org:person_list",
        order=21,
    )
)
registry.register(
    NavItem(
        "org.units", _("Units"), "org:unit_list", can_view_units, "diagram-3", 20, group="system"
    )
)
registry.register(
    NavItem(
        "org.cadres", _("Cadres"), "org:person_list", can_view_org, "people", 25, group="system"
    )
)
registry.register(
    NavItem(
        "org.roster_import",
        _("Roster import"),
        "org:roster_import",
        can_manage_org,
        "file-earmark-arrow-up",
        30,
        group="system",
    )
)
registry.register(
    NavItem(
        "org.accounts",
        _("Accounts"),
        "org:user_list",
        can_view_accounts,
        "person-gear",
        40,
        group="system",
    )
)
registry.register(Export("org.cadres", _("Cadre roster"), "org:person_export", can_view_org))
registry.register(HomePanel("org.liaison", "org/panels/liaison.html", liaison_panel, order=25))
