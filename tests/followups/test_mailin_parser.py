"""The inbound email parser: Korean encodings, HTML, attachments, hostile input, and CPython's
own email test corpus. Pure parsing: no database."""

from email.mime.multipart import MIMEMultipart
from email.mime.text import MIMEText

import pytest

from followups.mailin.html import html_to_text, sanitize_html
from followups.mailin.parser import parse_email

from .mailin_support import build_email, email_corpus_dir

KOREAN_SUBJECT = "홈페이지 리뉴얼 견적 문의 드립니다"
KOREAN_BODY = "안녕하세요, 김민지입니다.\n쇼핑몰 결제 화면에서 오류가 납니다. 확인 부탁드립니다.\n감사합니다."


@pytest.mark.parametrize("charset", ["utf-8", "euc-kr", "cp949", "iso-2022-kr"])
def test_korean_subject_and_body_decode_exactly_in_each_charset(charset):
    message = build_email(
        subject=KOREAN_SUBJECT, body=KOREAN_BODY, charset=charset, from_="김민지 <minji@customer.example>"
    )
    raw = message.as_bytes()
    if charset != "utf-8":
        # The bytes really are in the legacy charset, not UTF-8 in disguise.
        assert KOREAN_SUBJECT.encode("utf-8") not in raw
        label = {"cp949": "ks_c_5601-1987"}.get(charset, charset)
        assert f'charset="{label}"'.encode() in raw
        assert f"=?{label}?".encode() in raw

    parsed = parse_email(raw)

    assert parsed.subject == KOREAN_SUBJECT
    assert parsed.text == KOREAN_BODY
    assert parsed.from_name == "김민지"
    assert parsed.from_address == "minji@customer.example"


