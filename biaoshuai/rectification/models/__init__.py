"""Problems, rectification items and their progress, and personal plans."""

from .items import DeadlineChange, Evidence, ItemLog, ProgressUpdate, RectificationItem
from .plans import PersonalPlan, PlanAction, PlanMeasure, PlanProblem
from .problems import Problem, ProblemQuerySet, ProblemSource, Severity

__all__ = [
    "DeadlineChange",
    "Evidence",
    "ItemLog",
    "PersonalPlan",
    "PlanAction",
    "PlanMeasure",
    "PlanProblem",
    "Problem",
    "ProblemQuerySet",
    "ProblemSource",
    "ProgressUpdate",
    "RectificationItem",
    "Severity",
]
