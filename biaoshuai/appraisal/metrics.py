"""What appraisal contributes to the registry: the self-check rate and navigation.

appraisal.self_check_rate: of the cadres in post (in the reader's scope, or in a unit's
subtree for by_unit), the percentage who have submitted their self-check in the campaign.
"""

from django.utils.translation import gettext_lazy as _

from biaoshuai.core.permissions import is_cadre
from biaoshuai.core.registry import Metric, NavItem, NotificationKind, WorkItem, registry
from biaoshuai.core.scope import scope_for

from . import selectors
from .models import SelfCheck


def self_check_rate_total(*, user, campaign=None):
    if not selectors.can_oversee(user):
        return None
    campaign = campaign or selectors.current_campaign()
    if campaign is None:
        return None
    scope = scope_for(user, selectors.oversight_action(user))
    return selectors.self_check_rate(campaign=campaign, unit_paths=scope.paths, all_units=scope.all)


def self_check_rate_by_unit(*, campaign=None, unit_ids):
    campaign = campaign or selectors.current_campaign()
    if campaign is None:
        return {}
    return selectors.self_check_rate_by_unit(campaign=campaign, unit_ids=unit_ids)


registry.register(
    Metric(
        "appraisal.self_check_rate",
        _("Self-check rate"),
        self_check_rate_total,
        by_unit=self_check_rate_by_unit,
        kind="percent",
        url_name="appraisal:self_check_overview",
        order=45,
    )
)
registry.register(
    NavItem(
        "appraisal.mine",
        _("My self-check"),
        "appraisal:self_check_mine",
        is_cadre,
        "clipboard-check",
        50,
        group="problems",
    )
)
registry.register(
    NavItem(
        "appraisal.my_reviews",
        _("My democratic appraisal"),
        "appraisal:my_appraisals",
        is_cadre,
        "people",
        51,
        group="problems",
    )
)
registry.register(
    NavItem(
        "appraisal.self_checks",
        _("Self-checks"),
        "appraisal:self_check_overview",
        selectors.can_oversee,
        "clipboard-data",
        52,
        group="problems",
    )
)
registry.register(
    NavItem(
        "appraisal.reviews",
        _("Democratic appraisal"),
        "appraisal:appraisal_list",
        selectors.can_oversee,
        "award",
        53,
        group="problems",
    )
)
registry.register(NotificationKind("appraisal.self_check", _("My self-check sent back"), order=40))
registry.register(NotificationKind("appraisal.ballot", _("Democratic appraisal open"), order=41))


def self_check_returned(*, user, campaign=None):
    """1 when the cadre's self-check was sent back and not submitted again, else 0."""
    if not is_cadre(user):
        return None
    campaign = campaign or selectors.current_campaign()
    if campaign is None:
        return None
    return (
        SelfCheck.objects.filter(
            campaign=campaign, person__user_id=user.pk, state=SelfCheck.State.DRAFT
        )
        .exclude(return_reason="")
        .count()
    )


registry.register(
    WorkItem(
        "appraisal.self_check_returned",
        _("My self-check sent back"),
        self_check_returned,
        "appraisal:self_check_mine",
        bucket="returned",
        nav="appraisal.mine",
        order=25,
    )
)
