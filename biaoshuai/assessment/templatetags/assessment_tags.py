from urllib.parse import urlencode

from django import template
from django.urls import NoReverseMatch, reverse

register = template.Library()


@register.simple_tag
def sort_link(current, key):
    """The sort a column header links to: its first direction, then the other."""
    if current == key:
        return f"-{key}"
    if current == f"-{key}":
        return key
    return f"-{key}" if key == "total" else key


@register.simple_tag
def records_url(url_name, unit=None):
    """The page of the records behind a figure, filtered to the unit where it can be."""
    if not url_name:
        return ""
    try:
        url = reverse(url_name)
    except NoReverseMatch:
        return ""
    return f"{url}?{urlencode({'unit': unit.pk})}" if unit is not None else url


@register.filter
def score_class(value, warn_below=60):
    """Colour of a score (0–100): red under the template's threshold (60 by default),
    amber under 80."""
    if value is None:
        return "text-muted"
    value = float(value)
    if value < float(warn_below if warn_below not in (None, "") else 60):
        return "text-danger fw-semibold"
    if value < 80:
        return "text-warning-emphasis"
    return "text-success"


@register.filter
def points_of(row, key):
    """The points a snapshot row earned on indicator `key`."""
    return (row.detail or {}).get("points", {}).get(key)
