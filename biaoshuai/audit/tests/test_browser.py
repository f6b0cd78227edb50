"""In a real browser: the audit administrator opens the chain page and an event's page."""

import pytest

from biaoshuai.audit.checkpoints import checkpoint_write
from biaoshuai.audit.services import audit_record
from biaoshuai.core.testing import login
from conftest import SCREENSHOTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_audit_administrator_checks_the_chain(desktop_page, live_server, client, users):
    from biaoshuai.appraisal.models import Appraisal

    event = audit_record(
        actor=users.office,
        action="create",
        object_type=Appraisal._meta.label_lower,
        changes={"participants": 12},
    )
    checkpoint_write()
    login(client, users.auditadmin)  # two-factor passed with a real TOTP device
    page = desktop_page
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto(f"{live_server.url}/audit/verify/")
    assert page.locator(".alert-success").count() == 1
    assert page.get_by_text("最近检查点").count() == 1
    page.screenshot(path=SCREENSHOTS / "audit_verify_desktop.png", full_page=True)

    response = page.goto(f"{live_server.url}/audit/{event.pk}/")
    assert response.status == 200
    page.screenshot(path=SCREENSHOTS / "audit_event_reverse_relation_desktop.png", full_page=True)
