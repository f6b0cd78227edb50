"""Our catalogues say each thing once: no entry repeats its own text, none is doubled,
fuzzy or untranslated, and the pages a citizen sees first do not repeat themselves."""

import gettext
import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
CATALOGUES = sorted((ROOT / "biaoshuai").glob("*/locale/zh_Hans/LC_MESSAGES/django.po"))
# A run of at least four characters followed at once by itself ("请勿告诉他人。请勿告诉他人。").
REPEAT = re.compile(r"(\S.{3,}?)\s*\1", re.S)
# Runs that are meant to repeat: digits, dots, dashes, placeholders' neighbours.
ALLOWED = re.compile(r"^[\W\d_]+$")


def repeated_text(text):
    """The first stretch of text said twice in a row, or None."""
    for match in REPEAT.finditer(text):
        if not ALLOWED.match(match.group(1)):
            return match.group(1)
    return None


@pytest.mark.parametrize("po", CATALOGUES, ids=[p.parts[-5] for p in CATALOGUES])
def test_catalogue_entries_are_single_translated_and_not_fuzzy(po):
    # msgfmt refuses a msgid defined twice.
    subprocess.run(["msgfmt", "--check-format", "-o", "/dev/null", str(po)], check=True)
    for flag in ("--only-fuzzy", "--untranslated"):
        listed = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", str(po)], capture_output=True, text=True
        ).stdout
        ids = [line for line in listed.splitlines() if line.startswith("msgid ")]
        assert len(ids) <= 1, f"{po.parts[-5]}: {flag[2:]} entries:\n{listed}"  # the header


@pytest.mark.parametrize("po", CATALOGUES, ids=[p.parts[-5] for p in CATALOGUES])
def test_no_translation_says_its_text_twice(po):
    with open(po.with_suffix(".mo"), "rb") as handle:
        catalog = gettext.GNUTranslations(handle)._catalog
    doubled = {
        key: found for key, text in catalog.items() if key and (found := repeated_text(text))
    }
    assert not doubled, "\n".join(f"{k!r}: {v!r}" for k, v in doubled.items())


def test_the_detector_finds_a_doubled_sentence():
    assert repeated_text("请记下查询码。请记下查询码。") == "请记下查询码。"
    assert repeated_text("查询码：ABCD-EFGH-1234") is None
    assert repeated_text("2026-11-18 至 2026-12-18") is None
