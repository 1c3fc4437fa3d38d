"""Document type, vendor, language and currency of an OCR'd document, from its text."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from invoiceflow.errors import NotAnInvoiceError
from invoiceflow.extract.parsing import normalize
from invoiceflow.extract.templates import VENDOR_TEMPLATES, register_templates
from invoiceflow.models import Classification, DocumentType, OcrDocument, OcrPage

__all__ = [
    "KNOWN_VENDORS",
    "MIN_WORDS",
    "classify",
    "register_template_vendors",
    "register_vendor",
]

logger = logging.getLogger(__name__)

MIN_WORDS = 5
"""Fewer words than this on all pages together is not a document we can read."""

# Vendor key -> patterns over normalised text. Templates add their vendors here.
KNOWN_VENDORS: dict[str, list[re.Pattern[str]]] = {
    "ubereats": [re.compile(r"\buber\s*eats\b"), re.compile(r"\buber\b")],
    "doordash": [re.compile(r"\bdoor\s*dash\b"), re.compile(r"\bdasher\b")],
    "grubhub": [re.compile(r"\bgrub\s*hub\b")],
    # OCR reads the lower-case logo letters of these two as 1, l or ¡.
    "ifood": [re.compile(r"(?<![a-z])[i1l¡!|]\s?food\b")],
    "rappi": [re.compile(r"\brapp[i1l!]\b"), re.compile(r"\brappitendero\b")],
}

_TYPE_PATTERNS: dict[str, re.Pattern[str]] = {
    "credit_note": re.compile(
        r"\b(?:credit\s+note|credit\s+memo|nota\s+de\s+credito|nota\s+credito|"
        r"factu\s?ra\s+rectificativa|"
        r"factura\s+rectificativa|abono)\b"
    ),
    "statement": re.compile(
        r"\b(?:statement(?:\s+of\s+account)?|account\s+statement|estado\s+de\s+cuenta|"
        r"extrato(?:\s+de\s+conta)?|resumen\s+de\s+cuenta)\b"
    ),
    "receipt": re.compile(
        r"\b(?:receipt|recibo|ticket|cupom(?:\s+fiscal)?|boleta|nota\s+de\s+venta|"
        r"compro(?:b|v)ante\W+d[eo]\W+(?:pago|pedido|compra|venta)|thanks\s+for\s+(?:your\s+order|ordering)|"
        r"obrigado\s+pelo\s+pedido|gracias\s+por\s+tu\s+pedido|order\s+total|"
        r"you\s+paid|voce\s+pagou|pagaste|change\s+due|troco|cambio)\b"
    ),
    "invoice": re.compile(
        r"\b(?:invoice|factura|fatura|nota\s+fiscal|nfs-?e|nf-?e|cfdi|bill\s+to|"
        r"invoice\s+number|due\s+date|fecha\s+de\s+vencimiento|"
        r"data\s+de\s+vencimento|facturar\s+a|tomador)\b"
    ),
}
_COUNTED_LINE = re.compile(r"(?m)^\s*[\dl]{1,2}\s?x\s+[a-z]")
_NOT_A_TITLE = re.compile(r"\b(?:due|upon|on)\s+receipt\b|\breceipt\s+of\b")
_DOCUMENT_HINTS = re.compile(r"\b(?:total|subtotal|amount|importe|valor|iva|tax)\b")

_LANGUAGE_WORDS = {
    "en": (
        "the and invoice date due to of for amount description quantity qty price "
        "tax bill thank you payment number order your from subtotal items receipt "
        "delivery paid total balance"
    ),
    "pt": (
        "da do das dos nota fiscal valor emissao vencimento quantidade descricao "
        "obrigado pagamento servicos servico numero voce pedido entrega taxa "
        "prestador tomador fatura recibo unitario produto produtos em para"
    ),
    "es": (
        "la el los las del factura fecha importe cantidad descripcion precio "
        "gracias pago numero pedido envio propina iva cliente emision vencimiento "
        "unitario producto productos por tu su recibo con"
    ),
}
_LANGUAGE_SETS = {code: set(words.split()) for code, words in _LANGUAGE_WORDS.items()}


def _code(code: str) -> str:
    """An ISO code next to an amount or after a currency label, not a stray word."""
    return (
        rf"\b{code}\s?[$\d]|\d\s?{code}\b|"
        rf"(?i:currency|moneda|moeda|divisa)\W{{0,3}}{code}\b|\({code}\)"
    )


# Symbols and codes over the original text, most specific first ("R$" before
# "$"); codes must be upper case and stand by an amount, since OCR noise and
# words such as "pen" would otherwise count.
_CURRENCY_MARKS = (
    ("BRL", re.compile(rf"R\$|{_code('BRL')}|\b[Rr]eais\b")),
    ("USD", re.compile(rf"US\$|{_code('USD')}|\bU\$S\b")),
    ("MXN", re.compile(rf"{_code('MXN')}|MX\$|\b[Pp]esos [Mm]exicanos\b|\bM\.N\.")),
    ("COP", re.compile(rf"{_code('COP')}|COL\$")),
    ("ARS", re.compile(_code("ARS"))),
    ("CLP", re.compile(_code("CLP"))),
    ("PEN", re.compile(rf"{_code('PEN')}|\bS/\s?\d")),
    ("EUR", re.compile(rf"€|{_code('EUR')}|\b[Ee]uros?\b")),
    ("GBP", re.compile(rf"£|{_code('GBP')}")),
    ("CAD", re.compile(rf"{_code('CAD')}|\bC\$")),
    ("AUD", re.compile(rf"{_code('AUD')}|\bA\$")),
)
# Tax identifiers name the country, and so the currency behind a bare "$".
_COUNTRY_CUES = (
    ("BRL", re.compile(r"\b(?:cnpj|cpf|nfs-?e|icms|iss)\b")),
    ("MXN", re.compile(r"\b(?:rfc|cfdi|iva\s+16)\b")),
    ("COP", re.compile(r"\b(?:nit|dian|iva\s+19)\b")),
    ("ARS", re.compile(r"\b(?:cuit|afip)\b")),
    ("CLP", re.compile(r"\b(?:rut|sii)\b")),
)
_DOLLAR_BY_LANGUAGE = {"en": "USD", "pt": "BRL", "es": "MXN"}
_UNMARKED_BY_LANGUAGE = {"en": "USD", "pt": "BRL"}


def register_vendor(key: str, patterns: Iterable[str]) -> None:
    """Let `classify` recognise a vendor, as each vendor template does."""
    KNOWN_VENDORS[key] = [re.compile(pattern) for pattern in patterns]


def register_template_vendors(folder: Path | None = None) -> list[str]:
    """Make every vendor with a template known; returns their keys.

    Without `folder`, the packaged templates, which load with the extractor;
    with it, the templates in that folder are loaded and added. A vendor
    already known keeps its own patterns, which allow for OCR's misreadings
    of its name; the others are recognised by their template's keywords.
    """
    keys = sorted(VENDOR_TEMPLATES) if folder is None else register_templates(folder)
    for key in keys:
        if key not in KNOWN_VENDORS:
            register_vendor(key, VENDOR_TEMPLATES[key].vendor_patterns())
    return keys


def classify(document: OcrDocument) -> Classification:
    """Type, vendor, language and currency, each with a 0-1 confidence.

    Raises NotAnInvoiceError only when the pages carry almost no words; a
    readable document of another kind is classified ``other``, for review.
    """
    word_count = sum(len(page.words) for page in document.pages)
    if word_count < MIN_WORDS:
        raise NotAnInvoiceError(
            f"{document.source} has {word_count} word(s) of text on "
            f"{len(document.pages)} page(s); check that the scan is not blank or "
            "too faint to read."
        )

    text = normalize(document.text)
    heading = normalize(_heading_text(document.pages))
    document_type, type_confidence = _document_type(text, heading)
    vendor, vendor_confidence = _vendor(text)
    language, language_confidence = _language(text)
    currency, currency_confidence = _currency(document.text, text, language)

    result = Classification(
        document_type=document_type,
        vendor=vendor,
        language=language,
        currency=currency,
        confidence={
            "document_type": type_confidence,
            "vendor": vendor_confidence,
            "language": language_confidence,
            "currency": currency_confidence,
        },
    )
    logger.info(
        "%s classified: %s, vendor %s, language %s, currency %s",
        document.source,
        document_type,
        vendor,
        language,
        currency,
    )
    return result


def _heading_text(pages: list[OcrPage]) -> str:
    """Words in the top fifth of the first page, where a document names itself."""
    if not pages:
        return ""
    page = pages[0]
    limit = page.height * 0.2
    return " ".join(word.text for word in page.words if word.bbox[1] <= limit)


def _document_type(text: str, heading: str) -> tuple[DocumentType, float]:
    scores: Counter[str] = Counter()
    for kind, pattern in _TYPE_PATTERNS.items():
        scores[kind] += _count(pattern, text) + 3 * _count(pattern, heading)
    # Lines that open with a count ("2x Burger") are how tills print items.
    if len(_COUNTED_LINE.findall(text)) >= 2:
        scores["receipt"] += 2

    if not scores or max(scores.values()) == 0:
        if _DOCUMENT_HINTS.search(text):
            return "invoice", 0.3
        return "other", 0.5

    ranked = scores.most_common()
    best, best_score = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    confidence = 0.5 + 0.5 * (best_score - runner_up) / best_score
    return best, round(min(confidence, 0.99), 3)  # type: ignore[return-value]


def _count(pattern: re.Pattern[str], text: str) -> int:
    excluded = {match.span() for match in _NOT_A_TITLE.finditer(text)}
    return sum(
        1
        for match in pattern.finditer(text)
        if not any(s <= match.start() < e for s, e in excluded)
    )


def _vendor(text: str) -> tuple[str, float]:
    hits: Counter[str] = Counter()
    for key, patterns in KNOWN_VENDORS.items():
        hits[key] = sum(len(pattern.findall(text)) for pattern in patterns)

    key, count = hits.most_common(1)[0] if hits else ("unknown", 0)
    if count == 0:
        return "unknown", 0.6
    return key, round(min(0.99, 0.6 + 0.15 * count), 3)


def _language(text: str) -> tuple[str, float]:
    words = re.findall(r"[a-z]+", text)
    scores = {
        code: sum(1 for word in words if word in vocabulary)
        for code, vocabulary in _LANGUAGE_SETS.items()
    }
    total = sum(scores.values())
    if total == 0:
        return "en", 0.3

    best = max(scores, key=lambda code: scores[code])
    return best, round(scores[best] / total, 3)


def _currency(original: str, text: str, language: str) -> tuple[str | None, float]:
    counts = Counter(
        {code: len(pattern.findall(original)) for code, pattern in _CURRENCY_MARKS}
    )
    code, count = counts.most_common(1)[0]
    if count > 0:
        return code, 0.95

    for cue_code, pattern in _COUNTRY_CUES:
        if pattern.search(text):
            return cue_code, 0.75 if "$" in text else 0.5
    if "$" in text:
        return _DOLLAR_BY_LANGUAGE.get(language, "USD"), 0.6
    # No mark at all: English and Portuguese invoices are most often in dollars
    # and reais; Spanish spans too many currencies to guess.
    guess = _UNMARKED_BY_LANGUAGE.get(language)
    return guess, 0.4 if guess else 0.0


register_template_vendors()
