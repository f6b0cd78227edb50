"""Fixtures shared by every app's tests: a small unit tree, one user per role, a browser."""

import datetime
import os
import shutil
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine

from biaoshuai.accounts.services import user_create
from biaoshuai.core.roles import Role, SystemRole
from biaoshuai.org.models import Unit
from biaoshuai.org.services import person_create, role_assign, unit_create

PASSWORD = "Test-pass-2026"
SCREENSHOTS = Path(__file__).parent / "test-artifacts" / "screenshots"
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# there are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# Every test runs on the same day, whatever the calendar says: figures by month, deadlines
# and "overdue" all depend on today. The clock ticks from there, so timeouts still work.
# A test that needs another day travels from here with `time_machine.travel`.
PINNED_NOW = datetime.datetime(2026, 11, 18, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


_clock = time_machine.travel(PINNED_NOW, tick=True)


def pytest_configure(config):
    # From the start of the session, so session-wide fixtures (the demo data) share the day.
    _clock.start()


def pytest_unconfigure(config):
    _clock.stop()


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


# Flags for Chromium on a machine with no outside network (see README, "Browser tests").
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser():
    """Chromium driven by Playwright: the system's `chromium` when there is one."""
    from playwright.sync_api import sync_playwright

    executable = shutil.which("chromium") or shutil.which("chromium-browser")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@pytest.fixture
def phone_page(browser, live_server, request):
    """A page at a phone's viewport; its last screen is saved under test-artifacts/."""
    yield from _page(browser, request, viewport={"width": 390, "height": 844}, is_mobile=True)


@pytest.fixture
def desktop_page(browser, live_server, request):
    yield from _page(browser, request, viewport={"width": 1366, "height": 900})


def _page(browser, request, **options):
    context = browser.new_context(locale="zh-CN", **options)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{request.node.name}.png", full_page=True)
    context.close()


def browser_login(page, live_server, username, password=PASSWORD):
    """Log in through the real login page."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def pick(page, name, typed):
    """Chooses in a unit or cadre picker (Tom Select) by typing, as a user does: the match
    whose name is what was typed (the unit shown beside it aside)."""
    wrapper = page.locator(f"select[name={name}] + .ts-wrapper")
    wrapper.locator("input").first.fill(typed)
    options = wrapper.locator(".ts-dropdown .option")
    options.filter(has_text=typed).first.wait_for()
    names = options.evaluate_all(
        "els => els.map(e => { const c = e.cloneNode(true);"
        " c.querySelectorAll('small').forEach(s => s.remove()); return c.textContent.trim(); })"
    )
    assert typed in names, names
    options.nth(names.index(typed)).click()
