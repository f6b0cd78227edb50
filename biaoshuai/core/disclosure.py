"""Disclosure levels (凡是能公开的都要公开): who may read a record that can be disclosed.

A disclosable model inherits `Disclosable`, uses `DisclosableQuerySet` and says in
`published_q()` when a record counts as published (a news article once approved, a
bulletin once issued …). Then:

- `.public()` is everything the portal may show: 向社会公开 and published. The portal
  uses nothing else.
- `.visible_to(user)`: for a logged-in user, also what is 内部公开 (published), plus what
  is within their unit scope whatever its level. The system roles see none of it.

Units propose a level, the campaign office decides it. Every service that sets
`disclosure` or publishes a disclosable record either calls `disclosure_decider_required`
(the office's own actions), or `disclosure_apply` (forms that units fill too: what a unit
asks for becomes `disclosure_proposed`, left for the office's disclosure review).
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from .permissions import is_office
from .scope import ScopedQuerySet, scope_for

DISCLOSURE_OFFICE_DECIDES = _(
    "Only the campaign office decides disclosure levels and publishes; a unit proposes a "
    "level and the office reviews it."
)


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")


class DisclosableQuerySet(ScopedQuerySet):
    def public(self):
        return self.in_campaign().filter(
            models.Q(disclosure=Disclosure.PUBLIC) & self.model.published_q()
        )

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.public()
        if getattr(user, "system_role", "") and not user.is_superuser:
            return self.none()  # 三员分立: no business record, internal or not
        scope = scope_for(user)
        records = self.in_campaign()
        if scope.all:
            return records
        disclosed = models.Q(disclosure__in=[Disclosure.PUBLIC, Disclosure.INTERNAL])
        published = disclosed & self.model.published_q()
        if scope.empty:
            return records.filter(published)
        return records.filter(published | scope.q(getattr(self.model, "scope_path", "unit__path")))


class Disclosable(models.Model):
    """Adds the disclosure level the office sets, and the level a unit proposed."""

    disclosure = models.CharField(
        _("disclosure"), max_length=20, choices=Disclosure.choices, default=Disclosure.RESTRICTED
    )
    disclosure_proposed = models.CharField(
        _("proposed disclosure"), max_length=20, choices=Disclosure.choices, blank=True
    )

    class Meta:
        abstract = True

    @classmethod
    def published_q(cls):
        """The condition for a record to count as published; every record by default."""
        return models.Q()


def decides_disclosure(user):
    """The campaign office decides disclosure; `None` is the system itself (imports, the demo)."""
    return user is None or is_office(user)


def disclosure_decider_required(user):
    """Refuse, with a message the user can read, an action only the office may take."""
    if not decides_disclosure(user):
        raise ValidationError(DISCLOSURE_OFFICE_DECIDES)


def disclosure_apply(obj, level, *, by):
    """Set `obj`'s disclosure to `level` if `by` decides it, else record it as proposed.

    Returns the names of the fields changed. A unit's edit never changes what is disclosed:
    asking for another level leaves it to the office's review (a proposal equal to the
    level already set is no proposal). When the office sets a level, a proposal it settles
    is cleared.
    """
    if level not in Disclosure.values:
        raise ValidationError({"disclosure": _("Choose a valid disclosure level.")})
    if decides_disclosure(by):
        changed = []
        if obj.disclosure != level:
            obj.disclosure = level
            changed.append("disclosure")
        if obj.disclosure_proposed:
            obj.disclosure_proposed = ""
            changed.append("disclosure_proposed")
        return changed
    proposed = "" if level == obj.disclosure else level
    if obj.disclosure_proposed == proposed:
        return []
    obj.disclosure_proposed = proposed
    return ["disclosure_proposed"]
