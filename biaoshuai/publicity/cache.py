"""A version number for what the public portal shows, bumped whenever a publicity service
publishes, withdraws or re-levels something, so cached portal pages change at once.

The version lives where every worker and machine reads it (core/shared.py: the database,
or Redis when REDIS_URL is set) and is part of each page's cache key, so a withdrawal
reaches every worker's cache on the next request, even where the pages themselves sit in
per-process memory.

Changes made elsewhere (other apps' records) reach cached pages when the cache entry
expires: PORTAL_CACHE_SECONDS (default 60; 0 turns caching off).
"""

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

from biaoshuai.core import shared

VERSION_KEY = "portal:version"
DEFAULT_SECONDS = 60


def portal_cache_seconds():
    return getattr(settings, "PORTAL_CACHE_SECONDS", DEFAULT_SECONDS)


def portal_cache_version():
    return shared.value(VERSION_KEY)


def portal_cache_bump():
    """Invalidate every cached portal page: now, and again once the current transaction
    commits (so a page rebuilt meanwhile from the old data does not linger)."""
    _bump()
    transaction.on_commit(_bump)


def _bump():
    shared.hit(VERSION_KEY)


def portal_cached(view):
    """Cache a public GET page's HTML for PORTAL_CACHE_SECONDS, per URL, campaign and language.

    Public pages are the same for everyone (they show `.public()` records only), so one
    copy serves all visitors. A publish or disclosure change bumps the version (at once);
    anything else shows up when the entry expires.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        seconds = portal_cache_seconds()
        if request.method != "GET" or seconds <= 0:
            return view(request, *args, **kwargs)
        # The campaign a visitor chose is remembered in a cookie: part of what the page is.
        chosen = request.COOKIES.get("portal_campaign", "")[:20]
        path_hash = hashlib.sha1(f"{request.get_full_path()}|{chosen}".encode()).hexdigest()
        language = getattr(request, "LANGUAGE_CODE", "")
        key = f"portal:page:{portal_cache_version()}:{language}:{path_hash}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            response = HttpResponse(content, content_type=content_type)
            response["X-Portal-Cache"] = "hit"
            return response
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and not response.streaming:
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            cache.set(key, (response.content, response["Content-Type"]), seconds)
        return response

    return wrapped
