"""Publicity (加强宣传): news of the campaign, exemplars, and publicity records with points.

News articles and exemplars are written by units and reviewed by the campaign office;
they carry a disclosure level and reach the public portal only when published and
向社会公开. Publicity records (组工信息调研宣传) are the pieces units publish in outside
media; the office confirms each one before it scores.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from biaoshuai.core.disclosure import Disclosable, DisclosableQuerySet
from biaoshuai.core.models import TimeStampedModel
from biaoshuai.core.scope import ScopedQuerySet

IMAGE_EXTENSIONS = ["jpg", "jpeg", "png"]
PROOF_EXTENSIONS = ["pdf", "jpg", "jpeg", "png"]


class ReviewState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("review state", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("review state", "Submitted")
    PUBLISHED = "published", pgettext_lazy("review state", "Published")
    RETURNED = "returned", pgettext_lazy("review state", "Returned")


class Reviewed(Disclosable, TimeStampedModel):
    """A unit's text that the office reviews before it is published (news, exemplars)."""

    State = ReviewState

    campaign = models.ForeignKey(
        "campaigns.Campaign",
        verbose_name=_("campaign"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(pgettext_lazy("headline", "title"), max_length=200)
    state = models.CharField(
        _("state"), max_length=20, choices=ReviewState.choices, default=ReviewState.DRAFT
    )
    return_reason = models.TextField(_("reason for returning"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = DisclosableQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        abstract = True

    def __str__(self):
        return self.title

    @classmethod
    def published_q(cls):
        return models.Q(state=ReviewState.PUBLISHED)

    @property
    def is_editable(self):
        return self.state in (ReviewState.DRAFT, ReviewState.RETURNED)

    def paragraphs(self):
        """The body split into paragraphs at blank lines or line breaks."""
        return [p.strip() for p in self.body.splitlines() if p.strip()]


class NewsArticle(Reviewed):
    """A news article about the campaign (活动进展): text in paragraphs, a cover, images.

    A line of the body that reads "[图N]" places the article's N-th image there; images
    not placed follow the text.
    """

    author = models.CharField(_("author"), max_length=100, blank=True)
    summary = models.CharField(_("summary"), max_length=300, blank=True)
    body = models.TextField(_("body"))
    cover = models.FileField(_("cover image"), upload_to="publicity/news/%Y/%m/", blank=True)

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("news article")
        verbose_name_plural = _("news articles")
        indexes = [models.Index(fields=["state", "disclosure", "-published_at"])]


class NewsImage(models.Model):
    article = models.ForeignKey(NewsArticle, on_delete=models.CASCADE, related_name="images")
    image = models.FileField(_("image"), upload_to="publicity/news/%Y/%m/")
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=1)

    class Meta:
        ordering = ["article", "order", "id"]
        verbose_name = _("news image")
        verbose_name_plural = _("news images")

    def __str__(self):
        return self.caption or self.image.name


class Exemplar(Reviewed):
    """A good practice or a good example (好经验、好典型) a unit puts forward."""

    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Good practice")
        PERSON = "person", _("Good example")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PRACTICE)
    person = models.ForeignKey(
        "org.Person",
        verbose_name=_("cadre"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    summary = models.CharField(_("summary"), max_length=300)
    body = models.TextField(_("body"))

    class Meta:
        ordering = ["-published_at", "-id"]
        verbose_name = _("exemplar")
        verbose_name_plural = _("exemplars")


class Publication(TimeStampedModel):
    """A piece published outside (组工信息调研宣传), with the appearances it had.

    It scores once, at its best appearance: `points` is the largest of its appearances'
    points under the campaign's rules, and only once the office has confirmed it.
    `published_on` is its first appearance's date, which places it in a period.
    """

    class State(models.TextChoices):
        RECORDED = "recorded", pgettext_lazy("publication state", "Recorded")
        CONFIRMED = "confirmed", pgettext_lazy("publication state", "Confirmed")
        REJECTED = "rejected", pgettext_lazy("publication state", "Rejected")

    campaign = models.ForeignKey(
        "campaigns.Campaign", verbose_name=_("campaign"), on_delete=models.PROTECT, related_name="+"
    )
    unit = models.ForeignKey(
        "org.Unit", verbose_name=_("unit"), on_delete=models.PROTECT, related_name="+"
    )
    title = models.CharField(pgettext_lazy("headline", "title"), max_length=200)
    authors = models.ManyToManyField(
        "org.Person",
        verbose_name=_("cadre authors"),
        blank=True,
        related_name="publicity_publications",
    )
    authors_text = models.CharField(_("other authors"), max_length=200, blank=True)
    proof = models.FileField(_("proof"), upload_to="publicity/proofs/%Y/%m/", blank=True)
    link = models.URLField(_("link"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=State.choices, default=State.RECORDED
    )
    reject_reason = models.TextField(_("reason for rejecting"), blank=True)
    # Derived from the appearances by the services (see publication_points).
    points = models.PositiveIntegerField(_("points"), default=0)
    level = models.CharField(_("highest level"), max_length=30, blank=True)
    published_on = models.DateField(_("first published on"), null=True, db_index=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)

    objects = ScopedQuerySet.as_manager()
    campaign_field = "campaign"

    class Meta:
        ordering = ["-published_on", "-id"]
        verbose_name = _("publicity record")
        verbose_name_plural = _("publicity records")
        indexes = [models.Index(fields=["campaign", "state", "published_on"])]

    def __str__(self):
        return self.title


class Appearance(models.Model):
    """Where and when a piece appeared: one outlet, its medium and level."""

    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="appearances"
    )
    outlet = models.CharField(_("outlet"), max_length=100)
    medium = models.CharField(_("medium"), max_length=30)
    level = models.CharField(_("level"), max_length=30)
    published_on = models.DateField(_("published on"))

    class Meta:
        ordering = ["publication", "published_on", "id"]
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")

    def __str__(self):
        return f"{self.outlet} {self.published_on}"
