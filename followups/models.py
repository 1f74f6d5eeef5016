"""The models of followups, gathered for Django: each room defines its own in `<room>/models.py`."""

from .answers.models import *  # noqa: F403
from .care.models import *  # noqa: F403
from .conversations.hours import *  # noqa: F403
from .conversations.models import *  # noqa: F403
from .dashboard.models import *  # noqa: F403
from .growth.models import *  # noqa: F403
from .kakao.models import *  # noqa: F403
from .knowledge.models import *  # noqa: F403
from .mailin.models import *  # noqa: F403
from .presence.models import *  # noqa: F403
from .proposals.models import *  # noqa: F403
from .reminders.models import *  # noqa: F403
from .todo.models import *  # noqa: F403
from .webform.models import *  # noqa: F403
