"""Reads of the audit log. Every read goes through `AuditEvent.objects.restrict(user)`."""

from datetime import datetime, time, timedelta

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import keys
from .checkpoints import checkpoint_latest
from .models import AuditEvent
from .services import audit_verify


def audit_event_list(
    *, user, actor="", action="", object_type="", date_from=None, date_to=None, text=""
):
    """The user's visible events, newest first, filtered by whatever is given."""
    events = AuditEvent.objects.restrict(user)
    if actor:
        events = events.filter(actor_name__icontains=actor)
    if action:
        events = events.filter(action=action)
    if object_type:
        events = events.filter(object_type=object_type)
    events = events.filter(date_range_q("at", date_from, date_to))
    if text:
        events = events.filter(
            Q(object_repr__icontains=text)
            | Q(note__icontains=text)
            | Q(verb__icontains=text)
            | Q(object_id=text)
        )
    return events.order_by("-id")


def audit_event_get(*, user, pk):
    """One event the user may read; 404 for everyone else (the same as "does not exist")."""
    return get_object_or_404(AuditEvent.objects.restrict(user), pk=pk)


def audit_object_types(*, user):
    """[(object_type, label)] of the types that occur in the log, for a filter's choices."""
    types = (
        AuditEvent.objects.restrict(user)
        .order_by("object_type")
        .values_list("object_type", flat=True)
        .distinct()
    )
    return [(value, object_type_label(value)) for value in types if value]


def audit_event_changes(event):
    """[(field label, before, after)] for the fields the event changed."""
    model = _model_for(event.object_type)
    rows = []
    for name, values in (event.changes or {}).items():
        before, after = (
            (list(values) + [None, None])[:2] if isinstance(values, list) else (None, values)
        )
        rows.append((_field_label(model, name), before, after))
    return rows


def audit_events_since(*, since):
    return AuditEvent.objects.filter(at__gte=since).count()


def audit_chain_status():
    """{"broken": None or the ChainBreak, "checkpoint": the latest one, "key_id": in force}."""
    try:
        checkpoint = checkpoint_latest()
    except ValueError:
        checkpoint = None  # audit_verify reports the unreadable file
    if checkpoint is not None:
        try:
            checkpoint["at"] = datetime.fromisoformat(checkpoint["at"])
        except (KeyError, TypeError, ValueError):
            pass
    return {
        "broken": audit_verify(),
        "checkpoint": checkpoint,
        "key_id": keys.key_id(keys.signing_key()),
    }


def object_type_label(object_type):
    model = _model_for(object_type)
    return str(model._meta.verbose_name) if model is not None else object_type


def date_range_q(field, date_from=None, date_to=None):
    """Q for `field` within [date_from, date_to], both whole local days."""
    q = Q()
    if date_from:
        q &= Q(**{f"{field}__gte": _local_midnight(date_from)})
    if date_to:
        q &= Q(**{f"{field}__lt": _local_midnight(date_to + timedelta(days=1))})
    return q


def today_start():
    return _local_midnight(timezone.localdate())


def _local_midnight(day):
    return timezone.make_aware(datetime.combine(day, time.min))


def _model_for(object_type):
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def _field_label(model, name):
    if model is None:
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if field.auto_created and not field.concrete:
        # A reverse relation (e.g. a unit's "children") has no verbose name of its own; it
        # is named after the model on the other side.
        related = field.related_model._meta
        return str(related.verbose_name if field.one_to_one else related.verbose_name_plural)
    return str(field.verbose_name)
