"""Reads for campaigns and their plans: the list, the plan laid out on a timeline, progress."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext, pgettext_lazy

from biaoshuai.core import campaign as active_campaign
from biaoshuai.core.registry import NAV_GROUPS, NO_PRESENTATION, Presentation, registry
from biaoshuai.core.roles import Role
from biaoshuai.core.scope import scope_for

from .models import EFFECTIVE_STATUS_CHOICES, Campaign, CampaignChoice, Phase, PlanStep
from .template import LIST_LABELS, template_dump

Status = PlanStep.Status
# Steps shown per list on the home panel.
HOME_PANEL_STEPS = 5
ATTRIBUTE_LABELS = {
    "description": _("Description"),
    "count_per_cadre": _("Per cadre per phase"),
    "due_month": _("Due by the end of phase month"),
    "public": _("Open to the public"),
    "reference": _("Checked against"),
    "points": _("Points"),
    "score": _("Score"),
    "max_share": _("Largest share"),
    "weight": _("Weight"),
    "metric": _("Computed from"),
    "manual": _("Scored by hand"),
    "title": _("Post"),
    "role": _("Role"),
    "per": _("Owed"),
    "due_day": _("Due by day"),
    "param": _("Of"),
    "scale": _("Scale"),
    "direction": _("Better when"),
    "sub_kinds": _("Sub-kinds"),
}
CHANNEL_ROLE_LABELS = {
    "public_form": _("The portal's form"),
    "mailbox": _("The mailbox"),
    "api": _("The API"),
}
PER_LABELS = {"phase": _("once per phase"), "campaign": _("once per campaign")}
MODULE_LABELS = {
    "study": _("Study"),
    "practice": _("Practice"),
    "opinions": _("Opinions"),
    "surveys": _("Surveys"),
    "appraisal": _("Appraisal"),
    "rectification": _("Rectification"),
    "publicity": _("Publicity"),
    "supervision": _("Supervision"),
    "assessment": _("Assessment"),
}


@dataclass
class StepRow:
    """A plan step as the timeline shows it: its status today and where its bar sits."""

    step: PlanStep
    status: str
    left: float
    width: float
    late_start: bool
    today_at: float | None

    @property
    def status_label(self):
        return dict(EFFECTIVE_STATUS_CHOICES)[self.status]


@dataclass
class PhaseRow:
    phase: Phase
    days: int
    is_current: bool
    is_past: bool
    today_at: float | None
    months: list = field(default_factory=list)  # [(month label, left %)]
    rows: list = field(default_factory=list)
    step_total: int = 0
    step_done: int = 0


@dataclass
class Plan:
    campaign: Campaign
    today: datetime.date
    phases: list
    counts: dict
    progress: float | None
    overview: list  # [(phase, left %, width %)] on the campaign's whole span
    today_at: float | None  # today's place on the whole span, or None outside it


def campaigns_visible_to(user):
    """Campaigns are not unit data: whoever holds a role sees them all."""
    if scope_for(user).empty:
        return Campaign.objects.none()
    return Campaign.objects.all()


def campaign_current():
    """The campaign being worked in: the request's (the user's choice, the portal's, the
    API's `?campaign=`), else the default current campaign; None without one."""
    if active_campaign.is_active():
        return active_campaign.active()
    return Campaign.objects.current()


def campaign_for_request(request):
    """The campaign a request works in (activated by CampaignMiddleware, loaded once per
    request), else the default campaign."""
    return campaign_current()


def presentation_for(request):
    """The modules the request's campaign switches off and its own labels (see
    core.registry.Presentation)."""
    campaign = campaign_for_request(request)
    if campaign is None:
        return NO_PRESENTATION
    config = campaign.config or {}
    off = frozenset(name for name, on in config.get("modules", {}).items() if on is False)
    return Presentation(off=off, labels=dict(config.get("labels", {})))


class NoCurrentCampaign(Exception):
    """Raised by a page that needs the current campaign when there is none; the middleware
    answers with a page saying so (and, for the office, how to create one)."""


def campaign_current_required():
    """The campaign being worked in (see `campaign_current`), or NoCurrentCampaign."""
    campaign = campaign_current()
    if campaign is None:
        raise NoCurrentCampaign
    return campaign


