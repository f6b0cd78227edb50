"""{% status_badge value label %}: the one way a template shows a status.

Loaded for every template (TEMPLATES builtins). Optional: tone="warning" where a value
means something else in one place, css="fs-6" for extra classes, id="item-state",
count=3 shown after the label.
"""

from django import template

from biaoshuai.core.status import status_tone

register = template.Library()


@register.inclusion_tag("components/status_badge.html")
def status_badge(status, label, *, tone=None, css="", id="", count=None):
    return {
        "status": status,
        "label": label,
        "tone": status_tone(status, tone),
        "css": css,
        "id": id,
        "count": count,
    }
