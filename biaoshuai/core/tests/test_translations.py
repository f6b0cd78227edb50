"""Every app's zh_Hans catalogue is complete, and its compiled .mo matches the .po.

makemessages runs on a copy of each app, so a string added without a translation shows
up as untranslated here even when nobody ran `make messages`.
"""

import gettext
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
APPS = sorted(p for p in (ROOT / "biaoshuai").iterdir() if (p / "apps.py").exists())
CATALOGUE = Path("locale/zh_Hans/LC_MESSAGES/django.po")


def _uses_gettext(app):
    markers = ("gettext", "{% translate", "{% blocktranslate", "{% trans ")
    for path in app.rglob("*"):
        if path.suffix in {".py", ".html", ".txt"} and "tests" not in path.parts:
            if any(marker in path.read_text(encoding="utf-8") for marker in markers):
                return True
    return False


@pytest.mark.parametrize("app", APPS, ids=[p.name for p in APPS])
def test_catalogue_is_complete(app, tmp_path):
    if not _uses_gettext(app):
        assert not (app / "locale").exists() or (app / CATALOGUE).exists()
        return
    assert (app / CATALOGUE).exists(), f"{app.name} has user-facing strings but no catalogue"
    copy = tmp_path / app.name
    shutil.copytree(app, copy, ignore=shutil.ignore_patterns("__pycache__"))
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "manage.py"),
            "makemessages",
            "-l",
            "zh_Hans",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=copy,
        env=env,
        check=True,
        capture_output=True,
    )
    po = copy / CATALOGUE
    for flag in ("--untranslated", "--only-fuzzy"):
        result = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        )
        entries = [line for line in result.stdout.splitlines() if line.startswith("msgid ")]
        # The header entry (msgid "") is always listed.
        assert len(entries) <= 1, (
            f"{app.name}: {flag[2:]} entries — run `make messages` and translate:\n{result.stdout}"
        )


@pytest.mark.parametrize("app", APPS, ids=[p.name for p in APPS])
def test_compiled_catalogue_matches(app, tmp_path):
    po = app / CATALOGUE
    if not po.exists():
        return
    fresh = tmp_path / "fresh.mo"
    subprocess.run(["msgfmt", "-o", str(fresh), str(po)], check=True)
    with open(po.with_suffix(".mo"), "rb") as committed, open(fresh, "rb") as compiled:
        assert (
            gettext.GNUTranslations(committed)._catalog
            == gettext.GNUTranslations(compiled)._catalog
        ), f"{app.name}: django.mo is stale; run `make messages`"


def test_apps_agree_on_shared_strings():
    """Django merges every app's catalogue, so one English string must have one translation.

    Where two apps mean different things by the same word, one of them uses another msgid
    or a context (pgettext).
    """
    translations = {}
    for app in APPS:
        mo = (app / CATALOGUE).with_suffix(".mo")
        if not mo.exists():
            continue
        with open(mo, "rb") as handle:
            for msgid, msgstr in gettext.GNUTranslations(handle)._catalog.items():
                if msgid:
                    translations.setdefault(msgid, {})[app.name] = msgstr
    clashes = {k: v for k, v in translations.items() if len(set(v.values())) > 1}
    assert not clashes, "\n".join(f"{k!r}: {v}" for k, v in clashes.items())
