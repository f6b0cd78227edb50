from .discussions import (
    discussion_create,
    discussion_detail,
    discussion_edit,
    discussion_export,
    discussion_list,
)
from .exemplars import exemplar_action
from .pairings import (
    attachment_download,
    pairing_create,
    pairing_detail,
    pairing_edit,
    pairing_export,
    pairing_list,
    visit_create,
    visit_edit,
    visit_export,
    visit_list,
)
from .placements import (
    placement_create,
    placement_detail,
    placement_edit,
    placement_export,
    placement_list,
    placement_report,
)
from .public import exemplar_list

__all__ = [
    "attachment_download",
    "discussion_create",
    "discussion_detail",
    "discussion_edit",
    "discussion_export",
    "discussion_list",
    "exemplar_action",
    "exemplar_list",
    "pairing_create",
    "pairing_detail",
    "pairing_edit",
    "pairing_export",
    "pairing_list",
    "placement_create",
    "placement_detail",
    "placement_edit",
    "placement_export",
    "placement_list",
    "placement_report",
    "visit_create",
    "visit_edit",
    "visit_export",
    "visit_list",
]
