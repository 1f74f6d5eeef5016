"""Korean particles after a value: "v1을", "박민지로", "Minji Park로", chosen by the sound the
value ends with, instead of printing both forms ("v1을(를)", "박민지(으)로").

A catalogue entry writes the pair after its placeholder ("%(new)s(으)로", "%(number)s을(를)");
`choose_particles` replaces each pair with the form the value takes before the text is formatted
(agency_crm.facts does it for every stored fact), so only our own words change, never a
customer's. A value whose last sound is unknown ("—", an emoji) keeps both forms.
"""

from __future__ import annotations

import re

# (after a final consonant, after a vowel) for each way a pair is written.
PAIRS = {
    "을(를)": ("을", "를"),
    "를(을)": ("을", "를"),
    "이(가)": ("이", "가"),
    "가(이)": ("이", "가"),
    "은(는)": ("은", "는"),
    "는(은)": ("은", "는"),
    "과(와)": ("과", "와"),
    "와(과)": ("과", "와"),
    "(으)로": ("으로", "로"),
}
_RIEUL = 8  # the final ㄹ: "로", not "으로" ("서울로")
# How digits are read: 영 일 이 삼 사 오 육 칠 팔 구 (final consonant, whether it is ㄹ).
_DIGITS = {
    "0": (True, False),
    "1": (True, True),
    "2": (False, False),
    "3": (True, False),
    "4": (False, False),
    "5": (False, False),
    "6": (True, False),
    "7": (True, True),
    "8": (True, True),
    "9": (False, False),
}
# Latin words as Koreans read them: a final l is ㄹ (Seoul, 서울), m and n are finals (Kim, 김);
# other letters end in a vowel (Park, 파크; Harbor, 하버).
_LATIN = {"l": (True, True), "m": (True, False), "n": (True, False)}
_CLOSING = ")]}>\"'”’»」』 "
_PAIR_AFTER_VALUE = re.compile(
    r"(%\([a-z_]+\)[sd])([)\]}\"'”’»」』]*)(" + "|".join(re.escape(pair) for pair in PAIRS) + ")"
)


def _final_sound(word: str) -> tuple[bool, bool] | None:
    """(ends in a consonant, that consonant is ㄹ) for the last sound of `word`, or None."""
    text = str(word).rstrip(_CLOSING)
    if not text:
        return None
    last = text[-1]
    if "\uac00" <= last <= "\ud7a3":
        final = (ord(last) - 0xAC00) % 28
        return final != 0, final == _RIEUL
    if last in _DIGITS:
        return _DIGITS[last]
    if last.isascii() and last.isalpha():
        return _LATIN.get(last.lower(), (False, False))
    return None


def particle_after(word: str, pair: str) -> str:
    """The form of `pair` ("을(를)", "(으)로"...) that follows `word`; the pair itself when the
    word's last sound is unknown."""
    sound = _final_sound(word)
    if sound is None or pair not in PAIRS:
        return pair
    consonant, rieul = sound
    after_consonant, after_vowel = PAIRS[pair]
    if pair == "(으)로":
        return after_consonant if consonant and not rieul else after_vowel
    return after_consonant if consonant else after_vowel


def choose_particles(template: str, values: dict) -> str:
    """`template` with each particle pair right after a placeholder ("%(new)s(으)로") replaced by
    the form that placeholder's value takes."""

    def replace(match: re.Match) -> str:
        name = match.group(1)[2:-2]
        if name not in values:
            return match.group(0)
        return match.group(1) + match.group(2) + particle_after(values[name], match.group(3))

    return _PAIR_AFTER_VALUE.sub(replace, template)
