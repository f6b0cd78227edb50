"""API shapes of a campaign and its phases."""

import datetime

from ninja import Schema


class PhaseOut(Schema):
    key: str
    order: int
    name: str
    starts_on: datetime.date
    ends_on: datetime.date
    step_count: int
    done_count: int


class CampaignOut(Schema):
    id: int
    name: str
    short_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    is_current: bool
    current_phase: str | None
    phases: list[PhaseOut]


class CampaignSummaryOut(Schema):
    id: int
    name: str
    short_name: str
    starts_on: datetime.date
    ends_on: datetime.date
    is_current: bool
    under_way: bool
