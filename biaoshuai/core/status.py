"""One colour scheme for every status badge: a status value has a tone.

Tones, not colours, are named here; app.css gives each tone a background and a text colour
whose contrast passes WCAG AA (tested in core/tests/test_status_badge.py).
"""

NEUTRAL, INFO, PROGRESS, WARNING, DANGER, SUCCESS = (
    "neutral",
    "info",
    "progress",
    "warning",
    "danger",
    "success",
)
TONES = (NEUTRAL, INFO, PROGRESS, WARNING, DANGER, SUCCESS)

STATUS_TONES = {
    # Not begun, or not yet anyone's turn.
    "": NEUTRAL,
    "draft": NEUTRAL,
    "queued": NEUTRAL,
    "not_started": NEUTRAL,
    "planned": NEUTRAL,
    "pending": NEUTRAL,
    "not_done": NEUTRAL,
    "inactive": NEUTRAL,
    "revoked": NEUTRAL,
    "declined": NEUTRAL,
    "closed_now": NEUTRAL,
    "past": NEUTRAL,
    # Waiting for someone to look at it.
    "new": INFO,
    "issued": INFO,
    "assigned": INFO,
    "upcoming": INFO,
    "recorded": INFO,
    "proposed": INFO,
    # Somebody is working on it.
    "signed": PROGRESS,
    "in_progress": PROGRESS,
    "open": PROGRESS,
    "running": PROGRESS,
    "grading": PROGRESS,
    "submitted": PROGRESS,
    "replied": PROGRESS,
    "under_way": PROGRESS,
    # Needs attention.
    "returned": WARNING,
    "reopened": WARNING,
    "leave": WARNING,
    "late": WARNING,
    "due_soon": WARNING,
    "expired": WARNING,
    "initial_password": WARNING,
    # Wrong or too late.
    "overdue": DANGER,
    "absent": DANGER,
    "missing": DANGER,
    "refused": DANGER,
    "rejected": DANGER,
    "failed": DANGER,
    "locked": DANGER,
    # Done.
    "done": SUCCESS,
    "present": SUCCESS,
    "accepted": SUCCESS,
    "approved": SUCCESS,
    "closed": SUCCESS,
    "confirmed": SUCCESS,
    "published": SUCCESS,
    "reviewed": SUCCESS,
    "delivered": SUCCESS,
    "succeeded": SUCCESS,
    "on_time": SUCCESS,
    "active": SUCCESS,
    "open_now": SUCCESS,
}


def status_tone(status, tone=None):
    """The tone of a status value; an explicit tone wins (one value, two meanings)."""
    if tone:
        return tone
    return STATUS_TONES.get(str(status or ""), NEUTRAL)
