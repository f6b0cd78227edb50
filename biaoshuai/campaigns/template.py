"""Campaign templates: YAML files that describe a campaign without dates.

`template_load(key)` reads a shipped template (biaoshuai/campaigns/templates/<key>.yaml),
`template_parse(text)` reads an uploaded one, `template_clean(data)` checks parsed data, and `template_validate(data)` returns every
problem it finds, each message naming the field it is about ("phases[1].steps[3].name: ...",
counting from 1). Both loaders raise `TemplateError` with all the messages. A valid template
is normalized (items of a reference section become {"name", "text"}) so readers can rely on
its shape. See README, "Campaign templates", for the format.
"""

import copy
import datetime
import re
from fractions import Fraction
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from biaoshuai.core.registry import NAV_GROUPS, registry

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates"
KEY_RE = re.compile(r"^[a-z][a-z0-9_]*$")
METRIC_RE = re.compile(r"^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$")
MAX_TEXT = 200  # longest name a model field takes (PlanStep.name)
FREQUENCIES = ("weekly", "monthly", "quarterly")
BULLETIN_FREQUENCIES = ("monthly", "quarterly")  # a bulletin covers a month or a quarter
LEADING_GROUP_ROLES = ("leader", "deputy_leader", "member")
# What a channel is used for: the portal's form, the IMAP mailbox, pushes through the API.
CHANNEL_ROLES = ("public_form", "mailbox", "api")
# The disclosure levels every record carries (core.disclosure); a template names them.
DISCLOSURE_KEYS = ("public", "internal", "restricted")
DELIVERABLE_PER = ("phase", "campaign")
INDICATOR_SCALES = ("percent", "relative")
INDICATOR_DIRECTIONS = ("higher", "lower")
# The parts of the product a campaign may switch off (`modules: {practice: false}`): each is
# an app whose registry entries, pages and portal pages disappear with it.
MODULES = (
    "study",
    "practice",
    "opinions",
    "surveys",
    "appraisal",
    "rectification",
    "publicity",
    "supervision",
    "assessment",
)
REPORTING_FIELDS = {
    "unit_report": ("frequency", "due_day"),
    "bulletin": ("frequency", "due_day", "issuer", "number_prefix"),
}

# Each list the domain apps read: the attributes its items may carry, beyond key and name.
# (attribute, type, required); types: "text", "int", "bool", "share", "points", "metric",
# "reference" (a key of a reference section), "role".
LIST_SCHEMAS = {
    "study_kinds": [("description", "text", False), ("sub_kinds", "sub_kinds", False)],
    "required_topics": [("description", "text", False)],
    "deliverable_kinds": [
        ("count_per_cadre", "int", True),
        ("per", "per", False),
        ("due_month", "int", False),
        ("due_day", "int", False),
        ("description", "text", False),
    ],
    "opinion_channels": [
        ("public", "bool", False),
        ("role", "channel_role", False),
        ("description", "text", False),
    ],
    "self_check_items": [("reference", "reference", False), ("description", "text", False)],
    "problem_dimensions": [("description", "text", False)],
    "problem_areas": [("description", "text", False)],
    "rectification_kinds": [("description", "text", False)],
    "personal_plan_aspects": [("description", "text", False)],
    "discussion_questions": [("description", "text", False)],
    "placement_kinds": [("description", "text", False)],
    "disclosure_levels": [("description", "text", False)],
    "publication_media": [("description", "text", False)],
    "publication_levels": [("points", "points", True)],
    "satisfaction_scale": [("score", "int", True)],
    "self_rating_scale": [("score", "int", False), ("description", "text", False)],
    "appraisal_grades": [("max_share", "share", False)],
    "assessment_indicators": [
        ("weight", "int", True),
        ("metric", "metric", False),
        ("param", "param", False),
        ("manual", "bool", False),
        ("scale", "scale", False),
        ("direction", "direction", False),
        ("description", "text", False),
    ],
    "leading_group": [("title", "text", False), ("role", "role", True)],
}
LIST_LABELS = {
    "study_kinds": gettext_lazy("Study kinds"),
    "required_topics": gettext_lazy("Required topics"),
    "deliverable_kinds": gettext_lazy("Deliverable kinds"),
    "opinion_channels": gettext_lazy("Opinion channels"),
    "self_check_items": gettext_lazy("Self-check items"),
    "problem_dimensions": gettext_lazy("Problem dimensions"),
    "problem_areas": gettext_lazy("Problem areas"),
    "rectification_kinds": gettext_lazy("Rectification kinds"),
    "personal_plan_aspects": gettext_lazy("Personal plan aspects"),
    "discussion_questions": gettext_lazy("Discussion questions"),
    "placement_kinds": gettext_lazy("Exchange placement kinds"),
    "disclosure_levels": gettext_lazy("Disclosure levels"),
    "publication_media": gettext_lazy("Publication media"),
    "publication_levels": gettext_lazy("Publication levels and points"),
    "satisfaction_scale": gettext_lazy("Satisfaction scale"),
    "self_rating_scale": gettext_lazy("Self-rating scale"),
    "appraisal_grades": gettext_lazy("Appraisal grades"),
    "assessment_indicators": gettext_lazy("Assessment indicators"),
    "leading_group": gettext_lazy("Leading group"),
}
REQUIRED_LISTS = (
    "study_kinds",
    "required_topics",
    "deliverable_kinds",
    "opinion_channels",
    "problem_dimensions",
    "disclosure_levels",
    "publication_media",
    "publication_levels",
    "satisfaction_scale",
    "appraisal_grades",
    "assessment_indicators",
)
TOP_LEVEL = ("key", "name", "short_name", "description", "phases", "reference", "lists")
TOP_LEVEL_OPTIONAL = ("reporting", "participants", "modules", "labels", "targets")
# `targets`: the assessment total below which a unit is flagged (default 60), and a target
# per figure of the home pages and dashboard ({metric key: number}).
TARGET_FIELDS = ("warn_below", "figures")
WARN_BELOW = 60
PHASE_FIELDS = ("key", "name", "start_month", "start_day", "months", "days", "description", "steps")
STEP_FIELDS = (
    "stage",
    "name",
    "description",
    "responsible",
    "start_month",
    "months",
    "start_day",
    "days",
)
SECTION_FIELDS = ("key", "title", "intro", "source", "items")


