"""The client's network address, as seen through the reverse proxies we trust.

Behind nginx or HAProxy every request comes from the proxy; the client is the right-most
address in X-Forwarded-For that is not one of our proxies. Addresses in that header are
believed only when the request came from a trusted proxy, so a client cannot forge its own.
Rate limits, survey caps, login lockout and the login log all use `client_ip`.
"""

import ipaddress
from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=8)
def _networks(proxies):
    return tuple(ipaddress.ip_network(p, strict=False) for p in proxies)


def _trusted(address):
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in net for net in _networks(tuple(settings.TRUSTED_PROXIES)))


def client_ip(request):
    """The client's address ("" when unknown)."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    if not _trusted(address):
        return address
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [h.strip() for h in forwarded.split(",") if h.strip()]
    for hop in reversed(hops):
        if not _trusted(hop):
            try:
                return str(ipaddress.ip_address(hop))
            except ValueError:
                return address  # a malformed header: fall back to the proxy itself
    return address
