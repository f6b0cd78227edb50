"""What every app's endpoints share: scope checks, field types, query parameters.

The lookups of a unit and of a campaign by id are their apps' (`org.api.unit_in_scope`,
`campaigns.api.campaign_or_current`): this layer sits below both."""

import datetime
from typing import Annotated

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from ninja import Field, Query, Schema
from pydantic import AfterValidator

from . import errors
from .auth import principal, require_scope, token_of  # noqa: F401  (re-exported)
from .services import api_call_record

MAX_ID = 2**53  # the largest id a JSON client can carry exactly
NUL_REFUSED = _("Text may not contain the NUL character.")


def _no_nul(value):
    if value is not None and "\x00" in value:
        raise ValueError(str(NUL_REFUSED))
    return value


Text = Annotated[str, AfterValidator(_no_nul)]
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

# Every date the API takes is one of these, so 9999-12-31 or 0001-01-01 never reaches a
# query or a record: `Date` for filters and plans, `PastDate` for a day something happened.
EARLIEST_DATE = datetime.date(2000, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)
DATE_OUT_OF_RANGE = _("Give a date from %(earliest)s to %(latest)s.")
DATE_IN_FUTURE = _("The date may not be later than today (%(today)s).")
DATE_BEFORE_CAMPAIGN = _("The date may not be before the campaign began (%(starts_on)s).")


def _date_in_range(value):
    if value is not None and not EARLIEST_DATE <= value <= LATEST_DATE:
        raise ValueError(
            str(DATE_OUT_OF_RANGE % {"earliest": EARLIEST_DATE, "latest": LATEST_DATE})
        )
    return value


def _date_not_future(value):
    today = timezone.localdate()
    if value is not None and value > today:
        raise ValueError(str(DATE_IN_FUTURE % {"today": today}))
    return value


Date = Annotated[datetime.date, AfterValidator(_date_in_range)]
PastDate = Annotated[
    datetime.date, AfterValidator(_date_in_range), AfterValidator(_date_not_future)
]


def check_not_before_campaign(field, value, campaign):
    """A 422 naming `field` when the date `value` is before `campaign` began."""
    if value is not None and value < campaign.starts_on:
        raise errors.invalid_fields(
            {field: DATE_BEFORE_CAMPAIGN % {"starts_on": campaign.starts_on}}
        )


class UnitRef(Schema):
    id: int
    name: str


class Problem(Schema):
    code: str
    message: str


def unit_ref(unit):
    return {"id": unit.pk, "name": unit.name} if unit is not None else None


ERRORS = {401: Problem, 403: Problem, 404: Problem, 422: Problem, 429: Problem}

# Query parameters every list takes (module-level: ninja reads them as defaults).
UNIT_PARAM = Query(None, description="This unit and the units below it")
CURSOR_PARAM = Query(None, max_length=500, description="next_cursor of the previous page")
LIMIT_PARAM = Query(50, ge=1, le=200)
KEY_PARAM = Query(None, max_length=50, pattern=r"^[a-z_]+$")


def call_record(request, status):
    """Write the call's "api_call" audit event now, in the caller's transaction, and spare
    the API's wrapper (config/api.py) writing it again after the response."""
    token = getattr(request, "api_token", None)
    user = getattr(request, "api_principal", None)
    if token is None and user is None:
        return
    api_call_record(
        token=token,
        user=user if token is None else None,
        method=request.method,
        path=request.path,
        status=status,
    )
    request.api_call_recorded = True
