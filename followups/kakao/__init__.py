"""KakaoTalk as a channel: 상담톡 (counselling chat) in and out through a dealer's API, and 알림톡
(AlimTalk) notices from approved templates with an SMS fallback. See the README, "KakaoTalk"."""
