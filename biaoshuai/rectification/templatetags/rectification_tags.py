from django import template

register = template.Library()


@register.filter
def label(key, names):
    """The display name of a campaign list key, e.g. {{ problem.dimension|label:dimensions }}."""
    return names.get(key, key) if key else ""


@register.filter
def urgency(item, today):
    return item.urgency(today)
