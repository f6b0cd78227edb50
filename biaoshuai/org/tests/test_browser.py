"""In a real browser: a liaison sees only their unit's cadres; the office imports a roster."""

import pytest

from biaoshuai.org.models import Person
from conftest import SCREENSHOTS, browser_login

from .workbooks import roster_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_liaison_sees_own_cadres_and_not_another_towns(phone_page, live_server, users, org):
    page = phone_page
    browser_login(page, live_server, "liaison_lishi")
    page.goto(f"{live_server.url}/org/cadres/")
    cards = page.locator("#person-table")
    # On a phone the list shows cards; the wide table is hidden.
    assert cards.get_by_text("王建国").filter(visible=True).count() == 1
    assert cards.get_by_text("李秀英").filter(visible=True).count() == 1
    assert cards.get_by_text("张伟").count() == 0
    assert cards.get_by_text("13812341234").filter(visible=True).count() == 1
    page.screenshot(path=SCREENSHOTS / "org_person_list_liaison_phone.png", full_page=True)

    page.goto(f"{live_server.url}/org/units/{org.lishi.pk}/")
    page.screenshot(path=SCREENSHOTS / "org_unit_detail_liaison_phone.png", full_page=True)

    response = page.goto(f"{live_server.url}/org/cadres/{org.people['zengji_a'].pk}/")
    assert response.status == 404
    assert page.get_by_text("张伟").count() == 0


def test_office_fixes_a_roster_and_imports_it(desktop_page, live_server, users, org, tmp_path):
    bad, good = tmp_path / "花名册.xlsx", tmp_path / "花名册-改.xlsx"
    units = [["城关镇", "县委组织部部机关", "乡镇", 5]]
    bad.write_bytes(
        roster_bytes(units, [["陈明", "城关镇", "男", "1982-07-01", "组织委员", "1351234"]])
    )
    good.write_bytes(
        roster_bytes(units, [["陈明", "城关镇", "男", "1982-07-01", "组织委员", "13512345678"]])
    )
    page = desktop_page
    browser_login(page, live_server, "office")
    page.goto(f"{live_server.url}/org/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    errors = page.locator("#import-errors")
    assert errors.is_visible()
    row = errors.locator("tbody tr").first
    assert row.locator("td").nth(0).inner_text() == "干部"
    assert row.locator("td").nth(1).inner_text() == "2"
    assert row.locator("td").nth(2).inner_text() == "F 手机号码"
    assert "11" in row.locator("td").nth(3).inner_text()
    page.screenshot(path=SCREENSHOTS / "org_roster_import_errors_desktop.png", full_page=True)
    assert not Person.objects.filter(name="陈明").exists()

    page.set_input_files("input[name=file]", str(good))
    page.click("main button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#import-summary").is_visible()
    assert Person.objects.filter(name="陈明", unit__name="城关镇").exists()
    page.goto(f"{live_server.url}/org/units/")
    assert page.get_by_text("城关镇").first.is_visible()
