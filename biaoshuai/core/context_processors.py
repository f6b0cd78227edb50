from django.urls import NoReverseMatch, reverse

from .registry import registry


def navigation(request):
    """The menu grouped by stage, the entry of the current page marked, and the badges
    when the page already worked out the work queue (the home page); otherwise the menu
    fetches its badges after loading."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": [], "nav_groups": []}
    groups = registry.nav_groups_for(user, request)
    computed = registry.nav_badges(request, compute=False)
    badges = computed or {}
    nav_groups = []
    for key, label, items in groups:
        entries = []
        for item in items:
            try:
                url = reverse(item.url_name)
            except NoReverseMatch:
                continue
            entries.append({"item": item, "url": url, "badge": badges.get(item.key, 0)})
        if entries:
            nav_groups.append({"key": key, "label": label, "entries": entries})
    _mark_current(request.path, nav_groups)
    return {
        "nav_items": [e["item"] for g in nav_groups for e in g["entries"]],
        "nav_groups": nav_groups,
        "nav_badges_loaded": computed is not None,
        "nav_badge_total": sum(badges.values()),
    }


def _mark_current(path, nav_groups):
    """The entry whose address is the longest start of the path is the current one; its
    group is open."""
    best = None
    for group in nav_groups:
        group["badge"] = sum(e["badge"] for e in group["entries"])
        group["open"] = False
        for entry in group["entries"]:
            url = entry["url"]
            if path == url or (url != "/" and path.startswith(url)):
                if best is None or len(url) > len(best[1]["url"]):
                    best = (group, entry)
    if best is not None:
        best[1]["active"] = True
        best[0]["open"] = True
