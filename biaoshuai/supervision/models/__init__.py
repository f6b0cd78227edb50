from .bulletins import Bulletin
from .inspections import Finding, Inspection
from .items import (
    SupervisionItem,
    SupervisionTask,
    TaskEvent,
    TaskEvidence,
    TaskWarning,
)
from .reports import UnitReport, UnitReportAttachment

__all__ = [
    "Bulletin",
    "Finding",
    "Inspection",
    "SupervisionItem",
    "SupervisionTask",
    "TaskEvent",
    "TaskEvidence",
    "UnitReport",
    "UnitReportAttachment",
    "TaskWarning",
]
