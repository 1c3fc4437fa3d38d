"""The content of one sample document, drawn from a seeded generator, and its truth."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from invoiceflow.samples.catalog import (
    CATALOGS,
    MENUS,
    PAYMENT_TERMS,
    RECEIPT_FEES,
    SITES,
    Item,
)
from invoiceflow.samples.locales import CENT, LOCALES
from invoiceflow.samples.vendors import (
    BUSINESS_CUSTOMERS,
    PEOPLE,
    RESTAURANTS,
    VENDORS,
    Vendor,
)

# Rough purchasing-power scale from the catalogue's US dollars to each currency.
_PRICE_SCALE = {
    "USD": 1.0,
    "BRL": 5.0,
    "MXN": 18.0,
    "COP": 4000.0,
    "EUR": 0.92,
}
_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"
_CREDIT_NOTE_PATTERNS = {"en": "CN-{Y}-####", "pt": "NC {Y}/####", "es": "NC-{Y}-####"}
_FIRST_DAY = date(2025, 1, 1)
_DAYS_SPAN = 730


@dataclass(frozen=True)
class LineItemSpec:
    """One printed line; `amount` is quantity x unit price, rounded half-up to cents."""

    description: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    code: str = ""


@dataclass(frozen=True)
class InvoiceSpec:
    """Everything printed on one sample document, plus the resolution to draw it at."""

    layout: str
    vendor: str
    document_type: str
    language: str
    locale: str
    currency: str
    invoice_number: str
    issuer_name: str
    issuer_address: tuple[str, ...]
    issuer_tax_label: str
    issuer_tax_id: str
    customer_name: str
    customer_address: tuple[str, ...]
    ship_to: tuple[str, ...]
    invoice_date: date
    due_date: date | None
    line_items: tuple[LineItemSpec, ...]
    tax_rate: Decimal
    subtotal: Decimal
    tax: Decimal
    total: Decimal
    purchase_order: str | None
    payment_terms: str | None
    merchant: str | None = None
    dpi: int = 300


def line_amount(quantity: Decimal, unit_price: Decimal) -> Decimal:
    """Quantity times unit price, rounded half-up to cents."""
    return (quantity * unit_price).quantize(CENT, rounding=ROUND_HALF_UP)


def build_spec(
    rng: random.Random,
    *,
    layout: str,
    vendor_key: str,
    long_items: bool = False,
    dpi: int = 300,
) -> InvoiceSpec:
    """Draw the content of one document; receipts only come from platforms."""
    vendor = VENDORS[vendor_key]
    if layout == "receipt":
        return _receipt_spec(rng, vendor, dpi)

    document_type = _document_type(rng, vendor)
    count = rng.randint(30, 40) if long_items else rng.randint(2, 9)
    items = _catalog_lines(rng, vendor, count)
    customer, ship_to = _customer(rng, vendor)
    invoice_date = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS_SPAN))
    terms, days, number_pattern = _terms(rng, vendor, document_type)

    draft = _Draft(
        layout=layout,
        document_type=document_type,
        invoice_number=_draw_pattern(rng, number_pattern, invoice_date),
        customer=customer,
        ship_to=ship_to,
        invoice_date=invoice_date,
        due_date=invoice_date + timedelta(days=days) if days else None,
        items=items,
        tax_rate=Decimal(rng.choice(vendor.tax_rates)),
        purchase_order=_purchase_order(rng, vendor, invoice_date),
        payment_terms=terms,
        dpi=dpi,
    )
    return _assemble(vendor, draft)


def ground_truth(
    spec: InvoiceSpec, *, source_file: str, pages: int, bilevel: bool
) -> dict[str, object]:
    """The JSON record written beside each TIFF; `invoiceflow eval` scores with it."""
    return {
        "source_file": source_file,
        "layout": spec.layout,
        "document_type": spec.document_type,
        "vendor": spec.vendor,
        "language": spec.language,
        "currency": spec.currency,
        "invoice_number": spec.invoice_number,
        "issuer_name": spec.issuer_name,
        "issuer_address": ", ".join(spec.issuer_address),
        "issuer_tax_id": spec.issuer_tax_id,
        "customer_name": spec.customer_name,
        "invoice_date": spec.invoice_date.isoformat(),
        "due_date": spec.due_date.isoformat() if spec.due_date else None,
        "subtotal": f"{spec.subtotal:.2f}",
        "tax": f"{spec.tax:.2f}",
        "total": f"{spec.total:.2f}",
        "line_items": [
            {
                "description": item.description,
                "quantity": str(item.quantity),
                "unit_price": f"{item.unit_price:.2f}",
                "amount": f"{item.amount:.2f}",
            }
            for item in spec.line_items
        ],
        "purchase_order": spec.purchase_order,
        "payment_terms": spec.payment_terms,
        "pages": pages,
        "dpi": spec.dpi,
        "bilevel": bilevel,
    }


@dataclass(frozen=True)
class _Draft:
    """The drawn part of a spec; `_assemble` adds the issuer and the money."""

    layout: str
    document_type: str
    invoice_number: str
    customer: tuple[str, tuple[str, ...]]
    ship_to: tuple[str, ...]
    invoice_date: date
    due_date: date | None
    items: list[LineItemSpec]
    tax_rate: Decimal
    purchase_order: str | None
    payment_terms: str | None
    dpi: int
    merchant: str | None = None


def _assemble(vendor: Vendor, draft: _Draft) -> InvoiceSpec:
    locale = LOCALES[vendor.locale]
    subtotal = sum((item.amount for item in draft.items), Decimal("0.00"))
    tax = (subtotal * draft.tax_rate).quantize(CENT, rounding=ROUND_HALF_UP)

    return InvoiceSpec(
        layout=draft.layout,
        vendor=vendor.key,
        document_type=draft.document_type,
        language=locale.language,
        locale=locale.key,
        currency=locale.currency,
        invoice_number=draft.invoice_number,
        issuer_name=vendor.name,
        issuer_address=vendor.address,
        issuer_tax_label=vendor.tax_label,
        issuer_tax_id=vendor.tax_id,
        customer_name=draft.customer[0],
        customer_address=draft.customer[1],
        ship_to=draft.ship_to,
        invoice_date=draft.invoice_date,
        due_date=draft.due_date,
        line_items=tuple(draft.items),
        tax_rate=draft.tax_rate,
        subtotal=subtotal,
        tax=tax,
        total=subtotal + tax,
        purchase_order=draft.purchase_order,
        payment_terms=draft.payment_terms,
        merchant=draft.merchant,
        dpi=draft.dpi,
    )


def _receipt_spec(rng: random.Random, vendor: Vendor, dpi: int) -> InvoiceSpec:
    locale = LOCALES[vendor.locale]
    merchant, _ = rng.choice(RESTAURANTS[vendor.locale])
    person = rng.choice(PEOPLE[vendor.locale])
    order_date = _FIRST_DAY + timedelta(days=rng.randrange(_DAYS_SPAN))
    dishes = rng.sample(MENUS[locale.language], rng.randint(1, 5))
    items = [
        _line(rng, name, low, high, "each" if rng.random() < 0.3 else "one", "")
        for name, low, high in dishes
    ]
    scale = Decimal(str(_PRICE_SCALE[locale.currency]))
    for fee in RECEIPT_FEES[locale.language]:
        price = (Decimal(rng.randrange(99, 599)) / 100 * scale).quantize(CENT)
        items.append(LineItemSpec(fee, Decimal(1), price, price))

    draft = _Draft(
        layout="receipt",
        document_type="receipt",
        invoice_number=_draw_pattern(rng, vendor.order_pattern, order_date),
        customer=(person, ()),
        ship_to=(),
        invoice_date=order_date,
        due_date=None,
        items=items,
        tax_rate=Decimal(rng.choice(vendor.tax_rates)),
        purchase_order=None,
        payment_terms=None,
        merchant=merchant,
        dpi=dpi,
    )
    return _assemble(vendor, draft)


def _document_type(rng: random.Random, vendor: Vendor) -> str:
    if vendor.platform:
        return "statement" if rng.random() < 0.4 else "invoice"
    return "credit_note" if rng.random() < 0.15 else "invoice"


def _catalog_lines(
    rng: random.Random, vendor: Vendor, count: int
) -> list[LineItemSpec]:
    language = LOCALES[vendor.locale].language
    catalog = CATALOGS[vendor.catalog]
    scale = _PRICE_SCALE[LOCALES[vendor.locale].currency]
    lines = []
    for _ in range(count):
        index = rng.randrange(len(catalog))
        item: Item = catalog[index]
        name = item.name(language).replace("{ref}", _reference(rng, vendor, language))
        code = f"{vendor.catalog[:2].upper()}-{1000 + index * 137}"
        lines.append(
            _line(rng, name, item.low * scale, item.high * scale, item.unit, code)
        )
    return lines


def _line(
    rng: random.Random, name: str, low: float, high: float, unit: str, code: str
) -> LineItemSpec:
    quantity = _quantity(rng, unit)
    unit_price = _price(rng, low, high)
    return LineItemSpec(
        name, quantity, unit_price, line_amount(quantity, unit_price), code
    )


def _quantity(rng: random.Random, unit: str) -> Decimal:
    if unit == "one":
        return Decimal(1)
    if unit == "hours":
        return Decimal(rng.randint(2, 32)) / 2
    if unit == "bulk":
        return Decimal(rng.randint(5, 60))
    return Decimal(rng.choice((1, 1, 1, 2, 2, 3, 4, 5, 6, 10)))


def _price(rng: random.Random, low: float, high: float) -> Decimal:
    value = rng.uniform(low, high)
    # Amounts in the tens of thousands (pesos, mostly) are quoted in hundreds.
    if value >= 20000:
        return Decimal(round(value / 100) * 100).quantize(CENT)

    cents = rng.choice((0, 0, 50, 95, 99, rng.randrange(100)))
    return (Decimal(int(value)) + Decimal(cents) / 100).quantize(CENT)


def _reference(rng: random.Random, vendor: Vendor, language: str) -> str:
    if vendor.catalog == "freight":
        prefix = {"en": "BOL", "pt": "CT-e", "es": "Remesa"}[language]
        return f"{prefix} {rng.randint(10000, 99999)}"
    if vendor.catalog == "platform_fees":
        word = {"en": "week", "pt": "semana", "es": "semana"}[language]
        return f"{word} {rng.randint(1, 52)}"
    return rng.choice(SITES[language])


def _customer(
    rng: random.Random, vendor: Vendor
) -> tuple[tuple[str, tuple[str, ...]], tuple[str, ...]]:
    customers = BUSINESS_CUSTOMERS[vendor.locale]
    if vendor.platform:
        customers = RESTAURANTS[vendor.locale]
    name, address = rng.choice(customers)
    _, other_address = rng.choice(customers)
    return (name, address), (name, *other_address)


def _terms(
    rng: random.Random, vendor: Vendor, document_type: str
) -> tuple[str | None, int, str]:
    language = LOCALES[vendor.locale].language
    terms, days = rng.choice(PAYMENT_TERMS[language])
    if document_type == "credit_note":
        # A credit note settles against an invoice: its own series, no terms.
        return None, 0, _CREDIT_NOTE_PATTERNS[language]
    return terms, days, vendor.number_pattern


def _purchase_order(rng: random.Random, vendor: Vendor, issued: date) -> str | None:
    if vendor.platform or rng.random() >= 0.6:
        return None

    language = LOCALES[vendor.locale].language
    if language == "pt":
        return f"PC {rng.randint(100, 9999)}/{issued.year}"
    if language == "es":
        return f"OC-{rng.randint(100000, 999999)}"
    return f"PO-{rng.randint(10000, 99999)}"


def _draw_pattern(rng: random.Random, pattern: str, issued: date) -> str:
    chars = []
    for char in pattern.replace("{Y}", str(issued.year)):
        if char == "#":
            chars.append(str(rng.randrange(10)))
        elif char == "A":
            chars.append(rng.choice(_LETTERS))
        else:
            chars.append(char)
    return "".join(chars)
