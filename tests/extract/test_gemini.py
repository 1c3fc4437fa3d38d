"""The Gemini adapter through the real google-genai client over a stand-in transport."""

from __future__ import annotations

import base64
import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import pytest
from google import genai
from google.genai import types
from google.oauth2.credentials import Credentials
from PIL import Image

from invoiceflow.errors import (
    LimitExceededError,
    PermanentError,
    TransientError,
    is_transient,
)
from invoiceflow.extract import PageImageExtractor, get_extractor
from invoiceflow.extract.gemini import (
    GEMINI_CONFIDENCE,
    GeminiExtractor,
    GeminiInvoice,
    invoice_from_answer,
    prompt_for,
)
from invoiceflow.models import ExtractedInvoice
from invoiceflow.settings import PipelineSettings
from tests.extract.builders import classification, document

RESPONSES = Path(__file__).parent / "responses"
PROJECT = "invoiceflow-demo"
LOCATION = "europe-west4"
MODEL = "gemini-2.5-flash"


class VertexStandIn:
    """Vertex AI's REST endpoint in memory: queued replies, recorded requests."""

    def __init__(self) -> None:
        self.replies: list[httpx.Response | Exception] = []
        self.requests: list[httpx.Request] = []
        transport = httpx.MockTransport(self._handle)
        self.client = genai.Client(
            vertexai=True,
            project=PROJECT,
            location=LOCATION,
            credentials=Credentials(token="stand-in"),
            http_options=types.HttpOptions(
                httpx_client=httpx.Client(transport=transport)
            ),
        )

    def reply_with(self, name: str, status_code: int = 200) -> None:
        body = json.loads((RESPONSES / name).read_text(encoding="utf-8"))
        self.replies.append(httpx.Response(status_code, json=body))

    def fail_with(self, exc: Exception) -> None:
        self.replies.append(exc)

    def body(self) -> dict[str, Any]:
        payload: dict[str, Any] = json.loads(self.requests[-1].content)
        return payload

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


@pytest.fixture
def vertex() -> VertexStandIn:
    return VertexStandIn()


def png_page(size: tuple[int, int] = (600, 800)) -> bytes:
    buffer = io.BytesIO()
    Image.new("L", size, "white").save(buffer, format="PNG")
    return buffer.getvalue()


def scan_like_page(size: tuple[int, int] = (600, 800)) -> bytes:
    """A colour page with sensor noise: large as PNG, small as JPEG."""
    noise = Image.effect_noise(size, 24)
    page = Image.merge("RGB", (noise, noise, noise))
    buffer = io.BytesIO()
    page.save(buffer, format="PNG")
    return buffer.getvalue()


def extractor_for(vertex: VertexStandIn, **options: Any) -> GeminiExtractor:
    return GeminiExtractor(PROJECT, LOCATION, MODEL, client=vertex.client, **options)


def extract_with(vertex: VertexStandIn, fixture: str) -> ExtractedInvoice:
    vertex.reply_with(fixture)
    spanish = classification(language="es", currency="EUR")
    return extractor_for(vertex).extract_pages([png_page()], document(), spanish)


def test_gemini_parses_structured_output(vertex: VertexStandIn) -> None:
    invoice = extract_with(vertex, "gemini_invoice.json")

    assert invoice.extractor == "gemini"
    assert invoice.invoice_number == "F-2024-00318"
    assert invoice.issuer_name == "Suministros Levante S.L."
    assert invoice.issuer_address == "Calle de Colón 12, 46004 Valencia"
    assert invoice.issuer_tax_id == "B98765432"
    assert invoice.customer_name == "Clínica Dental Turia"
    assert (invoice.invoice_date, invoice.due_date) == (
        date(2024, 2, 12),
        date(2024, 3, 13),
    )
    assert invoice.currency == "EUR"
    assert (invoice.subtotal, invoice.tax, invoice.total) == (
        Decimal("1010.00"),
        Decimal("212.10"),
        Decimal("1222.10"),
    )
    assert invoice.purchase_order is None
    assert invoice.payment_terms == "30 días"


