"""One status badge: every tone readable (WCAG AA, computed from app.css), every state of
every model given a tone, and no template writing a status badge by hand."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.template import Context, Template

from biaoshuai.core.status import STATUS_TONES, TONES

ROOT = Path(__file__).resolve().parents[2]
CSS = (ROOT / "static/css/app.css").read_text()
STATE_FIELDS = {"state", "status", "exemplar_status"}


def _rule(selector):
    match = re.search(re.escape(selector) + r"\s*\{([^}]*)\}", CSS)
    assert match, f"{selector} is not in app.css"
    return dict(
        (name.strip(), value.strip())
        for name, value in (part.split(":", 1) for part in match.group(1).split(";") if ":" in part)
    )


def _luminance(hex_colour):
    hex_colour = hex_colour.lstrip("#")
    if len(hex_colour) == 3:
        hex_colour = "".join(c * 2 for c in hex_colour)
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(foreground, background):
    lighter, darker = sorted((_luminance(foreground), _luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_contrast_is_computed_as_wcag_says():
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the well-known near miss


@pytest.mark.parametrize("tone", TONES)
def test_every_tone_passes_wcag_aa(tone):
    rule = _rule(f".tone-{tone}")
    ratio = contrast(rule["color"], rule["background"])
    assert ratio >= 4.5, f"{tone}: {rule['color']} on {rule['background']} is {ratio:.2f}:1"


def test_every_state_of_every_model_has_a_tone():
    missing = [
        f"{model.__name__}.{field.name}={value!r}"
        for model in apps.get_models()
        if model.__module__.startswith("biaoshuai.")
        for field in model._meta.fields
        if field.name in STATE_FIELDS and field.choices
        for value, _label in field.choices
        if value not in STATUS_TONES
    ]
    assert not missing, missing


def test_the_badge_renders_value_label_and_tone():
    html = Template('{% status_badge "submitted" "已提交" css="fs-6" count=3 %}').render(Context())
    assert html == (
        '<span class="badge status-badge tone-progress fs-6" data-status="submitted">已提交 3</span>'
    )
    # One value, another meaning in one place: the template names the tone.
    html = Template('{% status_badge "draft" "草稿" tone="warning" %}').render(Context())
    assert "tone-warning" in html


HAND_WRITTEN = re.compile(
    r'class="badge[^"]*(status-\{\{|\|state_class|\|deliverable_badge|\|attendance_badge)'
    r"|\.get_(state|status)_display \}\}</span>"
)


def test_no_template_writes_a_status_badge_by_hand():
    found = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in sorted(ROOT.rglob("templates/**/*.html"))
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if HAND_WRITTEN.search(line)
    ]
    assert not found, found
