"""Celery tasks of followups (autodiscovered through this module); each room keeps its own."""

from .care.tasks import care_daily  # noqa: F401
from .dashboard.tasks import dashboard_precompute, weekly_review  # noqa: F401
from .kakao.tasks import kakao_inbound_process, kakao_sweep  # noqa: F401
from .mailin.tasks import mailin_poll  # noqa: F401
from .portal.tasks import portal_link_request_task  # noqa: F401
from .proposals.tasks import proposals_accepted_notify  # noqa: F401
from .reminders.tasks import reminders_replan, reminders_tick  # noqa: F401
from .todo.tasks import task_reminders_tick  # noqa: F401
