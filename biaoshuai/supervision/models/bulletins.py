from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosable, DisclosableQuerySet
from biaoshuai.core.models import TimeStampedModel

DEFAULT_ADDRESSEES = "各乡镇党委，县直各单位党组（党委），部机关各科室："
DEFAULT_COPY_TO = "县委办公室，县委督查室"


class Bulletin(Disclosable, TimeStampedModel):
    """A periodic bulletin (定期通报): units compared for a period, praise and criticism named.

    `figures` freezes the ranking and figures at generation, so what was approved is what
    is published. Text sections are plain paragraphs (one per line).
    """

    class State(models.TextChoices):
        DRAFT = "draft", pgettext_lazy("bulletin", "Draft")
        SUBMITTED = "submitted", pgettext_lazy("bulletin", "Awaiting approval")
        RETURNED = "returned", pgettext_lazy("bulletin", "Returned")
        APPROVED = "approved", pgettext_lazy("bulletin", "Approved")
        PUBLISHED = "published", pgettext_lazy("bulletin", "Published")

    EDITABLE = (State.DRAFT, State.RETURNED)

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    # The issuing unit (the department); scope reads it.
    unit = models.ForeignKey(
        "org.Unit",
        verbose_name=_("issuing unit"),
        on_delete=models.PROTECT,
        related_name="bulletins",
    )
    period_start = models.DateField(_("period from"))
    period_end = models.DateField(_("period to"))
    title = models.CharField(pgettext_lazy("bulletin", "title"), max_length=200)
    # Both come from the campaign template's reporting.bulletin when generated.
    issuer = models.CharField(_("issuing office"), max_length=100)
    number_prefix = models.CharField(_("document number prefix"), max_length=20)
    number_year = models.PositiveSmallIntegerField(_("year of issue"), null=True, blank=True)
    number = models.PositiveIntegerField(_("document number"), null=True, blank=True)
    addressees = models.CharField(
        _("addressed to"), max_length=300, blank=True, default=DEFAULT_ADDRESSEES
    )
    opening = models.TextField(_("opening"), blank=True)
    overview = models.TextField(_("overall situation"), blank=True)
    praise = models.TextField(_("praise"), blank=True)
    criticism = models.TextField(_("criticism"), blank=True)
    requirements = models.TextField(_("next steps"), blank=True)
    copy_to = models.CharField(_("copied to"), max_length=300, blank=True, default=DEFAULT_COPY_TO)
    figures = models.JSONField(_("figures"), default=dict)
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    return_reason = models.TextField(_("reason the bulletin was returned"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    objects = DisclosableQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")
        constraints = [
            models.UniqueConstraint(
                fields=["number_year", "number_prefix", "number"],
                name="bulletin_unique_number",
            ),
        ]

    def __str__(self):
        return self.title

    @classmethod
    def published_q(cls):
        return models.Q(state=cls.State.PUBLISHED)

    @property
    def document_number(self):
        """组活办〔2026〕3号 once approved; before that the number is left blank."""
        if self.number is None:
            return f"{self.number_prefix}〔　　〕　号"
        return f"{self.number_prefix}〔{self.number_year}〕{self.number}号"

    def sections(self):
        """(heading, paragraphs) of the body in order; the opening has no heading."""
        return [
            ("", _paragraphs(self.opening)),
            ("一、总体情况", _paragraphs(self.overview)),
            ("二、表扬", _paragraphs(self.praise)),
            ("三、批评", _paragraphs(self.criticism)),
            ("四、下一步要求", _paragraphs(self.requirements)),
        ]


def _paragraphs(text):
    return [line.strip() for line in (text or "").splitlines() if line.strip()]
