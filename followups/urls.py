"""The URLs of followups: each room lists its own; the namespace `followups` is shared, so
every URL name stays `followups:<name>`."""

from .answers.urls import urlpatterns as answers
from .care.urls import urlpatterns as care
from .conversations.urls import urlpatterns as conversations
from .dashboard.urls import urlpatterns as dashboard
from .growth.urls import urlpatterns as growth
from .kakao.urls import urlpatterns as kakao
from .knowledge.urls import urlpatterns as knowledge
from .mailin.urls import urlpatterns as mailin
from .portal.urls import urlpatterns as portal
from .presence.urls import urlpatterns as presence
from .reminders.urls import urlpatterns as reminders
from .setup.urls import urlpatterns as setup
from .todo.urls import urlpatterns as todo
from .webform.urls import urlpatterns as webform

app_name = "followups"
urlpatterns = [
    *conversations,
    *care,
    *growth,
    *dashboard,
    *reminders,
    *mailin,
    *webform,
    *portal,
    *answers,
    *knowledge,
    *presence,
    *setup,
    *todo,
    *kakao,
]