def test_gemini_reads_line_items(vertex: VertexStandIn) -> None:
    invoice = extract_with(vertex, "gemini_invoice.json")

    rows = [
        (item.description, item.quantity, item.unit_price, item.amount)
        for item in invoice.line_items
    ]
    assert rows == [
        ("Guantes de nitrilo, caja 100", 20, Decimal("8.50"), Decimal("170.00")),
        ("Mascarillas FFP2, caja 50", 12, Decimal("20.00"), Decimal("240.00")),
        ("Autoclave, revisión anual", 1, Decimal("600.00"), Decimal("600.00")),
    ]


def test_gemini_fields_carry_the_fixed_confidence_and_no_box(
    vertex: VertexStandIn,
) -> None:
    invoice = extract_with(vertex, "gemini_invoice.json")

    assert "purchase_order" not in invoice.evidence
    assert {e.confidence for e in invoice.evidence.values()} == {GEMINI_CONFIDENCE}
    assert all(e.bbox is None for e in invoice.evidence.values())
    assert all(e.page_number is None for e in invoice.evidence.values())


def test_gemini_request_carries_pages_schema_and_zero_temperature(
    vertex: VertexStandIn,
) -> None:
    pages = [png_page(), png_page((500, 700))]
    vertex.reply_with("gemini_invoice.json")

    extractor_for(vertex).extract_pages(pages, document(), classification())

    url = str(vertex.requests[0].url)
    assert f"/projects/{PROJECT}/locations/{LOCATION}/" in url
    assert url.endswith(f"/publishers/google/models/{MODEL}:generateContent")
    body = vertex.body()
    config = body["generationConfig"]
    assert config["temperature"] == 0
    assert config["responseMimeType"] == "application/json"
    assert set(config["responseSchema"]["properties"]) == set(
        GeminiInvoice.model_fields
    )
    parts = body["contents"][0]["parts"]
    images = [part["inlineData"] for part in parts[:2]]
    assert [image["mime_type"] for image in images] == ["image/png", "image/png"]
    assert [base64.urlsafe_b64decode(image["data"]) for image in images] == pages
    assert "month before day" in parts[2]["text"]


def test_gemini_invalid_json_is_permanent(vertex: VertexStandIn) -> None:
    with pytest.raises(PermanentError, match="MAX_TOKENS") as caught:
        extract_with(vertex, "gemini_truncated.json")

    assert caught.value.kind == "extractor_response"
    assert not is_transient(caught.value)


def test_gemini_blocked_prompt_is_permanent_and_says_why(
    vertex: VertexStandIn,
) -> None:
    with pytest.raises(PermanentError, match="PROHIBITED_CONTENT") as caught:
        extract_with(vertex, "gemini_blocked.json")

    assert caught.value.kind == "extractor_response"


def test_gemini_quota_error_is_transient(vertex: VertexStandIn) -> None:
    vertex.reply_with("gemini_error_429.json", status_code=429)

    with pytest.raises(TransientError, match="Resource exhausted") as caught:
        extractor_for(vertex).extract_pages([png_page()], document(), classification())

    assert is_transient(caught.value)
    assert len(vertex.requests) == 1


def test_gemini_server_error_is_transient(vertex: VertexStandIn) -> None:
    unavailable = {"error": {"code": 503, "message": "Service unavailable."}}
    vertex.replies.append(httpx.Response(503, json=unavailable))

    with pytest.raises(TransientError, match="503"):
        extractor_for(vertex).extract_pages([png_page()], document(), classification())


def test_gemini_unreachable_endpoint_is_transient(vertex: VertexStandIn) -> None:
    vertex.fail_with(httpx.ConnectError("Name or service not known"))

    with pytest.raises(TransientError, match="unreachable"):
        extractor_for(vertex).extract_pages([png_page()], document(), classification())


