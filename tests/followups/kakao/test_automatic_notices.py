"""AlimTalk notices sent on their own, beside the email of the same moment: the proposal link,
a check-in, a feedback request, and "your answer is due" (the promised reply time has come).

What the fake NHN Cloud receives is the proof: the template code, every #{variable} filled and
the SMS fallback. A template asking for something we do not know is not sent; neither is one to
a contact without a mobile number and consent; each notice goes once."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.utils import timezone

from agency_crm.outbox import OutboundEmail
from agency_crm.outbox.services import outbox_deliver
from clients.models import ResponseTier
from followups.care.feedback import feedback_request_send
from followups.conversations.models import Channel
from followups.conversations.services import conversation_start, message_receive
from followups.kakao.alimtalk import alimtalk_template_register, delivery_results_sync
from followups.kakao.models import KakaoContactPreference, KakaoDelivery
from followups.reminders.services import reminders_run
from inquiries import services as inquiry_services
from tests.factories import ClientFactory, ContactFactory
from tests.followups.care_factories import CheckinFactory, default_checkin_plans  # noqa: F401
from tests.inquiries.factories import InquiryFactory, ScopeItemFactory

pytestmark = pytest.mark.django_db
SEOUL = ZoneInfo("Asia/Seoul")
MOBILE = "01098765432"

TEMPLATES = {
    "proposal_sent": ("PROP01", "#{name}님, #{agency}의 제안서(v#{number}) '#{title}'를 보내드렸습니다: #{link}"),
    "checkin": ("CHK01", "#{name}님, #{owner}입니다. #{subject} 잘 쓰고 계신가요? 의견: #{link}"),
    "feedback_request": ("FB01", "#{name}님, '#{subject}' 상담은 어떠셨나요? #{link}"),
    "answer_due": ("DUE01", "#{name}님, '#{subject}' 문의의 답변 약속 시각(#{due})입니다. 곧 답변드리겠습니다."),
}


@pytest.fixture
def templates(kakao_connected, fake_provider, manager):
    for purpose, (code, text) in TEMPLATES.items():
        fake_provider.add_template(code, text)
        alimtalk_template_register(code=code, name=code, purpose=purpose, text=text, by=manager)


def consenting(contact, *, consent=True):
    KakaoContactPreference.objects.create(contact=contact, mobile=MOBILE, alimtalk_consent=consent)
    return contact


def send_alimtalks() -> list[OutboundEmail]:
    rows = list(OutboundEmail.objects.filter(transport="kakao_alimtalk").order_by("id"))
    for row in rows:
        assert outbox_deliver(email_id=row.pk)[0] == "sent"
    return rows


def assert_filled(sent: dict, code: str):
    """What reached the fake: the code, every variable of the template filled, an SMS fallback."""
    assert sent["templateCode"] == code
    assert sent["recipientNo"] == MOBILE
    assert "#{" not in sent["content"]
    assert all(value.strip() for value in sent["templateParameter"].values())
    assert sent["resend"]["isResend"] is True
    assert sent["resend"]["resendSendNo"] == "02-123-4567"
    assert sent["resend"]["resendContent"] == sent["content"]


# --- proposal sent ----------------------------------------------------------------------------
@pytest.fixture
def inquiry(owner, settings):
    settings.SITE_URL = "https://crm.example.com"
    inquiry = InquiryFactory(
        owner=owner, title="치과 예약 앱", contact__name="박지훈", contact__email="jh@clinic.example"
    )
    ScopeItemFactory(inquiry=inquiry, title="온라인 예약", priority="must")
    consenting(inquiry.contact)
    return inquiry


def test_a_sent_proposal_goes_by_alimtalk_with_its_link_beside_the_email(templates, inquiry, owner, fake_provider):
    proposal = inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    assert OutboundEmail.objects.filter(kind="proposal", transport="").count() == 1
    (row,) = send_alimtalks()
    assert row.kind == "proposal"
    (sent,) = fake_provider.alimtalks
    assert_filled(sent, "PROP01")
    assert sent["templateParameter"]["name"] == "박지훈"
    assert sent["templateParameter"]["title"] == "치과 예약 앱"
    assert sent["templateParameter"]["number"] == "1"
    assert sent["templateParameter"]["link"] == proposal.public_link
    assert sent["templateParameter"]["link"].startswith("https://crm.example.com/p/")


def test_each_proposal_version_is_its_own_notice_and_a_repeat_is_not_sent(templates, inquiry, owner, fake_provider):
    from agency_crm.outbox.notices import customer_notice

    first = inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    # The same notice again (a retried request): the unique notice key keeps one.
    customer_notice(
        purpose="proposal_sent",
        contact=inquiry.contact,
        values={"title": inquiry.title, "link": first.public_link, "number": "1"},
        once_key=f"proposal-{first.pk}",
    )
    inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    send_alimtalks()
    assert [a["templateParameter"]["number"] for a in fake_provider.alimtalks] == ["1", "2"]


def test_a_contact_known_only_on_kakaotalk_gets_the_proposal_by_alimtalk(templates, owner, fake_provider):
    inquiry = InquiryFactory(owner=owner, contact__name="한지민", contact__email="")
    ScopeItemFactory(inquiry=inquiry, priority="must")
    consenting(inquiry.contact)
    inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    assert not OutboundEmail.objects.filter(kind="proposal", transport="").exists()
    send_alimtalks()
    (sent,) = fake_provider.alimtalks
    assert_filled(sent, "PROP01")
    assert sent["templateParameter"]["name"] == "한지민"


def test_a_contact_who_did_not_agree_gets_the_email_only(templates, owner, settings, fake_provider):
    inquiry = InquiryFactory(owner=owner)
    ScopeItemFactory(inquiry=inquiry, priority="must")
    consenting(inquiry.contact, consent=False)
    inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    assert OutboundEmail.objects.filter(kind="proposal", transport="").count() == 1
    assert not OutboundEmail.objects.filter(transport="kakao_alimtalk").exists()


def test_a_template_asking_for_something_we_do_not_know_is_not_sent(kakao_connected, fake_provider, manager, inquiry):
    text = "#{name}님, 견적 금액은 #{price}원입니다."
    fake_provider.add_template("PROP02", text)
    alimtalk_template_register(code="PROP02", name="p", purpose="proposal_sent", text=text, by=manager)
    inquiry_services.proposal_send(inquiry=inquiry, actor=inquiry.owner)
    assert OutboundEmail.objects.filter(kind="proposal", transport="").count() == 1
    assert not OutboundEmail.objects.filter(transport="kakao_alimtalk").exists()


def test_without_a_template_for_the_purpose_nothing_goes_by_alimtalk(kakao_connected, inquiry, owner):
    inquiry_services.proposal_send(inquiry=inquiry, actor=owner)
    assert not OutboundEmail.objects.filter(transport="kakao_alimtalk").exists()


# --- check-in and feedback request ------------------------------------------------------------
def test_a_check_in_goes_by_alimtalk_with_its_feedback_link_beside_the_email(templates, fake_provider, settings):
    from followups.care.checkins import checkin_handle_due

    settings.SITE_URL = "https://crm.example.com"
    checkin = CheckinFactory(
        contact=ContactFactory(name="이수진", email="sujin@customer.example", preferred_language="ko")
    )
    consenting(checkin.contact)
    assert checkin_handle_due(checkin_id=checkin.pk, now=timezone.now()) == "emailed"
    assert OutboundEmail.objects.filter(kind="checkin", transport="").count() == 1
    (row,) = send_alimtalks()
    assert row.kind == "checkin"
    (sent,) = fake_provider.alimtalks
    assert_filled(sent, "CHK01")
    values = sent["templateParameter"]
    assert values["name"] == "이수진"
    assert values["link"].startswith("https://crm.example.com/feedback/")
    email = OutboundEmail.objects.get(kind="checkin", transport="")
    assert row.related["conversation_id"] == email.related["conversation_id"]
    assert values["subject"] in email.subject


def test_a_contact_who_opted_out_of_check_ins_gets_no_check_in_alimtalk(templates):
    from followups.care.checkins import checkin_handle_due

    checkin = CheckinFactory(contact=ContactFactory(accepts_checkins=False))
    consenting(checkin.contact)
    assert checkin_handle_due(checkin_id=checkin.pk, now=timezone.now()) == "call_task"
    assert not OutboundEmail.objects.filter(transport="kakao_alimtalk").exists()


def test_a_feedback_request_goes_by_alimtalk_once(templates, owner, fake_provider, settings):
    settings.SITE_URL = "https://crm.example.com"
    contact = consenting(
        ContactFactory(name="최유나", email="yuna@customer.example", client=ClientFactory(account_owner=owner))
    )
    conversation = conversation_start(
        client=contact.client, contact=contact, subject="로그인 오류", channel=Channel.KAKAO, actor=owner
    )
    assert feedback_request_send(conversation=conversation) is not None
    assert feedback_request_send(conversation=conversation) is None
    (row,) = send_alimtalks()
    assert row.kind == "feedback_request"
    (sent,) = fake_provider.alimtalks
    assert_filled(sent, "FB01")
    assert sent["templateParameter"]["subject"] == "로그인 오류"
    assert sent["templateParameter"]["link"].startswith("https://crm.example.com/feedback/")


# --- your answer is due -----------------------------------------------------------------------
def seoul(*args):
    return dt.datetime(*args, tzinfo=SEOUL)


def waiting(owner, when, contact):
    with time_machine.travel(when, tick=False):
        conversation = conversation_start(
            client=contact.client, contact=contact, subject="결제 오류", channel=Channel.KAKAO, actor=owner
        )
        message_receive(conversation=conversation, body="결제가 안 돼요", channel=Channel.KAKAO, contact=contact)
    return conversation


def run(moment):
    with time_machine.travel(moment, tick=False):
        return reminders_run()


@pytest.fixture
def customer(owner):
    client = ClientFactory(response_tier=ResponseTier.STANDARD, account_owner=owner)
    return consenting(ContactFactory(client=client, name="정다은", preferred_language="ko"))


def test_when_the_promised_answer_time_comes_the_customer_is_told_by_alimtalk_once(
    templates, owner, customer, fake_provider
):
    conversation = waiting(owner, seoul(2025, 11, 17, 9, 0), customer)
    due = type(conversation).objects.get(pk=conversation.pk).reply_due_at
    run(seoul(2025, 11, 17, 15, 0))  # the owner's warning: nothing for the customer yet
    assert not OutboundEmail.objects.filter(transport="kakao_alimtalk").exists()
    run(seoul(2025, 11, 17, 17, 0))  # due: the promised time has come
    run(seoul(2025, 11, 18, 10, 0))  # escalation: the customer is not told again
    (row,) = send_alimtalks()
    assert row.kind == "reminder"
    assert row.related["conversation_id"] == conversation.pk
    (sent,) = fake_provider.alimtalks
    assert_filled(sent, "DUE01")
    assert sent["templateParameter"]["subject"] == "결제 오류"
    # The promised time, in the contact's language and the agency's zone.
    local = timezone.localtime(due, SEOUL)
    assert f"{local.day}일" in sent["templateParameter"]["due"]
    assert "KST" in sent["templateParameter"]["due"]


def test_the_sms_fallback_of_an_automatic_notice_is_recorded(templates, owner, customer, fake_provider):
    fake_provider.no_kakao = {MOBILE}
    waiting(owner, seoul(2025, 11, 17, 9, 0), customer)
    run(seoul(2025, 11, 17, 17, 0))
    (row,) = send_alimtalks()
    assert delivery_results_sync() == 1
    delivery = KakaoDelivery.objects.get(outbound_email=row)
    assert delivery.template.purpose == "answer_due"
    assert (delivery.message_status, delivery.sms_fallback_status) == ("FAILED", "RSC04")
    assert delivery.results_checked_at is not None


def test_a_customer_who_said_stop_is_not_told(templates, owner, customer):
    KakaoContactPreference.objects.filter(contact=customer).update(stopped_at=timezone.now())
    waiting(owner, seoul(2025, 11, 17, 9, 0), customer)
    run(seoul(2025, 11, 17, 17, 0))
    assert not OutboundEmail.objects.filter(transport="kakao_alimtalk").exists()
