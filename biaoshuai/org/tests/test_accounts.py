"""Account management by the system administrator: logins for cadres, roles, password resets."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from biaoshuai.core.roles import Role
from biaoshuai.core.testing import login
from biaoshuai.org.forms import USERNAME_TAKEN
from biaoshuai.org.models import RoleAssignment
from biaoshuai.org.services import initial_password


def test_sysadmin_creates_a_login_for_a_cadre(client, users, org):
    person = org.people["zengji_a"]
    login(client, users.sysadmin)
    response = client.post(
        reverse("org:user_create"),
        {"person": person.pk, "username": "zhangwei", "role": Role.LIAISON, "unit": org.zengji.pk},
    )
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    password = response.context["password"]
    assert password in response.content.decode()
    account = get_user_model().objects.get(username="zhangwei")
    assert account.check_password(password) and account.must_change_password
    assert account.name == "张伟"
    person.refresh_from_db()
    assert person.user == account
    assert RoleAssignment.objects.filter(user=account, unit=org.zengji, role=Role.LIAISON).exists()
    # The password is not shown again anywhere.
    page = client.get(reverse("org:user_detail", args=[account.pk])).content.decode()
    assert password not in page


def test_username_taken_keeps_the_input(client, users, org):
    login(client, users.sysadmin)
    response = client.post(
        reverse("org:user_create"),
        {"person": org.people["zengji_a"].pk, "username": "Office"},
    )
    assert str(USERNAME_TAKEN) in response.content.decode()
    assert 'value="Office"' in response.content.decode()


def test_people_with_a_login_are_not_offered(users, org):
    from biaoshuai.org.forms import AccountCreateForm

    form = AccountCreateForm(user=users.sysadmin)
    names = set(form.fields["person"].queryset.values_list("name", flat=True))
    assert "王建国" not in names and "张伟" in names


def test_assign_and_revoke_a_role(client, users, org):
    login(client, users.sysadmin)
    response = client.post(
        reverse("org:role_assign", args=[users.norole.pk]),
        {"role": Role.OFFICE, "unit": org.department.pk},
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=users.norole)
    assert assignment.role == Role.OFFICE
    response = client.post(reverse("org:role_revoke", args=[assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=users.norole).exists()


def test_password_reset_shows_a_new_initial_password_once(client, users):
    login(client, users.sysadmin)
    response = client.post(reverse("org:user_password_reset", args=[users.norole.pk]))
    assert response.status_code == 200
    password = response.context["password"]
    users.norole.refresh_from_db()
    assert users.norole.check_password(password) and users.norole.must_change_password


def test_office_sees_accounts_without_edit_buttons(client, users):
    login(client, users.office)
    page = client.get(reverse("org:user_detail", args=[users.liaison_lishi.pk])).content.decode()
    assert "李市镇" in page
    assert reverse("org:user_password_reset", args=[users.liaison_lishi.pk]) not in page


def test_initial_passwords_pass_the_policy():
    from django.contrib.auth.password_validation import validate_password

    for _ in range(20):
        validate_password(initial_password())
