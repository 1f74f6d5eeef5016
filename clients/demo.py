"""Demo clients for `manage.py seed_demo` (idempotent)."""

from .models import Client, Contact, Tag

DEMO_CLIENTS = [
    # name, status, tier, owner, backup, tags, contacts (name, email, phone, language)
    (
        "한빛 물류",
        "maintenance",
        "maintenance",
        "minji",
        "junho",
        ["물류", "유지보수"],
        [("김하늘", "haneul@hanbit-logistics.example", "010-2345-6789", "ko")],
    ),
    (
        "Blue Harbor Coffee",
        "active",
        "standard",
        "junho",
        "minji",
        ["retail"],
        [("Emma Collins", "emma@blueharbor.example", "+1 415 555 0100", "en")],
    ),
    (
        "서울 치과의원",
        "prospect",
        "prospect",
        "minji",
        None,
        ["의료"],
        [("박지훈", "jihoon@seoul-dental.example", "02-555-1234", "ko")],
    ),
    (
        "Namsan Fitness",
        "active",
        "standard",
        "junho",
        None,
        ["app"],
        [("Choi Yuna", "yuna@namsanfit.example", "010-9876-5432", "en")],
    ),
    (
        "푸른 출판사",
        "former",
        "standard",
        "minji",
        "junho",
        [],
        [("이서준", "seojun@pureun.example", "031-777-8888", "ko")],
    ),
]


def seed(*, users) -> None:
    for name, status, tier, owner, backup, tags, contacts in DEMO_CLIENTS:
        client, created = Client.objects.get_or_create(
            name=name,
            defaults={
                "status": status,
                "response_tier": tier,
                "account_owner": users[owner],
                "backup_owner": users[backup] if backup else None,
            },
        )
        if not created:
            continue
        for tag in tags:
            client.tags.add(Tag.objects.get_or_create(name=tag)[0])
        for contact_name, email, phone, language in contacts:
            Contact.objects.create(
                client=client, name=contact_name, email=email, phone=phone, preferred_language=language
            )
