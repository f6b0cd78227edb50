"""The audit administrator's pages: who reaches them, what they filter, what they cost."""

from datetime import timedelta

import pytest
from django.utils import timezone

from biaoshuai.audit.models import AuditEvent
from biaoshuai.audit.services import audit_record
from biaoshuai.core.testing import ANONYMOUS, assert_constant_queries, assert_route_access, login

pytestmark = pytest.mark.django_db


def others_forbidden(users):
    return {
        ANONYMOUS: 302,
        users.office: 403,
        users.leader: 403,
        users.cadre_lishi: 403,
        users.sysadmin: 403,
        users.secadmin: 403,
        users.auditadmin: 200,
    }


@pytest.mark.parametrize(
    ("route", "url"), [("audit:event_list", "/audit/"), ("audit:verify", "/audit/verify/")]
)
def test_only_the_audit_administrator_reaches_the_logs(client, users, route, url):
    assert_route_access(client, users, route, url, extra=others_forbidden(users))


def test_only_the_audit_administrator_reads_an_event(client, users):
    event = AuditEvent.objects.latest("id")
    assert_route_access(
        client, users, "audit:event_detail", f"/audit/{event.pk}/", extra=others_forbidden(users)
    )


def test_the_logs_cannot_be_written_through_the_application(client, users):
    login(client, users.auditadmin)
    event = AuditEvent.objects.latest("id")
    for url in ("/audit/", f"/audit/{event.pk}/"):
        assert client.post(url, {"note": "x"}).status_code == 405
        assert client.delete(url).status_code == 405


def test_the_detail_shows_fields_before_and_after(client, users, org):
    from biaoshuai.org.services import unit_update

    unit_update(unit=org.zengji, by=users.office, name="曾集镇人民政府")
    event = AuditEvent.objects.filter(object_type="org.unit", action="update").latest("id")
    login(client, users.auditadmin)
    response = client.get(f"/audit/{event.pk}/")
    assert [row[1:] for row in response.context["changes"]] == [("曾集镇", "曾集镇人民政府")]
    assert response.context["changes"][0][0] != "name"  # the field's verbose name is shown
    page = response.content.decode()
    assert page.index(">曾集镇</td>") < page.index(">曾集镇人民政府</td>")


def test_the_audit_log_filters(client, users):
    audit_record(actor=users.office, action="delete", object_type="org.person", object_repr="张伟")
    audit_record(actor=users.leader, action="export", object_type="org.unit", object_repr="李市镇")
    login(client, users.auditadmin)

    def shown(**query):
        response = client.get("/audit/", query)
        assert response.status_code == 200
        return {e.object_repr for e in response.context["page"].object_list}

    assert shown(actor="office", action="delete") == {"张伟"}
    assert shown(object_type="org.unit", action="export") == {"李市镇"}
    assert shown(text="张伟") >= {"张伟"}
    today = timezone.localdate()
    assert "李市镇" in shown(date_from=today.isoformat(), date_to=today.isoformat())
    assert shown(date_from=(today + timedelta(days=1)).isoformat()) == set()
    reversed_range = client.get(
        "/audit/",
        {"date_from": today.isoformat(), "date_to": (today - timedelta(days=1)).isoformat()},
    )
    assert reversed_range.context["form"].errors["date_to"]


def test_the_audit_log_list_costs_the_same_with_more_rows(client, users):
    login(client, users.auditadmin)

    def add_rows():
        for i in range(30):
            audit_record(
                actor=users.office, action="update", object_type="org.unit", changes={"i": [i, i]}
            )

    assert_constant_queries(client, "/audit/", add_rows)


def test_the_chain_page_reports_the_state(client, users):
    login(client, users.auditadmin)
    assert client.get("/audit/verify/").context["broken"] is None


def test_the_navigation_shows_the_logs_to_the_audit_administrator_only(client, users):
    login(client, users.auditadmin)
    keys = {item.key for item in client.get("/").context["nav_items"]}
    assert {"audit_log", "login_log"} <= keys
    login(client, users.secadmin)
    keys = {item.key for item in client.get("/").context["nav_items"]}
    assert not {"audit_log", "login_log"} & keys


def test_the_chain_page_reports_a_mismatch_with_the_checkpoint(client, users):
    from django.db import connection

    from biaoshuai.audit.checkpoints import checkpoint_write
    from biaoshuai.audit.models import AuditHead

    events = [audit_record(actor=users.office, action="update", object_type="org.unit")]
    events.append(audit_record(actor=users.office, action="update", object_type="org.unit"))
    checkpoint_write()
    login(client, users.auditadmin)
    page = client.get("/audit/verify/")
    assert page.context["broken"] is None and page.context["checkpoint"]["event_id"] == events[1].pk
    with connection.cursor() as cursor:
        table = AuditEvent._meta.db_table
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f"DROP TRIGGER audit_event_append_only ON {table}")
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [events[1].pk])
    AuditHead.objects.filter(pk=1).update(last_hash=events[0].hash)
    page = client.get("/audit/verify/")
    assert page.context["broken"].kind == "checkpoint"
    assert "removed from the end" in page.content.decode()
