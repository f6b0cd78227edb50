from django import template

register = template.Library()


@register.filter
def get_item_or(mapping, key):
    """The name of a campaign list item by its key; the key itself when unknown."""
    return mapping.get(key, key) if mapping else key
