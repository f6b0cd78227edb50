"""What each domain app contributes, declared in its AppConfig.ready().

Readers (the home page and dashboard, assessment, bulletins, the portal) iterate the
registry and never import the apps that fill it (ARCHITECTURE.md rule 5).
"""

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any


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


@dataclass(frozen=True)
class NavItem:
    """An entry of the back-office navigation, shown when `visible(user)` is true."""

    key: str
    label: Any
    url_name: str
    visible: Callable[..., bool]
    icon: str = "circle"
    order: int = 100


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
        }[type(item)]
        if item.key in kind and kind[item.key] != item:
            raise ValueError(f"{type(item).__name__} {item.key!r} is registered twice")
        kind[item.key] = item
        return item

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
