"""The campaign a request works in, activated for the request like a language.

The campaigns app's middleware resolves `request.campaign` (the user's choice, else the
default campaign; on the portal a public campaign) and activates it here, lazily: the
campaign is loaded on first use, at most once per request. Scoped querysets
(`restrict()`, `public()`, `visible_to()`) then keep to the active campaign's records
for every model that declares where its campaign is (`campaign_field = "campaign"`, or
a path such as `"item__campaign"`). Outside a request (commands, tasks, the demo
loader) nothing is active and nothing is filtered: those name their campaign.
"""

from contextlib import contextmanager
from contextvars import ContextVar

from django.db.models import Q

_active = ContextVar("biaoshuai_campaign", default=None)


class _Lazy:
    """Loads the campaign on first use, once."""

    __slots__ = ("_load", "_loaded", "_value")

    def __init__(self, load):
        self._load, self._loaded, self._value = load, False, None

    def get(self):
        if not self._loaded:
            self._value, self._loaded = self._load(), True
        return self._value


def activate(campaign_or_loader):
    """Make a campaign (or a callable returning one, or None) active; returns a token."""
    value = campaign_or_loader
    if callable(value) and not hasattr(value, "_meta"):
        value = _Lazy(value)
    return _active.set(value)


def deactivate(token):
    _active.reset(token)


@contextmanager
def override(campaign):
    """Work in `campaign` for the duration of a block (a test, a command, a task)."""
    token = activate(lambda: campaign)
    try:
        yield campaign
    finally:
        deactivate(token)


def is_active():
    """True when a request (or `override`) has set a campaign to work in."""
    return _active.get() is not None


def active():
    """The active campaign, or None (no request, or no campaign at all)."""
    value = _active.get()
    if isinstance(value, _Lazy):
        return value.get()
    return value


def active_id():
    campaign = active()
    return campaign.pk if campaign is not None else None


def label(key, default):
    """The active campaign's own name for the registered entry `key` (a menu entry, figure,
    portal section or export: its template's `labels`), else `default`."""
    campaign = active()
    own = ((campaign.config or {}).get("labels") or {}).get(key) if campaign is not None else None
    return own or default


def campaign_q(model):
    """A Q object keeping `model`'s rows to the active campaign, or None when not filtered.

    None when the model has no campaign (units, cadres, accounts) or no campaign is active.
    With a campaign path activated but no campaign at all, nothing belongs to it.
    """
    field = getattr(model, "campaign_field", None)
    if not field or not is_active():
        return None
    return Q(**{f"{field}_id" if "__" not in field else field: active_id()})
