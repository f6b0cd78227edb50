from django import template
from django.utils.html import format_html
from django.utils.translation import pgettext

register = template.Library()

STATE_CLASSES = {
    "issued": "text-bg-secondary",
    "signed": "text-bg-info",
    "replied": "text-bg-primary",
    "returned": "text-bg-warning",
    "accepted": "text-bg-success",
    "submitted": "text-bg-primary",
    "reviewed": "text-bg-success",
    "draft": "text-bg-secondary",
    "approved": "text-bg-info",
    "published": "text-bg-success",
}
CELL_CLASSES = {
    "on_time": "text-bg-success",
    "late": "text-bg-warning",
    "missing": "text-bg-danger",
    "pending": "text-bg-light border",
}


@register.simple_tag
def state_badge(obj):
    """The record's state as a coloured badge."""
    return format_html(
        '<span class="badge {} state-badge">{}</span>',
        STATE_CLASSES.get(obj.state, "text-bg-secondary"),
        obj.get_state_display(),
    )


@register.simple_tag
def warning_badge(task):
    """Yellow when due within three days, red when overdue; nothing otherwise."""
    code = task.warning()
    if code == "red":
        return format_html(
            '<span class="badge text-bg-danger warning-red"><i class="bi bi-alarm"></i> {}</span>',
            pgettext("supervision warning", "Overdue"),
        )
    if code == "yellow":
        return format_html(
            '<span class="badge text-bg-warning warning-yellow"><i class="bi bi-hourglass-split"></i> {}</span>',
            pgettext("supervision warning", "Due soon"),
        )
    return ""


@register.filter
def cell_class(status):
    return CELL_CLASSES.get(status, "")


@register.filter
def paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
