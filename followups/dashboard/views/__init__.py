"""The dashboard's pages: the figures (`figures`) and the weekly review (`weekly_review`)."""

from ..charts import CHART_LABEL_WIDTH, bar_chart
from .figures import EXPORTS, csv_cell, dashboard, dashboard_conversations
from .pipeline import dashboard_pipeline
from .weekly_review import weekly_review

__all__ = [
    "CHART_LABEL_WIDTH",
    "EXPORTS",
    "bar_chart",
    "csv_cell",
    "dashboard",
    "dashboard_conversations",
    "dashboard_pipeline",
    "weekly_review",
]
