from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    """Base for domain models: when a row was created and last changed."""

    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class SharedCounter(models.Model):
    """A counter every web worker and every machine sees (see core/shared.py): rate-limit
    windows, single-use tokens and cache version numbers. Expired rows are purged."""

    key = models.CharField(_("key"), max_length=200, primary_key=True)
    value = models.BigIntegerField(_("value"), default=0)
    expires_at = models.DateTimeField(_("expires at"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("shared counter")
        verbose_name_plural = _("shared counters")

    def __str__(self):
        return f"{self.key}={self.value}"
