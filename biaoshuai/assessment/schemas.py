"""API shapes of assessment scores."""

import datetime

from ninja import Schema

from biaoshuai.api.common import UnitRef


class IndicatorOut(Schema):
    key: str
    name: str
    weight: float | None
    percent: float | None
    points: float | None


class ScoreOut(Schema):
    id: int
    unit: UnitRef
    period_start: datetime.date
    period_end: datetime.date
    total: float
    rank: int
    indicators: list[IndicatorOut]
    computed_at: datetime.datetime


class ScorePage(Schema):
    items: list[ScoreOut]
    next_cursor: str | None


class FigureOut(Schema):
    """A registered figure: the same value the pages show in data-value."""

    metric: str
    label: str
    campaign: int | None
    unit: str  # a unit id, or "all" for the caller's whole scope
    period: str  # YYYY-MM, or an ISO date for "as of"
    value: float | None


class FigureList(Schema):
    items: list[FigureOut]
