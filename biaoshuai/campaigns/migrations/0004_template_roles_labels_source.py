"""Campaigns created before templates declared them get what the code used to assume.

Opinion channels get their roles (the keys web_form, mailbox and hotline were the ones the
portal's form, the mailbox and the API used); a campaign of a shipped template gets the
template's own labels, participants, bulletin issuer and number prefix, and its text for
download.
"""

from pathlib import Path

import yaml
from django.db import migrations

TEMPLATE_DIR = Path(__file__).resolve().parent.parent / "templates"
LEGACY_ROLES = {"web_form": "public_form", "mailbox": "mailbox", "hotline": "api"}


def forwards(apps, schema_editor):
    Campaign = apps.get_model("campaigns", "Campaign")
    for campaign in Campaign.objects.all():
        config = dict(campaign.config or {})
        lists = config.setdefault("lists", {})
        channels = lists.get("opinion_channels", [])
        if not any(item.get("role") for item in channels):
            for item in channels:
                role = LEGACY_ROLES.get(item.get("key"))
                if role:
                    item["role"] = role
        path = TEMPLATE_DIR / f"{campaign.template_key}.yaml"
        if path.is_file() and "template" not in config:
            text = path.read_text(encoding="utf-8")
            shipped = yaml.safe_load(text)
            config["template"] = text
            config.setdefault("labels", shipped.get("labels", {}))
            config.setdefault("participants", shipped.get("participants", ""))
            config.setdefault("modules", shipped.get("modules", {}))
            bulletin = shipped.get("reporting", {}).get("bulletin", {})
            reporting = config.setdefault("reporting", {})
            mine = reporting.setdefault("bulletin", {})
            for name in ("issuer", "number_prefix"):
                if name in bulletin:
                    mine.setdefault(name, bulletin[name])
        campaign.config = config
        campaign.save(update_fields=["config"])


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0003_campaign_choice")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
