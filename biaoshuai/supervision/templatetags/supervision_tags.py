from django import template
from django.template.loader import render_to_string
from django.utils.translation import pgettext

from biaoshuai.core.status import status_tone

register = template.Library()


def _badge(status, label, *, css=""):
    return render_to_string(
        "components/status_badge.html",
        {"status": status, "label": label, "tone": status_tone(status), "css": css},
    )


@register.simple_tag
def state_badge(obj):
    """The record's state as the common status badge."""
    return _badge(obj.state, obj.get_state_display(), css="state-badge")


@register.simple_tag
def warning_badge(task):
    """Yellow when due within three days, red when overdue; nothing otherwise."""
    code = task.warning()
    if code == "red":
        return _badge("overdue", pgettext("supervision warning", "Overdue"), css="warning-red")
    if code == "yellow":
        return _badge("due_soon", pgettext("supervision warning", "Due soon"), css="warning-yellow")
    return ""


@register.filter
def paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
