"""Field labels in English, Portuguese and Spanish, as patterns over normalised text.

Text is matched after `parsing.normalize`: lower case, no accents, "nº" as
"no". Each field lists its patterns strongest first; a rule prefers a value
found next to an earlier pattern.
"""

from __future__ import annotations

import re

__all__ = [
    "AMOUNT_ROW_WORDS",
    "CONTACT",
    "TAX_ID_VALUE",
    "starts_with_label",
    "CUSTOMER",
    "DATE_DUE",
    "DATE_INVOICE",
    "DATE_OTHER",
    "INVOICE_NUMBER",
    "ISSUER",
    "NOT_A_TAX_AMOUNT",
    "PAYMENT_TERMS",
    "PURCHASE_ORDER",
    "SUBTOTAL",
    "TAX",
    "TAX_ID",
    "TITLE_WORDS",
    "TOTAL",
]

Patterns = list[tuple[str, re.Pattern[str]]]


def _compile(named: list[tuple[str, str]]) -> Patterns:
    return [(name, re.compile(pattern)) for name, pattern in named]


_NUMBER_WORD = r"(?:numero|number|num|nro|nr|n\.o|no|n|#)\.?"
_DOCUMENT = (
    r"(?:tax\s+invoice|invoice|inv|bill|estado\s+de\s+cuenta|extrato|"
    r"cuenta\s+de\s+cobro|nota\s+de\s+venta|factura(?:\s+electronica)?|fatura|"
    r"nota\s+fiscal(?:\s+eletronica)?(?:\s+de\s+servicos?)?(?:\s+eletronica)?|"
    r"nota|nfs-?e|nfc-?e|nf-?e|nf|recibo|receipt|boleta|comprobante|"
    r"credit\s+note|nota\s+de\s+credito|statement|cupom(?:\s+fiscal)?|ticket|"
    r"documento|document|doc)"
)

INVOICE_NUMBER = _compile(
    [
        ("document_number", rf"\b{_DOCUMENT}\s*{_NUMBER_WORD}\s*[:#]?"),
        (
            "number_of_document",
            rf"(?:^|\s){_NUMBER_WORD}\s*(?:de|da|do|del)?\s*(?:la\s+)?{_DOCUMENT}\b",
        ),
        ("folio", r"\bfolio\b(?!\s*fiscal)\s*(?:no\.?|#)?\s*:?"),
        ("document", rf"\b{_DOCUMENT}\b\s*[:#]?"),
        ("serie_number", r"(?:^|\s)(?:no|n|numero|#)\.?\s*:"),
        # Only where the word fills its segment: a header cell over the value.
        ("number_alone", r"(?:^|\s)(?:numero|number|n\.o|no\.?|nro\.?|#)(?=\s|$)"),
        (
            "order",
            r"\b(?<!purchase\s)(?:order|pedido|orden)\b(?!\s+de\s+compra)"
            rf"\s*(?:{_NUMBER_WORD}|id)?\s*[:#]?",
        ),
        ("reference", r"\b(?:reference|referencia|ref)\b\.?\s*(?:no\.?|#)?\s*:?"),
    ]
)

DATE_DUE = _compile(
    [
        (
            "due",
            r"\b(?:due|vencimiento|vencimento|vence|venc|pay\s+by|payment\s+due|"
            r"pagar\s+(?:antes|hasta)|fecha\s+limite|data\s+limite|"
            r"pague\s+ate|pagavel\s+ate)\b",
        ),
    ]
)
DATE_INVOICE = _compile(
    [
        (
            "invoice_date",
            r"\b(?:invoice|issue|billing|document|factura|fatura|receipt|nota)\s+"
            r"(?:date|fecha|data)\b|\b(?:emision|emissao|expedicion|issued|"
            r"emitido|emitida)\b|\b(?:date|fecha|data)\s+(?:of\s+)?(?:de\s+|da\s+|"
            r"del\s+)?(?:issue|invoice|emision|emissao|expedicion|factura|"
            r"la\s+factura|fatura|la\s+nota)\b",
        ),
        ("date", r"\b(?:date|dated|fecha|data|dia)\b"),
    ]
)
DATE_OTHER = re.compile(
    r"\b(?:ship|shipped|shipping|delivery|delivered|entrega|envio|service|servicio|"
    r"period|periodo|from|to|start|end|desde|hasta|print|printed|impresion|"
    r"impressao|order|ordered|pedido|vigencia|competencia|nacimiento|birth|"
    r"expiry|expira|validade|valid|autorizacao|autorizacion|certificacion|"
    r"timbrado|sello)\b"
)

