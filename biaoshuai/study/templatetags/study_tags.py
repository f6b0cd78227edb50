from django import template

register = template.Library()


@register.filter
def rate_class(rate):
    """Green from 90 %, amber from 60 %, red below."""
    if not isinstance(rate, int | float):
        return "text-muted"
    if rate >= 90:
        return "rate-high"
    if rate >= 60:
        return "rate-mid"
    return "rate-low"


@register.filter
def get_item(mapping, key):
    return mapping.get(key) if mapping else None


@register.simple_tag
def sort_link(current, key):
    """The sort parameter a column header links to: ascending first, then descending."""
    if current == f"-{key}":
        return key
    if current == key:
        return f"-{key}"
    return f"-{key}" if key != "name" else key
