"""Scores recompute by themselves: a write to a record that feeds the figures marks its
campaign's computed scores stale once the write commits (services.record_changed)."""

from django.db import transaction


def record_written(sender, instance, raw=False, **kwargs):
    if raw or not getattr(sender, "campaign_field", ""):
        return
    from .services import record_changed

    transaction.on_commit(lambda: record_changed(instance))
