"""Checking uploaded files for type and size before anything reads them."""

import zipfile
import zlib
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from lxml.etree import XMLSyntaxError

# File signatures, so a renamed file of another type is refused.
_MAGIC = {
    "xlsx": [b"PK\x03\x04"],
    "docx": [b"PK\x03\x04"],
    "pdf": [b"%PDF"],
    "png": [b"\x89PNG"],
    "jpg": [b"\xff\xd8\xff"],
    "jpeg": [b"\xff\xd8\xff"],
}


def validate_upload(file, *, extensions, max_mb=None):
    """Raise ValidationError with a message saying what is wrong with `file`."""
    max_bytes = (max_mb or settings.UPLOAD_MAX_MB) * 1024 * 1024
    ext = file.name.rsplit(".", 1)[-1].lower() if "." in file.name else ""
    if ext not in extensions:
        raise ValidationError(
            _("Files of type “%(ext)s” are not accepted; use %(allowed)s.")
            % {"ext": ext or "?", "allowed": "、".join(f".{e}" for e in extensions)},
            code="file_type",
        )
    if file.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(file.size), "limit": filesizeformat(max_bytes)},
            code="file_size",
        )
    signatures = _MAGIC.get(ext)
    if signatures:
        head = file.read(8)
        file.seek(0)
        if not any(head.startswith(sig) for sig in signatures):
            raise ValidationError(
                _("The file's content is not a valid .%(ext)s file.") % {"ext": ext},
                code="file_content",
            )
    return file


def _xlsx_damage():
    errors = [zipfile.BadZipFile, zlib.error, ParseError, EOFError, UnicodeDecodeError]
    try:
        errors.append(XMLSyntaxError)
    except ImportError:  # pragma: no cover - lxml is optional for openpyxl
        pass
    return tuple(errors)


# What a truncated or damaged .xlsx raises while its rows are read: openpyxl in read-only
# mode opens a sheet's part only when it is iterated, so an import catches these around its
# whole reading, not only around load_workbook, and shows a form error instead of a 500.
XLSX_DAMAGED = _xlsx_damage()
