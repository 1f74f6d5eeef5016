"""Build a realistic benchmark data set on PostgreSQL with COPY (`make bench` uses it).

    python manage.py generate_bench_data --clients 5000 --messages 1000000

Staff with Korean and English names, clients of every tier with one or two contacts, and
conversations spread over the last `--weeks` weeks on every channel. Customers write mostly in
opening hours (some in the evening and at weekends); we answer after a skewed delay counted in
business minutes (a few answers after hours). Text is Korean or English. The response waits are
derived with the real clock replay (followups.conversations.clock._replay), so the stored figures are
exactly what the app would have computed, and a few hundred recent questions stay unanswered.

Rows are written with COPY in batches; secondary indexes of the big tables are dropped during the
load and rebuilt afterwards (much faster than maintaining trigram indexes row by row), then the
tables are ANALYZEd. Refuses to run on a database that already has conversations unless --append.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, models, transaction
from django.utils import timezone

from agency_crm.roles import MANAGER_GROUP, STAFF_GROUP, ensure_role_groups
from clients.models import Client, Contact, ResponseTier
from followups.conversations.business_calendar import add_business_minutes
from followups.conversations.clock import _replay, clock_calendar
from followups.conversations.hours import load_calendar
from followups.models import Channel, Conversation, Message, ResponsePolicy, ResponseWait, ensure_default_policies

BENCH_PASSWORD = "bench-password"
STAFF_NAMES = [
    ("minseo", "Minseo", "Kim"),
    ("jiwoo", "Jiwoo", "Lee"),
    ("hana", "하나", "박"),
    ("daniel", "Daniel", "Choi"),
    ("sora", "소라", "정"),
    ("tom", "Tom", "Baker"),
    ("yuna", "유나", "강"),
    ("eric", "Eric", "Han"),
]
CLIENT_PREFIXES_KO = ["한빛", "푸른", "새봄", "다온", "하늘", "바다", "미래", "으뜸", "가온", "누리"]
CLIENT_SUFFIXES_KO = ["물류", "커피", "병원", "학원", "건축", "식품", "여행", "출판", "디자인", "약국"]
CLIENT_WORDS_EN = ["Blue", "Harbor", "Maple", "North", "Silver", "Bright", "Urban", "Green", "Stone", "River"]
CLIENT_KINDS_EN = ["Coffee", "Clinic", "Logistics", "Studio", "Books", "Travel", "Foods", "Labs", "Dental", "Hotel"]
SUBJECTS_KO = ["배송 조회 오류", "로그인 문제", "견적 문의", "결제 화면 수정", "앱 업데이트 요청", "세금계산서 문의"]
SUBJECTS_EN = ["Invoice question", "Login bug", "Estimate request", "Checkout change", "App update", "Report export"]
BODY_KO = [
    "안녕하세요. 배송 조회 화면이 열리지 않습니다.",
    "결제 후 영수증 메일이 오지 않아요.",
    "다음 주 회의 전에 견적서를 받을 수 있을까요?",
    "로그인할 때 비밀번호 오류가 계속 납니다.",
    "관리자 페이지에서 엑셀 다운로드가 느립니다.",
    "확인 감사합니다. 오늘 안에 처리 부탁드립니다.",
    "세금계산서 발행 일정을 알려주세요.",
    "앱 푸시 알림이 두 번씩 옵니다.",
]
BODY_EN = [
    "Hi, the invoice for last month shows the wrong amount.",
    "Our customers cannot log in since this morning.",
    "Could you send an estimate for the loyalty points feature?",
    "The report export times out for large date ranges.",
    "Thanks, that fixed it. One more question about the checkout page.",
    "Please move our meeting to Thursday afternoon.",
    "The booking form does not accept Korean addresses.",
    "Can we add a second admin account?",
]
REPLIES_KO = [
    "확인했습니다. 오늘 중으로 수정하겠습니다.",
    "담당자가 살펴보고 있습니다.",
    "배포 완료했습니다. 확인 부탁드립니다.",
]
REPLIES_EN = ["Thanks, we are looking into it.", "Fixed and deployed, please check.", "Estimate attached, see page 2."]
CHANNEL_WEIGHTS = [
    (Channel.EMAIL, 45),
    (Channel.KAKAO, 25),
    (Channel.PHONE, 15),
    (Channel.WEB_FORM, 8),
    (Channel.MEETING, 4),
    (Channel.OTHER, 3),
]
TIER_WEIGHTS = [(ResponseTier.STANDARD, 60), (ResponseTier.MAINTENANCE, 25), (ResponseTier.PROSPECT, 15)]
BATCH_ROWS = 200_000


def _copy_value(value) -> str:
    if value is None:
        return r"\N"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, str):
        return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return str(value)


class CopyWriter:
    """Buffers rows of one model and sends them with COPY ... FROM STDIN (text format)."""

    def __init__(self, model, given: set[str], **fixed):
        self.model = model
        # Generated columns (Contact.phone_digits) are computed by the database, never given.
        self.columns = [f for f in model._meta.concrete_fields if not f.generated]
        self.defaults = dict(fixed)
        for f in self.columns:
            if f.attname in given or f.attname in fixed:
                continue
            if f.has_default():
                if f.unique:
                    raise CommandError(f"{model.__name__}.{f.name} is unique: give it a value.")
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif isinstance(f, (models.CharField, models.TextField)):
                self.defaults[f.attname] = ""
            else:
                raise CommandError(f"{model.__name__}.{f.name} needs a value in generate_bench_data.")
        self.buffer = io.StringIO()
        self.rows = 0
        self.total = 0

    def add(self, **values) -> None:
        row = {**self.defaults, **values}
        self.buffer.write("\t".join(_copy_value(row[f.attname]) for f in self.columns))
        self.buffer.write("\n")
        self.rows += 1
        if self.rows >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        self.buffer.seek(0)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in self.columns)
        with connection.cursor() as cursor:
            cursor.cursor.copy_expert(
                f"COPY {connection.ops.quote_name(self.model._meta.db_table)} ({columns}) FROM STDIN", self.buffer
            )
        self.total += self.rows
        self.buffer = io.StringIO()
        self.rows = 0


def _first_free_id(model) -> int:
    """Ids are assigned here (rows refer to each other); _sync_sequence() catches up afterwards."""
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")  # noqa: S608 - a model's table name
        return cursor.fetchone()[0]


def _sync_sequence(model) -> None:
    table = model._meta.db_table
    with connection.cursor() as cursor:
        quoted = connection.ops.quote_name(table)
        sql = f"SELECT setval(pg_get_serial_sequence(%s, 'id'), COALESCE(MAX(id), 1)) FROM {quoted}"  # noqa: S608
        cursor.execute(sql, [table])


def _secondary_indexes(tables: list[str]) -> list[tuple[str, str]]:
    """(name, definition) of the indexes of `tables` that do not back a constraint."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s)
              AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = (quote_ident(i.indexname))::regclass)
            """,
            [tables],
        )
        return cursor.fetchall()


def _weighted(rng: random.Random, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


class Command(BaseCommand):
    help = "Generate a large, realistic data set for `make bench` (PostgreSQL only)."

    def add_arguments(self, parser):
        parser.add_argument("--clients", type=int, default=5000)
        parser.add_argument("--messages", type=int, default=1_000_000)
        parser.add_argument("--weeks", type=int, default=104, help="Spread conversations over this many weeks.")
        parser.add_argument("--open-waits", type=int, default=300, help="Unanswered questions at the end.")
        parser.add_argument("--seed", type=int, default=20261123)
        parser.add_argument("--append", action="store_true", help="Add to a database that has conversations.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("generate_bench_data needs PostgreSQL (it loads rows with COPY).")
        if Conversation.objects.exists() and not options["append"]:
            raise CommandError("This database already has conversations; use an empty one or pass --append.")
        if options["clients"] < 1 or options["messages"] < 2:
            raise CommandError("Need at least one client and two messages.")
        self.rng = random.Random(options["seed"])
        self.now = timezone.now().replace(microsecond=0)
        started = time.monotonic()
        ensure_role_groups()
        ensure_default_policies()
        self.calendar = load_calendar()
        self.policies = list(ResponsePolicy.objects.all())
        staff = self._staff()
        clients = self._clients(options["clients"], staff)
        self.stdout.write(f"{len(staff)} staff, {len(clients)} clients ({time.monotonic() - started:.0f}s)")

        big_tables = [Message._meta.db_table, ResponseWait._meta.db_table, Conversation._meta.db_table]
        indexes = _secondary_indexes(big_tables)
        with transaction.atomic():
            with connection.cursor() as cursor:
                # Rows are consistent by construction: skip millions of deferred FK trigger events.
                cursor.execute("SET LOCAL session_replication_role = replica")
                for name, _definition in indexes:
                    cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
            counts = self._conversations(options, staff, clients)
            self.stdout.write(f"rebuilding {len(indexes)} indexes ({time.monotonic() - started:.0f}s)")
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                for _name, definition in indexes:
                    cursor.execute(definition)
        with connection.cursor() as cursor:
            for table in [*big_tables, Client._meta.db_table, Contact._meta.db_table]:
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
        summary = "{conversations} conversations, {messages} messages, {waits} waits ({open} open)".format(**counts)
        self.stdout.write(self.style.SUCCESS(f"{summary} in {time.monotonic() - started:.0f}s"))

    # --- people and clients ---------------------------------------------------------------------------
    def _staff(self) -> list:
        User = get_user_model()
        manager, created = User.objects.get_or_create(
            username="bench_manager", defaults={"first_name": "Bench", "last_name": "Manager", "is_staff": True}
        )
        if created:
            manager.set_password(BENCH_PASSWORD)
            manager.save()
        manager.groups.add(Group.objects.get(name=MANAGER_GROUP))
        staff = []
        for username, first, last in STAFF_NAMES:
            user, created = User.objects.get_or_create(
                username=f"bench_{username}",
                defaults={"first_name": first, "last_name": last, "email": f"{username}@bench.example"},
            )
            if created:
                user.set_password(BENCH_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=STAFF_GROUP))
            staff.append(user)
        return staff

    def _clients(self, count: int, staff: list) -> list[tuple[int, str, list[int], int]]:
        """Returns (client id, tier, [contact ids], account owner id) per new client."""
        rng = self.rng
        first_client = _first_free_id(Client)
        contacts_per_client = [1 + (rng.random() < 0.5) for _ in range(count)]
        first_contact = _first_free_id(Contact)
        client_rows = CopyWriter(
            Client, {"id", "name", "response_tier", "status", "account_owner_id", "created_at"}, updated_at=self.now
        )
        contact_rows = CopyWriter(Contact, {"id", "client_id", "name", "email", "created_at"})
        result = []
        contact_id = first_contact
        for index in range(count):
            client_id = first_client + index
            korean = rng.random() < 0.6
            if korean:
                name = f"{rng.choice(CLIENT_PREFIXES_KO)} {rng.choice(CLIENT_SUFFIXES_KO)} {index + 1}"
            else:
                name = f"{rng.choice(CLIENT_WORDS_EN)} {rng.choice(CLIENT_KINDS_EN)} {index + 1}"
            tier = _weighted(rng, TIER_WEIGHTS)
            owner = rng.choice(staff)
            status = {"maintenance": "maintenance", "prospect": "prospect"}.get(tier, "active")
            client_rows.add(
                id=client_id,
                name=name,
                response_tier=tier,
                status=status,
                account_owner_id=owner.pk,
                created_at=self.now - dt.timedelta(days=rng.randint(0, 900)),
            )
            ids = []
            for number in range(contacts_per_client[index]):
                contact_rows.add(
                    id=contact_id,
                    client_id=client_id,
                    name=f"{'담당자' if korean else 'Contact'} {index + 1}-{number + 1}",
                    email=f"contact{index + 1}-{number + 1}@client{index + 1}.example",
                    created_at=self.now - dt.timedelta(days=rng.randint(0, 900)),
                    preferred_language="ko" if korean else "en",
                )
                ids.append(contact_id)
                contact_id += 1
            result.append((client_id, tier, ids, owner.pk, korean))
        client_rows.flush()
        contact_rows.flush()
        _sync_sequence(Client)
        _sync_sequence(Contact)
        return result

    # --- conversations --------------------------------------------------------------------------------
    def _customer_time(self, base: dt.datetime, after: dt.datetime | None = None) -> dt.datetime:
        """A moment near `base` when customers write: mostly in opening hours."""
        rng = self.rng
        local = base.astimezone(self.calendar.zone)
        if rng.random() < 0.8:
            hour = rng.randint(9, 17)
        else:
            hour = rng.choice([7, 8, 18, 19, 20, 21, 22, 23])
        moment = local.replace(hour=hour, minute=rng.randint(0, 59), second=rng.randint(0, 59)).astimezone(dt.UTC)
        if after is not None and moment <= after:  # a thread moves forward in time
            moment = after + dt.timedelta(minutes=rng.randint(1, 120))
        return moment

    def _reply_delay_minutes(self) -> int:
        # Median about 1.5 business hours, a long tail past a day (a few breach their target).
        return max(1, int(self.rng.lognormvariate(4.5, 1.1)))

    def _conversations(self, options, staff, clients) -> dict:
        rng = self.rng
        total_messages = options["messages"]
        average = 10
        conversation_id = _first_free_id(Conversation) - 1
        message_id = _first_free_id(Message)
        wait_id = _first_free_id(ResponseWait)
        conversations = CopyWriter(
            Conversation,
            {"id", "client_id", "contact_id", "subject", "channel", "owner_id", "status", "last_message_at"},
        )
        messages = CopyWriter(
            Message, {"id", "conversation_id", "direction", "channel", "body", "occurred_at", "recorded_at"}
        )
        waits = CopyWriter(ResponseWait, {f.attname for f in ResponseWait._meta.concrete_fields})
        span = dt.timedelta(weeks=options["weeks"])
        open_budget = options["open_waits"]
        counts = {"conversations": 0, "messages": 0, "waits": 0, "open": 0}
        calendars = {p.pk: clock_calendar(p, self.calendar) for p in self.policies}
        index = 0
        while counts["messages"] < total_messages:
            index += 1
            conversation_id += 1
            size = max(2, min(total_messages - counts["messages"], int(rng.expovariate(1 / average)) + 1))
            client_id, tier, contact_ids, account_owner, korean = rng.choice(clients)
            owner_id = account_owner if rng.random() < 0.85 else rng.choice(staff).pk
            channel = _weighted(rng, CHANNEL_WEIGHTS)
            policy = ResponsePolicy.for_tier(tier, self.policies)
            calendar = calendars[policy.pk]
            # Recent conversations are more common (a growing agency).
            age = span * (1 - rng.random() ** 0.7)
            moment = self._customer_time(self.now - age)
            # Leave the newest conversations unanswered until the open-wait budget is spent.
            may_stay_open = age < dt.timedelta(days=10) and open_budget > 0
            thread = []
            for number in range(size):
                if moment >= self.now:
                    break
                from_customer = number == 0 or (thread[-1].direction == "out") or rng.random() < 0.15
                if not from_customer and rng.random() < 0.05:
                    from_customer = True
                texts = (BODY_KO if korean else BODY_EN) if from_customer else (REPLIES_KO if korean else REPLIES_EN)
                message = Message(
                    id=message_id,
                    conversation_id=conversation_id,
                    direction="in" if from_customer else "out",
                    channel=channel if rng.random() < 0.9 else _weighted(rng, CHANNEL_WEIGHTS),
                    body=f"{rng.choice(texts)} #{message_id}",
                    occurred_at=moment,
                )
                message.author_contact_id = rng.choice(contact_ids) if from_customer else None
                message.author_user_id = None if from_customer else owner_id
                thread.append(message)
                message_id += 1
                # The next message: our answer after a business-time delay, or the customer later.
                if from_customer:
                    if rng.random() < 0.9:
                        moment = add_business_minutes(moment, self._reply_delay_minutes(), self.calendar)
                        moment += dt.timedelta(seconds=rng.randint(0, 59))
                    else:  # answered after hours
                        moment += dt.timedelta(minutes=rng.randint(5, 600))
                else:
                    moment = self._customer_time(moment + dt.timedelta(days=rng.expovariate(1 / 2)), after=moment)
            if not may_stay_open:
                # Older conversations end with our answer: unanswered history would be unrealistic.
                while thread and thread[-1].direction == "in":
                    thread.pop()
            elif len(thread) > 1 and thread[-1].direction == "out":
                thread.pop()  # the last customer message stays unanswered (ids may skip: harmless)
            if not thread:
                continue
            replayed, _members = _replay(thread, [], policy, calendar)
            status = "waiting_on_customer"
            awaiting_since = reply_due_at = None
            if replayed and replayed[-1]["closed_at"] is None:
                status = "waiting_on_us"
                awaiting_since, reply_due_at = replayed[-1]["started_at"], replayed[-1]["reply_due_at"]
                open_budget -= 1
                counts["open"] += 1
            contact_id = rng.choice(contact_ids)
            conversations.add(
                id=conversation_id,
                client_id=client_id,
                contact_id=contact_id,
                subject=rng.choice(SUBJECTS_KO if korean else SUBJECTS_EN),
                channel=channel,
                owner_id=owner_id,
                status=status,
                awaiting_since=awaiting_since,
                reply_due_at=reply_due_at,
                last_message_at=thread[-1].occurred_at,
                created_at=thread[0].occurred_at,
            )
            for message in thread:
                messages.add(
                    id=message.id,
                    conversation_id=conversation_id,
                    direction=message.direction,
                    channel=message.channel,
                    author_user_id=message.author_user_id,
                    author_contact_id=message.author_contact_id,
                    body=message.body,
                    occurred_at=message.occurred_at,
                    recorded_at=message.occurred_at,
                    recorded_by_id=None,
                )
            for values in replayed:
                waits.add(
                    id=wait_id,
                    conversation_id=conversation_id,
                    kind=values["kind"],
                    policy_id=values["policy"].pk,
                    target_minutes=values["target_minutes"],
                    started_at=values["started_at"],
                    started_by_id=values["started_by"].id,
                    reply_due_at=values["reply_due_at"],
                    closed_at=values["closed_at"],
                    closed_reason=values["closed_reason"],
                    answered_by_id=values["answered_by"].id if values["answered_by"] else None,
                    no_reply_decision_id=None,
                    calendar_seconds=values["calendar_seconds"],
                    business_seconds=values["business_seconds"],
                    met_target=values["met_target"],
                    owner_id=owner_id,
                    client_id=client_id,
                    channel=channel,
                )
                wait_id += 1
            counts["conversations"] += 1
            counts["messages"] += len(thread)
            counts["waits"] += len(replayed)
            if index % 20000 == 0:
                self.stdout.write(f"  {index} conversations, {counts['messages']} messages")
        for writer in (conversations, messages, waits):
            writer.flush()
        for model in (Conversation, Message, ResponseWait):
            _sync_sequence(model)
        return counts
