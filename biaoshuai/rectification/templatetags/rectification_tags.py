from django import template

register = template.Library()

STATE_CLASSES = {
    "planned": "text-bg-secondary",
    "in_progress": "text-bg-primary",
    "submitted": "text-bg-info",
    "returned": "text-bg-warning",
    "closed": "text-bg-success",
    "draft": "text-bg-secondary",
    "accepted": "text-bg-success",
    "pending": "text-bg-warning",
    "approved": "text-bg-success",
    "refused": "text-bg-danger",
}


@register.filter
def label(key, names):
    """The display name of a campaign list key, e.g. {{ problem.dimension|label:dimensions }}."""
    return names.get(key, key) if key else ""


@register.filter
def state_class(state):
    return STATE_CLASSES.get(state, "text-bg-light")


@register.filter
def urgency(item, today):
    return item.urgency(today)
