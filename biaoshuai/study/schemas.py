"""API shapes of study completion figures."""

import datetime

from ninja import Schema

from biaoshuai.api.common import UnitRef


class CompletionOut(Schema):
    id: int
    unit: UnitRef
    column: str
    expected: int
    done: int
    rate: float | None
    computed_at: datetime.datetime


class CompletionPage(Schema):
    items: list[CompletionOut]
    next_cursor: str | None
