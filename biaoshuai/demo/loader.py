"""The demo: the seed's campaign in mid-course, its units, cadres and accounts.

`load_demo` runs one loader per module, in order; each looks its records up by their
natural keys (a unit's name under its parent, a person's name in a unit, a username) and
creates only what is missing, so running it again changes nothing. Everything is written
through the apps' services, so the audit log records the demo like any other data.
"""

import random
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from biaoshuai.accounts.services import user_create
from biaoshuai.campaigns.models import Campaign, PlanStep
from biaoshuai.campaigns.services import campaign_create_from_template, plan_step_update
from biaoshuai.core.roles import Role, SystemRole
from biaoshuai.org.models import Person, Unit
from biaoshuai.org.services import person_create, person_update, role_assign, unit_create

from . import data
from .api import load_api
from .appraisal import load_appraisal
from .assessment import load_assessment
from .common import TEMPLATE_KEY, demo_unit, demo_user, months_before
from .data import NamedPerson
from .notifications import load_notifications
from .opinions import load_opinions
from .practice import load_practice
from .publicity import load_publicity
from .rectification import load_rectification
from .second_campaign import load_second_campaign
from .study import load_study
from .supervision import load_supervision
from .surveys import load_surveys

# One password for every demo account; the README gives it. It meets the password policy.
DEMO_PASSWORD = "Biaoshuai@2026"
# The campaign's first phase began this many months ago (on the first of the month).
CAMPAIGN_MONTHS_AGO = 8
# Of the plan steps already over, this many are left not done, so they show as overdue.
OVERDUE_STEPS = 2


@dataclass(frozen=True)
class DemoAccount:
    username: str
    name: str
    role: str = ""
    unit: str = ""
    title: str = ""
    person: NamedPerson | None = None
    system_role: str = ""
    is_demo: bool = True


ACCOUNTS = [
    DemoAccount(
        "leader", "周立新", Role.LEADER, data.ROOT_NAME, "部长", person=data.LEADING_GROUP[0]
    ),
    DemoAccount(
        "office", "孙晓燕", Role.OFFICE, data.ROOT_NAME, "活动办公室主任", person=data.OFFICE_PERSON
    ),
    DemoAccount(
        "liaison_lishi", "吴海军", Role.LIAISON, data.LISHI, "联络员", person=data.LIAISON_LISHI
    ),
    DemoAccount(
        "liaison_zengji", "郑丽娟", Role.LIAISON, data.ZENGJI, "联络员", person=data.LIAISON_ZENGJI
    ),
    DemoAccount("cadre_lishi", "李明辉", Role.CADRE, data.LISHI, person=data.CADRE_LISHI),
    DemoAccount("sysadmin", "系统管理员", system_role=SystemRole.SYSADMIN),
    DemoAccount("secadmin", "安全管理员", system_role=SystemRole.SECADMIN),
    DemoAccount("auditadmin", "审计管理员", system_role=SystemRole.AUDITADMIN),
    # The three deputy leaders have ordinary accounts: they must change the password first.
    DemoAccount(
        "chenguohua",
        "陈国华",
        Role.DEPUTY_LEADER,
        data.ROOT_NAME,
        "常务副部长",
        person=data.LEADING_GROUP[1],
        is_demo=False,
    ),
    DemoAccount(
        "liuhongmei",
        "刘红梅",
        Role.DEPUTY_LEADER,
        data.ROOT_NAME,
        "副部长",
        person=data.LEADING_GROUP[2],
        is_demo=False,
    ),
    DemoAccount(
        "huangzhiqiang",
        "黄志强",
        Role.DEPUTY_LEADER,
        data.ROOT_NAME,
        "副部长",
        person=data.LEADING_GROUP[3],
        is_demo=False,
    ),
]
DEMO_USERNAMES = [a.username for a in ACCOUNTS if a.is_demo]


def load_demo(*, stdout=None):
    """Load the whole demo; returns {loader name: number of records it created}."""
    log = _logger(stdout)
    created = {}
    for loader in LOADERS:
        created[loader.__name__] = loader(log=log)
    return created


@transaction.atomic
def load_org(*, log):
    """The unit tree under 县委组织部部机关, and the cadres of every unit."""
    made = _Counter()
    root = _unit(made, data.ROOT_NAME, Unit.Kind.DEPARTMENT, None, 0)
    sections = [
        _unit(made, name, Unit.Kind.SUB_UNIT, root, index)
        for index, name in enumerate(data.DEPARTMENT_SUB_UNITS, start=1)
    ]
    participating = [
        _unit(made, name, Unit.Kind.TOWNSHIP, root, 100 + index)
        for index, name in enumerate(data.TOWNSHIPS)
    ] + [
        _unit(made, name, Unit.Kind.COUNTY_AGENCY, root, 200 + index)
        for index, name in enumerate(data.COUNTY_AGENCIES)
    ]
    by_name = {u.name: u for u in [root, *sections, *participating]}
    sub_units = []
    for parent_name, names in data.SUB_UNITS.items():
        parent = by_name[parent_name]
        for index, name in enumerate(names, start=1):
            sub_units.append(_unit(made, name, Unit.Kind.SUB_UNIT, parent, index))
    by_name.update((u.name, u) for u in sub_units)

    for named in data.NAMED_PEOPLE:
        _person(made, by_name[named.unit], _named_values(named))
    named_in = {}
    for named in data.NAMED_PEOPLE:
        named_in.setdefault(named.unit, set()).add(named.name)
    for unit, kind in [
        *(
            (s, "campaign_office" if s.name == data.OFFICE_SUB_UNIT else "section")
            for s in sections
        ),
        *((u, u.kind) for u in participating),
        *((s, Unit.Kind.SUB_UNIT) for s in sub_units),
    ]:
        for values in data.cadres_for(unit.name, kind, exclude=named_in.get(unit.name, ())):
            _person(made, unit, values)
    log(f"Units and cadres: {made.units} units and {made.people} cadres created.")
    return made.units + made.people


