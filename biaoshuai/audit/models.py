"""The append-only audit log: each event is signed together with the hash of the one before it."""

from django.conf import settings
from django.db import connection, models
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.roles import SystemRole

from .chain import GENESIS_HASH, PURGE_VERB, sign

CHANGE_REFUSED = "audit events cannot be changed"
DELETE_REFUSED = "audit events cannot be deleted"


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete an audit event through the ORM."""


class AuditEventQuerySet(models.QuerySet):
    def chain_start(self):
        """Where the chain kept in the database begins: after the last purged event, if any.

        {"prev_hash": {stream: hash its first kept event links to}, "after": id of the last
        purged event, "offset": number of events purged so far}.
        """
        purge = self.filter(verb=PURGE_VERB).order_by("-id").first()
        if purge is None:
            return {"prev_hash": {}, "after": 0, "offset": 0}
        boundaries = purge.changes.get("boundary_hashes") or {
            "1": purge.changes.get("boundary_hash")
        }
        return {
            "prev_hash": {int(stream): value for stream, value in boundaries.items()},
            "after": purge.changes.get("purged_through"),
            "offset": purge.changes.get("chain_offset"),
        }

    def update(self, **kwargs):
        raise AppendOnlyError(CHANGE_REFUSED)

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError(CHANGE_REFUSED)

    def update_or_create(self, *args, **kwargs):
        raise AppendOnlyError(CHANGE_REFUSED)

    def delete(self):
        raise AppendOnlyError(DELETE_REFUSED)

    def restrict(self, user, action="view"):
        if user.is_authenticated and (
            user.is_superuser or user.system_role == SystemRole.AUDITADMIN
        ):
            return self
        return self.none()


class AuditEvent(models.Model):
    """One create/update/delete (or other action) done through a service."""

    class Action(models.TextChoices):
        CREATE = "create", _("Create")
        UPDATE = "update", _("Update")
        DELETE = "delete", _("Delete")
        IMPORT = "import", _("Import")
        EXPORT = "export", _("Export")
        LOGIN = "login", _("Login")
        OTHER = "other", _("Other")

    at = models.DateTimeField(_("time"), db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    actor_name = models.CharField(_("actor"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, db_index=True)
    verb = models.CharField(_("verb"), max_length=60, blank=True)
    object_type = models.CharField(_("object type"), max_length=100, db_index=True)
    object_id = models.CharField(_("object id"), max_length=64, blank=True)
    object_repr = models.CharField(_("object"), max_length=255, blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    prev_hash = models.CharField(max_length=64)
    hash = models.CharField(max_length=64, unique=True)
    # Which key signed the event (see keys.key_id), so the chain verifies across rotations.
    key_id = models.CharField(max_length=16, blank=True)
    # The chain this event links into (the pk of its AuditHead): see chain.py.
    stream = models.PositiveSmallIntegerField(default=1)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_name} {self.action} {self.object_repr}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError(CHANGE_REFUSED)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError(DELETE_REFUSED)

    def as_record(self):
        """The event as the chain signs it and as an archive stores it."""
        return {
            "id": self.pk,
            "at": self.at.isoformat(),
            "actor": self.actor_id,
            "actor_name": self.actor_name,
            "action": self.action,
            "verb": self.verb,
            "object_type": self.object_type,
            "object_id": self.object_id,
            "object_repr": self.object_repr,
            "changes": self.changes,
            "note": self.note,
            "ip": self.ip,
            "key_id": self.key_id,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
            "stream": self.stream,
        }

    def compute_hash(self, key):
        return sign(key, self.as_record())


class AuditHead(models.Model):
    """The last hash of one stream of the chain (its pk is the stream); locking the row
    serialises the writers of that stream only."""

    last_hash = models.CharField(max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("audit chain head")

    def __str__(self):
        return self.last_hash


# The streams of the chain: each event links to the previous event of its stream, so
# writers of different streams do not wait for one another.
def stream_count():
    if not connection.features.has_select_for_update_skip_locked:
        return 1  # SQLite: one writer at a time anyway
    return max(1, int(getattr(settings, "AUDIT_STREAMS", 1)))


def heads_create(streams):
    AuditHead.objects.bulk_create(
        [AuditHead(pk=n) for n in range(1, streams + 1)], ignore_conflicts=True
    )


def lock_all_streams():
    """Lock every stream's head (rotation, purge, checkpoint): no event is written meanwhile."""
    heads_create(stream_count())
    return list(AuditHead.objects.select_for_update().order_by("pk"))
