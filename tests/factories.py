import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from agency_crm.roles import MANAGER_GROUP, STAFF_GROUP, ensure_role_groups
from clients.models import Client, Contact

PASSWORD = "correct horse battery staple"


def _add_role(user, create, group_name):
    if create:
        ensure_role_groups()
        user.groups.add(Group.objects.get(name=group_name))


class UserFactory(factory.django.DjangoModelFactory):
    """A staff member (Staff role). UserFactory(role=MANAGER_GROUP) or ManagerFactory for managers."""

    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"staff{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@agency.example")
    first_name = "Staff"
    last_name = factory.Sequence(lambda n: f"Member{n}")
    password = factory.django.Password(PASSWORD)
    role = factory.PostGeneration(
        lambda user, create, extracted, **kw: _add_role(user, create, extracted or STAFF_GROUP)
    )


class ManagerFactory(UserFactory):
    is_staff = True
    role = factory.PostGeneration(
        lambda user, create, extracted, **kw: _add_role(user, create, extracted or MANAGER_GROUP)
    )


class ClientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Client
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Client {n}")
    account_owner = factory.SubFactory(UserFactory)
    status = Client.Status.ACTIVE


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    client = factory.SubFactory(ClientFactory)
    name = factory.Sequence(lambda n: f"Contact {n}")
    email = factory.LazyAttribute(lambda c: f"{c.name.lower().replace(' ', '.')}@customer.example")
    preferred_language = "en"
