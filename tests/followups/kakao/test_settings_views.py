"""/settings/kakao/ (managers): providers, sealed secrets never shown again, Test, the webhook
address, AlimTalk templates."""

import pytest
from django.urls import reverse

from agency_crm.sealing import secret_open
from followups.kakao.channel import CHAT_SECRET_PURPOSE, kakao_channel
from followups.kakao.models import AlimTalkTemplate, KakaoChannel

from . import fake_provider as fp

pytestmark = pytest.mark.django_db

URL = reverse("followups:kakao_settings")
# The session, its user and the user's permissions (two: own and group), the channel's row, the
# templates, and the latest deliveries with their outbox rows and templates (one join).
QUERIES = 7


def _form(fake_provider, **overrides):
    return {
        "chat_provider": "happytalk",
        "chat_base_url": fake_provider.url,
        "chat_client_id": fp.CLIENT_ID,
        "chat_secret": fp.CLIENT_SECRET,
        "chat_sender_key": fp.SENDER_KEY,
        "alimtalk_provider": "nhncloud",
        "alimtalk_base_url": fake_provider.url,
        "alimtalk_appkey": fp.APPKEY,
        "alimtalk_secret": fp.SECRET_KEY,
        "alimtalk_sender_key": fp.ALIMTALK_SENDER_KEY,
        "sms_sender_no": "02-123-4567",
        **overrides,
    }


def test_staff_who_are_not_managers_cannot_open_it(owner_client):
    assert owner_client.get(URL).status_code == 403


def test_secrets_are_stored_sealed_and_never_shown_again(manager_client, fake_provider):
    response = manager_client.post(URL, _form(fake_provider))
    assert response.status_code == 302
    row = KakaoChannel.objects.get()
    assert fp.CLIENT_SECRET not in row.chat_client_secret_sealed
    assert secret_open(sealed=row.chat_client_secret_sealed, purpose=CHAT_SECRET_PURPOSE) == fp.CLIENT_SECRET
    page = manager_client.get(URL).content.decode()
    assert fp.CLIENT_SECRET not in page and fp.SECRET_KEY not in page
    assert "A secret is stored" in page
    # Saved again without the secrets: the stored ones stay.
    manager_client.post(URL, _form(fake_provider, chat_secret="", alimtalk_secret=""))
    row.refresh_from_db()
    assert secret_open(sealed=row.chat_client_secret_sealed, purpose=CHAT_SECRET_PURPOSE) == fp.CLIENT_SECRET


def test_a_provider_needs_its_credentials(manager_client, fake_provider):
    response = manager_client.post(URL, _form(fake_provider, chat_secret="", chat_sender_key="short"))
    assert response.status_code == 400
    assert not KakaoChannel.objects.exclude(chat_provider="").exists()


def test_the_test_button_asks_both_providers(manager_client, fake_provider):
    manager_client.post(URL, _form(fake_provider))
    response = manager_client.post(reverse("followups:kakao_settings_test"))
    page = response.content.decode()
    assert "Happytalk answered and accepted the credentials" in page
    assert "NHN Cloud answered" in page
    assert KakaoChannel.objects.get().last_test_ok is True


def test_the_test_button_says_when_credentials_are_refused(manager_client, fake_provider):
    manager_client.post(URL, _form(fake_provider, chat_secret="wrong", alimtalk_secret="wrong"))
    manager_client.post(reverse("followups:kakao_settings_test"))
    row = KakaoChannel.objects.get()
    assert row.last_test_ok is False
    assert "refused" in row.last_test_message


def test_the_page_shows_the_webhook_address_and_a_new_one_replaces_it(manager_client):
    secret = kakao_channel().inbound_secret
    assert f"/kakao/inbound/{secret}/" in manager_client.get(URL).content.decode()
    manager_client.post(reverse("followups:kakao_webhook_rotate"))
    assert kakao_channel().inbound_secret != secret


def test_a_template_is_registered_when_the_provider_has_its_text(manager_client, fake_provider):
    manager_client.post(URL, _form(fake_provider))
    fake_provider.add_template("DUE01", "#{name}님, 답변 예정 시각은 #{due}입니다.")
    data = {
        "code": "DUE01",
        "name": "답변 예정",
        "purpose": "answer_due",
        "text": "#{name}님, 답변 예정 시각은 #{due}입니다.",
        "buttons": "문의 내역 https://agency.example/my/",
    }
    assert manager_client.post(reverse("followups:kakao_template_add"), data).status_code == 302
    template = AlimTalkTemplate.objects.get()
    assert template.buttons[0]["name"] == "문의 내역"
    response = manager_client.post(reverse("followups:kakao_template_add"), {**data, "text": "changed #{name}"})
    assert response.status_code == 400
    assert "not the text Kakao approved" in response.content.decode()


def test_the_page_reads_a_constant_number_of_queries(manager_client, django_assert_num_queries):
    from agency_crm.outbox.services import outbox_enqueue_transport
    from followups.kakao.models import KakaoDelivery

    manager_client.get(URL)  # the channel's row exists from the first visit on
    for number in range(3):
        AlimTalkTemplate.objects.create(code=f"T{number}", name="n", text="#{name}")
        email = outbox_enqueue_transport(transport="kakao_chat", to=["user-1"], text="hi", kind="reply")
        KakaoDelivery.objects.create(outbound_email=email, kind="chat")
    with django_assert_num_queries(QUERIES):
        assert manager_client.get(URL).status_code == 200


def _template():
    return AlimTalkTemplate.objects.create(code="READY01", name="Ready", purpose="chat_closed", text="#{name}님")


def test_a_manager_removes_a_template(manager_client):
    template = _template()
    response = manager_client.post(reverse("followups:kakao_template_delete", args=[template.pk]))
    assert response.status_code == 302
    assert not AlimTalkTemplate.objects.filter(pk=template.pk).exists()


def test_staff_who_are_not_managers_cannot_remove_a_template(owner_client):
    template = _template()
    assert owner_client.post(reverse("followups:kakao_template_delete", args=[template.pk])).status_code == 403
    assert AlimTalkTemplate.objects.filter(pk=template.pk).exists()


def test_the_page_says_which_templates_go_on_their_own_and_what_they_lack(manager_client):
    AlimTalkTemplate.objects.create(code="PROP01", name="p", purpose="proposal_sent", text="#{name}님 #{link}")
    AlimTalkTemplate.objects.create(code="PROP02", name="p", purpose="proposal_sent", text="#{name}님 #{price}원")
    AlimTalkTemplate.objects.create(code="OTHER1", name="o", purpose="other", text="#{name}님 #{price}원")
    body = manager_client.get(URL).content.decode()

    def item(code):
        return body.split(f'data-testid="template-{code}"')[1].split("</li>")[0]

    assert "Sent on its own with its email" in item("PROP01")
    assert "we cannot fill #{price}" in item("PROP02")
    assert "Sent by hand" in item("OTHER1")
    assert "#{title} #{number} #{link}" in body  # what a proposal notice fills in