@transaction.atomic
def load_accounts(*, log):
    """The demo accounts (and the deputy leaders' own), their roles, linked to their cadres."""
    User = get_user_model()
    created = 0
    for account in ACCOUNTS:
        user = User.objects.filter(username=account.username).first()
        if user is None:
            user = user_create(
                username=account.username,
                password=DEMO_PASSWORD,
                by=None,
                name=account.name,
                system_role=account.system_role,
                initial=not account.is_demo,
                is_demo=account.is_demo,
            )
            created += 1
        if account.role:
            role_assign(
                by=None,
                user=user,
                unit=demo_unit(account.unit),
                role=account.role,
                title=account.title,
            )
        if account.person is not None:
            person = Person.objects.get(
                unit=demo_unit(account.person.unit), name=account.person.name
            )
            if person.user_id is None and not Person.objects.filter(user=user).exists():
                person_update(person=person, by=None, user=user)
    log(f"Accounts: {created} created (demo password: {DEMO_PASSWORD}).")
    return created


@transaction.atomic
def load_campaign(*, log):
    """The seed's campaign from its template, begun months ago so that its plan is live."""
    if Campaign.objects.filter(template_key=TEMPLATE_KEY).exists():
        log("Campaign: already there.")
        return 0
    today = timezone.localdate()
    campaign = campaign_create_from_template(
        template_key=TEMPLATE_KEY,
        starts_on=months_before(today, CAMPAIGN_MONTHS_AGO),
        by=None,
        make_current=True,
    )
    office = demo_user("office")
    steps = list(
        PlanStep.objects.filter(phase__campaign=campaign)
        .select_related("phase")
        .order_by("phase__order", "order")
    )
    ended = [s for s in steps if s.ends_on < today]
    current = [s for s in steps if s.starts_on <= today <= s.ends_on]
    late = _late_steps(ended)
    for step in ended:
        if step in late:
            continue
        rng = random.Random(f"{data.SEED}:step:{step.phase.key}:{step.order}")
        done_on = max(step.starts_on, step.ends_on - timedelta(days=rng.randint(0, 6)))
        plan_step_update(
            step=step, by=office, status=PlanStep.Status.DONE, note="已按计划完成", done_on=done_on
        )
    if late:
        # One late step was begun and is being pushed along; the other was never started.
        plan_step_update(
            step=late[0], by=office, status=PlanStep.Status.IN_PROGRESS, note="进度滞后，正在督促"
        )
    for step in current:
        plan_step_update(
            step=step, by=office, status=PlanStep.Status.IN_PROGRESS, note="正在按计划推进"
        )
    log(
        f"Campaign: “{campaign}” from {campaign.starts_on}; {len(steps)} plan steps, "
        f"{len(ended) - len(late)} done, {len(late)} overdue, {len(current)} in progress."
    )
    return 1


# The loaders in the order they run; a module's demo data adds its loader here, in
# dependency order: personal plans read self-check findings, opinions and inspections
# become problems, and assessment (last) scores what the others loaded.
LOADERS = [
    load_org,
    load_accounts,
    load_campaign,
    load_study,
    load_practice,
    load_surveys,
    load_appraisal,
    load_opinions,
    load_rectification,
    load_supervision,
    load_publicity,
    load_assessment,
    load_api,
    load_second_campaign,
    load_notifications,
]


def _late_steps(ended):
    """The steps over but not done: the most recent one to end, and one from the middle."""
    late = ended[-1:] + ended[len(ended) // 2 : len(ended) // 2 + 1]
    return list(dict.fromkeys(late))[:OVERDUE_STEPS]


@dataclass
class _Counter:
    units: int = 0
    people: int = 0


def _unit(made, name, kind, parent, sort_order):
    existing = Unit.objects.filter(parent=parent, name=name).first()
    if existing is not None:
        return existing
    made.units += 1
    return unit_create(by=None, name=name, kind=kind, parent=parent, sort_order=sort_order)


def _person(made, unit, values):
    existing = Person.objects.filter(unit=unit, name=values["name"]).first()
    if existing is not None:
        return existing
    made.people += 1
    return person_create(by=None, unit=unit, **values)


def _named_values(named):
    return {
        "name": named.name,
        "gender": named.gender,
        "birth_date": named.birth_date,
        "position": named.position,
        "phone": named.phone,
    }


def _logger(stdout):
    if stdout is None:
        return lambda message: None
    return lambda message: stdout.write(message + "\n")
