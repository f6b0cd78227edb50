"""Fixtures shared by every app's tests: a small unit tree and one user per role."""

import pytest

from biaoshuai.accounts.services import user_create
from biaoshuai.core.roles import Role, SystemRole
from biaoshuai.org.models import Unit
from biaoshuai.org.services import person_create, role_assign, unit_create

PASSWORD = "Test-pass-2026"


@pytest.fixture
def org(db):
    """部机关 at the root; 李市镇 (with a sub-unit) and 曾集镇 below it; two cadres each."""
    department = unit_create(by=None, name="县委组织部部机关", kind=Unit.Kind.DEPARTMENT)
    lishi = unit_create(by=None, name="李市镇", kind=Unit.Kind.TOWNSHIP, parent=department)
    lishi_sub = unit_create(by=None, name="李市镇党建办", kind=Unit.Kind.SUB_UNIT, parent=lishi)
    zengji = unit_create(by=None, name="曾集镇", kind=Unit.Kind.TOWNSHIP, parent=department)
    people = {
        "lishi_a": person_create(by=None, unit=lishi, name="王建国", phone="13812341234"),
        "lishi_b": person_create(by=None, unit=lishi_sub, name="李秀英", phone="13900001111"),
        "zengji_a": person_create(by=None, unit=zengji, name="张伟", phone="13700002222"),
        "zengji_b": person_create(by=None, unit=zengji, name="刘芳", phone="13600003333"),
    }
    return type(
        "Org",
        (),
        {
            "department": department,
            "lishi": lishi,
            "lishi_sub": lishi_sub,
            "zengji": zengji,
            "people": people,
        },
    )


def make_user(username, *, unit=None, role=None, system_role="", **kwargs):
    user = user_create(
        username=username,
        password=PASSWORD,
        by=None,
        name=username,
        system_role=system_role,
        initial=False,
        **kwargs,
    )
    if role:
        role_assign(by=None, user=user, unit=unit, role=role)
    return user


@pytest.fixture
def users(org):
    """One user per role, named like the demo accounts."""
    cadre = make_user("cadre_lishi", unit=org.lishi, role=Role.CADRE)
    person = org.people["lishi_a"]
    person.user = cadre
    person.save(update_fields=["user"])
    return type(
        "Users",
        (),
        {
            "leader": make_user("leader", unit=org.department, role=Role.LEADER),
            "office": make_user("office", unit=org.department, role=Role.OFFICE),
            "liaison_lishi": make_user("liaison_lishi", unit=org.lishi, role=Role.LIAISON),
            "liaison_zengji": make_user("liaison_zengji", unit=org.zengji, role=Role.LIAISON),
            "cadre_lishi": cadre,
            "sysadmin": make_user("sysadmin", system_role=SystemRole.SYSADMIN),
            "secadmin": make_user("secadmin", system_role=SystemRole.SECADMIN),
            "auditadmin": make_user("auditadmin", system_role=SystemRole.AUDITADMIN),
            "norole": make_user("norole"),
        },
    )
