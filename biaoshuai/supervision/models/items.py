import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet, scope_for

# A task still owed by its unit turns yellow this many days before its deadline.
YELLOW_DAYS = 3


class TaskWarning(models.TextChoices):
    """The computed badge of a task the unit still owes: due soon, or overdue."""

    NONE = "", pgettext_lazy("supervision warning", "None")
    YELLOW = "yellow", pgettext_lazy("supervision warning", "Due soon")
    RED = "red", pgettext_lazy("supervision warning", "Overdue")


class ItemQuerySet(ScopedQuerySet):
    def restrict(self, user, action="view"):
        """Items with at least one task in the user's scope (every item for the office)."""
        scope = scope_for(user, action)
        if scope.empty:
            return self.none()
        if scope.all:
            return self.in_campaign()
        return self.in_campaign().filter(
            pk__in=SupervisionTask.objects.restrict(user, action).values("item_id")
        )


class SupervisionItem(TimeStampedModel):
    """A supervision item (督办): a subject and requirement issued to units with a deadline."""

    class Issuer(models.TextChoices):
        OFFICE = "office", _("Campaign office")
        LEADING_GROUP = "leading_group", _("Leading group")

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="supervision_items",
    )
    subject = models.CharField(_("subject"), max_length=200)
    requirement = models.TextField(_("requirement"))
    deadline = models.DateField(_("deadline"))
    issuer = models.CharField(
        _("issued in the name of"), max_length=20, choices=Issuer.choices, default=Issuer.OFFICE
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("issued by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    source_label = models.CharField(_("origin"), max_length=200, blank=True)

    objects = ItemQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("supervision item")
        verbose_name_plural = _("supervision items")

    def __str__(self):
        return self.subject


class TaskQuerySet(ScopedQuerySet):
    def with_warning(self, today=None):
        """Annotate `warning_code`: red when overdue, yellow within YELLOW_DAYS, else ""."""
        today = today or timezone.localdate()
        owed = models.Q(state__in=SupervisionTask.OWED)
        return self.annotate(
            warning_code=models.Case(
                models.When(owed & models.Q(item__deadline__lt=today), then=models.Value("red")),
                models.When(
                    owed
                    & models.Q(item__deadline__lte=today + datetime.timedelta(days=YELLOW_DAYS)),
                    then=models.Value("yellow"),
                ),
                default=models.Value(""),
                output_field=models.CharField(),
            )
        )

    def red(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state__in=SupervisionTask.OWED, item__deadline__lt=today)

    def yellow(self, today=None):
        today = today or timezone.localdate()
        return self.filter(
            state__in=SupervisionTask.OWED,
            item__deadline__gte=today,
            item__deadline__lte=today + datetime.timedelta(days=YELLOW_DAYS),
        )


class SupervisionTask(TimeStampedModel):
    """One unit's assignment under a supervision item, with its own state machine:
    issued → signed → replied → accepted, or replied → returned → replied again."""

    class State(models.TextChoices):
        ISSUED = "issued", pgettext_lazy("supervision task", "Issued")
        SIGNED = "signed", pgettext_lazy("supervision task", "Signed for")
        REPLIED = "replied", pgettext_lazy("supervision task", "Replied")
        RETURNED = "returned", pgettext_lazy("supervision task", "Sent back")
        ACCEPTED = "accepted", pgettext_lazy("supervision task", "Accepted")

    # The states in which the unit still owes a reply.
    OWED = (State.ISSUED, State.SIGNED, State.RETURNED)

    item = models.ForeignKey(
        SupervisionItem,
        verbose_name=_("supervision item"),
        on_delete=models.CASCADE,
        related_name="tasks",
    )
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        related_name="supervision_tasks",
    )
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.ISSUED)
    signed_at = models.DateTimeField(_("signed for at"), null=True, blank=True)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("signed for by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply = models.TextField(_("reply"), blank=True)
    replied_at = models.DateTimeField(_("replied at"), null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("replied by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reply_count = models.PositiveSmallIntegerField(_("replies"), default=0)
    return_reason = models.TextField(_("reason for sending back"), blank=True)
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = TaskQuerySet.as_manager()
    campaign_field = "item__campaign"

    class Meta:
        ordering = ["item__deadline", "unit__path", "id"]
        verbose_name = _("supervision task")
        verbose_name_plural = _("supervision tasks")
        constraints = [
            models.UniqueConstraint(fields=["item", "unit"], name="supervision_task_unique_unit"),
        ]
        indexes = [models.Index(fields=["state", "unit"])]

    def __str__(self):
        return f"{self.item} · {self.unit}"

    def warning(self, today=None):
        """The badge this task shows today (see TaskQuerySet.with_warning)."""
        code = getattr(self, "warning_code", None)
        if code is not None and today is None:
            return code
        today = today or timezone.localdate()
        if self.state not in self.OWED:
            return TaskWarning.NONE
        if self.item.deadline < today:
            return TaskWarning.RED
        if self.item.deadline <= today + datetime.timedelta(days=YELLOW_DAYS):
            return TaskWarning.YELLOW
        return TaskWarning.NONE

    @property
    def on_time(self):
        """Accepted, and the accepted reply came on or before the deadline."""
        return (
            self.state == self.State.ACCEPTED
            and self.replied_at is not None
            and timezone.localdate(self.replied_at) <= self.item.deadline
        )


class TaskEvidence(models.Model):
    """A file a unit sent with its reply."""

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="evidence")
    file = models.FileField(_("file"), upload_to="supervision/evidence/%Y/%m/")
    name = models.CharField(_("file name"), max_length=200)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), default=timezone.now)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "task__item__campaign"
    scope_path = "task__unit__path"

    class Meta:
        ordering = ["task", "id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.name


class TaskEvent(models.Model):
    """The history of a task as its page shows it: who did what, and why."""

    class Action(models.TextChoices):
        ISSUE = "issue", pgettext_lazy("supervision event", "Issued")
        SIGN = "sign", pgettext_lazy("supervision event", "Signed for")
        REPLY = "reply", pgettext_lazy("supervision event", "Replied")
        RETURN = "return", pgettext_lazy("supervision event", "Sent back")
        ACCEPT = "accept", pgettext_lazy("supervision event", "Accepted")
        REMIND = "remind", pgettext_lazy("supervision event", "Reminded")

    task = models.ForeignKey(SupervisionTask, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(max_length=20, choices=Action.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.task} · {self.get_action_display()}"
