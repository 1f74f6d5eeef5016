# 2026년 12월 3일 (목) 오후 1:00
DATE_FORMAT = "Y년 n월 j일 (D)"
TIME_FORMAT = "A g:i"
DATETIME_FORMAT = "Y년 n월 j일 (D) A g:i"
SHORT_DATE_FORMAT = "n월 j일 (D)"
SHORT_DATETIME_FORMAT = "n월 j일 (D) A g:i"
MONTH_DAY_FORMAT = "n월 j일"
YEAR_MONTH_FORMAT = "Y년 n월"
FIRST_DAY_OF_WEEK = 0
