"""Stored facts, rendered for the reader.

A timeline event or a notification stores *what happened* as an untranslated English message
(a gettext msgid, marked with `gettext_noop` where it is written) and its parameters as data.
It is rendered when it is shown, in the reader's language, with people named the way the reader
asked for and moments in the reader's date format, so a Korean colleague's action reads in English
for an English reader and the other way round.

Parameter values are plain data:
- a string or a number: shown as it is (a customer's name, a subject, an amount);
- `term(label)`: a product word (a channel, a status, a sentiment) translated for the reader;
- `person(user)`: a colleague, named by the reader's name order;
- `moment(datetime)` / `day(date)`: formatted in the reader's language and the agency's zone;
- `listing([...])`: several of the above, joined by commas.

Rows written before facts existed have no message: they render their stored text.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, ngettext, trans_real

from .particles import choose_particles
from .people import display_name, name_parts

PLURAL = "__plural"  # params key holding the plural msgid of an ngettext message
COUNT = "__count"  # params key naming the parameter that chooses singular or plural


def term(label) -> dict:
    """A translatable product word: a lazy label (a model choice, a gettext_lazy string) keeps
    its English msgid, so each reader gets it in their language."""
    args = getattr(label, "_args", None)
    msgid = args[0] if args else str(label)
    return {"t": str(msgid)}


def fact(message: str, **params) -> dict:
    """A fact inside another fact's parameters (a reason that is itself a sentence)."""
    return {"m": message, "p": params}


def choice(instance, field_name: str) -> dict | str:
    """The label of a model field's current choice (e.g. a channel), translated for each reader."""
    field = instance._meta.get_field(field_name)
    value = getattr(instance, field.attname)
    label = dict(field.flatchoices).get(value)
    return term(label) if label is not None else ("" if value is None else str(value))


def field_label(model, field_name: str) -> dict:
    """A model field's verbose name, translated for each reader."""
    return term(model._meta.get_field(field_name).verbose_name)


def person(user, empty: str = "—") -> dict | str:
    """A colleague as data: their name parts, named for each reader when shown."""
    if user is None:
        return empty
    first, last = name_parts(user)
    return {"p": user.pk, "first": first, "last": last, "username": user.get_username()}


def moment(value: dt.datetime | None) -> dict | str:
    return {"dt": value.isoformat()} if value else "—"


def day(value: dt.date | None) -> dict | str:
    return {"d": value.isoformat()} if value else "—"


def listing(values, separator: str = ", ") -> dict:
    """Several values, joined by `separator` when shown (", " by default; "; " between lists)."""
    value = {"list": [v if isinstance(v, dict | str | int | float) else str(v) for v in values]}
    if separator != ", ":
        value["sep"] = separator
    return value


def plural(message, count_param: str) -> tuple[str, dict]:
    """An `ngettext_lazy(singular, plural, count_param)` message as (msgid, extra params): pass
    the msgid as the message and merge the extra params into its params."""
    singular, plural_msgid = message._kw["singular"], message._kw["plural"]
    return singular, {PLURAL: plural_msgid, COUNT: count_param}


def format_moment(value: dt.datetime) -> str:
    return formats.date_format(timezone.localtime(value), "DATETIME_FORMAT")


def format_day(value: dt.date) -> str:
    return formats.date_format(value, "DATE_FORMAT")


def render_value(value: Any) -> str:
    if isinstance(value, dict):
        if "m" in value:
            return render(value["m"], value.get("p"))
        if "t" in value:
            return gettext(value["t"]) if value["t"] else ""
        if "p" in value:
            return display_name(value)
        if "dt" in value:
            try:
                return format_moment(dt.datetime.fromisoformat(value["dt"]))
            except (TypeError, ValueError):
                return str(value["dt"])
        if "d" in value:
            try:
                return format_day(dt.date.fromisoformat(value["d"]))
            except (TypeError, ValueError):
                return str(value["d"])
        if "list" in value:
            return str(value.get("sep", ", ")).join(render_value(v) for v in value["list"])
        return ""
    return "" if value is None else str(value)


