"""No user-facing form speaks Django's own wording ("确保该变量至少包含 5 字符").

Every form class of the project is walked: each field's error messages, its validators'
messages, the model field's behind a ModelForm field, and the form's own error_messages
are rendered in zh-hans and compared with every message of Django's zh_Hans catalogue.
Our wording for Django's messages lives in core (biaoshuai/core/django_messages.py).
"""

import gettext
import importlib
from pathlib import Path

import django
from django import forms
from django.utils import translation

ROOT = Path(__file__).resolve().parents[2]
DJANGO_MO = Path(django.__file__).parent / "conf/locale/zh_Hans/LC_MESSAGES/django.mo"


class _Params(dict):
    """Any placeholder a message names: a number works for %d, %s and %r alike."""

    def __missing__(self, key):
        return 7


def _render(message):
    try:
        return str(message % _Params())
    except (TypeError, ValueError, KeyError):
        return str(message)


def _django_wording():
    with open(DJANGO_MO, "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    return {_render(text) for key, text in catalog.items() if key and text}


def _form_classes():
    for path in sorted(ROOT.rglob("*.py")):
        parts = path.relative_to(ROOT).parts
        if {"tests", "migrations", "management"} & set(parts) or path.name == "testing.py":
            continue
        if path.stem.startswith("forms") or path.stem.startswith("views") or "forms" in parts:
            importlib.import_module(".".join(("biaoshuai", *parts)).removesuffix(".py"))
    seen, todo = set(), [forms.BaseForm]
    while todo:
        cls = todo.pop()
        for sub in cls.__subclasses__():
            if sub not in seen:
                seen.add(sub)
                todo.append(sub)
    return sorted(
        (c for c in seen if c.__module__.startswith("biaoshuai.")), key=lambda c: c.__qualname__
    )


def _messages(form_class):
    """(where, message) for every message the form's fields and the form itself can show."""
    for name, message in (getattr(form_class, "error_messages", None) or {}).items():
        yield f"{form_class.__qualname__}.error_messages[{name}]", message
    model = getattr(getattr(form_class, "_meta", None), "model", None)
    for name, field in getattr(form_class, "base_fields", {}).items():
        where = f"{form_class.__module__}.{form_class.__qualname__}.{name}"
        subfields = [field, *getattr(field, "fields", ())]
        for sub in subfields:
            for code, message in sub.error_messages.items():
                yield f"{where} [{code}]", message
            for validator in sub.validators:
                if hasattr(validator, "message"):
                    yield f"{where} [{type(validator).__name__}]", validator.message
        if model is not None:
            try:
                model_field = model._meta.get_field(name)
            except Exception:
                continue
            for code, message in getattr(model_field, "error_messages", {}).items():
                yield f"{where} (model) [{code}]", message


def test_the_walk_finds_the_forms():
    names = {c.__name__ for c in _form_classes()}
    assert {"PublicOpinionForm", "OpinionRecordForm"} <= names
    assert len(names) > 40


def test_no_form_shows_djangos_own_wording():
    django_wording = _django_wording()
    found = []
    with translation.override("zh-hans"):
        for form_class in _form_classes():
            for where, message in _messages(form_class):
                text = _render(message)
                if text in django_wording:
                    found.append(f"{where}: {text}")
    assert not found, "Django's wording on our forms:\n" + "\n".join(sorted(set(found)))


def test_the_short_opinion_says_how_much_to_write():
    from biaoshuai.opinions.forms import SubmitterFields

    with translation.override("zh-hans"):
        form = SubmitterFields(data={"content": "太慢", "is_anonymous": "1"})
        assert not form.is_valid()
        assert form.errors["content"] == ["请至少写 5 个字，现在只有 2 个。"]
