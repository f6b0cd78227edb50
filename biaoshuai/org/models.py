from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from biaoshuai.core.fields import (
    BlindIndexedMixin,
    BlindIndexField,
    EncryptedCharField,
    EncryptedEmailField,
)
from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.roles import Role
from biaoshuai.core.scope import ScopedQuerySet

from .validators import validate_mobile

# One path segment per level: the unit's id, zero-padded so that prefixes never collide.
PATH_SEGMENT_WIDTH = 8


class Unit(TimeStampedModel):
    """A participating unit. `path` is the materialized path of ids, so a subtree is a prefix."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Department")
        TOWNSHIP = "township", _("Township")
        COUNTY_AGENCY = "county_agency", _("County agency")
        SUB_UNIT = "sub_unit", _("Sub-unit")

    name = models.CharField(_("unit name"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent unit"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    path = models.CharField(max_length=255, db_index=True, editable=False, default="")
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    sort_order = models.PositiveIntegerField(_("display order"), default=0)
    is_active = models.BooleanField(_("active"), default=True)

    objects = ScopedQuerySet.as_manager()
    scope_path = "path"

    class Meta:
        ordering = ["path"]
        verbose_name = _("unit")
        verbose_name_plural = _("units")
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="unit_unique_name_in_parent"),
        ]

    def __str__(self):
        return self.name

    def make_path(self):
        prefix = self.parent.path if self.parent_id else ""
        return f"{prefix}{self.pk:0{PATH_SEGMENT_WIDTH}d}/"

    def subtree(self):
        return Unit.objects.filter(path__subtree=self.path)


class Person(BlindIndexedMixin, TimeStampedModel):
    """A cadre (组工干部). May or may not have a login.

    Phone and e-mail are stored SM4-encrypted; `phone_index` / `email_index` match them.
    """

    class Gender(models.TextChoices):
        MALE = "male", _("Male")
        FEMALE = "female", _("Female")

    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="people"
    )
    name = models.CharField(_("full name"), max_length=50)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    position = models.CharField(_("position"), max_length=100, blank=True)
    phone = EncryptedCharField(
        _("mobile phone"), max_length=20, blank=True, validators=[validate_mobile]
    )
    phone_index = BlindIndexField(source="phone", kind="phone")
    email = EncryptedEmailField(_("e-mail"), blank=True)
    email_index = BlindIndexField(source="email", kind="email")
    is_active = models.BooleanField(_("in post"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("login"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        ordering = ["unit__path", "name", "id"]
        verbose_name = _("cadre")
        verbose_name_plural = _("cadres")
        indexes = [models.Index(fields=["unit", "name"])]

    def __str__(self):
        return self.name

    @property
    def masked_phone(self):
        """138****1234: what those who do not manage the cadre see."""
        if len(self.phone) < 7:
            return "*" * len(self.phone)
        return f"{self.phone[:3]}{'*' * (len(self.phone) - 7)}{self.phone[-4:]}"


class RoleAssignment(TimeStampedModel):
    """A user holds a campaign role at a unit; the scope mechanism reads these."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="role_assignments",
    )
    unit = models.ForeignKey(
        Unit, verbose_name=_("unit"), on_delete=models.PROTECT, related_name="role_assignments"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    title = models.CharField(
        _("post title"),
        max_length=100,
        blank=True,
        help_text=_("e.g. the post that makes them leader"),
    )

    objects = ScopedQuerySet.as_manager()

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.UniqueConstraint(fields=["user", "unit", "role"], name="role_unique"),
        ]

    def __str__(self):
        return f"{self.user} · {self.get_role_display()} · {self.unit}"