_TOTAL_QUALIFIER = (
    r"(?:due|a\s+pagar|amount|general|geral|da\s+nota|de\s+la\s+factura|factura|"
    r"invoice|to\s+pay|payable|pagado|pago|cobrado|final|charged|paid|"
    r"\(?(?:usd|eur|brl|mxn|cop|ars|clp|pen|gbp|cad|aud)\)?)"
)
TOTAL = _compile(
    [
        (
            "total_due",
            r"\b(?:grand\s+total|total\s+general|total\s+geral|amount\s+due|"
            r"balance\s+due|amount\s+payable|total\s+due|total\s*a\s+pagar|"
            r"valor\s+a\s+pagar|importe\s+a\s+pagar|neto\s+a\s+pagar|"
            r"total\s+da\s+nota|valor\s+total\s+da\s+nota|invoice\s+total|"
            r"total\s+amount\s+due|please\s+pay|you\s+paid|voce\s+pagou|"
            r"pagaste|total\s+pagado|total\s+cobrado|total\s+charged|total\s+paid|"
            r"valor\s+cobrado|amount\s+paid|valor\s+do\s+credito|"
            r"total\s+(?:do\s+|del\s+)?credito|credit\s+(?:total|amount)|"
            r"importe\s+(?:del\s+abono|a\s+abonar))\b",
        ),
        (
            "total_named",
            rf"\b(?:total\s+{_TOTAL_QUALIFIER}|valor\s+total|importe\s+total|"
            r"monto\s+total|total\s+amount|total\s+factura|valor\s+liquido)\b",
        ),
        ("total", r"(?<!sub)(?<!sub\s)(?<!sub-)\btotal\b"),
    ]
)
NOT_A_TOTAL = re.compile(
    r"\b(?:sub\s*-?\s*total|total\s+(?:tax|taxes|vat|iva|impuestos?|impostos?|"
    r"qty|quantity|items?|itens|de\s+itens|articulos|unidades|units|pieces|"
    r"descuentos?|discounts?|descontos?|weight|peso|hours|horas|net|neto|"
    r"sin\s+iva|excl\w*|before|antes|dos\s+produtos|dos\s+servicos|"
    r"de\s+productos|savings|ahorro)|(?:tax|iva|vat)\s+total|"
    r"total\s+\d+\s+(?:items?|itens|articulos))\b"
)
SUBTOTAL = _compile(
    [
        ("subtotal", r"\bsub\s*-?\s*total\b"),
        (
            "net",
            r"\b(?:net\s+(?:amount|total)|total\s+(?:net|neto|before\s+tax|"
            r"excl\w*\.?\s*(?:tax|vat|iva)|sin\s+iva)|base\s+imponible|"
            r"importe\s+neto|valor\s+(?:dos\s+(?:produtos|servicos|itens)|bruto)|"
            r"total\s+(?:dos\s+|de\s+)?(?:produtos|productos|servicos|itens))\b",
        ),
    ]
)
TAX = _compile(
    [
        (
            "tax_total",
            r"\b(?:total\s+(?:tax|taxes|vat|iva|impuestos?|impostos?|tributos)|"
            r"tax\s+(?:amount|total)|sales\s+tax|valor\s+do\s+(?:iss|icms|imposto)|"
            r"impuestos?\s+trasladados)\b",
        ),
        (
            "tax",
            r"\b(?:tax|taxes|vat|iva|i\.v\.a\.?|igv|gst|hst|pst|qst|impuestos?|"
            r"impostos?|icms|iss|issqn|tributos)\b",
        ),
    ]
)
NOT_A_TAX_AMOUNT = re.compile(
    r"\b(?:tax|vat|iva|gst)\s*(?:id|no\.?|number|reg\w*|#|invoice|exempt|"
    r"incl\w*|included|incluido|incluso|code|ident\w*)\b|\btax\s+invoice\b|"
    r"(?:before|excl\w*|sin|without|sem)\s+(?:tax|vat|iva|impuestos?|impostos?)"
)

