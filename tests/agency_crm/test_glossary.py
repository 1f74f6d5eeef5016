"""One vocabulary (docs/glossary.md): the Korean catalogue uses the glossary's word for every
strict term, and has no empty or fuzzy entry."""

import re
from pathlib import Path

import polib

ROOT = Path(__file__).resolve().parents[2]
PO = ROOT / "locale" / "ko" / "LC_MESSAGES" / "django.po"
GLOSSARY = ROOT / "docs" / "glossary.md"

# Entries that list literal CSV values (the column takes the English code, not a word).
LITERAL_VALUES = {
    "prospect, active, maintenance or former (default prospect)",
    "standard, maintenance or prospect (default standard)",
}
PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%\([a-z_]+\)\.\d+f|\{[a-z_]+\}")


def strict_terms() -> list[tuple[str, str]]:
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) >= 3 and cells[2] == "strict":
            terms.append((cells[0], cells[1]))
    return sorted(terms, key=lambda t: -len(t[0]))  # longer terms first: "check-in plan" before "check-in"


def term_pattern(english: str) -> re.Pattern:
    english = english.split(" (")[0]  # "Not good (rating)": the note in brackets is not matched
    words = r"[\s-]".join(re.escape(w) for w in re.split(r"[\s-]", english))
    return re.compile(rf"\b{words}(?:s|es)?\b", re.IGNORECASE)


def violations(entries, terms) -> list[tuple[str, str, str]]:
    found = []
    for entry in entries:
        if entry.msgid in LITERAL_VALUES:
            continue
        english = PLACEHOLDER.sub(" ", entry.msgid + " " + (entry.msgid_plural or ""))
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for term, korean in terms:
            pattern = term_pattern(term)
            if pattern.search(english):
                english = pattern.sub(" ", english)
                found += [(term, entry.msgid, t) for t in translations if korean not in t]
    return found


def test_the_glossary_has_strict_terms():
    terms = dict(strict_terms())
    assert terms["check-in"] == "안부 확인" and terms["check-in plan"] == "관리 계획"
    assert terms["Not good (rating)"] == "불만족"


def test_every_strict_term_is_translated_one_way():
    po = polib.pofile(str(PO))
    assert violations(po.translated_entries(), strict_terms()) == []


def test_the_checker_finds_a_second_word_for_a_term():
    entry = polib.POEntry(msgid="Open check-ins", msgstr="진행 중인 체크인")
    plan = polib.POEntry(msgid="Start a check-in plan", msgstr="관리 계획 시작")
    assert violations([entry, plan], strict_terms()) == [("check-in", "Open check-ins", "진행 중인 체크인")]


def test_no_empty_or_fuzzy_entry():
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)] == []


def test_due_and_upcoming_and_the_ratings_read_differently():
    po = {e.msgid: e.msgstr for e in polib.pofile(str(PO))}
    assert po["Due"] != po["Upcoming"]
    assert (po["Great"], po["Okay"], po["Not good"]) == ("매우 좋음", "보통", "불만족")
    assert po["Plan"] == "관리 계획"


def glossary_terms() -> list[tuple[str, str]]:
    """Every row of the glossary (strict or not), longer English terms first."""
    terms = []
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| ") and len(cells) >= 3 and cells[0] != "English" and not cells[0].startswith("---"):
            terms.append((cells[0], cells[1]))
    return sorted(terms, key=lambda t: -len(t[0]))


def label_translations(entries, terms) -> dict[str, set[str]]:
    """The Korean of each catalogue entry that is a glossary term on its own ("Waiting on us")."""
    labels: dict[str, set[str]] = {}
    for entry in entries:
        if entry.msgid_plural:
            continue
        for term, _korean in terms:
            if term_pattern(term).fullmatch(entry.msgid.strip().rstrip(".:")):
                labels.setdefault(entry.msgstr.strip().rstrip(".:"), set()).add(term)
                break
    return labels


def english_terms(entry, terms) -> set[str]:
    english = PLACEHOLDER.sub(" ", entry.msgid + " " + (entry.msgid_plural or ""))
    found = set()
    for term, _korean in terms:
        pattern = term_pattern(term)
        if pattern.search(english):
            found.add(term)
            english = pattern.sub(" ", english)
    return found


def double_meanings(entries, terms) -> list[tuple[str, str, str]]:
    """(Korean, English term A, English term B): one Korean wording translates two glossary terms.

    Either two labels share one translation, or a sentence about term B carries the (several-word)
    Korean label of term A and not B's own word: "Customer waiting on us" read "고객 응답 대기 중"
    while "Waiting on customer" was "고객 응답 대기"."""
    entries = list(entries)
    labels = label_translations(entries, terms)
    found = [(korean, *sorted(english)[:2]) for korean, english in labels.items() if len(english) > 1]
    korean_of = dict(terms)
    phrases = {korean: english.pop() for korean, english in labels.items() if len(english) == 1 and " " in korean}
    for entry in entries:
        in_english = english_terms(entry, terms)
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for korean, term in phrases.items():
            if term in in_english:
                continue
            for other in sorted(in_english):
                if any(korean in t and korean_of[other] not in t for t in translations):
                    found.append((korean, term, other))
    return sorted(set(found))


def test_each_glossary_row_has_its_own_korean():
    koreans = [korean for _term, korean in glossary_terms()]
    assert sorted(k for k in koreans if koreans.count(k) > 1) == []


def test_waiting_on_us_and_on_the_customer_are_two_terms():
    terms = dict(strict_terms())
    assert terms["waiting on us"] == "답변 대기" and terms["waiting on customer"] == "고객 회신 대기"


def test_no_korean_wording_translates_two_glossary_terms():
    po = polib.pofile(str(PO))
    assert double_meanings(po.translated_entries(), glossary_terms()) == []


def test_the_checker_finds_one_korean_label_for_two_terms():
    us = polib.POEntry(msgid="Waiting on us", msgstr="응답 대기")
    customer = polib.POEntry(msgid="Waiting on customer", msgstr="응답 대기")
    assert double_meanings([us, customer], glossary_terms()) == [("응답 대기", "waiting on customer", "waiting on us")]


def test_the_checker_finds_a_sentence_that_says_the_opposite():
    customer = polib.POEntry(msgid="Waiting on customer", msgstr="고객 응답 대기")
    timeline = polib.POEntry(
        msgid="Customer waiting on us: reply due %(due)s", msgstr="고객 응답 대기 중: 답변 기한 %(due)s"
    )
    assert ("고객 응답 대기", "waiting on customer", "waiting on us") in double_meanings(
        [customer, timeline], glossary_terms()
    )
