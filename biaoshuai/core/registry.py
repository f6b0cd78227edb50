"""What each domain app contributes, declared in its AppConfig.ready().

Readers (the home page and dashboard, assessment, bulletins, the portal) iterate the
registry and never import the apps that fill it (ARCHITECTURE.md rule 5).
"""

from collections.abc import Callable
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from functools import wraps
from typing import Any

from django.utils.translation import pgettext_lazy


@dataclass(frozen=True)
class Metric:
    """A figure an app can compute for a campaign.

    `total(user=, campaign=)` gives the figure within the user's scope (campaign=None: the
    current campaign); `by_unit(campaign=, unit_ids=)` gives {unit_id: value} for comparing
    units. A metric that does not apply to the user returns None and is not shown.
    `kind` is "count" or "percent"; `url_name` opens the records behind the figure.
    `by_unit` may also take `period_start=` and `period_end=` (dates) to count only that
    period; readers pass them when its signature has them. `breakdown(user=, campaign=)`
    (optional) splits the figure into {label: count} within the user's scope, e.g. items by
    state or opinions by channel, for the dashboard's charts.
    `param` (optional) names a list of the campaign template (e.g. "study_kinds"): the
    figure is then computed for one of its keys, which an assessment indicator gives as
    `param` and readers pass to `by_unit(param=)` (such a figure is not on the home page).

    Pages read a figure through `core.figures` (`figure_for`, `figure_by_unit`), which
    calls `by_unit` with the campaign, the unit subtree and the period (`period_start`,
    `period_end`, and `today`: the day stock figures such as overdue items are counted at),
    so every page shows the same value for the same metric, campaign, unit and period.
    `better` is "higher" or "lower" (e.g. overdue items) for colouring a figure against its
    target; "" when neither.
    """

    key: str
    label: Any
    total: Callable[..., float | int | None]
    by_unit: Callable[..., dict] | None = None
    kind: str = "count"
    url_name: str = ""
    home: bool = True
    order: int = 100
    breakdown: Callable[..., dict] | None = None
    param: str = ""
    better: str = ""


@dataclass(frozen=True)
class Export:
    """A downloadable list: `url_name` streams it; `visible(user)` says who sees the link."""

    key: str
    label: Any
    url_name: str
    visible: Callable[..., bool] = lambda user: user.is_authenticated


@dataclass(frozen=True)
class PortalSection:
    key: str
    label: Any
    url_name: str
    order: int = 100


@dataclass(frozen=True)
class Disclosable:
    """A record type that carries a disclosure level.

    `pending()` (optional) returns the records whose proposed level differs from the level
    set, for the office's disclosure review; by default every record of `model` where
    `disclosure_proposed` is given and differs from `disclosure`. `url(obj)` (optional)
    links a record to its page in the back office.
    """

    key: str
    label: Any
    model: Any
    pending: Callable[..., Any] | None = None
    url: Callable[..., str] | None = None
    order: int = 100


# The stages the navigation is grouped by, in the order of the menu. An entry without a
# group stands above them (the plan, the notices).
NAV_GROUPS = {
    "study": pgettext_lazy("menu group", "Study and education"),
    "opinions": pgettext_lazy("menu group", "Soliciting opinions"),
    "problems": pgettext_lazy("menu group", "Finding problems"),
    "rectification": pgettext_lazy("menu group", "Rectification"),
    "supervision": pgettext_lazy("menu group", "Supervision and inspection"),
    "publicity": pgettext_lazy("menu group", "Publicity and disclosure"),
    "assessment": pgettext_lazy("menu group", "Assessment"),
    "system": pgettext_lazy("menu group", "System"),
}


@dataclass(frozen=True)
class NavItem:
    """An entry of the back-office navigation, shown when `visible(user)` is true, under
    its `group` (a key of NAV_GROUPS; empty: above the groups)."""

    key: str
    label: Any
    url_name: str
    visible: Callable[..., bool]
    icon: str = "circle"
    order: int = 100
    group: str = ""

    def __post_init__(self):
        if self.group and self.group not in NAV_GROUPS:
            raise ValueError(f"NavItem {self.key!r}: unknown group {self.group!r}")


