"""Subtotal, tax and total: labelled amounts, chosen so that they add up."""

from __future__ import annotations

import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from invoiceflow.extract.fields import (
    BELOW,
    Context,
    Found,
    amount_tokens,
    has_decimals,
    ocr_confidence,
    value_sources,
)
from invoiceflow.extract.labels import (
    AMOUNT_ROW_WORDS,
    NOT_A_TAX_AMOUNT,
    NOT_A_TOTAL,
    SUBTOTAL,
    TAX,
    TOTAL,
    Patterns,
)
from invoiceflow.extract.layout import LabelHit, Token, find_labels

__all__ = ["Totals", "find_totals"]

_WEIGHTS = {
    "total_due": 1.0,
    "total_named": 0.95,
    "total": 0.85,
    "subtotal": 1.0,
    "net": 0.9,
    "tax_total": 1.0,
    "tax": 0.9,
}
_CANDIDATES_PER_FIELD = 5
_CONSISTENT_BONUS = 1.15
_CENT = Decimal("0.01")


@dataclass(frozen=True)
class Totals:
    subtotal: Found[Decimal] | None
    tax: Found[Decimal] | None
    total: Found[Decimal] | None


def find_totals(context: Context) -> Totals:
    """The best-labelled amounts, preferring any choice where they add up."""
    totals = _candidates(context, TOTAL, _is_total_label)
    subtotals = _candidates(context, SUBTOTAL, lambda hit: True)
    taxes = _candidates(context, TAX, _is_tax_label)

    consistent = _consistent_choice(
        _with_repairs(subtotals), _with_repairs(taxes), _with_repairs(totals)
    )
    if consistent is not None:
        return consistent

    total = totals[0] if totals else None
    subtotal = subtotals[0] if subtotals else None
    tax = taxes[0] if taxes else None
    if tax is None and subtotal is not None and total is not None:
        tax = _unlabelled_tax(subtotal, total, context)
    if tax is None and subtotal and total and subtotal.value == total.value:
        # Equal subtotal and total say there is no tax, though none is printed.
        tax = Found(Decimal("0.00"), 0.7 * min(subtotal.confidence, total.confidence))
    return Totals(subtotal, tax, total)


def _is_total_label(hit: LabelHit) -> bool:
    return NOT_A_TOTAL.search(hit.segment.norm) is None


def _is_tax_label(hit: LabelHit) -> bool:
    return NOT_A_TAX_AMOUNT.search(hit.segment.norm) is None


def _candidates(
    context: Context, patterns: Patterns, accept: Callable[[LabelHit], bool]
) -> list[Found[Decimal]]:
    """Amounts next to the labels, best first; later rows win ties."""
    found: list[tuple[float, int, Found[Decimal]]] = []
    for hit in find_labels(context.rows, patterns):
        if hit.row.index in context.excluded_rows or not accept(hit):
            continue
        value = _amount_near(hit, context)
        if value is None:
            continue
        amount, tokens, placement = value
        confidence = _WEIGHTS[hit.name] * placement * ocr_confidence(tokens)
        found.append((confidence, hit.row.index, Found(amount, confidence, tokens)))

    found.sort(key=lambda item: (round(item[0], 2), item[1]), reverse=True)
    return [item[2] for item in found[:_CANDIDATES_PER_FIELD]]


def _amount_near(
    hit: LabelHit, context: Context
) -> tuple[Decimal, list[Token], float] | None:
    """The first amount after the label on its row, else the one below it."""
    row_tokens = _tokens_after_label(hit)
    value = _first_amount(row_tokens, context)
    if value is not None:
        return value[0], value[1], 1.0

    for tokens, placement in value_sources(hit, context.rows):
        if placement != BELOW:
            continue
        value = _first_amount(tokens, context)
        if value is not None:
            return value[0], value[1], placement
    return None


