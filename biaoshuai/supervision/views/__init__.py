from . import bulletins, inspections, items, public, reports

__all__ = ["bulletins", "inspections", "items", "public", "reports"]