# The kinds of work a queue line stands for, in the order the home page shows them, and the
# icon that marks each.
WORK_ICONS = {
    "returned": "arrow-return-left",
    "reply": "reply",
    "approve": "patch-check",
    "review": "search",
    "due": "alarm",
}
WORK_BUCKETS = {
    "returned": pgettext_lazy("work queue", "Returned to me"),
    "reply": pgettext_lazy("work queue", "To reply"),
    "approve": pgettext_lazy("work queue", "To approve"),
    "review": pgettext_lazy("work queue", "To review"),
    "due": pgettext_lazy("work queue", "Due soon"),
}


@dataclass(frozen=True)
class WorkItem:
    """A line of the work queue, "what I must do now": records waiting for the user to act.

    `count(user=, campaign=)` gives how many, within the user's scope and the campaign
    (None: the current one), in one indexed query; None when the user cannot act on such
    records, and the line is then left out (a leader sees only what he may act on).
    `url_name` with `query` opens the list filtered to those records; `nav` names the
    NavItem whose badge shows the count; `bucket` is a key of WORK_BUCKETS. Lines whose
    counts come from one query share it through `shared_counts`.
    """

    key: str
    label: Any
    count: Callable[..., int | None]
    url_name: str
    query: str = ""
    bucket: str = "review"
    nav: str = ""
    order: int = 100

    def __post_init__(self):
        if self.bucket not in WORK_BUCKETS:
            raise ValueError(f"WorkItem {self.key!r}: unknown bucket {self.bucket!r}")


_work_memo: ContextVar[dict | None] = ContextVar("work_memo", default=None)


def shared_counts(counts):
    """Wrap `counts(user=, campaign=)` -> {line key: n} (or None) so that, while one work
    queue is computed, it runs once however many WorkItems read it; `share(key)` of the
    result is a WorkItem's `count`."""

    @wraps(counts)
    def once(*, user, campaign=None):
        memo = _work_memo.get()
        if memo is None:
            return counts(user=user, campaign=campaign)
        memo_key = (counts, getattr(campaign, "pk", None))
        if memo_key not in memo:
            memo[memo_key] = counts(user=user, campaign=campaign)
        return memo[memo_key]

    def share(key):
        def count(*, user, campaign=None):
            values = once(user=user, campaign=campaign)
            return None if values is None else values.get(key)

        return count

    once.share = share
    return once


@dataclass(frozen=True)
class HomePanel:
    """A block of the home page: `context(request)` returns the template's context, or None
    to leave the panel out for this user."""

    key: str
    template_name: str
    context: Callable[..., dict | None]
    order: int = 100


@dataclass(frozen=True)
class Deadline:
    """An open record with a deadline: `key` names the record ("opinion:12") for the
    reminders' dedupe key; `recipients` are the users who must act on it."""

    key: str
    title: str
    due: Any
    recipients: Any
    url: str = ""
    campaign: Any = None


@dataclass(frozen=True)
class NotificationKind:
    """A kind of notice an app sends through `notifications.notify()`.

    `default_channel` is "app" (inbox only), "email" (also e-mailed at once) or "digest"
    (also in the daily e-mail digest); each user may choose otherwise per kind.
    `deadlines(today=)` (optional) yields the app's open records whose deadline is near or
    past, as `Deadline`s, for the daily deadline reminders.
    """

    key: str
    label: Any
    default_channel: str = "app"
    deadlines: Callable[..., Any] | None = None
    order: int = 100


@dataclass(frozen=True)
class Presentation:
    """How the campaign a request works in presents the registered entries: the modules it
    switches off (an entry's module is the part of its key before the dot) and its own
    labels, by entry key."""

    off: frozenset = frozenset()
    labels: dict = field(default_factory=dict)

    def shows(self, key):
        return key.split(".", 1)[0] not in self.off

    def relabel(self, entry):
        label = self.labels.get(entry.key)
        return replace(entry, label=label) if label else entry

    def apply(self, entries):
        """The entries shown, with the campaign's labels."""
        return [self.relabel(e) for e in entries if self.shows(e.key)]


NO_PRESENTATION = Presentation()


