"""Campaigns for tests, built through the real services."""

import copy
import datetime

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.campaigns.template import template_load

SEED_KEY = "jiangdangxing"


def seed_data():
    """A fresh copy of the shipped template's data, to change in a test."""
    return copy.deepcopy(template_load(SEED_KEY))


def small_template(*, steps=2, key="small"):
    """A valid minimal template with one phase of `steps` monthly steps."""
    data = seed_data()
    data["key"] = key
    data["phases"] = [
        {
            "key": "only",
            "name": "唯一阶段",
            "months": 12,
            "steps": [
                {"name": f"步骤{i}", "start_month": 1 + i % 12, "months": 1} for i in range(steps)
            ],
        }
    ]
    return data


def campaign_create(*, starts_on=datetime.date(2026, 1, 1), by=None, make_current=False, **kw):
    return campaign_create_from_template(
        template_key=kw.pop("template_key", SEED_KEY if "data" not in kw else None),
        starts_on=starts_on,
        by=by,
        make_current=make_current,
        **kw,
    )


def channels_without_roles(data, *, keep=()):
    """The template's channels renamed (no web_form, mailbox or hotline key) and without
    roles, except the roles in `keep` (given to the renamed channels)."""
    renamed = {"web_form": "online_message", "mailbox": "email_box", "hotline": "phone_line"}
    for item in data["lists"]["opinion_channels"]:
        item["key"] = renamed.get(item["key"], item["key"])
        if item.get("role") not in keep:
            item.pop("role", None)
    return data


def campaign_variant(mutate, *, key="variant", starts_on=datetime.date(2026, 9, 1), **kw):
    """A campaign from the shipped template changed by `mutate(data)`."""
    data = seed_data()
    data["key"] = key
    mutate(data)
    return campaign_create(data=data, starts_on=starts_on, **kw)
