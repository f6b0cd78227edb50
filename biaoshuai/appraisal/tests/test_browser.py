"""The self-check and appraisal badges are readable: measured in the browser, and shot."""

from django.urls import reverse

from biaoshuai.appraisal import services
from biaoshuai.core.tests.test_status_badge import contrast
from conftest import SCREENSHOTS, browser_login

from .factories import full_answers, self_check_submitted

BADGE_COLOURS = """() => [...document.querySelectorAll('.status-badge')].map(b => {
  const s = getComputedStyle(b);
  return [b.innerText.trim(), s.color, s.backgroundColor];
})"""


def _hex(rgb):
    r, g, b = (int(v) for v in rgb[rgb.index("(") + 1 : rgb.index(")")].split(",")[:3])
    return f"#{r:02x}{g:02x}{b:02x}"


def _readable(page, name):
    badges = page.evaluate(BADGE_COLOURS)
    assert badges, "no status badge on the page"
    for label, colour, background in badges:
        ratio = contrast(_hex(colour), _hex(background))
        assert ratio >= 4.5, f"{label}: {colour} on {background} = {ratio:.2f}"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOTS / f"{name}.png", full_page=True)
    return [label for label, _c, _b in badges]


def test_self_check_and_appraisal_badges_are_readable(
    desktop_page, live_server, campaign, org, users
):
    self_check_submitted(person=org.people["lishi_a"], campaign=campaign)
    services.self_check_save(
        person=org.people["lishi_b"],
        campaign=campaign,
        by=None,
        answers=full_answers(campaign),
        findings={},
    )
    open_one = services.appraisal_create(
        campaign=campaign, unit=org.lishi, period="2026年度", by=None
    )
    grading = services.appraisal_create(
        campaign=campaign, unit=org.zengji, period="2026年度", by=None
    )
    first, *others = grading.participants.select_related("person")
    services.peer_ballot_submit(
        appraisal=grading,
        assessor=first.person,
        grades={p.pk: "competent" for p in others},
        by=None,
    )
    services.appraisal_close_assessment(appraisal=grading, by=None, confirm_incomplete=True)

    page = desktop_page
    browser_login(page, live_server, users.office.username)
    page.goto(live_server.url + reverse("appraisal:appraisal_list"))
    labels = _readable(page, "appraisal_badges")
    assert {"评议中", "确定等次中"} <= set(labels)
    page.goto(live_server.url + reverse("appraisal:appraisal_detail", args=[open_one.pk]))
    _readable(page, "appraisal_detail_badge")
    page.goto(live_server.url + reverse("appraisal:self_check_unit", args=[org.lishi.pk]))
    labels = _readable(page, "self_check_unit_badges")
    assert "草稿" in labels
