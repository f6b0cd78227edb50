"""Assessment fixtures: the seed's campaign, more townships, and test metrics registered in
place of the real ones (the real registry is restored after each test)."""

import pytest
from django.core.cache import cache
from django.utils import timezone

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.core.registry import Metric, registry
from biaoshuai.demo.loader import months_before
from biaoshuai.org.models import Unit
from biaoshuai.org.services import unit_create

# The real metrics while a test's own replace them: a template is validated against them.
_REAL = {}


@pytest.fixture
def campaign(db):
    in_use = registry.metrics
    registry.metrics = _REAL.get("metrics", in_use)
    try:
        return campaign_create_from_template(
            template_key="jiangdangxing",
            starts_on=months_before(timezone.localdate(), 3),
            by=None,
            make_current=True,
        )
    finally:
        registry.metrics = in_use


@pytest.fixture
def towns(org):
    """Two more townships, so rankings have four units: 李市镇, 曾集镇, 新河镇, 白庙乡."""
    return {
        "xinhe": unit_create(
            by=None, name="新河镇", kind=Unit.Kind.TOWNSHIP, parent=org.department
        ),
        "baimiao": unit_create(
            by=None, name="白庙乡", kind=Unit.Kind.TOWNSHIP, parent=org.department
        ),
    }


class FakeMetrics:
    """Registers metrics whose by_unit answers from a dict the test sets."""

    def __init__(self):
        self.values = {}
        self.calls = []

    def add(self, key, values, *, kind="percent", periodic=False, url_name="", breakdown=None):
        self.values[key] = values

        def total(*, user, campaign=None):
            known = [v for v in self.values[key].values() if v is not None]
            return sum(known) if known else None

        if periodic:

            def by_unit(*, campaign=None, unit_ids, period_start=None, period_end=None):
                self.calls.append((key, period_start, period_end))
                return {u: self.values[key].get(u) for u in unit_ids if u in self.values[key]}

        else:

            def by_unit(*, campaign=None, unit_ids):
                self.calls.append((key, None, None))
                return {u: self.values[key].get(u) for u in unit_ids if u in self.values[key]}

        extra = {"breakdown": breakdown} if breakdown is not None else {}
        registry.metrics[key] = Metric(
            key, key, total, by_unit=by_unit, kind=kind, url_name=url_name, **extra
        )


@pytest.fixture
def metrics():
    cache.clear()  # the dashboard keeps the breakdowns for a few minutes
    saved = registry.metrics
    _REAL["metrics"] = saved
    registry.metrics = {}
    try:
        yield FakeMetrics()
    finally:
        registry.metrics = saved
        _REAL.pop("metrics", None)
