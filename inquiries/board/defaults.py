"""The stages and lost reasons an agency starts with (seeded by migration 0002).

A status whose stage row is missing (a database emptied by a test, say) is shown with these
values until a manager saves the stages: the board never writes on a GET."""

# (status, English, Korean, win probability in percent, days before an inquiry goes stale in it)
STAGES = [
    ("new", "New", "신규", 10, 3),
    ("discovery", "Discovery", "요구사항 파악", 20, 7),
    ("scoped", "Scoped", "범위 확정", 40, 7),
    ("proposal_sent", "Proposal sent", "제안서 발송됨", 60, 14),
    ("won", "Won", "수주", 100, None),
    ("lost", "Lost", "실주", 0, None),
    ("on_hold", "On hold", "보류", 10, 30),
]

LOST_REASONS = [
    ("Price", "가격"),
    ("Timing or budget not ready", "시기 또는 예산 미확정"),
    ("Chose another agency", "다른 업체 선택"),
    ("No reply from the customer", "고객 무응답"),
    ("Not a fit for us", "우리와 맞지 않음"),
    ("Other", "기타"),
]
