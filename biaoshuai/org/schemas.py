"""API shapes of units."""

from ninja import Schema


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    depth: int
    is_active: bool


class UnitPage(Schema):
    items: list[UnitOut]
    next_cursor: str | None
