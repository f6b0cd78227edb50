"""A logged-in session gets from the API what it gets from the page showing the same records.

Every endpoint of config/api.py is listed with its page; for every role, the session's
answer on the API agrees with the page's: 200 where the page opens, 403 where the page
refuses the role, 404 where the record is out of scope or the role is a system role.
"""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from biaoshuai.assessment.services import score_period_compute
from biaoshuai.core.testing import login
from biaoshuai.opinions.services import opinion_assign, opinion_record
from biaoshuai.rectification.services import item_create, problem_create
from config.api import api

ROLES = [
    "leader",
    "office",
    "liaison_lishi",
    "liaison_zengji",
    "cadre_lishi",
    "norole",
    "sysadmin",
    "secadmin",
    "auditadmin",
]
# (method, API path) -> (page URL name, the record whose pk the page and the API take)
PAGES = {
    ("GET", "/org/units"): ("org:unit_list", None),
    ("GET", "/org/units/{unit_id}"): ("org:unit_detail", "unit"),
    ("GET", "/campaigns"): ("campaigns:campaign_list", None),
    ("GET", "/campaigns/current"): ("campaigns:current_plan", None),
    ("GET", "/campaigns/{campaign_id}"): ("campaigns:campaign_detail", "campaign"),
    ("GET", "/study/completion"): ("study:completion", None),
    ("POST", "/opinions"): ("opinions:create", None),
    ("GET", "/opinions"): ("opinions:list", None),
    ("GET", "/opinions/counts"): ("opinions:list", None),
    ("GET", "/opinions/{opinion_id}"): ("opinions:detail", "opinion"),
    ("GET", "/rectification/problems"): ("rectification:problem_list", None),
    ("GET", "/rectification/problems/{problem_id}"): ("rectification:problem_detail", "problem"),
    ("GET", "/rectification/items"): ("rectification:item_list", None),
    ("GET", "/rectification/items/{item_id}"): ("rectification:item_detail", "item"),
    ("GET", "/assessment/scores"): ("assessment:ranking", None),
    # The figures the home page shows, to anyone with units in scope (as the ledger).
    ("GET", "/assessment/figures"): ("rectification:ledger", None),
    ("GET", "/publicity/points"): ("publicity:leaderboard", None),
}


def _endpoints():
    found = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                for method in operation.methods:
                    found.append((method, f"{prefix}{path}".rstrip("/") or prefix))
    return found


def test_every_endpoint_names_its_page():
    assert sorted(_endpoints()) == sorted(PAGES)


@pytest.fixture
def records(users, org, campaign):
    office = users.office
    problem = problem_create(
        by=office,
        unit=org.lishi,
        campaign=campaign,
        dimension="exemplary_role",
        description="服务基层不够主动",
    )
    item = item_create(
        by=office,
        problem=problem,
        measure="建立走访台账",
        unit=org.lishi,
        kind="by_deadline",
        deadline=timezone.localdate() + datetime.timedelta(days=30),
    )
    opinion, _code = opinion_record(
        by=office,
        campaign=campaign,
        channel="hotline",
        received_on=timezone.localdate(),
        content="办事窗口午休时间无人值守。",
    )
    opinion_assign(
        opinion=opinion,
        by=office,
        unit=org.lishi,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
    )
    today = timezone.localdate()
    score_period_compute(campaign=campaign, period_start=today.replace(day=1), period_end=today)
    return {
        "unit": org.lishi,
        "campaign": campaign,
        "problem": problem,
        "item": item,
        "opinion": opinion,
    }


def _page_url(name, record):
    if name == "rectification:item_list":
        return reverse("rectification:ledger")
    return reverse(name, args=[record.pk] if record is not None else [])


def _api_url(path, record):
    if record is not None:
        path = path.split("{")[0] + str(record.pk)
    return "/api/v1" + path


OPINION = {"channel": "hotline", "content": "反映办事窗口午休无人值守。", "is_anonymous": True}


def _outcome(status):
    """What the caller learns: allowed, refused for the role, or nothing there."""
    if status in (200, 201, 422):
        return "allowed"
    return {403: "forbidden", 404: "not found"}.get(status, str(status))


@pytest.mark.parametrize("endpoint", sorted(PAGES), ids=lambda e: f"{e[0]} {e[1]}")
def test_session_answers_as_the_page(client, users, records, endpoint):
    method, path = endpoint
    name, key = PAGES[endpoint]
    record = records[key] if key else None
    page, url = _page_url(name, record), _api_url(path, record)
    disagreements = []
    for role in ROLES:
        client.logout()
        login(client, getattr(users, role))
        on_page = client.get(page).status_code
        if method == "POST":
            on_api = client.post(url, OPINION, content_type="application/json").status_code
        else:
            on_api = client.get(url).status_code
        if _outcome(on_page) != _outcome(on_api):
            disagreements.append(f"{role}: page {page} {on_page}, API {on_api}")
    assert disagreements == []


def test_cadre_lishi_reads_no_opinions_on_either_path(client, users, records):
    login(client, users.cadre_lishi)
    assert client.get(reverse("opinions:list")).status_code == 403
    response = client.get("/api/v1/opinions")
    assert response.status_code == 403
    assert response.json()["code"] == "forbidden"
    assert client.get("/api/v1/assessment/scores").status_code == 403
    assert client.get("/api/v1/study/completion").status_code == 403


def test_tokens_keep_their_scopes_and_unit(client, org, records):
    from biaoshuai.api.testing import auth, make_token

    _token, secret = make_token(unit=org.zengji)
    response = client.get(f"/api/v1/opinions/{records['opinion'].pk}", **auth(secret))
    assert response.status_code == 404  # another unit's opinion
    assert client.get("/api/v1/opinions", **auth(secret)).status_code == 200
    _token, secret = make_token(unit=org.lishi, scopes=["stats:read"])
    assert client.get("/api/v1/opinions", **auth(secret)).status_code == 403
    assert client.get("/api/v1/assessment/scores", **auth(secret)).status_code == 200
