from django import template
from django.utils import timezone

from biaoshuai.core.net import client_ip

from ..selectors import lockout_ends_at

register = template.Library()


@register.simple_tag
def lockout_retry(request, username):
    """When the lockout of `username` at the requesting address ends:
    {"at": aware datetime, "minutes": int}, or None when it is not locked there."""
    ends = lockout_ends_at(username=username, ip=client_ip(request))
    if ends is None:
        return None
    left = (ends - timezone.now()).total_seconds()
    return {"at": timezone.localtime(ends), "minutes": max(1, round(left / 60))}
