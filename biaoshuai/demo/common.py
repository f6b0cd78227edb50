"""What every part of the demo looks up: its units, its accounts, the template, a month."""

from datetime import date

from django.contrib.auth import get_user_model

from biaoshuai.org.models import Unit

from . import data

TEMPLATE_KEY = "jiangdangxing"


def demo_unit(name):
    """A demo unit by name: the root, or a unit with that name in the demo tree."""
    if name == data.ROOT_NAME:
        return Unit.objects.get(parent__isnull=True, name=name)
    return Unit.objects.filter(name=name, path__subtree=demo_root().path).get()


def demo_root():
    return Unit.objects.get(parent__isnull=True, name=data.ROOT_NAME)


def demo_user(username):
    return get_user_model().objects.get(username=username)


def months_before(day, months):
    """The first day of the month `months` before `day`'s month."""
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, 1)