class RequestCampaigns:
    """The campaigns one request knows of, loaded once (one query) and only when used.

    `all` is every campaign, newest first (few of them), each marked `chosen` when it is
    the user's choice; `active` is the one the request works in.
    """

    def __init__(self, *, user=None, portal=False, api=False, wanted=None):
        self.user, self.portal, self.api, self.wanted = user, portal, api, wanted
        self._all = None

    @property
    def all(self):
        if self._all is None:
            campaigns = Campaign.objects.order_by("-starts_on", "-id")
            if self.user is not None and self.user.is_authenticated:
                chosen = CampaignChoice.objects.filter(
                    user_id=self.user.pk, campaign=OuterRef("pk")
                )
                campaigns = campaigns.annotate(chosen=Exists(chosen))
            self._all = list(campaigns)
        return self._all

    @property
    def public(self):
        """The campaigns the portal shows: those that have started."""
        today = timezone.localdate()
        return [c for c in self.all if c.starts_on <= today]

    @property
    def default(self):
        return next((c for c in self.all if c.is_current), None)

    @property
    def latest_under_way(self):
        """The campaign under way that started last (not ended, not upcoming), or None."""
        today = timezone.localdate()
        return next((c for c in self.all if c.starts_on <= today <= c.ends_on), None)

    @property
    def active(self):
        if self.portal:
            return self._by_id(self.public, self.wanted) or self.default
        if self.wanted is not None:
            return self._by_id(self.all, self.wanted)
        if self.api:
            # An API call that names no campaign is not tied to a page the user chose.
            return self.latest_under_way or self.default
        return next((c for c in self.all if getattr(c, "chosen", False)), None) or self.default

    def under_way(self, today=None):
        """Campaigns under way today (and the current one), newest first."""
        today = today or timezone.localdate()
        return [c for c in self.all if c.is_under_way(today) or c.is_current]

    def groups(self, today=None):
        """[(label, campaigns)] for the switcher: under way, upcoming, ended."""
        today = today or timezone.localdate()
        under_way = self.under_way(today)
        upcoming = [c for c in self.all if c.starts_on > today and c not in under_way]
        ended = [c for c in self.all if c.ends_on < today and c not in under_way]
        labels = (_("Under way"), pgettext_lazy("campaigns", "Upcoming"), _("Ended"))
        return [
            (label, rows)
            for label, rows in zip(labels, (under_way, upcoming, ended), strict=True)
            if rows
        ]

    @staticmethod
    def _by_id(campaigns, pk):
        return next((c for c in campaigns if pk is not None and c.pk == pk), None)


def campaigns_under_way(*, today=None):
    """Campaigns under way today (and the current one), newest first."""
    today = today or timezone.localdate()
    return Campaign.objects.filter(
        Q(starts_on__lte=today, ends_on__gte=today) | Q(is_current=True)
    ).order_by("-starts_on", "-id")


def campaign_list(*, user):
    """Campaigns, newest first, with the number of phases and plan steps of each."""
    return (
        campaigns_visible_to(user)
        .annotate(phase_count=Count("phases", distinct=True), step_count=Count("phases__steps"))
        .order_by("-starts_on", "-id")
    )


def campaign_template_text(*, campaign):
    """The YAML a campaign was created from: as given when kept, else written out from
    what the campaign holds (its phases by their dates, counted in days)."""
    text = (campaign.config or {}).get("template")
    if text:
        return text
    config = campaign.config or {}
    phases = []
    for phase in campaign.phases.prefetch_related("steps").order_by("order"):
        phases.append(
            {
                "key": phase.key,
                "name": phase.name,
                "start_day": (phase.starts_on - campaign.starts_on).days + 1,
                "days": (phase.ends_on - phase.starts_on).days + 1,
                "description": phase.description,
                "steps": [
                    {
                        "stage": step.stage,
                        "name": step.name,
                        "description": step.description,
                        "responsible": step.responsible_text
                        or (step.responsible_unit.name if step.responsible_unit_id else ""),
                        "start_day": (step.starts_on - phase.starts_on).days + 1,
                        "days": (step.ends_on - step.starts_on).days + 1,
                    }
                    for step in phase.steps.all()
                ],
            }
        )
    data = {
        "key": campaign.template_key,
        "name": campaign.name,
        "short_name": campaign.short_name,
        "description": campaign.description,
        "participants": config.get("participants", ""),
        "modules": config.get("modules", {}),
        "labels": config.get("labels", {}),
        "phases": phases,
        "reference": config.get("reference", []),
        "lists": config.get("lists", {}),
        "reporting": config.get("reporting", {}),
    }
    return template_dump(data)


