"""Disclosure levels (凡是能公开的都要公开): who may read a record that can be disclosed.

A disclosable model inherits `Disclosable`, uses `DisclosableQuerySet` and says in
`published_q()` when a record counts as published (a news article once approved, a
bulletin once issued …). Then:

- `.public()` is everything the portal may show: 向社会公开 and published. The portal
  uses nothing else.
- `.visible_to(user)`: for a logged-in user, also what is 内部公开 (published), plus what
  is within their unit scope whatever its level.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scope import ScopedQuerySet, scope_for


class Disclosure(models.TextChoices):
    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")


class DisclosableQuerySet(ScopedQuerySet):
    def public(self):
        return self.filter(models.Q(disclosure=Disclosure.PUBLIC) & self.model.published_q())

    def visible_to(self, user):
        if user is None or not user.is_authenticated:
            return self.public()
        if getattr(user, "system_role", "") and not user.is_superuser:
            return self.none()  # 三员分立: no business record, internal or not
        scope = scope_for(user)
        if scope.all:
            return self
        disclosed = models.Q(disclosure__in=[Disclosure.PUBLIC, Disclosure.INTERNAL])
        published = disclosed & self.model.published_q()
        if scope.empty:
            return self.filter(published)
        return self.filter(published | scope.q(getattr(self.model, "scope_path", "unit__path")))


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
