"""Locale rules for sample documents: money and date spelling, and printed labels."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class Locale:
    """How one country writes numbers, money and dates on paper."""

    key: str
    language: str
    currency: str
    symbol: str
    symbol_after: bool
    symbol_space: bool
    decimal_mark: str
    group_mark: str
    day_first: bool
    paper: str


LOCALES: dict[str, Locale] = {
    "en-US": Locale("en-US", "en", "USD", "$", False, False, ".", ",", False, "letter"),
    "pt-BR": Locale("pt-BR", "pt", "BRL", "R$", False, True, ",", ".", True, "a4"),
    "es-MX": Locale("es-MX", "es", "MXN", "$", False, False, ".", ",", True, "letter"),
    "es-CO": Locale("es-CO", "es", "COP", "$", False, True, ",", ".", True, "letter"),
    "es-ES": Locale("es-ES", "es", "EUR", "€", True, True, ",", ".", True, "a4"),
}

DATE_STYLES = ("numeric", "numeric", "iso", "long", "short_month")

_MONTHS = {
    "en": "January February March April May June July August September October "
    "November December",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro "
    "novembro dezembro",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre "
    "noviembre diciembre",
}


def format_number(value: Decimal, locale: Locale, places: int = 2) -> str:
    """Spell a number with the locale's grouping and decimal marks."""
    quantum = Decimal(1).scaleb(-places)
    plain = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):,.{places}f}"

    swap = str.maketrans({",": locale.group_mark, ".": locale.decimal_mark})
    return plain.translate(swap)


def format_quantity(value: Decimal, locale: Locale) -> str:
    """Spell a quantity with no decimals when it is whole, one or two otherwise."""
    if value == value.to_integral_value():
        return format_number(value, locale, 0)

    places = 1 if value * 10 == (value * 10).to_integral_value() else 2
    return format_number(value, locale, places)


def format_money(value: Decimal, locale: Locale, *, symbol: bool = True) -> str:
    """Spell an amount, with the currency symbol where the locale puts it."""
    number = format_number(value, locale)
    if not symbol:
        return number

    gap = " " if locale.symbol_space else ""
    if locale.symbol_after:
        return f"{number}{gap}{locale.symbol}"
    return f"{locale.symbol}{gap}{number}"


def format_rate(rate: Decimal, locale: Locale) -> str:
    """Spell a tax rate such as 0.0825 as 8.25% (or 8,25% where commas are decimal)."""
    percent = f"{(rate * 100).normalize():f}"
    places = len(percent.partition(".")[2])
    return f"{format_number(Decimal(percent), locale, places)}%"


def format_date(value: date, locale: Locale, style: str) -> str:
    """Spell a date in one of DATE_STYLES the way the locale would print it."""
    if style == "iso":
        return value.isoformat()

    month_names = _MONTHS[locale.language].split()
    month = month_names[value.month - 1]
    if style == "long" and locale.language == "en":
        return f"{month} {value.day}, {value.year}"
    if style == "long":
        return f"{value.day} de {month} de {value.year}"
    if style == "short_month":
        return f"{value.day} {month[:3].capitalize()} {value.year}"

    if locale.day_first:
        return f"{value.day:02d}/{value.month:02d}/{value.year}"
    return f"{value.month:02d}/{value.day:02d}/{value.year}"