def test_cp949_only_characters_labelled_euc_kr_still_decode():
    # "똠방각하" has syllables outside EUC-KR (KS X 1001) that Windows sends anyway, labelled euc-kr.
    text = "똠방각하 펲시콜라"
    raw = (
        b"From: a@customer.example\r\nSubject: =?euc-kr?B?"
        + __import__("base64").b64encode(text.encode("cp949"))
        + b"?=\r\nMessage-ID: <cp949@customer.example>\r\nContent-Type: text/plain; charset=euc-kr\r\n"
        b"Content-Transfer-Encoding: 8bit\r\n\r\n" + text.encode("cp949") + b"\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.subject == text
    assert parsed.text == text


def test_html_only_mail_becomes_readable_text_without_active_content():
    html = (
        "<html><head><style>p {color: red}</style><script>alert('head')</script></head><body>"
        "<p>Hello <b>team</b>,</p><p>Line one<br>Line two</p>"
        "<ul><li>first</li><li>second</li></ul>"
        "<img src='https://tracker.example/pixel.gif' onerror='alert(1)'>"
        "<img src='cid:logo@customer.example' alt='logo'>"
        "<a href='javascript:alert(2)'>bad link</a> <a href='https://ok.example/'>good link</a>"
        "<script>document.cookie</script><div onclick='steal()' onmouseover='x()'>Thanks</div>"
        "</body></html>"
    )
    parsed = parse_email(build_email(body=None, html=html).as_bytes())

    assert parsed.text == "Hello team,\n\nLine one\nLine two\n\n- first\n- second\nbad link good link\nThanks"
    safe = parsed.html.lower()
    for active in ("<script", "onerror", "onclick", "onmouseover", "javascript:", "tracker.example", "<style"):
        assert active not in safe
    assert 'src="cid:logo@customer.example"' in parsed.html
    assert 'href="https://ok.example/"' in parsed.html
    assert "alert" not in parsed.text and "document.cookie" not in parsed.text


def test_sanitize_keeps_only_attached_images():
    assert sanitize_html('<img src="http://x.example/a.png">') == "<img>"
    assert 'src="cid:logo@customer.example"' in sanitize_html('<img src="cid:logo@customer.example">')
    # data: URLs are not among the allowed schemes (http, https, mailto, cid), images included.
    assert sanitize_html('<img src="data:image/png;base64,AAAA">') == "<img>"
    assert "svg" not in sanitize_html('<svg onload="alert(1)"><script>alert(1)</script></svg>ok')


@pytest.mark.parametrize(
    "href",
    [
        "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
        "DATA:text/html,<script>alert(1)</script>",
        " data:text/html,x",
        "da&#x74;a:text/html,x",
        "javascript:alert(1)",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://files.example/a",
    ],
)
def test_sanitize_drops_links_with_other_schemes(href):
    cleaned = sanitize_html(f'<a href="{href}">open</a>')
    assert "href" not in cleaned
    assert "open" in cleaned


@pytest.mark.parametrize(
    "href", ["https://ok.example/a?b=1", "http://ok.example/", "mailto:help@ok.example", "cid:part1@ok.example"]
)
def test_sanitize_keeps_http_https_mailto_and_cid_links(href):
    assert f'href="{href.replace("&", "&amp;")}"' in sanitize_html(f'<a href="{href}">open</a>')


def test_html_to_text_handles_entities_and_pre():
    assert html_to_text("<p>Tom &amp; Jerry&nbsp;&lt;3</p><pre>a\n  b</pre>") == "Tom & Jerry <3\n\na\n  b"


def test_attachments_are_collected_with_their_names_and_sizes():
    message = build_email(body="See attached")
    message.add_attachment(b"%PDF-1.4 fake", maintype="application", subtype="pdf", filename="견적서.pdf")
    message.add_attachment(b"<svg onload='alert(1)'/>", maintype="image", subtype="svg+xml", filename="../../evil.svg")
    parsed = parse_email(message.as_bytes())

    assert parsed.text == "See attached"
    assert [(a.filename, a.content_type, a.size) for a in parsed.attachments] == [
        ("견적서.pdf", "application/pdf", 13),
        ("evil.svg", "image/svg+xml", 24),
    ]
    assert parsed.attachments[0].content == b"%PDF-1.4 fake"


def test_a_20_mb_attachment_is_listed_but_not_kept(settings):
    settings.MAILIN_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024
    message = build_email(body="Big file")
    message.add_attachment(
        b"\0" * (20 * 1024 * 1024), maintype="application", subtype="octet-stream", filename="big.bin"
    )
    parsed = parse_email(message.as_bytes())

    assert parsed.text == "Big file"
    (attachment,) = parsed.attachments
    assert attachment.size == 20 * 1024 * 1024
    assert attachment.too_large and attachment.content is None


def test_a_message_with_500_parts_is_read_up_to_the_limit(settings):
    settings.MAILIN_MAX_PARTS = 100
    outer = MIMEMultipart()
    outer["From"] = "many@customer.example"
    outer["Subject"] = "many parts"
    outer["Message-ID"] = "<many@customer.example>"
    outer.attach(MIMEText("first part is the body", "plain", "utf-8"))
    for n in range(499):
        part = MIMEText(f"part {n}", "plain", "utf-8")
        part.add_header("Content-Disposition", "attachment", filename=f"part{n}.txt")
        outer.attach(part)

    parsed = parse_email(outer.as_bytes())

    assert parsed.text == "first part is the body"
    assert len(parsed.attachments) == 98  # 100 parts walked: the container, the body, 98 files
    assert any("more than 100 MIME parts" in d for d in parsed.defects)


def test_missing_message_id_gets_a_stable_synthesized_one():
    raw = build_email(message_id=None).as_bytes()
    first, second = parse_email(raw), parse_email(raw)
    assert first.message_id_synthesized
    assert first.message_id == second.message_id
    assert first.message_id.endswith("@synthesized.gonggam.invalid>")
    assert parse_email(raw + b"x").message_id != first.message_id


def test_script_tag_in_subject_is_kept_as_plain_text():
    parsed = parse_email(build_email(subject="<script>alert('x')</script> 문의").as_bytes())
    # Stored as text; the templates escape it (see test_mailin_views).
    assert parsed.subject == "<script>alert('x')</script> 문의"


@pytest.mark.parametrize(
    "from_header",
    ["not an address", "<<<>>>", "", "=?utf-8?B?invalid base64?= <>", "a@b@c", "김민지"],
)
def test_from_that_is_not_an_address_leaves_the_sender_unknown(from_header):
    raw = (
        f"From: {from_header}\r\nSubject: hi\r\nMessage-ID: <nofrom@x.example>\r\n\r\nbody\r\n".encode()
        if from_header
        else b"Subject: hi\r\nMessage-ID: <nofrom@x.example>\r\n\r\nbody\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.from_address == ""
    assert parsed.text == "body"


def test_malformed_headers_and_undecodable_bytes_do_not_raise():
    raw = (
        b"From: \xff\xfe broken <bad@customer.example\r\n"
        b"To: ,,,@@@, <crm@localhost\r\n"
        b"Subject: =?x-unknown-charset?Q?caf=E9?= \xb0\xa1\xb3\xaa\r\n"
        b"Date: not a date at all\r\n"
        b"Message-ID: no angle brackets\r\n"
        b"References: <a@b> garbage <c@d\r\n"
        b"Content-Type: text/plain; charset=x-does-not-exist\r\n"
        b"Content-Transfer-Encoding: base64\r\n"
        b"Broken header line without colon\r\n"
        b"\r\n"
        b"!!!not base64 at all\xff\xfe\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.message_id_synthesized
    assert parsed.sent_at is None
    assert "가나" in parsed.subject  # the raw 8-bit bytes were Korean (CP949)
    assert parsed.references == ["<a@b>"]
    assert isinstance(parsed.text, str)


def test_undecodable_body_bytes_are_replaced_not_fatal():
    raw = (
        b"From: a@customer.example\r\nSubject: x\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n"
        b"\xff\xfe\xfa ok\x00\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.text.endswith("ok")
    assert "\x00" not in parsed.text


@pytest.mark.parametrize(
    ("headers", "reason"),
    [
        ({"Auto-Submitted": "auto-replied"}, "Auto-Submitted: auto-replied"),
        ({"Precedence": "bulk"}, "Precedence: bulk"),
        ({"Precedence": "junk"}, "Precedence: junk"),
        ({"Precedence": "list"}, "Precedence: list"),
        ({"X-Autoreply": "yes"}, "X-Autoreply"),
        ({"Return-Path": "<>"}, "null return path"),
    ],
)
def test_auto_replies_are_recognised(headers, reason):
    assert parse_email(build_email(headers=headers).as_bytes()).automatic_reason == reason


def test_auto_submitted_no_is_a_person():
    assert parse_email(build_email(headers={"Auto-Submitted": "no"}).as_bytes()).automatic_reason == ""


def test_delivery_status_notification_is_recognised():
    raw = (
        b"From: Mail Delivery System <MAILER-DAEMON@mx.example>\r\n"
        b"To: crm@localhost\r\nSubject: Undelivered Mail Returned to Sender\r\n"
        b"Message-ID: <dsn@mx.example>\r\nMIME-Version: 1.0\r\n"
        b'Content-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n'
        b"--b\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n"
        b"--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example\r\n\r\n"
        b"Final-Recipient: rfc822; gone@customer.example\r\nAction: failed\r\nStatus: 5.1.1\r\n"
        b"--b--\r\n"
    )
    parsed = parse_email(raw)
    assert parsed.automatic_reason == "delivery status notification"
    assert "could not be delivered" in parsed.text


def test_headers_used_for_threading_are_read():
    parsed = parse_email(
        build_email(
            to="Agency <crm+12-abcdef0123@localhost>",
            in_reply_to="<ours@agency.example>",
            references=["<first@agency.example>", "<ours@agency.example>"],
            headers={"Cc": "other@customer.example"},
        ).as_bytes()
    )
    assert parsed.in_reply_to == ["<ours@agency.example>"]
    assert parsed.references == ["<first@agency.example>", "<ours@agency.example>"]
    assert parsed.recipients == ["crm+12-abcdef0123@localhost", "other@customer.example"]


def test_every_message_of_cpythons_email_corpus_parses():
    files = sorted(email_corpus_dir().glob("msg_*.txt"))
    assert len(files) >= 40
    for path in files:
        parsed = parse_email(path.read_bytes())
        assert parsed.message_id, path.name
        assert isinstance(parsed.text, str)
