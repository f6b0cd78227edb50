"""`{% campaign_label "practice.discussions" %}`: what the campaign calls a registered entry.

A built-in tag (config/settings.py), for page titles, breadcrumbs, tabs and home panels that
name a menu entry, figure, portal section or export: the campaign's own name from its
template's `labels` (“三看”大讨论), else the default given, else the entry's own label.
"""

from django import template

from biaoshuai.core import campaign
from biaoshuai.core.registry import registry

register = template.Library()


@register.simple_tag
def campaign_label(key, default=None):
    return campaign.label(key, default if default is not None else registry.label(key))