def _tokens_after_label(hit: LabelHit) -> list[Token]:
    """Words right of the label up to the next amount label on the same row."""
    tokens = list(hit.rest())
    position = hit.row.segments.index(hit.segment)
    for segment in hit.row.segments[position + 1 :]:
        if AMOUNT_ROW_WORDS.search(segment.norm) and not has_decimals(segment.tokens):
            break
        tokens.extend(segment.tokens)
    return tokens


def _first_amount(
    tokens: Sequence[Token], context: Context
) -> tuple[Decimal, list[Token]] | None:
    amounts = list(amount_tokens(tokens, context))
    if not amounts:
        return None
    with_cents = [item for item in amounts if has_decimals(item[1])]
    return with_cents[0] if with_cents else amounts[-1]


def _consistent_choice(
    subtotals: list[Found[Decimal]],
    taxes: list[Found[Decimal]],
    totals: list[Found[Decimal]],
) -> Totals | None:
    """The most confident subtotal, tax and total for which subtotal + tax = total."""
    best: tuple[float, Totals] | None = None
    for subtotal, total in itertools.product(subtotals, totals):
        for tax in [*taxes, _sum_of(taxes), None]:
            tax_value = tax.value if tax is not None else Decimal(0)
            if abs(subtotal.value + tax_value - total.value) > _CENT:
                continue
            if tax is None and subtotal.value != total.value:
                continue
            score = subtotal.confidence + total.confidence
            score += tax.confidence if tax is not None else 0.0
            if best is None or score > best[0]:
                best = (score, _boosted(subtotal, tax, total))
    return best[1] if best is not None else None


def _with_repairs(found: list[Found[Decimal]]) -> list[Found[Decimal]]:
    """The candidates plus readings of "256" as 2.56, a decimal mark OCR lost.

    The less likely reading only wins where it makes the amounts add up.
    """
    repaired = [
        Found(item.value / 100, item.confidence * 0.8, item.tokens)
        for item in found
        if item.value == item.value.to_integral_value()
        and not has_decimals(item.tokens)
        and abs(item.value) >= 100
    ]
    return found + repaired


def _unlabelled_tax(
    subtotal: Found[Decimal], total: Found[Decimal], context: Context
) -> Found[Decimal] | None:
    """The one amount between the subtotal and total rows that bridges them.

    A tax label OCR could not read ("Im puestos") still sits in the totals
    block, with the only amount there that makes the sum come out.
    """
    first, last = _row_index(subtotal, context), _row_index(total, context)
    if first is None or last is None or last - first < 2:
        return None
    gap = total.value - subtotal.value
    for row in context.rows[first + 1 : last]:
        for value, tokens in amount_tokens(row.tokens, context):
            if value == gap:
                return Found(value, 0.6 * ocr_confidence(tokens), tokens)
    return None


def _row_index(found: Found[Decimal], context: Context) -> int | None:
    if not found.tokens:
        return None
    token = found.tokens[0]
    for row in context.rows:
        if any(candidate is token for candidate in row.tokens):
            return row.index
    return None


def _sum_of(taxes: list[Found[Decimal]]) -> Found[Decimal] | None:
    """Several tax lines (state and city, GST and PST) taken together."""
    distinct = {id(tax.tokens[0]) if tax.tokens else id(tax): tax for tax in taxes}
    if len(distinct) < 2:
        return None
    values = list(distinct.values())
    confidence = min(tax.confidence for tax in values) * 0.9
    tokens = [token for tax in values for token in tax.tokens]
    return Found(sum((tax.value for tax in values), Decimal(0)), confidence, tokens)


def _boosted(
    subtotal: Found[Decimal], tax: Found[Decimal] | None, total: Found[Decimal]
) -> Totals:
    def boost(found: Found[Decimal]) -> Found[Decimal]:
        confidence = min(1.0, found.confidence * _CONSISTENT_BONUS)
        return Found(found.value, confidence, found.tokens)

    if tax is None:
        tax = Found(Decimal("0.00"), 0.75 * min(subtotal.confidence, total.confidence))
    return Totals(boost(subtotal), boost(tax), boost(total))