TAX_ID = _compile(
    [
        (
            "tax_id",
            r"\b(?:tax\s*(?:id|no\.?|number|reg\w*)|vat\s*(?:id|no\.?|number|reg\w*)"
            r"|ein|tin|gst\s*(?:no\.?|number|reg\w*)|abn|cnpj|cpf|rfc|nit|cuit|rut|"
            r"ruc|nif|cif|ssn|id\s+fiscal|identificacion\s+fiscal|"
            r"registro\s+federal|inscricao\s+(?:estadual|municipal))\b\s*[:#.]?",
        ),
    ]
)

CUSTOMER = _compile(
    [
        (
            "bill_to",
            r"\b(?:bill(?:ed)?\s+to|invoice\s+to|sold\s+to|customer|client|cliente|"
            r"facturar\s+a|facturado\s+a|faturar\s+para|faturado\s+para|"
            r"cobrar\s+de|tomador(?:\s+de\s+servicos?)?|destinatario|sacado|"
            r"adquirente|adquiriente|razon\s+social\s+del?\s+cliente|receptor|"
            r"comprador|buyer|purchaser|attention|attn|prepared\s+for|"
            r"order\s+for|senor(?:es)?)\b\s*:?|"
            r"\b(?:to|para|pedido\s+(?:de|para))\s*:",
        ),
        (
            "ship_to",
            r"\b(?:ship(?:ped)?\s+to|deliver(?:ed)?\s+to|delivery\s+address|"
            r"entregar\s+(?:a|em)|enviar\s+a|(?:local|lugar)\s+de\s+entrega|"
            r"endereco\s+de\s+entrega|direccion\s+de\s+(?:envio|entrega)|"
            r"entregado\s+a)\b",
        ),
    ]
)
ISSUER = _compile(
    [
        (
            "issuer",
            r"\b(?:from|seller|vendor|supplier|issued\s+by|sold\s+by|bill\s+from|"
            r"emitente|emisor|prestador(?:\s+de\s+servicos?)?|proveedor|vendedor|"
            r"merchant|restaurant|restaurante|store|tienda|loja|comercio|"
            r"razao\s+social|razon\s+social|empresa|company)\b\s*:?",
        ),
    ]
)

PURCHASE_ORDER = _compile(
    [
        (
            "po",
            r"\b(?:purchase\s+order|p\.?\s?o\.?|orden\s+de\s+compra|"
            r"pedido\s+de\s+compra|ordem\s+de\s+compra|o\.?c\.?|customer\s+po|"
            r"your\s+order|su\s+pedido|seu\s+pedido)(?=[\s:#.]|$)"
            r"\s*(?:no\.?|number|#|n)?\s*[:#]?",
        ),
    ]
)
PAYMENT_TERMS = _compile(
    [
        (
            "terms",
            r"\b(?:payment\s+terms|terms(?:\s+of\s+payment)?|condiciones\s+de\s+pago|"
            r"condicion\s+de\s+pago|condicoes\s+de\s+pagamento|"
            r"condicao\s+de\s+pagamento|plazo\s+de\s+pago|prazo\s+de\s+pagamento|"
            r"credit\s+terms)\b\s*:?",
        ),
    ]
)
TERMS_VALUE = re.compile(
    r"\b(?:net\s*\d{1,3}|n\s*\d{2}|due\s+on\s+receipt|upon\s+receipt|"
    r"\d{1,3}\s*(?:days?|dias)(?:\s+\w+)?|contado|de\s+contado|a\s+vista|"
    r"cod|cash\s+on\s+delivery|prepaid|pago\s+anticipado)\b"
)

