"""Phones are shown in full only to those who manage the cadre's unit."""

from django.urls import reverse

from biaoshuai.core.testing import login

FULL, MASKED = "13812341234", "138****1234"


def test_masked_property(org):
    assert org.people["lishi_a"].masked_phone == MASKED


def test_liaison_and_office_see_the_full_number(client, users, org):
    for user in (users.liaison_lishi, users.office):
        login(client, user)
        for url in (
            reverse("org:person_list"),
            reverse("org:person_detail", args=[org.people["lishi_a"].pk]),
            reverse("org:unit_detail", args=[org.lishi.pk]),
        ):
            page = client.get(url).content.decode()
            assert FULL in page and MASKED not in page, (user, url)


def test_leader_and_cadre_see_it_masked(client, users, org):
    for user in (users.leader, users.cadre_lishi):
        login(client, user)
        for url in (
            reverse("org:person_list"),
            reverse("org:person_detail", args=[org.people["lishi_a"].pk]),
            reverse("org:unit_detail", args=[org.lishi.pk]),
        ):
            page = client.get(url).content.decode()
            assert MASKED in page and FULL not in page, (user, url)
