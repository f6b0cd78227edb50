"""What the portal shows, read through the other apps' selectors (never their models)."""

from django.utils import timezone

from biaoshuai.campaigns import selectors as campaigns
from biaoshuai.core.registry import registry
from biaoshuai.publicity import selectors as publicity

HOME_NEWS = 6


def portal_sections(request=None):
    """The portal's sections, without those of modules the current campaign switches off."""
    return registry.portal_sections_for(request)


def column_header():
    """The current campaign, its phase today and its plan's progress; None without one."""
    campaign = campaigns.campaign_current()
    if campaign is None:
        return None
    today = timezone.localdate()
    phases = list(campaigns.campaign_phases(campaign=campaign))
    current = next((p for p in phases if p.starts_on <= today <= p.ends_on), None)
    steps = sum(p.step_count for p in phases)
    done = sum(p.done_count for p in phases)
    return {
        "campaign": campaign,
        "today": today,
        "phases": [_phase_row(p, today) for p in phases],
        "current_phase": current,
        "steps": steps,
        "steps_done": done,
        "progress": campaigns.plan_progress(campaign=campaign, today=today),
        "day": (today - campaign.starts_on).days + 1 if campaign.starts_on <= today else None,
    }


def home_build(request=None):
    """The front page: the column's header, latest public news, sections, public figures."""
    header = column_header()
    campaign = header["campaign"] if header else None
    return {
        "header": header,
        "news": publicity.news_public_latest(limit=HOME_NEWS),
        "sections": portal_sections(request),
        "figures": publicity.portal_figures(campaign=campaign),
    }


def column_build():
    """The campaign's column (专栏): what it is, its reference content, phases and progress."""
    header = column_header()
    if header is None:
        return None
    config = header["campaign"].config
    lists = config.get("lists", {})
    return {
        **header,
        "reference": [_reference_card(card) for card in config.get("reference", [])],
        "leading_group": lists.get("leading_group", []),
        "news": publicity.news_public_latest(limit=4),
    }


def feed_items(*, limit=20):
    return publicity.news_public_latest(limit=limit)


def _phase_row(phase, today):
    days = (phase.ends_on - phase.starts_on).days + 1
    if today < phase.starts_on:
        elapsed = 0
    elif today > phase.ends_on:
        elapsed = 100
    else:
        elapsed = ((today - phase.starts_on).days + 1) / days * 100
    return {
        "phase": phase,
        "is_current": phase.starts_on <= today <= phase.ends_on,
        "is_past": phase.ends_on < today,
        "elapsed": elapsed,
        "step_count": phase.step_count,
        "done_count": phase.done_count,
        "done_percent": phase.done_count / phase.step_count * 100 if phase.step_count else 0,
    }


def _reference_card(card):
    items = []
    for item in card.get("items", []):
        if isinstance(item, dict):
            items.append((item.get("name", ""), item.get("text", "")))
        else:
            items.append(("", str(item)))
    return {
        "key": card.get("key", ""),
        "title": card.get("title", ""),
        "intro": card.get("intro", ""),
        "items": items,
    }
