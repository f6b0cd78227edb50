from django import template
from django.utils import timezone

register = template.Library()


@register.simple_tag
def lockout_retry(cooloff):
    """When a lockout shown now ends: {"at": aware datetime, "minutes": int}.

    axes restarts the cool-off on every attempt made during a lockout, so the lockout page
    (shown in answer to such an attempt) ends exactly one cool-off from now.
    """
    if not cooloff:
        return None
    return {
        "at": timezone.localtime(timezone.now() + cooloff),
        "minutes": max(1, round(cooloff.total_seconds() / 60)),
    }
