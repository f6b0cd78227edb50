"""API shapes of problems and rectification items."""

import datetime

from ninja import Schema

from biaoshuai.api.common import UnitRef


class ProblemOut(Schema):
    id: int
    unit: UnitRef
    dimension: str
    area: str
    description: str
    severity: str
    item_count: int
    closed_count: int
    created_at: datetime.datetime


class ProblemPage(Schema):
    items: list[ProblemOut]
    next_cursor: str | None


class ItemOut(Schema):
    id: int
    problem_id: int
    parent_id: int | None
    unit: UnitRef
    dimension: str
    measure: str
    kind: str
    deadline: datetime.date
    state: str
    progress: int
    closed_on: datetime.date | None
    is_overdue: bool
    created_at: datetime.datetime


class ItemPage(Schema):
    items: list[ItemOut]
    next_cursor: str | None
