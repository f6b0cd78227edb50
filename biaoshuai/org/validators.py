"""Field checks shared by the model, the forms and the roster import."""

from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

PHONE_INVALID = _("Enter an 11-digit mainland mobile number, e.g. 13812345678.")

validate_mobile = RegexValidator(r"^1[3-9]\d{9}$", message=PHONE_INVALID, code="phone")