def render(message: str, params: dict | None, fallback: str = "") -> str:
    """The fact in the active language; `fallback` (the stored text) when there is no message or
    the translation does not fit its parameters."""
    if not message:
        return fallback
    params = dict(params or {})
    plural_msgid = params.pop(PLURAL, None)
    count_param = params.pop(COUNT, None)
    values = {
        key: value if isinstance(value, int | float) and not isinstance(value, bool) else render_value(value)
        for key, value in params.items()
    }
    if plural_msgid and count_param:
        try:
            count = int(params.get(count_param, 0))
        except (TypeError, ValueError):
            count = 0
        template = ngettext(message, plural_msgid, count)
        values[count_param] = count
    else:
        template = gettext(message)
    template = choose_particles(template, values)  # "%(new)s(으)로" -> "박민지로"
    try:
        return template % values
    except (KeyError, ValueError, TypeError):
        try:
            return message % values
        except (KeyError, ValueError, TypeError):
            return fallback or message


def format_moment_for(language: str, moment) -> str:
    """A time for a customer's email: agency-local, in their language, with the zone for readers
    abroad ("2026년 12월 3일 (목) 오후 1:00 KST", "Thu 3 Dec 2026, 13:00 KST")."""
    with translation.override(language):
        return f"{format_moment(moment)} {timezone.localtime(moment).tzname()}"


def render_in(language: str, message: str, params: dict | None, fallback: str = "") -> str:
    with translation.override(language):
        return render(message, params, fallback)


# --- rows written before facts existed ---------------------------------------------------------
_PLACEHOLDER = re.compile(r"%\((?P<name>[a-z_]+)\)(?P<spec>\.\d+f|[sd])")
_MIN_LITERAL = 6  # "%(name)s" alone would match anything


def _catalogue_patterns() -> list[tuple[re.Pattern, str, dict[str, str]]]:
    """(regex, msgid, {param: spec}) for every catalogue message, in English and in Korean."""
    patterns = []
    entries: dict[str, set[str]] = {}
    for language in dict(settings.LANGUAGES):
        catalog = trans_real.translation(language)._catalog
        for key, text in catalog.items():
            msgid = key[0] if isinstance(key, tuple) else key
            if not msgid or "\n" in msgid or len(msgid) > 300:
                continue
            entries.setdefault(msgid, {msgid}).add(text)
    for msgid, texts in entries.items():
        specs = {m["name"]: m["spec"] for m in _PLACEHOLDER.finditer(msgid)}
        for text in texts:
            if len(_PLACEHOLDER.sub("", text).strip()) < _MIN_LITERAL:
                continue
            regex, position, seen = [], 0, set()
            for m in _PLACEHOLDER.finditer(text):
                regex.append(re.escape(text[position : m.start()]).replace("%%", "%"))
                name = m["name"]
                regex.append(f"(?P={name})" if name in seen else f"(?P<{name}>.+?)")
                seen.add(name)
                position = m.end()
            regex.append(re.escape(text[position:]).replace("%%", "%"))
            patterns.append((re.compile("^" + "".join(regex) + "$", re.DOTALL), msgid, specs))
    # The most literal text first: "Inquiry won: %(title)s" before "Inquiry: %(title)s".
    patterns.sort(key=lambda p: -len(_PLACEHOLDER.sub("", p[0].pattern)))
    return patterns


def recover(text: str, patterns=None) -> tuple[str, dict] | None:
    """The fact behind a stored text (English or Korean), or None: its msgid and parameters."""
    if not text:
        return None
    for regex, msgid, specs in patterns if patterns is not None else _catalogue_patterns():
        match = regex.match(text)
        if match is None:
            continue
        params: dict[str, Any] = {}
        for name, value in match.groupdict().items():
            spec = specs.get(name, "s")
            try:
                params[name] = int(value) if spec == "d" else float(value) if spec.endswith("f") else value
            except ValueError:
                break
        else:
            return msgid, params
    return None


def recover_rows(model, text_field: str, message_field: str = "message", params_field: str = "params") -> int:
    """Give every row without a message the fact its stored text says (a data migration's step)."""
    patterns = _catalogue_patterns()
    changed = 0
    rows = model.objects.filter(**{message_field: ""}).only("pk", text_field)
    for row in rows.iterator(chunk_size=2000):
        found = recover(getattr(row, text_field), patterns)
        if found is not None:
            model.objects.filter(pk=row.pk).update(**{message_field: found[0][:300], params_field: found[1]})
            changed += 1
    return changed
