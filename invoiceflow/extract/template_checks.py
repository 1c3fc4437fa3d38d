"""Checks of a vendor template before use, with each problem said in words."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["FIELD_NAMES", "compiled", "patterns", "template_problems"]

# invoice2data field -> ExtractedInvoice field.
FIELD_NAMES = {
    "issuer": "issuer_name",
    "invoice_number": "invoice_number",
    "date": "invoice_date",
    "date_due": "due_date",
    "amount": "total",
    "amount_untaxed": "subtotal",
    "amount_tax": "tax",
    "vat": "issuer_tax_id",
    "currency": "currency",
    "customer_name": "customer_name",
    "payment_terms": "payment_terms",
    "purchase_order": "purchase_order",
}
_LINE_FIELDS = {"name", "description", "qty", "price_unit", "price_subtotal"}
_PARSERS = {"regex", "static", "lines"}
_NUMERIC = {"int", "float"}
# What invoice2data requires when a template does not say.
_DEFAULT_REQUIRED = ["date", "amount", "invoice_number", "issuer"]
_KEY = re.compile(r"^[a-z0-9][a-z0-9-]*$")


def template_problems(key: str, spec: Mapping[str, Any]) -> list[str]:
    """What is wrong with a template, in words; empty when it is usable."""
    problems = []
    if not _KEY.match(key):
        problems.append(
            f"file name {key!r} is not a vendor key (lower case, digits, hyphens)"
        )
    if not isinstance(spec.get("issuer"), str) or not spec["issuer"].strip():
        problems.append("'issuer' must name the vendor as it prints itself")
    keywords = spec.get("keywords")
    if not keywords or not all(isinstance(k, str) and k for k in keywords):
        problems.append("'keywords' must list at least one non-empty string")

    fields = spec.get("fields")
    if not isinstance(fields, Mapping) or not fields:
        return [*problems, "'fields' must map field names to parsers"]
    for name, setting in fields.items():
        problems.extend(_field_problems(str(name), setting))
    for name in spec.get("required_fields", _DEFAULT_REQUIRED):
        if name != "issuer" and name not in fields:
            problems.append(
                f"required field {name!r} is not among 'fields' (without "
                f"'required_fields', invoice2data requires {_DEFAULT_REQUIRED})"
            )
    problems.extend(_option_problems(spec.get("options", {})))
    return problems


def _field_problems(name: str, setting: Any) -> list[str]:
    known = ", ".join(sorted(FIELD_NAMES))
    if name.startswith("static_"):
        # invoice2data's older spelling of a static value: static_currency: USD.
        if name.removeprefix("static_") in FIELD_NAMES:
            return []
        return [f"static field {name!r} must be static_ and one of {known}"]
    if name != "lines" and name not in FIELD_NAMES:
        return [f"field {name!r} is not one of {known}"]
    if isinstance(setting, str | list):
        return _regex_problems(name, setting, groups=1)
    if not isinstance(setting, Mapping) or setting.get("parser") not in _PARSERS:
        return [f"field {name!r} needs a parser: {', '.join(sorted(_PARSERS))}"]

    parser = setting["parser"]
    if parser == "static":
        return [] if "value" in setting else [f"static field {name!r} has no value"]
    if parser == "regex":
        problems = _regex_problems(name, setting.get("regex"), groups=1)
        if setting.get("group") == "sum" and setting.get("type") not in _NUMERIC:
            # invoice2data would add up text and fail on every document.
            problems.append(f"field {name!r} sums its matches but has no numeric type")
        return problems
    return _lines_problems(name, setting)


def _lines_problems(name: str, setting: Mapping[str, Any]) -> list[str]:
    problems = []
    for part in ("start", "end"):
        problems.extend(_regex_problems(f"{name}.{part}", setting.get(part), None))
    if "line" not in setting:
        problems.append(f"lines field {name!r} has no 'line' pattern")
    for part in ("first_line", "line", "last_line", "skip_line"):
        if part not in setting:
            continue
        problems.extend(_regex_problems(f"{name}.{part}", setting[part], None))
        for pattern in patterns(setting[part]):
            unknown = set(compiled(pattern).groupindex) - _LINE_FIELDS
            if unknown:
                problems.append(
                    f"{name}.{part} names groups {sorted(unknown)}; use "
                    f"{', '.join(sorted(_LINE_FIELDS))}"
                )
    return problems


def _regex_problems(name: str, value: Any, groups: int | None) -> list[str]:
    candidates = patterns(value)
    if not candidates or not all(isinstance(p, str) for p in candidates):
        return [f"{name} needs a regex or a list of them"]

    problems = []
    for pattern in candidates:
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            problems.append(f"{name} regex {pattern!r} does not compile: {exc}")
            continue
        if groups is not None and compiled.groups != groups:
            problems.append(
                f"{name} regex {pattern!r} has {compiled.groups} groups; "
                f"it needs exactly {groups}"
            )
    return problems


def _option_problems(options: Any) -> list[str]:
    if not isinstance(options, Mapping):
        return ["'options' must be a mapping"]

    problems = []
    separator = options.get("decimal_separator", ".")
    if separator not in (".", ","):
        problems.append(f"decimal_separator {separator!r} must be '.' or ','")
    for language in options.get("languages", []):
        if not isinstance(language, str) or len(language) != 2:
            problems.append(f"language {language!r} is not a two-letter code")
    for pair in options.get("replace", []):
        if not isinstance(pair, list) or len(pair) != 2:
            problems.append(f"replace entry {pair!r} must be [pattern, replacement]")
    return problems


def patterns(value: Any) -> list[Any]:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def compiled(pattern: str) -> re.Pattern[str]:
    try:
        return re.compile(pattern)
    except re.error:
        return re.compile("")
