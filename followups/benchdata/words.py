"""Names, texts and mixes the benchmark data are drawn from (Korean and English)."""

from clients.models import ResponseTier
from followups.models import Channel

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


def weighted(rng, choices):
    values, weights = zip(*choices, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]