def campaign_phases(*, campaign):
    """The phases of `campaign` with their step counts."""
    return campaign.phases.annotate(
        step_count=Count("steps"), done_count=Count("steps", filter=Q(steps__status=Status.DONE))
    ).order_by("order")


def plan_build(*, campaign, today=None, phase_key="", status=""):
    """The plan of `campaign` laid out against `today`, optionally filtered.

    Three queries whatever the number of steps: phases, steps (with responsible units).
    `status` is one of the effective statuses (overdue included).
    """
    today = today or timezone.localdate()
    phases = list(campaign.phases.order_by("order"))
    steps = list(
        PlanStep.objects.filter(phase__campaign=campaign)
        .select_related("responsible_unit")
        .order_by("phase__order", "order")
    )
    counts = dict.fromkeys([*Status.values, PlanStep.OVERDUE], 0)
    by_phase = {phase.pk: [] for phase in phases}
    for step in steps:
        by_phase[step.phase_id].append(step)
        counts[step.effective_status(today)] += 1

    rows = []
    for phase in phases:
        if phase_key and phase.key != phase_key:
            continue
        days = (phase.ends_on - phase.starts_on).days + 1
        row = PhaseRow(
            phase=phase,
            days=days,
            is_current=phase.starts_on <= today <= phase.ends_on,
            is_past=phase.ends_on < today,
            today_at=_at(phase.starts_on, days, today),
            months=_month_marks(phase.starts_on, phase.ends_on, days),
        )
        for step in by_phase[phase.pk]:
            step_status = step.effective_status(today)
            row.step_total += 1
            row.step_done += step.status == Status.DONE
            if status and step_status != status:
                continue
            row.rows.append(_step_row(step, step_status, phase.starts_on, days, today))
        rows.append(row)

    total_days = (campaign.ends_on - campaign.starts_on).days + 1
    overview = [
        (
            phase,
            (phase.starts_on - campaign.starts_on).days / total_days * 100,
            ((phase.ends_on - phase.starts_on).days + 1) / total_days * 100,
        )
        for phase in phases
    ]
    return Plan(
        campaign=campaign,
        today=today,
        phases=rows,
        counts=counts,
        progress=_progress(steps, today),
        overview=overview,
        today_at=_at(campaign.starts_on, total_days, today),
    )


def plan_step_row(*, step, today=None):
    """One step as the plan shows it (after an update)."""
    today = today or timezone.localdate()
    phase = step.phase
    days = (phase.ends_on - phase.starts_on).days + 1
    return _step_row(step, step.effective_status(today), phase.starts_on, days, today)


def plan_progress(*, campaign, today=None):
    """Percentage of the steps that are due to have started (or are done) which are done.

    None when no step has started yet, so nothing is shown rather than a misleading 0.
    """
    today = today or timezone.localdate()
    figures = PlanStep.objects.filter(phase__campaign=campaign).aggregate(
        started=Count("id", filter=Q(starts_on__lte=today) | Q(status=Status.DONE)),
        done=Count("id", filter=Q(status=Status.DONE)),
    )
    if not figures["started"]:
        return None
    return figures["done"] / figures["started"] * 100


def plan_summary(*, campaign, today=None):
    """What the home page shows of the plan: the phase under way, progress, the steps in
    progress and the overdue ones (a few of each, with their totals)."""
    today = today or timezone.localdate()
    phase = campaign.phases.filter(starts_on__lte=today, ends_on__gte=today).first()
    steps = PlanStep.objects.filter(phase__campaign=campaign).select_related("phase")
    not_done = steps.exclude(status=Status.DONE)
    overdue = not_done.filter(ends_on__lt=today).order_by("ends_on", "phase__order", "order")
    in_progress = steps.filter(status=Status.IN_PROGRESS, ends_on__gte=today).order_by(
        "ends_on", "order"
    )
    summary = {
        "campaign": campaign,
        "today": today,
        "phase": phase,
        "progress": plan_progress(campaign=campaign, today=today),
        "overdue": list(overdue[:HOME_PANEL_STEPS]),
        "overdue_count": overdue.count(),
        "in_progress": list(in_progress[:HOME_PANEL_STEPS]),
        "in_progress_count": in_progress.count(),
    }
    if phase is not None:
        days = (phase.ends_on - phase.starts_on).days + 1
        elapsed = (today - phase.starts_on).days + 1
        summary.update(
            phase_days=days,
            phase_elapsed=elapsed,
            phase_remaining=days - elapsed,
            phase_percent=elapsed / days * 100,
        )
    elif campaign.starts_on > today:
        summary["starts_in"] = (campaign.starts_on - today).days
    return summary


