from datetime import timedelta

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet

# Reminders and flags: an item is "due soon" this many days before its deadline.
DUE_SOON_DAYS = 7


class ItemQuerySet(ScopedQuerySet):
    def open(self):
        # Written as IN (…the open states) rather than <> 'closed', so that an index that
        # starts with (campaign, state, …) serves it on SQLite and PostgreSQL alike.
        return self.filter(state__in=OPEN_STATES)

    def overdue(self, today=None):
        return self.open().filter(deadline__lt=today or timezone.localdate())

    def due_soon(self, today=None):
        today = today or timezone.localdate()
        return self.open().filter(
            deadline__gte=today, deadline__lte=today + timedelta(days=DUE_SOON_DAYS)
        )


class RectificationItem(TimeStampedModel):
    """A rectification measure (整改措施) under a problem; may have weighted sub-items.

    `unit` is the responsible unit, which places the item in the scope mechanism. `kind`
    holds a key of the campaign's rectification_kinds. A parent's `progress` is the
    weighted average of its children's, kept in sync by the services.

    `campaign` and `dimension` repeat the problem's, so that the ledger filters, counts and
    sorts on this table alone (through the indexes below) instead of joining every item to
    its problem; the services keep them equal to the problem's.
    """

    class State(models.TextChoices):
        PLANNED = "planned", pgettext_lazy("rectification state", "Planned")
        IN_PROGRESS = "in_progress", pgettext_lazy("rectification state", "In progress")
        SUBMITTED = "submitted", pgettext_lazy("rectification state", "Awaiting verification")
        RETURNED = "returned", pgettext_lazy("rectification state", "Returned")
        CLOSED = "closed", pgettext_lazy("rectification state", "Closed")

    problem = models.ForeignKey(
        "rectification.Problem",
        verbose_name=_("problem"),
        on_delete=models.PROTECT,
        related_name="items",
    )
    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    dimension = models.CharField(_("dimension"), max_length=50, blank=True, editable=False)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent item"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("responsible unit"),
        on_delete=models.PROTECT,
        related_name="rectification_items",
    )
    measure = models.TextField(_("measure"))
    leader_name = models.CharField(_("responsible leader"), max_length=50, blank=True)
    leader = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible leader (cadre)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    person_name = models.CharField(_("responsible person"), max_length=50, blank=True)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("responsible person (cadre)"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="rectification_items",
    )
    kind = models.CharField(_("kind"), max_length=50)
    deadline = models.DateField(_("deadline"))
    criteria = models.TextField(_("completion criteria"), blank=True)
    weight = models.PositiveSmallIntegerField(
        _("weight"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        _("progress"), default=0, validators=[MaxValueValidator(100)]
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_on = models.DateField(_("close-out date"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("closed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    return_reason = models.TextField(_("reason for return"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ItemQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["problem_id", "id"]
        verbose_name = _("rectification item")
        verbose_name_plural = _("rectification items")
        indexes = [
            models.Index(fields=["problem", "id"]),
            models.Index(fields=["state", "deadline"]),
            models.Index(fields=["deadline", "id"]),
            models.Index(fields=["unit", "state"]),
            # The ledger: its order, and each filter followed by that order. The first one
            # also holds the columns the scope and the deadline filters test, so that a deep
            # page or a filtered one is found in the index without reading the rows.
            models.Index(
                fields=["campaign", "problem", "id", "unit", "state", "deadline"],
                name="rect_item_ledger",
            ),
            models.Index(
                fields=["campaign", "state", "problem", "id"], name="rect_item_ledger_state"
            ),
            models.Index(
                fields=["campaign", "unit", "problem", "id"], name="rect_item_ledger_unit"
            ),
            models.Index(
                fields=["campaign", "dimension", "problem", "id"], name="rect_item_ledger_dim"
            ),
            # Counts of overdue / due items: equality on state, a range on deadline.
            models.Index(
                fields=["campaign", "state", "deadline"], name="rect_item_ledger_deadline"
            ),
        ]

    def __str__(self):
        return self.measure[:60]

    def copy_from_problem(self):
        """Repeat the problem's campaign and dimension on the item (see the class doc)."""
        self.campaign_id = self.problem.campaign_id
        self.dimension = self.problem.dimension

    @property
    def is_open(self):
        return self.state != self.State.CLOSED

    def urgency(self, today=None):
        """ "overdue", "due_today", "due_soon" or "" for an open item."""
        if not self.is_open:
            return ""
        today = today or timezone.localdate()
        if self.deadline < today:
            return "overdue"
        if self.deadline == today:
            return "due_today"
        if (self.deadline - today).days <= DUE_SOON_DAYS:
            return "due_soon"
        return ""


OPEN_STATES = [s for s in RectificationItem.State.values if s != RectificationItem.State.CLOSED]


class ProgressUpdate(models.Model):
    """A progress report on an item: what was done, how far along (%), with evidence files."""

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="updates"
    )
    text = models.TextField(_("progress"))
    percent = models.PositiveSmallIntegerField(
        _("percent done"), null=True, blank=True, validators=[MaxValueValidator(100)]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reported by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("reported at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return self.text[:60]


class Evidence(models.Model):
    update = models.ForeignKey(
        ProgressUpdate, verbose_name=_("update"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to="rectification/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    size = models.PositiveIntegerField(_("size"), default=0)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.name


class ItemLog(models.Model):
    """The item's history as users see it: submitted, returned with reasons, closed …"""

    class Action(models.TextChoices):
        CREATED = "created", pgettext_lazy("item log", "Created")
        STARTED = "started", pgettext_lazy("item log", "Started")
        SUBMITTED = "submitted", pgettext_lazy("item log", "Submitted for verification")
        RETURNED = "returned", pgettext_lazy("item log", "Returned")
        CLOSED = "closed", pgettext_lazy("item log", "Closed")
        DEADLINE = "deadline", pgettext_lazy("item log", "Deadline changed")
        IMPORTED = "imported", pgettext_lazy("item log", "Imported")

    item = models.ForeignKey(
        RectificationItem, verbose_name=_("item"), on_delete=models.CASCADE, related_name="log"
    )
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    note = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("item history")
        verbose_name_plural = _("item history")

    def __str__(self):
        return self.get_action_display()


class DeadlineChange(models.Model):
    """A request to move an item's deadline; only the office's approval moves it."""

    class State(models.TextChoices):
        PENDING = "pending", pgettext_lazy("deadline change", "Pending")
        APPROVED = "approved", pgettext_lazy("deadline change", "Approved")
        REFUSED = "refused", pgettext_lazy("deadline change", "Refused")

    item = models.ForeignKey(
        RectificationItem,
        verbose_name=_("item"),
        on_delete=models.CASCADE,
        related_name="deadline_changes",
    )
    old_deadline = models.DateField(_("current deadline"))
    proposed = models.DateField(_("proposed deadline"))
    reason = models.TextField(_("reason"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.TextField(_("decision note"), blank=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "item__campaign"
    scope_path = "item__unit__path"

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("deadline change")
        verbose_name_plural = _("deadline changes")
        constraints = [
            models.UniqueConstraint(
                fields=["item"], condition=models.Q(state="pending"), name="one_pending_deadline"
            )
        ]

    def __str__(self):
        return f"{self.old_deadline} → {self.proposed}"
