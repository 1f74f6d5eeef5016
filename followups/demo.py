"""Demo data of followups for `manage.py seed_demo`: each room seeds its own part, in floor order
(conversations first, since check-ins, mail and reminders refer to them). Every step is idempotent."""

from .answers.demo import seed as seed_answers
from .care.demo import seed as seed_care
from .conversations.demo import seed as seed_conversations
from .growth.demo import seed as seed_growth
from .knowledge.demo import seed as seed_knowledge
from .mailin.demo import seed as seed_mailin
from .reminders.demo import seed as seed_reminders
from .todo.demo import seed as seed_todo
from .webform.demo import seed as seed_webform


def seed(*, users) -> None:
    seed_conversations(users=users)
    seed_care(users=users)
    seed_growth(users=users)
    seed_mailin(users=users)
    # Before reminders: a new lead notifies its owner, and the reminder run then sends what is
    # due, so a second seed finds nothing left to send.
    seed_webform(users=users)
    seed_todo(users=users)
    seed_reminders(users=users)
    seed_knowledge(users=users)
    seed_answers(users=users)