def campaign_config_tables(*, campaign):
    """The template's lists as tables for reading: [(label, key, columns, rows of cells)]."""
    lists = campaign.config.get("lists", {})
    media = {m["key"]: m["name"] for m in lists.get("publication_media", [])}
    sections = {s["key"]: s["title"] for s in campaign.config.get("reference", [])}
    tables = []
    for name, items in lists.items():
        attributes = []
        for item in items:
            attributes += [a for a in item if a not in ("key", "name") and a not in attributes]
        columns = [ATTRIBUTE_LABELS.get(a, a) for a in attributes]
        rows = [
            (item["name"], [_cell(a, item.get(a), media, sections) for a in attributes])
            for item in items
        ]
        tables.append((LIST_LABELS.get(name, name), name, columns, rows))
    return tables


def _cell(attribute, value, media, sections):
    if value is None:
        return ""
    if attribute == "points" and isinstance(value, dict):
        return "；".join(f"{media.get(k, k)} {v}" for k, v in value.items())
    if isinstance(value, bool):
        return "✓" if value else "—"
    if attribute == "reference":
        return sections.get(value, value)
    if attribute == "metric":
        metric = registry.metrics.get(value)
        return str(metric.label) if metric else value
    if attribute == "role":
        return CHANNEL_ROLE_LABELS.get(value) or dict(Role.choices).get(value, value)
    if attribute == "per":
        return PER_LABELS.get(value, value)
    if attribute == "sub_kinds" and isinstance(value, list):
        return "、".join(str(sub.get("name", "")) for sub in value if isinstance(sub, dict))
    return str(value)


def campaign_settings(*, campaign):
    """What the template sets besides its lists: participants, modules switched off, the
    campaign's own labels (with the product's label each replaces)."""
    config = campaign.config or {}
    off = [
        str(MODULE_LABELS.get(name, name))
        for name, on in config.get("modules", {}).items()
        if on is False
    ]
    entries = {
        **registry.nav_items,
        **registry.metrics,
        **registry.portal_sections,
        **registry.work_items,
    }
    names = {key: entry.label for key, entry in entries.items()}
    names.update({f"nav.{key}": label for key, label in NAV_GROUPS.items()})
    labels = [
        (str(names[key]) if key in names else key, label)
        for key, label in config.get("labels", {}).items()
    ]
    return {"participants": config.get("participants", ""), "off": off, "labels": labels}


def _step_row(step, status, phase_starts_on, days, today):
    left = (step.starts_on - phase_starts_on).days / days * 100
    width = ((step.ends_on - step.starts_on).days + 1) / days * 100
    late_start = step.status == Status.NOT_STARTED and step.starts_on <= today <= step.ends_on
    return StepRow(
        step=step,
        status=status,
        left=left,
        width=width,
        late_start=late_start,
        today_at=_at(phase_starts_on, days, today),
    )


def _progress(steps, today):
    started = [s for s in steps if s.starts_on <= today or s.status == Status.DONE]
    if not started:
        return None
    return sum(s.status == Status.DONE for s in started) / len(started) * 100


def _at(starts_on, days, today):
    offset = (today - starts_on).days
    if 0 <= offset < days:
        return (offset + 0.5) / days * 100
    return None


def _month_marks(starts_on, ends_on, days):
    """The first day of each month within the span, with its place on the bar."""
    marks, day = [], starts_on.replace(day=1)
    while day <= ends_on:
        if day >= starts_on:
            label = date_format(day, pgettext("month mark on the plan timeline", "M"))
            marks.append((label, (day - starts_on).days / days * 100))
        day = (day + datetime.timedelta(days=32)).replace(day=1)
    return marks
