"""Every practice view: anonymous → login, wrong role → 403, another unit → 404, right role → 200."""

import pytest
from django.urls import reverse

from biaoshuai.core.testing import ANONYMOUS, assert_access

from .conftest import discussion, pairing, pdf_file, placement, png_file, visit

pytestmark = pytest.mark.django_db


@pytest.fixture
def records(campaign, org, users):
    """Records of 李市镇: a discussion, cadre_lishi's pairing (with a visit and a photo) and
    placement (with a report), and a pairing of another 李市镇 cadre."""
    own_pairing = pairing(org.people["lishi_a"], by=users.cadre_lishi)
    return type(
        "Records",
        (),
        {
            "discussion": discussion(org.lishi, by=users.liaison_lishi),
            "pairing": own_pairing,
            "other_pairing": pairing(org.people["lishi_b"], paired_name="李市镇光明社区"),
            "visit": visit(own_pairing, files=[png_file()]),
            "placement": placement(org.people["lishi_a"], report=pdf_file()),
        },
    )


def url(name, *args):
    return reverse(f"practice:{name}", args=args)


@pytest.mark.parametrize(
    "name",
    [
        "discussion_list",
        "discussion_export",
        "pairing_list",
        "pairing_export",
        "visit_list",
        "visit_export",
        "placement_list",
        "placement_export",
    ],
)
def test_lists_and_exports(client, users, records, name):
    assert_access(
        client,
        url(name),
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.sysadmin: 404,  # 三员分立: no business page
            users.auditadmin: 404,  # 三员分立: no business page
            users.cadre_lishi: 200,
            users.liaison_zengji: 200,
            users.liaison_lishi: 200,
            users.leader: 200,
            users.office: 200,
        },
    )


def test_details_answer_404_to_another_unit(client, users, records):
    for target in [
        url("discussion_detail", records.discussion.pk),
        url("pairing_detail", records.pairing.pk),
        url("placement_detail", records.placement.pk),
        url("placement_report", records.placement.pk),
        url("attachment_download", records.visit.attachments.get().pk),
    ]:
        assert_access(
            client,
            target,
            {
                ANONYMOUS: 302,
                users.norole: 403,
                users.sysadmin: 404,  # 三员分立: no business page
                users.liaison_zengji: 404,
                users.cadre_lishi: 200,
                users.liaison_lishi: 200,
                users.leader: 200,
                users.office: 200,
            },
        )


def test_discussions_are_recorded_by_liaisons_and_the_office(client, users, records):
    assert_access(
        client,
        url("discussion_create"),
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.leader: 403,
            users.sysadmin: 404,  # 三员分立: no business page
            users.liaison_lishi: 200,
            users.office: 200,
        },
    )
    assert_access(
        client,
        url("discussion_edit", records.discussion.pk),
        {
            ANONYMOUS: 302,
            users.cadre_lishi: 403,
            users.leader: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 200,
            users.office: 200,
        },
    )


def test_cadres_record_their_own_pairings_visits_and_placements(client, users, records):
    for name in ("pairing_create", "placement_create"):
        assert_access(
            client,
            url(name),
            {
                ANONYMOUS: 302,
                users.leader: 403,
                users.sysadmin: 404,  # 三员分立: no business page
                users.norole: 403,
                users.cadre_lishi: 200,
                users.liaison_lishi: 200,
                users.office: 200,
            },
        )
    for target in [
        url("pairing_edit", records.pairing.pk),
        url("visit_create", records.pairing.pk),
        url("visit_edit", records.visit.pk),
        url("placement_edit", records.placement.pk),
    ]:
        assert_access(
            client,
            target,
            {
                ANONYMOUS: 302,
                users.leader: 403,
                users.norole: 403,
                users.liaison_zengji: 404,
                users.cadre_lishi: 200,
                users.liaison_lishi: 200,
                users.office: 200,
            },
        )
    # Another cadre's pairing in the same town: seen, but not cadre_lishi's to change.
    for target in [
        url("pairing_edit", records.other_pairing.pk),
        url("visit_create", records.other_pairing.pk),
    ]:
        assert_access(
            client,
            target,
            {users.cadre_lishi: 403, users.liaison_zengji: 404, users.liaison_lishi: 200},
        )


def test_exemplar_actions(client, users, records):
    propose = url("discussion_exemplar", records.discussion.pk, "propose")
    data = {"summary": "大讨论查找束缚，形成共识。", "disclosure": "public"}
    assert_access(
        client,
        propose,
        {
            ANONYMOUS: 302,
            users.norole: 403,
            users.sysadmin: 404,  # 三员分立: no business page
            users.cadre_lishi: 403,
            users.liaison_zengji: 404,
            users.liaison_lishi: 302,
        },
        method="post",
        data=data,
    )
    records.discussion.refresh_from_db()
    assert records.discussion.exemplar_status == "proposed"
    assert_access(client, propose, {users.liaison_lishi: 405})
    confirm = url("discussion_exemplar", records.discussion.pk, "confirm")
    assert_access(
        client,
        confirm,
        {
            ANONYMOUS: 302,
            users.liaison_lishi: 403,
            users.leader: 403,
            users.liaison_zengji: 404,
            users.office: 302,
        },
        method="post",
        data={"disclosure": "public", "summary": data["summary"]},
    )
    records.discussion.refresh_from_db()
    assert records.discussion.exemplar_status == "confirmed"
    # A cadre proposes their own pairing; an unknown action is not found.
    own = url("pairing_exemplar", records.pairing.pk, "propose")
    assert_access(client, own, {users.cadre_lishi: 302}, method="post", data=data)
    bogus = url("pairing_exemplar", records.pairing.pk, "publish")
    assert_access(client, bogus, {users.office: 404}, method="post")
    other = url("placement_exemplar", records.placement.pk, "decline")
    assert_access(client, other, {users.cadre_lishi: 403}, method="post")
