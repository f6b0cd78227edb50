"""Who reaches each view: anonymous → login, wrong role → 403, other unit → 404, right role → 200."""

import pytest
from django.urls import reverse

from biaoshuai.core.roles import Role
from biaoshuai.core.testing import ANONYMOUS, assert_access
from biaoshuai.org.services import role_assign


def test_unit_list(client, users):
    assert_access(
        client,
        reverse("org:unit_list"),
        {ANONYMOUS: 302, users.norole: 403, users.liaison_lishi: 200, users.leader: 200},
    )


def test_unit_detail(client, users, org):
    url = reverse("org:unit_detail", args=[org.zengji.pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.liaison_lishi: 404,
            users.cadre_lishi: 404,
            users.liaison_zengji: 200,
            users.leader: 200,
        },
    )


def test_unit_create(client, users):
    assert_access(
        client,
        reverse("org:unit_create"),
        {
            ANONYMOUS: 302,
            users.leader: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 200,
            users.office: 200,
        },
    )


def test_unit_edit(client, users, org):
    url = reverse("org:unit_edit", args=[org.zengji.pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.leader: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 404,
            users.liaison_zengji: 200,
            users.office: 200,
            users.sysadmin: 200,
        },
    )


def test_person_list_and_export(client, users):
    for name in ("org:person_list", "org:person_export"):
        assert_access(
            client,
            reverse(name),
            {
                ANONYMOUS: 302,
                users.norole: 403,
                users.cadre_lishi: 200,
                users.liaison_lishi: 200,
                users.leader: 200,
            },
        )


def test_person_detail(client, users, org):
    url = reverse("org:person_detail", args=[org.people["zengji_a"].pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.liaison_lishi: 404,
            users.cadre_lishi: 404,
            users.liaison_zengji: 200,
            users.leader: 200,
        },
    )


def test_person_create(client, users):
    assert_access(
        client,
        reverse("org:person_create"),
        {ANONYMOUS: 302, users.leader: 403, users.cadre_lishi: 403, users.liaison_lishi: 200},
    )


def test_person_edit(client, users, org):
    url = reverse("org:person_edit", args=[org.people["zengji_a"].pk])
    assert_access(
        client,
        url,
        {
            ANONYMOUS: 302,
            users.leader: 403,
            users.cadre_lishi: 403,
            users.liaison_lishi: 404,
            users.liaison_zengji: 200,
            users.office: 200,
        },
    )


@pytest.mark.parametrize("name", ["org:roster_import", "org:roster_template"])
def test_roster_import_pages(client, users, name):
    assert_access(
        client,
        reverse(name),
        {
            ANONYMOUS: 302,
            users.leader: 403,
            users.cadre_lishi: 403,
            users.norole: 403,
            users.liaison_lishi: 200,
            users.office: 200,
        },
    )


def test_account_list_and_detail(client, users):
    for url in (reverse("org:user_list"), reverse("org:user_detail", args=[users.office.pk])):
        assert_access(
            client,
            url,
            {
                ANONYMOUS: 302,
                users.liaison_lishi: 403,
                users.leader: 403,
                users.secadmin: 403,
                users.office: 200,
                users.sysadmin: 200,
            },
        )
    assert_access(client, reverse("org:user_detail", args=[999999]), {users.sysadmin: 404})


def test_account_writes_are_for_the_sysadmin_only(client, users, org):
    assignment = role_assign(by=None, user=users.norole, unit=org.zengji, role=Role.CADRE)
    assert_access(
        client,
        reverse("org:user_create"),
        {ANONYMOUS: 302, users.office: 403, users.liaison_lishi: 403, users.sysadmin: 200},
    )
    assert_access(
        client,
        reverse("org:role_assign", args=[users.norole.pk]),
        {ANONYMOUS: 302, users.office: 403, users.sysadmin: 200},
    )
    for url in (
        reverse("org:role_revoke", args=[assignment.pk]),
        reverse("org:user_password_reset", args=[users.norole.pk]),
    ):
        assert_access(
            client,
            url,
            {ANONYMOUS: 302, users.office: 403, users.liaison_zengji: 403},
            method="post",
        )
    assert_access(
        client, reverse("org:role_revoke", args=[999999]), {users.sysadmin: 404}, method="post"
    )
