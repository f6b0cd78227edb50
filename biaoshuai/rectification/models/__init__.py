"""Problems, rectification items and their progress, personal plans, reminders and notices."""

from .items import DeadlineChange, Evidence, ItemLog, ProgressUpdate, RectificationItem
from .notices import Notice, Reminder
from .plans import PersonalPlan, PlanAction, PlanMeasure, PlanProblem
from .problems import Problem, ProblemQuerySet, ProblemSource, Severity

__all__ = [
    "DeadlineChange",
    "Evidence",
    "ItemLog",
    "Notice",
    "PersonalPlan",
    "PlanAction",
    "PlanMeasure",
    "PlanProblem",
    "Problem",
    "ProblemQuerySet",
    "ProblemSource",
    "ProgressUpdate",
    "RectificationItem",
    "Reminder",
    "Severity",
]
