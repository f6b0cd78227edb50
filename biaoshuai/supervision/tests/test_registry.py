"""What supervision registers, and its figures by unit in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from biaoshuai.core.registry import registry
from biaoshuai.org.models import Unit
from biaoshuai.org.services import unit_create
from biaoshuai.supervision.models import Bulletin

from .conftest import issue

pytestmark = pytest.mark.django_db
KEYS = ["supervision.on_time_rate", "supervision.overdue", "reports.missing", "reports.late"]


def test_registered():
    for key in KEYS:
        assert registry.metrics[key].by_unit is not None
    assert registry.metrics["supervision.on_time_rate"].kind == "percent"
    assert registry.portal_sections["supervision.bulletins"].url_name == (
        "supervision_public:bulletin_list"
    )
    assert registry.disclosables["supervision.bulletin"].model is Bulletin


@pytest.mark.parametrize("key", KEYS)
def test_by_unit_in_a_fixed_number_of_queries(users, org, campaign, key):
    by_unit = registry.metrics[key].by_unit

    def run():
        ids = list(Unit.objects.values_list("pk", flat=True))
        with CaptureQueriesContext(connection) as ctx:
            values = by_unit(campaign=campaign, unit_ids=ids)
        assert set(values) == set(ids)
        return len(ctx.captured_queries)

    before = run()
    for n in range(4):
        unit = unit_create(by=None, name=f"镇{n}", kind=Unit.Kind.TOWNSHIP, parent=org.department)
        issue(users, [unit, org.lishi], campaign=campaign, subject=f"事项{n}")
    assert run() == before


def test_totals_within_scope(users, org, campaign):
    metric = registry.metrics["supervision.overdue"]
    assert metric.total(user=users.norole, campaign=campaign) is None
    assert metric.total(user=users.office, campaign=campaign) == 0
    missing = registry.metrics["reports.missing"]
    assert missing.total(user=users.liaison_lishi, campaign=campaign) <= missing.total(
        user=users.office, campaign=campaign
    )
