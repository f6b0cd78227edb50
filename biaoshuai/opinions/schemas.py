"""API shapes of opinions: what a hotline platform pushes and what it reads back."""

import datetime

from ninja import Field, Schema

from biaoshuai.api.common import Id, PastDate, Text, UnitRef


class OpinionIn(Schema):
    content: Text = Field(..., min_length=1, max_length=5000, description="The opinion itself")
    external_id: Text = Field(
        "", max_length=100, description="The caller's own id (e.g. the hotline's ticket no.)"
    )
    channel: Text = Field(
        "",
        max_length=40,
        description="A channel key of the campaign; default: its channel with role `api`",
    )
    received_on: PastDate | None = Field(
        None, description="Default: today; not in the future nor before the campaign began"
    )
    unit_concerned: Id | None = Field(None, description="The unit the opinion is about")
    is_anonymous: bool = True
    name: Text = Field("", max_length=50)
    phone: Text = Field("", max_length=30)
    email: Text = Field("", max_length=254)


class OpinionPushOut(Schema):
    id: int
    external_id: str
    state: str
    received_on: datetime.date
    tracking_code: str = Field(..., description="Give it to the submitter: it shows the reply")


class OpinionOut(Schema):
    id: int
    external_id: str
    channel: str
    received_on: datetime.date
    state: str
    unit: UnitRef | None
    unit_concerned: UnitRef | None
    dimension: str
    deadline: datetime.date | None
    is_overdue: bool
    content: str | None = Field(None, description="Only for the opinions this token pushed")
    summary: str
    reply: str | None = Field(None, description="Once the reply is published")
    reply_published_at: datetime.datetime | None
    closed_at: datetime.datetime | None
    created_at: datetime.datetime


class OpinionPage(Schema):
    items: list[OpinionOut]
    next_cursor: str | None


class OpinionCounts(Schema):
    all: int
    overdue: int
    by_state: dict[str, int]
    by_channel: dict[str, int]