# An uploaded or pasted template is parsed only within these bounds (the shipped one is
# about 30 KB and 6 levels deep); anchors and aliases (& and *) are refused, so a small file
# cannot expand into a huge one ("billion laughs").
MAX_BYTES = 256 * 1024
MAX_DEPTH = 20
TOO_BIG = gettext_lazy("The template is larger than %(size)s KB.")
TOO_DEEP = gettext_lazy("The template is nested more than %(depth)s levels deep (line %(line)s).")
NO_ALIASES = gettext_lazy(
    "The template uses a YAML anchor or alias (& or *) at line %(line)s; they are not "
    "accepted: write each value out in full."
)


class _Refused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class _BoundedLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses anchors and aliases and nesting deeper than MAX_DEPTH."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        line = event.start_mark.line + 1
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None) is not None:
            raise _Refused(NO_ALIASES % {"line": line})
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _Refused(TOO_DEEP % {"depth": MAX_DEPTH, "line": line})
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _load_bounded(text):
    if len(text.encode("utf-8")) > MAX_BYTES:
        raise _Refused(TOO_BIG % {"size": MAX_BYTES // 1024})
    loader = _BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


class TemplateError(Exception):
    """A template that cannot be used; `errors` lists every problem, each naming its field."""

    def __init__(self, errors):
        self.errors = list(errors)
        super().__init__("\n".join(self.errors))


def template_choices():
    """[(key, name)] of the templates shipped with the product."""
    choices = []
    for path in sorted(TEMPLATE_DIR.glob("*.yaml")):
        try:
            data = template_load(path.stem)
        except TemplateError:
            continue
        choices.append((path.stem, data["short_name"] or data["name"]))
    return choices


def template_load(key):
    """The shipped template `key`, validated and normalized; TemplateError when it is bad."""
    if not KEY_RE.match(key or ""):
        raise TemplateError([_("%(field)s: no template is called %(key)s") % _p("key", key)])
    path = TEMPLATE_DIR / f"{key}.yaml"
    if not path.is_file():
        raise TemplateError([_("%(field)s: no template is called %(key)s") % _p("key", key)])
    return template_parse(path.read_text(encoding="utf-8"))


def template_text(key):
    """The YAML text of the shipped template `key`, or "" when there is none."""
    path = TEMPLATE_DIR / f"{key}.yaml"
    if not KEY_RE.match(key or "") or not path.is_file():
        return ""
    return path.read_text(encoding="utf-8")


def template_dump(data):
    """A template's data as YAML text that `template_parse` reads back."""
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)


def template_parse(text):
    """Parse and validate YAML text (an uploaded template); TemplateError when it is bad."""
    try:
        data = _load_bounded(text)
    except _Refused as exc:
        raise TemplateError([str(exc.message)]) from None
    except RecursionError:  # a limit above should come first; never a 500 either way
        raise TemplateError([str(TOO_DEEP % {"depth": MAX_DEPTH, "line": "?"})]) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            raise TemplateError(
                [
                    _("The file is not valid YAML: line %(line)s, column %(column)s: %(problem)s")
                    % {
                        "line": mark.line + 1,
                        "column": mark.column + 1,
                        "problem": getattr(exc, "problem", "") or "",
                    }
                ]
            ) from exc
        raise TemplateError([_("The file is not valid YAML.")]) from exc
    return template_clean(data)


def template_clean(data):
    """`data` validated and normalized (a copy); TemplateError with every problem."""
    errors = template_validate(data)
    if errors:
        raise TemplateError(errors)
    return _normalize(copy.deepcopy(data))


def template_validate(data):
    """Every problem in `data` (a parsed template), as messages that name the field."""
    return _Validator().run(data)


def add_months(day, months):
    """The same day `months` later; the 31st becomes the last day of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _month_length(year, month)
    return datetime.date(year, month, min(day.day, last))


def months_span_min_days(months):
    """The fewest days `months` consecutive months can have, whatever the start date."""
    return _min_span(months)


def phase_dates(starts_on, phases):
    """[(starts_on, ends_on)] of a template's phases for a campaign starting on `starts_on`.

    A phase lasts `months` or `days`; it starts on `start_month`/`start_day` of the campaign
    (counted from 1) when given, so phases may overlap, else the day after the previous one.
    """
    dates, following = [], starts_on
    for phase in phases:
        if "start_month" in phase:
            start = add_months(starts_on, phase["start_month"] - 1)
        elif "start_day" in phase:
            start = starts_on + datetime.timedelta(days=phase["start_day"] - 1)
        else:
            start = following
        if "days" in phase:
            end = start + datetime.timedelta(days=phase["days"] - 1)
        else:
            end = add_months(start, phase["months"]) - datetime.timedelta(days=1)
        dates.append((start, end))
        following = end + datetime.timedelta(days=1)
    return dates


def step_dates(phase_starts_on, step):
    """(starts_on, ends_on) of a template step in a phase starting on `phase_starts_on`."""
    if "start_month" in step:
        starts = add_months(phase_starts_on, step["start_month"] - 1)
        ends = add_months(phase_starts_on, step["start_month"] - 1 + step["months"])
        return starts, ends - datetime.timedelta(days=1)
    starts = phase_starts_on + datetime.timedelta(days=step["start_day"] - 1)
    return starts, starts + datetime.timedelta(days=step["days"] - 1)


def _p(field, value=None, **extra):
    return {"field": field, "key": value, **extra}


def _month_length(year, month):
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return (following - datetime.timedelta(days=1)).day


@lru_cache(maxsize=64)
def _min_span(months):
    # Eight years hold every pattern of month lengths and leap years that matters here.
    start, fewest = datetime.date(2001, 1, 1), None
    for offset in range(366 * 8):
        day = start + datetime.timedelta(days=offset)
        days = (add_months(day, months) - day).days
        fewest = days if fewest is None else min(fewest, days)
    return fewest


class _Validator:
    def __init__(self):
        self.errors = []
        self.reference_keys = set()
        self.media_keys = []
        self.phase_months = []
        self.phase_days = []
        self.channel_roles = set()
        self.modules_off = set()
        self.lists_data = {}

    def run(self, data):
        if not isinstance(data, dict):
            self.error(_("%(field)s: expected %(type)s"), "(template)", type=_("a mapping"))
            return self.errors
        self.unknown(data, TOP_LEVEL + TOP_LEVEL_OPTIONAL, "")
        self.key(data, "key", "key")
        self.text(data, "name", "name", required=True)
        self.text(data, "short_name", "short_name", required=True, max_length=60)
        self.text(data, "description", "description", max_length=None)
        self.text(data, "participants", "participants", max_length=60)
        self.modules(data.get("modules"), "modules")
        self.reference(data.get("reference"), "reference")
        self.phases(data.get("phases"), "phases")
        self.lists(data.get("lists"), "lists")
        if "reporting" in data:
            self.reporting(data["reporting"], "reporting")
        if "labels" in data:
            self.labels(data["labels"], "labels")
        if "targets" in data:
            self.targets(data["targets"], "targets")
        return self.errors

    # --- the parts of a template

    def modules(self, modules, path):
        if modules is None or not self.is_mapping(modules, path):
            return
        for name, on in modules.items():
            where = f"{path}.{name}"
            if name not in MODULES:
                self.error(
                    _("%(field)s: %(value)s is not one of %(choices)s"),
                    where,
                    value=name,
                    choices=", ".join(MODULES),
                )
            elif not isinstance(on, bool):
                self.error(_("%(field)s: expected %(type)s"), where, type=_("true or false"))
            elif not on:
                self.modules_off.add(name)

    def labels(self, labels, path):
        if not self.is_mapping(labels, path):
            return
        known = _registry_keys()
        for name in labels:
            where = f"{path}.{name}"
            if name not in known:
                self.error(
                    _("%(field)s: %(value)s is not a menu entry, figure or portal section"),
                    where,
                    value=name,
                )
            else:
                self.text(labels, name, where, required=True, max_length=60)

    def targets(self, targets, path):
        if not self.is_mapping(targets, path):
            return
        self.unknown(targets, TARGET_FIELDS, path)
        self.integer(targets, "warn_below", f"{path}.warn_below", low=0, high=100)
        figures = targets.get("figures")
        if figures is None or not self.is_mapping(figures, f"{path}.figures"):
            return
        known = _registry_keys()
        for name, value in figures.items():
            where = f"{path}.figures.{name}"
            if name not in known:
                self.error(_("%(field)s: %(value)s is not a figure"), where, value=name)
            elif isinstance(value, bool) or not isinstance(value, int | float) or value < 0:
                self.error(_("%(field)s: expected %(type)s"), where, type=_("a number"))

    def phases(self, phases, path):
        if not self.is_list(phases, path, required=True):
            return
        self.unique_keys(phases, path)
        for i, phase in enumerate(phases, 1):
            where = f"{path}[{i}]"
            if not self.is_mapping(phase, where):
                continue
            self.unknown(phase, PHASE_FIELDS, where)
            self.key(phase, "key", f"{where}.key")
            self.text(phase, "name", f"{where}.name", required=True, max_length=100)
            self.text(phase, "description", f"{where}.description", max_length=None)
            if "start_month" in phase and "start_day" in phase:
                self.error(_("%(field)s: give either start_month or start_day"), where)
            else:
                self.integer(phase, "start_month", f"{where}.start_month", low=1, high=120)
                self.integer(phase, "start_day", f"{where}.start_day", low=1, high=3660)
            months = days = None
            if "months" in phase and "days" in phase:
                self.error(_("%(field)s: give either months or days"), where)
            elif "days" in phase:
                days = self.integer(phase, "days", f"{where}.days", required=True, low=1, high=3660)
            else:
                months = self.integer(
                    phase, "months", f"{where}.months", required=True, low=1, high=120
                )
            if months is not None:
                self.phase_months.append(months)
                self.phase_days.append(months_span_min_days(months))
            if days is not None:
                self.phase_days.append(days)
            steps = phase.get("steps")
            if not self.is_list(steps, f"{where}.steps", required=True):
                continue
            for j, step in enumerate(steps, 1):
                self.step(step, f"{where}.steps[{j}]", months, days)

    def step(self, step, where, phase_months, phase_days=None):
        if not self.is_mapping(step, where):
            return
        self.unknown(step, STEP_FIELDS, where)
        self.text(step, "name", f"{where}.name", required=True)
        self.text(step, "stage", f"{where}.stage", max_length=100)
        self.text(step, "description", f"{where}.description", max_length=None)
        self.text(step, "responsible", f"{where}.responsible", max_length=100)
        by_month = "start_month" in step or "months" in step
        by_day = "start_day" in step or "days" in step
        if by_month and by_day:
            self.error(
                _("%(field)s: give either start_month and months, or start_day and days"), where
            )
            return
        if not by_month and not by_day:
            self.error(
                _("%(field)s: this field is required (or start_day and days)"),
                f"{where}.start_month",
            )
            return
        if by_month and phase_days is not None:
            self.error(
                _("%(field)s: the phase is counted in days; give start_day and days"),
                f"{where}.start_month",
            )
            return
        if phase_months is None and phase_days is None:
            return
        if by_month:
            start = self.integer(
                step, "start_month", f"{where}.start_month", required=True, low=1, high=phase_months
            )
            length = self.integer(step, "months", f"{where}.months", required=True, low=1)
            if start is not None and length is not None and start + length - 1 > phase_months:
                self.error(
                    _(
                        "%(field)s: the step ends in month %(end)s, after its phase (%(months)s months)"
                    ),
                    f"{where}.months",
                    end=start + length - 1,
                    months=phase_months,
                )
        else:
            span = phase_days if phase_days is not None else months_span_min_days(phase_months)
            start = self.integer(
                step, "start_day", f"{where}.start_day", required=True, low=1, high=span
            )
            length = self.integer(step, "days", f"{where}.days", required=True, low=1)
            if start is not None and length is not None and start + length - 1 > span:
                self.error(
                    _("%(field)s: the step ends on day %(end)s, after its phase (%(days)s days)"),
                    f"{where}.days",
                    end=start + length - 1,
                    days=span,
                )

    def reference(self, sections, path):
        if not self.is_list(sections, path, required=True):
            return
        self.unique_keys(sections, path)
        for i, section in enumerate(sections, 1):
            where = f"{path}[{i}]"
            if not self.is_mapping(section, where):
                continue
            self.unknown(section, SECTION_FIELDS, where)
            if self.key(section, "key", f"{where}.key"):
                self.reference_keys.add(section["key"])
            self.text(section, "title", f"{where}.title", required=True)
            self.text(section, "intro", f"{where}.intro", max_length=None)
            self.text(section, "source", f"{where}.source", max_length=50)
            items = section.get("items")
            if not self.is_list(items, f"{where}.items", required=True):
                continue
            for j, item in enumerate(items, 1):
                item_path = f"{where}.items[{j}]"
                if isinstance(item, str):
                    if not item.strip():
                        self.error(_("%(field)s: this field is required"), item_path)
                    continue
                if not self.is_mapping(item, item_path, expected=_("text or a mapping")):
                    continue
                self.unknown(item, ("name", "text"), item_path)
                self.text(item, "name", f"{item_path}.name", required=True)
                self.text(item, "text", f"{item_path}.text", max_length=None)

    def lists(self, lists, path):
        if lists is None:
            self.error(_("%(field)s: this field is required"), path)
            return
        if not self.is_mapping(lists, path):
            return
        self.lists_data = lists
        for name in REQUIRED_LISTS:
            if name not in lists:
                self.error(_("%(field)s: this field is required"), f"{path}.{name}")
        for name in lists:
            if name not in LIST_SCHEMAS:
                self.error(_("%(field)s: unknown list"), f"{path}.{name}")
        # Media first: the points table of the publication levels refers to them.
        ordered = sorted(lists, key=lambda n: n != "publication_media")
        for name in ordered:
            if name in LIST_SCHEMAS:
                self.list_items(lists[name], f"{path}.{name}", LIST_SCHEMAS[name])
        levels = lists.get("disclosure_levels")
        if isinstance(levels, list) and levels:
            given = {i.get("key") for i in levels if isinstance(i, dict)}
            for key in DISCLOSURE_KEYS:
                if key not in given:
                    self.error(
                        _("%(field)s: the level %(key)s is missing"),
                        f"{path}.disclosure_levels",
                        key=key,
                    )
        indicators = lists.get("assessment_indicators")
        if isinstance(indicators, list) and indicators:
            self.weights(indicators, f"{path}.assessment_indicators")

    def list_items(self, items, path, schema):
        if not self.is_list(items, path, required=True):
            return
        if not items:
            self.error(_("%(field)s: the list is empty"), path)
            return
        self.unique_keys(items, path)
        allowed = ("key", "name") + tuple(attr for attr, _type, _req in schema)
        for i, item in enumerate(items, 1):
            where = f"{path}[{i}]"
            if not self.is_mapping(item, where):
                continue
            self.unknown(item, allowed, where)
            self.key(item, "key", f"{where}.key")
            self.text(item, "name", f"{where}.name", required=True)
            for attr, kind, required in schema:
                self.attribute(item, attr, kind, required, f"{where}.{attr}")
            if path.endswith("deliverable_kinds"):
                self.deliverable_due(item, where)
            if path.endswith("disclosure_levels") and isinstance(item.get("key"), str):
                if item["key"] not in DISCLOSURE_KEYS:
                    self.error(
                        _("%(field)s: %(value)s is not one of %(choices)s"),
                        f"{where}.key",
                        value=item["key"],
                        choices=", ".join(DISCLOSURE_KEYS),
                    )
            if path.endswith("publication_media") and isinstance(item.get("key"), str):
                self.media_keys.append(item["key"])
            if path.endswith("assessment_indicators"):
                has_metric, manual = "metric" in item, item.get("manual") is True
                if has_metric == manual:
                    self.error(_("%(field)s: give either metric or manual: true"), where)
                elif has_metric:
                    self.indicator_metric(item, where)
            if path.endswith("opinion_channels") and isinstance(item.get("role"), str):
                role = item["role"]
                if role in self.channel_roles:
                    self.error(
                        _("%(field)s: another channel already has the role %(value)s"),
                        f"{where}.role",
                        value=role,
                    )
                self.channel_roles.add(role)
                if role == "public_form" and item.get("public") is False:
                    self.error(
                        _("%(field)s: the channel of the public form must be public"),
                        f"{where}.public",
                    )

    def deliverable_due(self, item, where):
        if "due_month" in item and "due_day" in item:
            self.error(_("%(field)s: give either due_month or due_day"), where)
            return
        if "due_month" not in item and "due_day" not in item:
            self.error(_("%(field)s: this field is required (or due_day)"), f"{where}.due_month")
            return
        if item.get("per", "phase") != "phase":
            return  # owed once: due from the campaign's start, at the latest on its last day
        if isinstance(item.get("due_month"), int) and not isinstance(item["due_month"], bool):
            shortest = min(self.phase_months, default=None)
            if shortest is not None and item["due_month"] > shortest:
                self.error(
                    _("%(field)s: must be between %(min)s and %(max)s"),
                    f"{where}.due_month",
                    min=1,
                    max=shortest,
                )
        if isinstance(item.get("due_day"), int) and not isinstance(item["due_day"], bool):
            shortest = min(self.phase_days, default=None)
            if shortest is not None and item["due_day"] > shortest:
                self.error(
                    _("%(field)s: must be between %(min)s and %(max)s"),
                    f"{where}.due_day",
                    min=1,
                    max=shortest,
                )

    def indicator_metric(self, item, where):
        key = item.get("metric")
        if not isinstance(key, str) or not METRIC_RE.match(key):
            return  # already reported by the attribute check
        metric = registry.metrics.get(key)
        if metric is None:
            self.error(_("%(field)s: no figure is called %(value)s"), f"{where}.metric", value=key)
            return
        module = key.split(".", 1)[0]
        if module in self.modules_off:
            self.error(
                _("%(field)s: %(value)s belongs to the module %(module)s, which is switched off"),
                f"{where}.metric",
                value=key,
                module=module,
            )
        takes = getattr(metric, "param", "")
        param = item.get("param")
        if not takes:
            if param is not None:
                self.error(
                    _("%(field)s: the figure %(value)s takes no parameter"),
                    f"{where}.param",
                    value=key,
                )
            return
        if param is None:
            self.error(
                _("%(field)s: this field is required (a key of lists.%(list)s)"),
                f"{where}.param",
                list=takes,
            )
            return
        keys = [i.get("key") for i in (self.lists_data.get(takes) or []) if isinstance(i, dict)]
        if param not in keys:
            self.error(
                _("%(field)s: %(value)s is not a key of lists.%(list)s"),
                f"{where}.param",
                value=param,
                list=takes,
            )

    def attribute(self, item, attr, kind, required, where):
        if attr not in item:
            if required:
                self.error(_("%(field)s: this field is required"), where)
            return
        value = item[attr]
        if kind == "text":
            self.text(item, attr, where, max_length=None)
        elif kind == "int":
            low = 0 if attr in ("score", "weight", "count_per_cadre") else 1
            high = 100 if attr in ("score", "weight") else None
            self.integer(item, attr, where, required=required, low=low, high=high)
        elif kind == "bool":
            if not isinstance(value, bool):
                self.error(_("%(field)s: expected %(type)s"), where, type=_("true or false"))
        elif kind == "share":
            share = _fraction(value)
            if share is None or not 0 < share <= 1:
                self.error(_("%(field)s: expected a share such as 1/3 or 0.3"), where)
        elif kind == "metric":
            if not isinstance(value, str) or not METRIC_RE.match(value):
                self.error(
                    _("%(field)s: expected a metric key such as study.completion_rate"), where
                )
        elif kind == "reference":
            if value not in self.reference_keys:
                self.error(
                    _("%(field)s: %(value)s is not the key of a reference section"),
                    where,
                    value=value,
                )
        elif kind == "role":
            if value not in LEADING_GROUP_ROLES:
                self.error(
                    _("%(field)s: %(value)s is not one of %(choices)s"),
                    where,
                    value=value,
                    choices=", ".join(LEADING_GROUP_ROLES),
                )
        elif kind == "points":
            self.points(value, where)
        elif kind in ("channel_role", "per", "scale", "direction"):
            choices = {
                "channel_role": CHANNEL_ROLES,
                "per": DELIVERABLE_PER,
                "scale": INDICATOR_SCALES,
                "direction": INDICATOR_DIRECTIONS,
            }[kind]
            if value not in choices:
                self.error(
                    _("%(field)s: %(value)s is not one of %(choices)s"),
                    where,
                    value=value,
                    choices=", ".join(choices),
                )
        elif kind == "param":
            if not isinstance(value, str) or not KEY_RE.match(value):
                self.error(
                    _(
                        "%(field)s: use lower-case letters, digits and underscores, starting with a letter"
                    ),
                    where,
                )
        elif kind == "sub_kinds":
            self.sub_kinds(value, where)

    def sub_kinds(self, items, path):
        if not self.is_list(items, path, required=True):
            return
        if not items:
            self.error(_("%(field)s: the list is empty"), path)
            return
        self.unique_keys(items, path)
        for i, item in enumerate(items, 1):
            where = f"{path}[{i}]"
            if not self.is_mapping(item, where):
                continue
            self.unknown(item, ("key", "name", "description"), where)
            self.key(item, "key", f"{where}.key")
            self.text(item, "name", f"{where}.name", required=True)
            self.text(item, "description", f"{where}.description", max_length=None)

    def points(self, table, where):
        if not self.is_mapping(table, where):
            return
        for medium in self.media_keys:
            if medium not in table:
                self.error(_("%(field)s: this field is required"), f"{where}.{medium}")
        for medium, points in table.items():
            if medium not in self.media_keys:
                self.error(
                    _("%(field)s: %(value)s is not a key of lists.publication_media"),
                    f"{where}.{medium}",
                    value=medium,
                )
            elif isinstance(points, bool) or not isinstance(points, int | float) or points < 0:
                self.error(
                    _("%(field)s: expected %(type)s"), f"{where}.{medium}", type=_("a number ≥ 0")
                )

    def weights(self, indicators, path):
        weights = [i.get("weight") for i in indicators if isinstance(i, dict)]
        if all(isinstance(w, int) and not isinstance(w, bool) for w in weights):
            total = sum(weights)
            if total != 100:
                self.error(
                    _("%(field)s: the weights add up to %(total)s, not 100"), path, total=total
                )

    def reporting(self, reporting, path):
        if not self.is_mapping(reporting, path):
            return
        for name, schedule in reporting.items():
            where = f"{path}.{name}"
            if name not in REPORTING_FIELDS:
                self.error(
                    _("%(field)s: %(value)s is not one of %(choices)s"),
                    where,
                    value=name,
                    choices=", ".join(REPORTING_FIELDS),
                )
                continue
            if not self.is_mapping(schedule, where):
                continue
            self.unknown(schedule, REPORTING_FIELDS[name], where)
            frequency = schedule.get("frequency")
            if frequency is None:
                if name == "unit_report":
                    self.error(_("%(field)s: this field is required"), f"{where}.frequency")
            elif frequency not in (FREQUENCIES if name == "unit_report" else BULLETIN_FREQUENCIES):
                choices = FREQUENCIES if name == "unit_report" else BULLETIN_FREQUENCIES
                self.error(
                    _("%(field)s: %(value)s is not one of %(choices)s"),
                    f"{where}.frequency",
                    value=frequency,
                    choices=", ".join(choices),
                )
            high = 7 if frequency == "weekly" else 28
            self.integer(schedule, "due_day", f"{where}.due_day", low=1, high=high)
            if name == "bulletin":
                self.text(schedule, "issuer", f"{where}.issuer", max_length=100)
                self.text(schedule, "number_prefix", f"{where}.number_prefix", max_length=20)

    # --- checks on one value

    def error(self, message, field, **params):
        self.errors.append(message % {"field": field, **params})

    def is_mapping(self, value, where, expected=None):
        if isinstance(value, dict):
            return True
        self.error(_("%(field)s: expected %(type)s"), where, type=expected or _("a mapping"))
        return False

    def is_list(self, value, where, required=False):
        if value is None:
            if required:
                self.error(_("%(field)s: this field is required"), where)
            return False
        if not isinstance(value, list):
            self.error(_("%(field)s: expected %(type)s"), where, type=_("a list"))
            return False
        return True

    def unknown(self, mapping, allowed, where):
        for name in mapping:
            if name not in allowed:
                field = f"{where}.{name}" if where else str(name)
                self.error(_("%(field)s: unknown field"), field)

    def key(self, mapping, name, where):
        value = mapping.get(name)
        if value is None or value == "":
            self.error(_("%(field)s: this field is required"), where)
            return False
        if not isinstance(value, str) or not KEY_RE.match(value) or len(value) > 50:
            self.error(
                _(
                    "%(field)s: use lower-case letters, digits and underscores, starting with a letter"
                ),
                where,
            )
            return False
        return True

    def text(self, mapping, name, where, required=False, max_length=MAX_TEXT):
        value = mapping.get(name)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.error(_("%(field)s: this field is required"), where)
            return
        if not isinstance(value, str):
            self.error(_("%(field)s: expected %(type)s"), where, type=_("text"))
        elif max_length and len(value) > max_length:
            self.error(
                _("%(field)s: at most %(max)s characters (it has %(length)s)"),
                where,
                max=max_length,
                length=len(value),
            )

    def integer(self, mapping, name, where, required=False, low=None, high=None):
        value = mapping.get(name)
        if value is None:
            if required:
                self.error(_("%(field)s: this field is required"), where)
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(_("%(field)s: expected %(type)s"), where, type=_("a whole number"))
            return None
        if (low is not None and value < low) or (high is not None and value > high):
            if high is None:
                self.error(_("%(field)s: must be at least %(min)s"), where, min=low)
            else:
                self.error(
                    _("%(field)s: must be between %(min)s and %(max)s"), where, min=low, max=high
                )
            return None
        return value

    def unique_keys(self, items, where):
        seen = set()
        for i, item in enumerate(items, 1):
            key = item.get("key") if isinstance(item, dict) else None
            if isinstance(key, str) and key:
                if key in seen:
                    self.error(
                        _("%(field)s: the key %(key)s is used twice"), f"{where}[{i}].key", key=key
                    )
                seen.add(key)


def _registry_keys():
    return {
        *registry.nav_items,
        *registry.metrics,
        *registry.portal_sections,
        *registry.work_items,
        *(f"nav.{group}" for group in NAV_GROUPS),
    }


def _fraction(value):
    if isinstance(value, bool):
        return None
    try:
        return Fraction(str(value).strip())
    except (ValueError, ZeroDivisionError):
        return None


def _normalize(data):
    """The template with every optional part present, ready to store and read."""
    for section in data["reference"]:
        section.setdefault("intro", "")
        section.setdefault("source", "")
        section["items"] = [
            {"name": item, "text": ""} if isinstance(item, str) else {"text": "", **item}
            for item in section["items"]
        ]
    data.setdefault("description", "")
    data.setdefault("reporting", {})
    data.setdefault("participants", "")
    data.setdefault("modules", {})
    data.setdefault("labels", {})
    targets = data.setdefault("targets", {})
    targets.setdefault("warn_below", WARN_BELOW)
    targets.setdefault("figures", {})
    for phase in data["phases"]:
        phase.setdefault("description", "")
        for step in phase["steps"]:
            for name in ("stage", "description", "responsible"):
                step.setdefault(name, "")
    for item in data["lists"].get("appraisal_grades", []):
        if "max_share" in item:
            item["max_share"] = str(item["max_share"])
    return data
