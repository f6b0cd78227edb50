"""What surveys contributes to the registry: the satisfaction index, navigation, the portal.

surveys.satisfaction_index: over the questionnaires of the campaign marked "counts toward
the satisfaction index", in each one's latest round that has opened, the mean score of
every rating answer (很满意 100, 满意 80, 基本满意 60, 不太满意 30, 不满意 0: the campaign's
satisfaction scale; each answer to a rating question and to each row of a rating matrix
counts once). By unit: the same over the answers that carry a unit in the unit's subtree —
a cadre's answers carry the cadre's unit, a public answer the unit the respondent chose to
rate (questionnaires that ask for one); answers without a unit count only in the total.
"""

from django.utils.translation import gettext_lazy as _

from biaoshuai.campaigns.selectors import campaign_current
from biaoshuai.core.permissions import is_cadre
from biaoshuai.core.registry import (
    Metric,
    NavItem,
    NotificationKind,
    PortalSection,
    WorkItem,
    registry,
)
from biaoshuai.core.scope import scope_for
from biaoshuai.org.models import Person

from . import selectors


def satisfaction_total(*, user, campaign=None):
    if not selectors.can_oversee(user):
        return None
    campaign = campaign or campaign_current()
    if campaign is None:
        return None
    round_ids = selectors.index_rounds(campaign=campaign)
    if not round_ids:
        return None
    scope = scope_for(user, selectors.oversight_action(user))
    value = selectors.satisfaction_index(
        round_ids=round_ids, unit_paths=None if scope.all else scope.paths
    )
    return None if value is None else round(value, 1)


def satisfaction_by_unit(*, campaign=None, unit_ids):
    campaign = campaign or campaign_current()
    if campaign is None:
        return {}
    round_ids = selectors.index_rounds(campaign=campaign)
    return selectors.satisfaction_index_by_unit(round_ids=round_ids, unit_ids=unit_ids)


registry.register(
    Metric(
        "surveys.satisfaction_index",
        _("Satisfaction index"),
        satisfaction_total,
        by_unit=satisfaction_by_unit,
        kind="index",
        url_name="surveys:survey_list",
        order=70,
    )
)
registry.register(
    NavItem(
        "surveys.list",
        _("Questionnaires"),
        "surveys:survey_list",
        selectors.can_oversee,
        "ui-checks",
        60,
        group="opinions",
    )
)
registry.register(
    NavItem(
        "surveys.mine",
        _("My questionnaires"),
        "surveys:my_surveys",
        is_cadre,
        "ui-radios",
        61,
        group="opinions",
    )
)
registry.register(
    PortalSection("surveys.open", _("Open questionnaires"), "surveys_public:list", order=40)
)
registry.register(NotificationKind("surveys.round_open", _("Questionnaires to answer"), order=50))


def questionnaires_to_answer(*, user, campaign=None):
    """Open cadre questionnaires addressed to the cadre and not answered yet (three
    queries: the cadre, the rounds, the answers)."""
    if not is_cadre(user):
        return None
    person = Person.objects.filter(user_id=user.pk).select_related("unit").first()
    if person is None:
        return None
    return sum(1 for r in selectors.open_rounds_for_cadre(person=person) if not r.answered)


registry.register(
    WorkItem(
        "surveys.to_answer",
        _("Questionnaires to answer"),
        questionnaires_to_answer,
        "surveys:my_surveys",
        bucket="reply",
        nav="surveys.mine",
        order=60,
    )
)