# Tax identifiers by their shape: CNPJ, CPF, RFC, EIN or CUIT, NIT, RUT, EU VAT.
TAX_ID_VALUE = re.compile(
    r"\b(?:\d{2}\.?\d{3}\.?\d{3}/?\d{4}-?\d{2}"  # CNPJ
    r"|\d{3}\.\d{3}\.\d{3}-\d{2}"  # CPF
    r"|[a-z&]{3,4}-?\d{6}-?[a-z0-9]{3}"  # RFC
    r"|\d{2}-\d{7,8}-?\d?"  # EIN, CUIT
    r"|\d{3}\.?\d{3}\.?\d{3}-\d"  # NIT
    r"|\d{1,2}\.\d{3}\.\d{3}-[\dk]"  # RUT
    r"|(?:gb|de|fr|es|pt|it|nl|be|ie|at)(?=[a-z]?\d{7})[a-z0-9]{8,12})\b"
)

# Phone numbers, e-mail and web addresses: contact lines, never names.
CONTACT = re.compile(
    r"@|www\.|https?:|\.com\b|\b(?:tel|phone|fone|telefono|telefone|fax|cel|"
    r"email|e-mail|web|site)\b|\(\d{2,3}\)\s*\d|\+\d{1,3}[\s\d\-]{6,}"
)

# Words that title a document; never an issuer or customer name.
TITLE_WORDS = re.compile(
    r"^(?:tax\s+|monthly\s+|mensual\s+)?(?:invoice|factura|fatura|receipt|recibo|nota\s+fiscal|"
    r"credit\s+note|nota\s+de\s+credito|statement|estado\s+de\s+cuenta|"
    r"extrato|boleta|comprobante|cupom\s+fiscal|order\s+receipt|bill|"
    r"proforma|quote|cotizacion|orcamento|danfe|nfs-?e|nf-?e)\b"
    r"(?:\s+(?:de\s+|of\s+)?(?:servicos?|servicios?|services?|eletronica|"
    r"electronica|mensual|mensal|monthly|simplificada|comercial|venta|"
    r"consumidor|fiscal|credito|account|cuenta|conta|pedido|compra)\b)*"
)

# Rows of the totals block or of payment details, not line items.
AMOUNT_ROW_WORDS = re.compile(
    r"\b(?:sub\s*-?\s*total|total|tax|taxes|vat|iva|igv|gst|hst|impuestos?|"
    r"impostos?|icms|iss|discount|descuento|desconto|tip|propina|gorjeta|"
    r"delivery\s+fee|service\s+fee|fee|tarifa|taxa|cargo|envio|frete|shipping|"
    r"balance|amount\s+due|paid|pagado|pago|change|cambio|troco|cash|efectivo|"
    r"dinheiro|card|tarjeta|cartao|credit|debit|visa|mastercard|amex|"
    r"rounding|redondeo|arredondamento|saldo)\b"
)

_PAYMENT_METHOD = re.compile(
    r"\b(?:forma\s+de\s+pago|forma\s+de\s+pagamento|metodo\s+de\s+pago|"
    r"payment\s+method|medio\s+de\s+pago|pagamento|pago)\b"
)


def starts_with_label(text: str) -> bool:
    """Whether normalised `text` opens with a field label of any kind."""
    every = (
        *INVOICE_NUMBER,
        *DATE_DUE,
        *DATE_INVOICE,
        *TOTAL,
        *SUBTOTAL,
        *TAX,
        *TAX_ID,
        *CUSTOMER,
        *ISSUER,
        *PURCHASE_ORDER,
        *PAYMENT_TERMS,
        ("method", _PAYMENT_METHOD),
    )
    return any(pattern.match(text) for _, pattern in every)
