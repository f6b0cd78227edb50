from django import template

from biaoshuai.core.scope import MANAGE, scope_for

from ..selectors import phone_for

register = template.Library()


@register.filter
def phone_shown_to(person, user):
    """The cadre's phone as `user` may see it: in full for those who manage the cadre."""
    return phone_for(user=user, person=person)


@register.filter
def managed_by(unit, user):
    """Whether `user` manages `unit` (and so may edit it and its cadres)."""
    return scope_for(user, MANAGE).covers(unit)


@register.filter
def indent(depth, base=0):
    """Left padding, in rem, for a unit at `depth` in the tree (relative to `base`)."""
    return max(int(depth) - int(base or 0), 0) * 1.25
