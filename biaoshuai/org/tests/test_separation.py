"""三员分立 in the services: a system role's account holds nothing else, and the reverse."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from biaoshuai.accounts.services import user_create, user_system_role_set
from biaoshuai.core.roles import Role, SystemRole
from biaoshuai.core.testing import login
from biaoshuai.org.models import RoleAssignment
from biaoshuai.org.services import person_update, role_assign
from conftest import PASSWORD


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
@pytest.mark.parametrize("role", Role.values)
def test_a_system_role_gets_no_campaign_role(users, org, name, role):
    with pytest.raises(ValidationError) as exc:
        role_assign(by=users.sysadmin, user=getattr(users, name), unit=org.lishi, role=role)
    assert "三员" in " ".join(exc.value.messages)
    assert not RoleAssignment.objects.filter(user=getattr(users, name)).exists()


@pytest.mark.parametrize("name", ["sysadmin", "secadmin", "auditadmin"])
def test_a_system_role_is_linked_to_no_cadre(users, org, name):
    with pytest.raises(ValidationError) as exc:
        person_update(person=org.people["zengji_a"], by=None, user=getattr(users, name))
    assert "三员" in " ".join(exc.value.messages)
    org.people["zengji_a"].refresh_from_db()
    assert org.people["zengji_a"].user_id is None


@pytest.mark.parametrize("name", ["liaison_lishi", "office", "leader", "cadre_lishi"])
@pytest.mark.parametrize("system_role", [r for r in SystemRole.values if r])
def test_a_campaign_role_gets_no_system_role(users, name, system_role):
    user = getattr(users, name)
    with pytest.raises(ValidationError) as exc:
        user_system_role_set(user=user, system_role=system_role, by=None)
    assert "三员" in " ".join(exc.value.messages)
    user.refresh_from_db()
    assert user.system_role == ""


def test_no_account_holds_two_system_roles(users):
    for other in (SystemRole.SECADMIN, SystemRole.AUDITADMIN):
        with pytest.raises(ValidationError) as exc:
            user_system_role_set(user=users.sysadmin, system_role=other, by=None)
        assert "三员" in " ".join(exc.value.messages)
    users.sysadmin.refresh_from_db()
    assert users.sysadmin.system_role == SystemRole.SYSADMIN


def test_an_account_without_roles_may_take_one_system_role(users):
    user_system_role_set(user=users.norole, system_role=SystemRole.AUDITADMIN, by=None)
    users.norole.refresh_from_db()
    assert users.norole.system_role == SystemRole.AUDITADMIN
    with pytest.raises(ValidationError):
        user_create(username="x", password=PASSWORD, by=None, system_role="root")


def test_assigning_a_role_to_a_system_account_shows_why(client, users, org):
    login(client, users.sysadmin)
    url = reverse("org:role_assign", args=[users.auditadmin.pk])
    response = client.post(url, {"role": Role.OFFICE, "unit": org.department.pk})
    assert response.status_code == 200
    assert "三员" in response.content.decode()
    assert response.context["form"]["role"].value() == Role.OFFICE  # kept what was typed
    assert not RoleAssignment.objects.filter(user=users.auditadmin).exists()
    page = client.get(reverse("org:user_detail", args=[users.auditadmin.pk])).content.decode()
    assert reverse("org:role_assign", args=[users.auditadmin.pk]) not in page


def test_the_database_check_finds_accounts_written_around_the_services(users, org):
    from django.core import checks

    assert checks.run_checks(databases=["default"], tags=[checks.Tags.database]) == []
    RoleAssignment.objects.create(user=users.secadmin, unit=org.lishi, role=Role.CADRE)
    found = checks.run_checks(databases=["default"], tags=[checks.Tags.database])
    assert [e.id for e in found] == ["org.E001"] and "secadmin" in found[0].msg