# Several spellings per label, as different vendors print them; one is chosen
# per document so extraction rules meet the variety they will meet in the wild.
_LABELS: dict[str, dict[str, tuple[str, ...]]] = {
    "en": {
        "invoice": ("INVOICE", "Invoice", "TAX INVOICE"),
        "credit_note": ("CREDIT NOTE", "Credit Memo"),
        "receipt": ("RECEIPT", "Order Receipt"),
        "statement": ("STATEMENT", "Monthly Statement"),
        "invoice_number": ("Invoice No.", "Invoice #", "Invoice Number"),
        "credit_number": ("Credit Note No.", "Credit Memo #"),
        "order_number": ("Order #", "Order No."),
        "statement_number": ("Statement No.", "Statement #"),
        "date": ("Invoice Date", "Date", "Date of Issue"),
        "issue_date": ("Date", "Date of Issue"),
        "due_date": ("Due Date", "Payment Due", "Due"),
        "po": ("PO Number", "P.O. #", "Purchase Order"),
        "terms": ("Terms", "Payment Terms"),
        "bill_to": ("Bill To", "Billed To", "Sold To"),
        "ship_to": ("Ship To", "Deliver To"),
        "customer": ("Customer", "Client"),
        "code": ("Item", "SKU", "Code"),
        "description": ("Description", "Item Description"),
        "quantity": ("Qty", "Quantity"),
        "unit_price": ("Unit Price", "Rate", "Price"),
        "amount": ("Amount", "Line Total", "Total"),
        "subtotal": ("Subtotal", "Sub-total"),
        "tax": ("Sales Tax", "Tax"),
        "total": ("Total", "Total Due", "Amount Due"),
        "credit_total": ("Total Credit", "Credit Total"),
        "page": ("Page {n} of {of}",),
        "continued": ("continued",),
        "thanks": ("Thank you for your business!", "We appreciate your business."),
        "remit": ("Please remit payment to", "Make payments to"),
        "ordered_by": ("Order for", "Customer"),
    },
    "pt": {
        "invoice": ("NOTA FISCAL", "FATURA", "Nota Fiscal de Serviços"),
        "credit_note": ("NOTA DE CRÉDITO",),
        "receipt": ("RECIBO", "Comprovante do Pedido"),
        "statement": ("EXTRATO", "Extrato Mensal"),
        "invoice_number": ("Nota Fiscal Nº", "Fatura Nº", "Número"),
        "credit_number": ("Nota de Crédito Nº",),
        "order_number": ("Pedido Nº", "Pedido #"),
        "statement_number": ("Extrato Nº",),
        "date": ("Data de Emissão", "Emissão", "Data"),
        "issue_date": ("Data de Emissão", "Emissão"),
        "due_date": ("Vencimento", "Data de Vencimento"),
        "po": ("Pedido de Compra", "Ordem de Compra"),
        "terms": ("Condições de Pagamento", "Pagamento"),
        "bill_to": ("Faturar para", "Destinatário", "Tomador"),
        "ship_to": ("Entregar em", "Local de Entrega"),
        "customer": ("Cliente", "Destinatário"),
        "code": ("Código", "Cód."),
        "description": ("Descrição", "Descrição do Produto/Serviço"),
        "quantity": ("Qtd.", "Quant."),
        "unit_price": ("Valor Unit.", "Preço Unit."),
        "amount": ("Valor Total", "Valor"),
        "subtotal": ("Subtotal", "Valor dos Produtos"),
        "tax": ("Impostos", "ISS", "ICMS"),
        "total": ("Total", "Valor Total da Nota", "Total a Pagar"),
        "credit_total": ("Total do Crédito", "Valor do Crédito"),
        "page": ("Página {n} de {of}", "Folha {n}/{of}"),
        "continued": ("continuação",),
        "thanks": ("Obrigado pela preferência!", "Agradecemos a confiança."),
        "remit": ("Dados para pagamento", "Pagamento via"),
        "ordered_by": ("Pedido de", "Cliente"),
    },
    "es": {
        "invoice": ("FACTURA", "Factura", "FACTURA ELECTRÓNICA"),
        "credit_note": ("NOTA DE CRÉDITO", "Factura Rectificativa"),
        "receipt": ("RECIBO", "Comprobante de Pedido"),
        "statement": ("ESTADO DE CUENTA", "Estado de Cuenta Mensual"),
        "invoice_number": ("Factura N.º", "Folio", "No. de Factura"),
        "credit_number": ("Nota de Crédito N.º", "Folio"),
        "order_number": ("Pedido #", "Pedido N.º"),
        "statement_number": ("Estado de Cuenta N.º", "Folio"),
        "date": ("Fecha de Emisión", "Fecha", "Fecha de Factura"),
        "issue_date": ("Fecha de Emisión", "Fecha"),
        "due_date": ("Fecha de Vencimiento", "Vencimiento"),
        "po": ("Orden de Compra", "O.C."),
        "terms": ("Condiciones de Pago", "Forma de Pago"),
        "bill_to": ("Facturar a", "Cliente", "Receptor"),
        "ship_to": ("Enviar a", "Lugar de Entrega"),
        "customer": ("Cliente", "Receptor"),
        "code": ("Clave", "Código", "Ref."),
        "description": ("Descripción", "Concepto"),
        "quantity": ("Cant.", "Cantidad"),
        "unit_price": ("Precio Unit.", "Valor Unitario"),
        "amount": ("Importe", "Total"),
        "subtotal": ("Subtotal", "Base Imponible"),
        "tax": ("IVA", "Impuestos"),
        "total": ("Total", "Total a Pagar", "Importe Total"),
        "credit_total": ("Total a Favor", "Importe del Crédito"),
        "page": ("Página {n} de {of}", "Hoja {n} de {of}"),
        "continued": ("continúa",),
        "thanks": ("¡Gracias por su preferencia!", "Gracias por su compra."),
        "remit": ("Datos bancarios", "Pago por transferencia a"),
        "ordered_by": ("Pedido de", "Cliente"),
    },
}


def pick_labels(language: str, rng: random.Random) -> dict[str, str]:
    """Choose one spelling of every label for one document."""
    return {key: rng.choice(spellings) for key, spellings in _LABELS[language].items()}