def test_gemini_permission_denied_is_permanent_and_names_the_fix(
    vertex: VertexStandIn,
) -> None:
    vertex.reply_with("gemini_error_403.json", status_code=403)

    with pytest.raises(PermanentError, match="Vertex AI User") as caught:
        extractor_for(vertex).extract_pages([png_page()], document(), classification())

    assert caught.value.kind == "extractor_config"
    assert PROJECT in str(caught.value)


def test_gemini_sends_a_page_over_the_inline_limit_as_jpeg(
    vertex: VertexStandIn,
) -> None:
    page = scan_like_page()
    vertex.reply_with("gemini_invoice.json")
    extractor = extractor_for(vertex, max_image_bytes=len(page) - 1)

    extractor.extract_pages([page], document(), classification())

    sent = vertex.body()["contents"][0]["parts"][0]["inlineData"]
    jpeg = base64.urlsafe_b64decode(sent["data"])
    assert sent["mime_type"] == "image/jpeg"
    assert len(jpeg) < len(page)
    assert Image.open(io.BytesIO(jpeg)).size == (600, 800)


def test_gemini_refuses_a_page_too_large_even_as_jpeg(vertex: VertexStandIn) -> None:
    extractor = extractor_for(vertex, max_image_bytes=1_000)

    with pytest.raises(LimitExceededError, match="page 1"):
        extractor.extract_pages([scan_like_page()], document(), classification())

    assert vertex.requests == []


def test_gemini_reads_printed_amounts_and_dates_in_the_document_locale() -> None:
    answer = GeminiInvoice(total="1.234,50", invoice_date="05/03/2024")
    brazilian = classification(language="pt", currency="BRL")

    invoice = invoice_from_answer(answer, brazilian)

    assert invoice.total == Decimal("1234.50")
    assert invoice.invoice_date == date(2024, 3, 5)


def test_gemini_takes_the_currency_from_the_classifier_when_it_reads_none() -> None:
    answer = GeminiInvoice(currency="null", total="10.00")

    invoice = invoice_from_answer(answer, classification(currency="GBP"))

    assert invoice.currency == "GBP"
    assert invoice.evidence["currency"].confidence == 0.95


def test_gemini_prompt_states_the_likely_date_order() -> None:
    assert "day before month" in prompt_for(classification("pt", "BRL"))
    assert "month before day" in prompt_for(classification("en", "USD"))


def test_gemini_extract_without_page_images_is_a_configuration_error() -> None:
    extractor = GeminiExtractor(PROJECT, LOCATION, MODEL)

    with pytest.raises(PermanentError, match="extract_pages") as caught:
        extractor.extract(document(), classification())

    assert caught.value.kind == "extractor_config"


def test_gemini_without_google_credentials_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "none.json"))
    extractor = GeminiExtractor(PROJECT, LOCATION, MODEL)

    with pytest.raises(PermanentError, match="credentials") as caught:
        extractor.extract_pages([png_page()], document(), classification())

    assert caught.value.kind == "extractor_config"


def test_get_extractor_selects_gemini_by_name() -> None:
    settings = PipelineSettings(
        extractor="gemini",
        project_id=PROJECT,
        gemini_location=LOCATION,
        gemini_model="gemini-2.5-pro",
    )

    extractor = get_extractor(settings.extractor, settings)

    assert isinstance(extractor, GeminiExtractor)
    assert isinstance(extractor, PageImageExtractor)
    assert (extractor.project, extractor.location, extractor.model) == (
        PROJECT,
        LOCATION,
        "gemini-2.5-pro",
    )


def test_importing_the_extract_package_loads_no_cloud_sdk() -> None:
    probe = (
        "import sys, invoiceflow.extract; "
        "print(sorted(m for m in sys.modules "
        "if m.startswith(('google.genai', 'google.cloud.documentai'))))"
    )

    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )

    assert result.stdout.strip() == "[]"
