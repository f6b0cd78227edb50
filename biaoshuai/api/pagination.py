"""Cursor pagination (keyset): stable when rows are added while a client pages through.

Rows are ordered by a key ending in the primary key, e.g. (created_at, id); the cursor is
the last row's key, opaque to the client (base64url of JSON). Rows come oldest first, so a
client that keeps its last cursor later receives exactly what was added since.
"""

import base64
import binascii
import datetime
import json
from functools import reduce
from operator import or_

from django.db.models import Q

from . import errors

DEFAULT_LIMIT = 50
MAX_LIMIT = 200


def page(queryset, *, cursor=None, limit=DEFAULT_LIMIT, key=("created_at", "id")):  # noqa: B006
    """(rows, next_cursor): the rows after `cursor` in the order of `key`."""
    limit = max(1, min(int(limit or DEFAULT_LIMIT), MAX_LIMIT))
    queryset = queryset.order_by(*key)
    if cursor:
        queryset = queryset.filter(_after(key, cursor_decode(cursor, len(key))))
    rows = list(queryset[: limit + 1])
    more = len(rows) > limit
    rows = rows[:limit]
    next_cursor = cursor_encode([_value(rows[-1], name) for name in key]) if more and rows else None
    return rows, next_cursor


def cursor_encode(values):
    raw = json.dumps([_dump(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def cursor_decode(cursor, size):
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = [_load(v) for v in json.loads(raw)]
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeDecodeError) as exc:
        raise errors.ApiError(422, "invalid_cursor", errors.BAD_CURSOR) from exc
    if len(values) != size or not all(
        isinstance(v, int | datetime.date | datetime.datetime | str) for v in values
    ):
        raise errors.ApiError(422, "invalid_cursor", errors.BAD_CURSOR)
    if any(isinstance(v, int) and not 0 <= v < 2**63 for v in values):
        raise errors.ApiError(422, "invalid_cursor", errors.BAD_CURSOR)
    return values


def _after(key, values):
    # (a, b, c) > (x, y, z) as a disjunction, which every database plans with the index.
    clauses = []
    for i, name in enumerate(key):
        equal = {key[j]: values[j] for j in range(i)}
        clauses.append(Q(**equal, **{f"{name}__gt": values[i]}))
    return reduce(or_, clauses)


def _value(row, name):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def _dump(value):
    if isinstance(value, datetime.datetime):
        return {"t": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    return value


def _load(value):
    if isinstance(value, dict):
        if "t" in value:
            parsed = datetime.datetime.fromisoformat(value["t"])
            if parsed.tzinfo is None:
                raise ValueError("naive datetime")
            return parsed
        return datetime.date.fromisoformat(value["d"])
    if isinstance(value, str) and "\x00" in value:
        raise ValueError("NUL")
    if isinstance(value, bool) or value is None or isinstance(value, float):
        raise ValueError("bad key")
    return value
