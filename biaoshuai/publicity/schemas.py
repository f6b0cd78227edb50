"""API shapes of publicity points."""

from ninja import Schema

from biaoshuai.api.common import UnitRef


class UnitPointsOut(Schema):
    unit: UnitRef
    points: int
    pieces: int


class UnitPointsPage(Schema):
    items: list[UnitPointsOut]
    next_cursor: str | None