@dataclass
class Registry:
    metrics: dict[str, Metric] = field(default_factory=dict)
    exports: dict[str, Export] = field(default_factory=dict)
    portal_sections: dict[str, PortalSection] = field(default_factory=dict)
    disclosables: dict[str, Disclosable] = field(default_factory=dict)
    nav_items: dict[str, NavItem] = field(default_factory=dict)
    home_panels: dict[str, HomePanel] = field(default_factory=dict)
    notification_kinds: dict[str, NotificationKind] = field(default_factory=dict)
    work_items: dict[str, WorkItem] = field(default_factory=dict)

    # Set by the campaigns app: request -> Presentation of the campaign the request is in.
    presenter: Callable[..., Presentation] | None = None

    def presentation(self, request):
        """The Presentation for `request`, worked out once per request."""
        if request is None or self.presenter is None:
            return NO_PRESENTATION
        cached = getattr(request, "_registry_presentation", None)
        if cached is None:
            cached = self.presenter(request)
            request._registry_presentation = cached
        return cached

    def register(self, item):
        kind = {
            Metric: self.metrics,
            Export: self.exports,
            PortalSection: self.portal_sections,
            Disclosable: self.disclosables,
            NavItem: self.nav_items,
            HomePanel: self.home_panels,
            NotificationKind: self.notification_kinds,
            WorkItem: self.work_items,
        }[type(item)]
        if item.key in kind and kind[item.key] != item:
            raise ValueError(f"{type(item).__name__} {item.key!r} is registered twice")
        kind[item.key] = item
        return item

    def label(self, key):
        """The registered label of the entry `key` (menu entry, figure, portal section or
        export), or the key itself."""
        for kind in (self.nav_items, self.metrics, self.portal_sections, self.exports):
            if key in kind:
                return kind[key].label
        return key

    def nav_for(self, user, request=None):
        """The entries `user` sees. The three system roles see only the entries whose
        predicate is marked `for_system_roles` (三员分立: no business page). With a
        request, the entries of modules its campaign switches off are left out and the
        campaign's own labels are used."""
        system = bool(getattr(user, "system_role", "")) and not user.is_superuser
        return self.presentation(request).apply(
            sorted(
                (
                    n
                    for n in self.nav_items.values()
                    if (not system or getattr(n.visible, "for_system_roles", False))
                    and n.visible(user)
                ),
                key=lambda n: n.order,
            )
        )

    def nav_groups_for(self, user, request=None):
        """The navigation as [(group key, group label, [NavItem])], the entries without a
        group first (key ""), then the groups of NAV_GROUPS that have an entry. A campaign
        may relabel a group by the key "nav.<group>"."""
        presentation = self.presentation(request)
        entries = self.nav_for(user, request)
        out = []
        ungrouped = [n for n in entries if not n.group]
        if ungrouped:
            out.append(("", "", ungrouped))
        for key, label in NAV_GROUPS.items():
            members = [n for n in entries if n.group == key]
            if members:
                out.append((key, presentation.labels.get(f"nav.{key}") or label, members))
        return out

    def work_for(self, request):
        """[(WorkItem, count)] of the lines the request's user can act on, in the order of
        WORK_BUCKETS then `order`; worked out once per request, so the home page and the
        navigation's badges show the same counts. The three system roles have none."""
        cached = getattr(request, "_work_queue", None)
        if cached is not None:
            return cached
        user = request.user
        lines = []
        system = bool(getattr(user, "system_role", "")) and not user.is_superuser
        if user.is_authenticated and not system:
            buckets = list(WORK_BUCKETS)
            items = sorted(
                self.work_items.values(), key=lambda w: (buckets.index(w.bucket), w.order, w.key)
            )
            token = _work_memo.set({})
            try:
                for item in self.presentation(request).apply(items):
                    count = item.count(user=user, campaign=None)
                    if count is not None:
                        lines.append((item, count))
            finally:
                _work_memo.reset(token)
        request._work_queue = lines
        return lines

    def nav_badges(self, request, *, compute=True):
        """{NavItem key: waiting records} from the work queue; with `compute` false, None
        unless the queue was already worked out for this request."""
        if not compute and getattr(request, "_work_queue", None) is None:
            return None
        badges = {}
        for item, count in self.work_for(request):
            if item.nav and count:
                badges[item.nav] = badges.get(item.nav, 0) + count
        return badges

    def home_metrics(self, request=None):
        return self.presentation(request).apply(
            sorted((m for m in self.metrics.values() if m.home), key=lambda m: m.order)
        )

    def home_panels_for(self, request=None):
        presentation = self.presentation(request)
        return [
            p
            for p in sorted(self.home_panels.values(), key=lambda p: p.order)
            if presentation.shows(p.key)
        ]

    def portal_sections_for(self, request=None):
        return self.presentation(request).apply(
            sorted(self.portal_sections.values(), key=lambda s: (s.order, s.key))
        )


registry = Registry()
