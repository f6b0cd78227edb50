"""Scores recompute by themselves: a write to a record that feeds the figures marks its
campaign's computed scores stale once the write commits (services.records_changed).

The records written in one transaction are gathered into one after-commit call, so a
transaction that writes many records marks each campaign once.
"""

from django.db import transaction

from .services import records_changed


class _AfterCommit:
    def __init__(self):
        self.instances = []

    def __call__(self):
        records_changed(self.instances)


def record_written(sender, instance, raw=False, **kwargs):
    if raw or not getattr(sender, "campaign_field", ""):
        return
    connection = transaction.get_connection()
    if connection.in_atomic_block:
        for entry in connection.run_on_commit:
            if isinstance(entry[1], _AfterCommit):
                entry[1].instances.append(instance)
                return
    callback = _AfterCommit()
    callback.instances.append(instance)
    transaction.on_commit(callback)
