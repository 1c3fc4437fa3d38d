"""Document number, purchase order and payment terms, read next to their labels."""

from __future__ import annotations

from invoiceflow.extract.fields import (
    BELOW,
    Context,
    Found,
    id_text,
    id_value,
    looks_like_id,
    ocr_confidence,
    value_sources,
)
from invoiceflow.extract.labels import (
    INVOICE_NUMBER,
    PAYMENT_TERMS,
    PURCHASE_ORDER,
    TERMS_VALUE,
    Patterns,
)
from invoiceflow.extract.layout import LabelHit, Token, find_labels

__all__ = ["find_invoice_number", "find_payment_terms", "find_purchase_order"]

# Label strength, strongest first, in the order of labels.INVOICE_NUMBER.
_NUMBER_WEIGHTS = {
    "document_number": 1.0,
    "number_of_document": 1.0,
    "folio": 0.95,
    "document": 0.8,
    "serie_number": 0.7,
    "number_alone": 0.75,
    "order": 0.65,
    "reference": 0.5,
}
_MAX_TERMS_CHARS = 40


def find_invoice_number(context: Context) -> Found[str] | None:
    """The document's own number: after the strongest label that has one."""
    order = find_purchase_order(context)
    candidates = [
        found
        for found in _labelled_ids(context, INVOICE_NUMBER, _NUMBER_WEIGHTS)
        if order is None or found.value != order.value
    ]
    if not candidates:
        return None
    return max(candidates, key=lambda found: found.confidence)


def find_purchase_order(context: Context) -> Found[str] | None:
    """The buyer's order number, never a P.O. box."""
    candidates = _labelled_ids(context, PURCHASE_ORDER, {"po": 0.95})
    if not candidates:
        return None
    return max(candidates, key=lambda found: found.confidence)


def _labelled_ids(
    context: Context, patterns: Patterns, weights: dict[str, float]
) -> list[Found[str]]:
    found: list[Found[str]] = []
    for hit in find_labels(context.rows, patterns):
        if hit.row.index in context.excluded_rows or _is_po_box(hit):
            continue
        if hit.name == "number_alone" and hit.label_tokens != hit.segment.tokens:
            continue
        if any(looks_like_id(token.text) for token in hit.label_tokens):
            # "INV-2025-79554" starts with a label word but is the value itself.
            continue
        value = _id_near(hit, context)
        if value is None:
            continue
        tokens, placement = value
        # Earlier rows win ties: headers carry the number, footers repeat it.
        order_bonus = 1.0 - min(hit.row.index, 200) / 10_000
        confidence = weights[hit.name] * placement * order_bonus
        confidence *= ocr_confidence(tokens)
        found.append(Found(id_text(tokens), confidence, tokens))
    return found


def _id_near(hit: LabelHit, context: Context) -> tuple[list[Token], float] | None:
    for tokens, placement in value_sources(hit, context.rows, below=1):
        value = id_value(tokens)
        if value:
            return value, placement
    return None


def _is_po_box(hit: LabelHit) -> bool:
    rest = hit.rest()
    return bool(rest) and rest[0].norm.strip(".:") in ("box", "caixa", "apartado")


def find_payment_terms(context: Context) -> Found[str] | None:
    """Terms after their label, or a phrase such as "Net 30" anywhere."""
    for hit in find_labels(context.rows, PAYMENT_TERMS):
        for tokens, placement in value_sources(hit, context.rows):
            text = " ".join(token.text for token in tokens).strip(" :")
            if _usable_terms(text):
                confidence = 0.9 * placement * ocr_confidence(tokens)
                return Found(text[:_MAX_TERMS_CHARS].strip(), confidence, tokens)

    for row in context.rows:
        for segment in row.segments:
            match = TERMS_VALUE.search(segment.norm)
            if match is None:
                continue
            tokens = segment.tokens_between(match.start(), match.end())
            text = " ".join(token.text for token in tokens)
            return Found(text, BELOW * 0.7 * ocr_confidence(tokens), tokens)
    return None


def _usable_terms(text: str) -> bool:
    letters_or_digits = sum(ch.isalnum() for ch in text)
    return letters_or_digits >= 2 and len(text) <= 2 * _MAX_TERMS_CHARS
