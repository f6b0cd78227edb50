"""A test helper for every app with public pages: walk the portal and check that given
marker strings (titles or texts of internal / restricted / unpublished records) never
appear on any page, in the feed, or in a search.

    from biaoshuai.publicity.testing import assert_portal_hides
    visited = assert_portal_hides(client, ["内部通报甲", "不公开的问题乙"])
    assert "/portal/rectification/" in visited

It starts from /portal/, every registered PortalSection's URL and the feed, follows every
link under /portal/ it finds (pages, pagination, detail pages; the feed's entry links), up
to `limit` pages, and runs each page's search form (a GET form with a "q" field) with each
marker. The portal's page cache is emptied first, so what is checked is what the database
holds now.
"""

import re
from collections import deque
from html import unescape
from urllib.parse import urljoin, urlsplit

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse

from biaoshuai.core.registry import registry

PORTAL_PREFIX = "/portal/"
_HREF = re.compile(r"""(?:href|action)\s*=\s*["']([^"']+)["']""", re.IGNORECASE)
_SEARCH_FORM = re.compile(r"<form\b([^>]*)>(.*?)</form>", re.IGNORECASE | re.DOTALL)
_GET_FORM = re.compile(r"""method\s*=\s*["']get["']""", re.IGNORECASE)
_ACTION = re.compile(r"""action\s*=\s*["']([^"']*)["']""", re.IGNORECASE)
_Q_INPUT = re.compile(r"""<input\b[^>]*name\s*=\s*["']q["']""", re.IGNORECASE)
# Links that are not pages to read (images and files are checked by their page's rules).
_SKIP = re.compile(r"/(cover|images?)/(\d+/)?$")


def portal_start_urls():
    """/portal/, the feed and every registered portal section's page."""
    urls = [PORTAL_PREFIX, reverse("portal:feed")]
    for section in sorted(registry.portal_sections.values(), key=lambda s: s.order):
        try:
            urls.append(reverse(section.url_name))
        except NoReverseMatch:
            continue
    return list(dict.fromkeys(urls))


def portal_crawl(client, *, limit=300, extra_urls=()):
    """{url: (status, text)} of the portal pages reachable from the start URLs, as the
    anonymous public sees them."""
    client.logout()
    cache.clear()
    queue = deque([*portal_start_urls(), *extra_urls])
    seen, pages = set(queue), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        text = "" if response.streaming else response.content.decode("utf-8", "replace")
        pages[url] = (response.status_code, text)
        if (
            response.status_code != 200
            or "html" not in response.get("Content-Type", "")
            and ("xml" not in response.get("Content-Type", ""))
        ):
            continue
        for link in _links(url, text):
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def assert_portal_hides(client, markers, *, limit=300, extra_urls=()):
    """Fail if any marker appears on a portal page, in the feed or in a portal search.

    Returns the URLs visited, so a test can check the crawl reached what it meant to.
    """
    markers = [m for m in markers if m]
    assert markers, "give at least one marker"
    pages = portal_crawl(client, limit=limit, extra_urls=extra_urls)
    failures = []
    for url, (status, text) in pages.items():
        assert status < 500, f"{url} answered {status}"
        for marker in markers:
            if marker in text or marker in unescape(text):
                failures.append(f"{marker!r} on {url}")
    for action in _search_actions(pages):
        for marker in markers:
            response = client.get(action, {"q": marker})
            text = response.content.decode("utf-8", "replace")
            pages[f"{action}?q={marker}"] = (response.status_code, text)
            if response.status_code == 200 and _found_outside_query(text, marker):
                failures.append(f"{marker!r} found by searching {action}")
    assert not failures, "Internal or restricted content on the portal:\n" + "\n".join(failures)
    return list(pages)


def _links(base, text):
    for raw in _HREF.findall(text):
        href = unescape(raw).strip()
        if href.startswith(("mailto:", "tel:", "javascript:", "#")):
            continue
        absolute = urljoin(f"http://testserver{base}", href)
        parts = urlsplit(absolute)
        if parts.netloc not in ("testserver", "") or not parts.path.startswith(PORTAL_PREFIX):
            continue
        if _SKIP.search(parts.path):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")


def _search_actions(pages):
    actions = set()
    for url, (status, text) in pages.items():
        if status != 200:
            continue
        for attributes, body in _SEARCH_FORM.findall(text):
            if not _GET_FORM.search(attributes) or not _Q_INPUT.search(body):
                continue
            action = _ACTION.search(attributes)
            target = urljoin(url, unescape(action.group(1))) if action else url.split("?")[0]
            if urlsplit(target).path.startswith(PORTAL_PREFIX):
                actions.add(urlsplit(target).path)
    return sorted(actions)


def _found_outside_query(text, marker):
    """The marker appears somewhere other than the echoed search box and page title."""
    stripped = re.sub(r"<input\b[^>]*>", "", text)
    stripped = re.sub(r"<a\b[^>]*href=\"[^\"]*\"", "<a", stripped)
    return marker in stripped
