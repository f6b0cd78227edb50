"""Create a campaign from a template file (or a shipped template's key), for provisioning."""

import datetime
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.translation import gettext as _

from biaoshuai.campaigns.services import campaign_create_from_template
from biaoshuai.campaigns.template import (
    TemplateError,
    template_load,
    template_parse,
    template_text,
)


class Command(BaseCommand):
    help = (
        "Create a campaign from a YAML template, checked as on the 新建活动 page; every "
        "problem is printed with the field it is about, and nothing is created then."
    )

    def add_arguments(self, parser):
        parser.add_argument("template", help="a template file (.yaml), or a shipped template's key")
        parser.add_argument("--start", required=True, help="the first day, YYYY-MM-DD")
        parser.add_argument(
            "--current",
            action="store_true",
            help="make it the current campaign (the one people and the portal see)",
        )

    def handle(self, *args, **options):
        with translation.override(settings.LANGUAGE_CODE):
            return self._handle(options)

    def _handle(self, options):
        try:
            starts_on = datetime.date.fromisoformat(options["start"])
        except ValueError as exc:
            raise CommandError(_("--start: expected a date such as 2026-03-01")) from exc
        path = Path(options["template"])
        source = ""
        try:
            if path.is_file():
                source = path.read_text(encoding="utf-8-sig")
                data = template_parse(source)
            else:
                data = template_load(options["template"])
                source = template_text(options["template"])
        except UnicodeDecodeError as exc:
            raise CommandError(
                _("The file is not UTF-8 text. Save it as UTF-8 and upload it again.")
            ) from exc
        except TemplateError as exc:
            for message in exc.errors:
                self.stderr.write(message)
            raise CommandError(
                _("The template has %(count)s problem(s); fix them and try again.")
                % {"count": len(exc.errors)}
            ) from exc
        campaign = campaign_create_from_template(
            data=data,
            source=source,
            starts_on=starts_on,
            by=None,
            make_current=options["current"],
        )
        self.stdout.write(
            _("The campaign %(name)s has been created with %(count)s phases.")
            % {"name": campaign, "count": campaign.phases.count()}
            + f" (id {campaign.pk}, {campaign.starts_on} – {campaign.ends_on})"
        )
