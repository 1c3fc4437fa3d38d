"""The Document AI adapter against a gRPC stand-in serving Invoice Parser responses."""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import grpc
import pytest
from google.cloud import documentai
from google.cloud.documentai_v1.services.document_processor_service.transports import (
    DocumentProcessorServiceGrpcTransport,
)
from PIL import Image, ImageDraw

from invoiceflow.errors import (
    LimitExceededError,
    PermanentError,
    TransientError,
    is_transient,
)
from invoiceflow.extract import PageImageExtractor, get_extractor, run_extractor
from invoiceflow.extract.documentai import (
    DocumentAiExtractor,
    multipage_tiff,
    processor_location,
)
from invoiceflow.extract.parsing import parse_date
from invoiceflow.models import Classification, ExtractedInvoice
from invoiceflow.settings import PipelineSettings
from tests.extract.builders import classification, document

RESPONSES = Path(__file__).parent / "responses"
PROCESSOR = "projects/invoiceflow-demo/locations/eu/processors/4f0c2a9b1d7e3c55"
SERVICE = "google.cloud.documentai.v1.DocumentProcessorService"

Reply = documentai.ProcessResponse | tuple[grpc.StatusCode, str] | None
"""A response, an error status with its message, or None for no answer at all."""


class ProcessorStandIn:
    """A Document AI endpoint on a local port: queued replies, recorded requests."""

    def __init__(self) -> None:
        self.replies: list[Reply] = []
        self.requests: list[documentai.ProcessRequest] = []
        self.client: documentai.DocumentProcessorServiceClient

    def reply_with(self, name: str) -> None:
        text = (RESPONSES / name).read_text(encoding="utf-8")
        self.replies.append(documentai.ProcessResponse.from_json(text))

    def fail_with(self, code: grpc.StatusCode, message: str) -> None:
        self.replies.append((code, message))

    def hang(self) -> None:
        self.replies.append(None)

    def process(
        self, request: documentai.ProcessRequest, context: grpc.ServicerContext
    ) -> documentai.ProcessResponse:
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, documentai.ProcessResponse):
            return reply
        if reply is None:
            while context.is_active():
                time.sleep(0.01)
            reply = (grpc.StatusCode.CANCELLED, "caller gave up")
        context.abort(*reply)
        raise AssertionError("abort returns only by raising")


@pytest.fixture
def processor() -> Iterator[ProcessorStandIn]:
    stand_in = ProcessorStandIn()
    handler = grpc.unary_unary_rpc_method_handler(
        stand_in.process,
        request_deserializer=documentai.ProcessRequest.deserialize,
        response_serializer=documentai.ProcessResponse.serialize,
    )
    server = grpc.server(ThreadPoolExecutor(max_workers=2))
    server.add_generic_rpc_handlers(
        (grpc.method_handlers_generic_handler(SERVICE, {"ProcessDocument": handler}),)
    )
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    channel = grpc.insecure_channel(f"127.0.0.1:{port}")
    transport = DocumentProcessorServiceGrpcTransport(channel=channel)
    stand_in.client = documentai.DocumentProcessorServiceClient(transport=transport)
    try:
        yield stand_in
    finally:
        channel.close()
        server.stop(grace=None)


def png_page(mode: str = "1", size: tuple[int, int] = (850, 1100)) -> bytes:
    """A small page with a ruled box on it, as the convert stage writes PNGs."""
    width, height = size
    image = Image.new(mode, size, "white")
    box = (width // 10, height // 20, width - width // 10, height // 6)
    ImageDraw.Draw(image).rectangle(box, outline="black")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def extract_with(
    processor: ProcessorStandIn,
    fixture: str,
    pages: list[bytes] | None = None,
    kind: Classification | None = None,
) -> ExtractedInvoice:
    processor.reply_with(fixture)
    extractor = DocumentAiExtractor(PROCESSOR, client=processor.client)
    return extractor.extract_pages(
        pages or [png_page(), png_page()], document(), kind or classification()
    )


def test_documentai_maps_entities_onto_the_invoice_model(
    processor: ProcessorStandIn,
) -> None:
    invoice = extract_with(processor, "documentai_invoice_en.json")

    assert invoice.extractor == "documentai"
    assert invoice.invoice_number == "INV-2024-0042"
    assert invoice.issuer_name == "Harbor Office Supply Co."
    assert invoice.issuer_address == "418 Mill Street, Portland, OR 97205"
    assert invoice.issuer_tax_id == "93-4417260"
    assert invoice.customer_name == "Lakeside Dental Group"
    assert invoice.due_date == date(2024, 4, 3)
    assert invoice.currency == "USD"
    assert invoice.subtotal == Decimal("1180.00")
    assert invoice.tax == Decimal("97.35")
    assert invoice.purchase_order == "PO-55120"
    assert invoice.payment_terms == "Net 30"


def test_documentai_prefers_normalized_values(processor: ProcessorStandIn) -> None:
    # The date is printed "03/04/2024"; without a locale that reads day first.
    assert parse_date("03/04/2024", None) == date(2024, 4, 3)
    undecided = classification(language="en", currency=None)

    invoice = extract_with(processor, "documentai_invoice_en.json", kind=undecided)

    assert invoice.invoice_date == date(2024, 3, 4)


def test_documentai_keeps_the_most_confident_of_repeated_entities(
    processor: ProcessorStandIn,
) -> None:
    invoice = extract_with(processor, "documentai_invoice_en.json")

    assert invoice.total == Decimal("1277.35")
    assert invoice.evidence["total"].confidence == 0.97
    assert invoice.evidence["total"].page_number == 2


def test_documentai_reads_line_items(processor: ProcessorStandIn) -> None:
    invoice = extract_with(processor, "documentai_invoice_en.json")

    rows = [
        (item.description, item.quantity, item.unit_price, item.amount)
        for item in invoice.line_items
    ]
    assert rows == [
        ("Copy paper, letter, 10 reams", 4, Decimal("45.00"), Decimal("180.00")),
        ("Toner cartridge TN-760", 5, Decimal("150.00"), Decimal("750.00")),
        ("Desk organiser, bamboo", 10, Decimal("25.00"), Decimal("250.00")),
    ]
    assert invoice.evidence["line_items"].confidence == 0.8


def test_documentai_evidence_has_the_page_and_a_pixel_box(
    processor: ProcessorStandIn,
) -> None:
    invoice = extract_with(processor, "documentai_invoice_en.json")

    evidence = invoice.evidence["invoice_number"]
    assert evidence.confidence == 0.97
    assert evidence.page_number == 1
    # Normalized vertices 0.64..0.80 x 0.081..0.097 of a 2550 x 3300 page.
    assert evidence.bbox == (1632, 267, 2040, 320)


def test_documentai_reads_printed_values_in_the_document_locale(
    processor: ProcessorStandIn,
) -> None:
    brazilian = classification(language="pt", currency="BRL")

    invoice = extract_with(processor, "documentai_invoice_pt.json", kind=brazilian)

    assert invoice.invoice_date == date(2024, 3, 5)
    assert invoice.total == Decimal("1234.50")
    assert invoice.tax == Decimal("184.50")
    item = invoice.line_items[0]
    assert item.description == "Caderno universitário"
    assert (item.quantity, item.unit_price) == (1000, Decimal("1.05"))


def test_documentai_takes_the_currency_from_the_classifier_when_not_a_code(
    processor: ProcessorStandIn,
) -> None:
    brazilian = classification(language="pt", currency="BRL")

    invoice = extract_with(processor, "documentai_invoice_pt.json", kind=brazilian)

    assert invoice.currency == "BRL"
    assert invoice.evidence["currency"].confidence == 0.95


def test_documentai_sends_one_page_as_png_to_the_processor(
    processor: ProcessorStandIn,
) -> None:
    page = png_page()

    extract_with(processor, "documentai_invoice_en.json", pages=[page])

    request = processor.requests[0]
    assert request.name == PROCESSOR
    assert request.raw_document.mime_type == "image/png"
    assert request.raw_document.content == page
    assert list(request.field_mask.paths) == [
        "entities",
        "pages.page_number",
        "pages.dimension",
    ]


def test_documentai_sends_several_pages_as_one_tiff(
    processor: ProcessorStandIn,
) -> None:
    pages = [png_page(), png_page(), png_page()]

    extract_with(processor, "documentai_invoice_en.json", pages=pages)

    request = processor.requests[0]
    assert request.raw_document.mime_type == "image/tiff"
    tiff = Image.open(io.BytesIO(request.raw_document.content))
    assert tiff.n_frames == 3
    assert tiff.size == (850, 1100)
    assert tiff.info["compression"] == "group4"


def test_multipage_tiff_keeps_each_page_mode_with_lossless_compression() -> None:
    pages = [png_page("1"), png_page("L"), png_page("RGB", (900, 1200))]

    tiff = Image.open(io.BytesIO(multipage_tiff(pages, "gs://b/scan.tif#1")))

    frames = []
    for index in range(tiff.n_frames):
        tiff.seek(index)
        frames.append((tiff.mode, tiff.size, tiff.info["compression"]))
    assert frames == [
        ("1", (850, 1100), "tiff_lzw"),
        ("L", (850, 1100), "tiff_lzw"),
        ("RGB", (900, 1200), "tiff_lzw"),
    ]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        (grpc.StatusCode.RESOURCE_EXHAUSTED, "Quota exceeded for quota metric"),
        (grpc.StatusCode.UNAVAILABLE, "The service is currently unavailable."),
        (grpc.StatusCode.INTERNAL, "Internal error encountered."),
        (grpc.StatusCode.DEADLINE_EXCEEDED, "Deadline exceeded."),
    ],
)
def test_documentai_quota_and_server_errors_are_transient(
    processor: ProcessorStandIn, code: grpc.StatusCode, message: str
) -> None:
    processor.fail_with(code, message)
    extractor = DocumentAiExtractor(PROCESSOR, client=processor.client)

    with pytest.raises(TransientError, match=message) as caught:
        extractor.extract_pages([png_page()], document(), classification())

    assert is_transient(caught.value)
    assert PROCESSOR in str(caught.value)
    assert len(processor.requests) == 1


def test_documentai_call_past_its_timeout_is_transient(
    processor: ProcessorStandIn,
) -> None:
    processor.hang()
    extractor = DocumentAiExtractor(
        PROCESSOR, client=processor.client, timeout_seconds=0.3
    )

    with pytest.raises(TransientError, match="Deadline"):
        extractor.extract_pages([png_page()], document(), classification())


def test_documentai_permission_denied_is_permanent_and_names_the_fix(
    processor: ProcessorStandIn,
) -> None:
    processor.fail_with(
        grpc.StatusCode.PERMISSION_DENIED,
        "Permission 'documentai.processors.processOnline' denied on resource.",
    )
    extractor = DocumentAiExtractor(PROCESSOR, client=processor.client)

    with pytest.raises(PermanentError, match="Document AI API User") as caught:
        extractor.extract_pages([png_page()], document(), classification())

    assert caught.value.kind == "extractor_config"
    assert not is_transient(caught.value)


def test_documentai_invalid_argument_is_permanent(processor: ProcessorStandIn) -> None:
    processor.fail_with(
        grpc.StatusCode.INVALID_ARGUMENT, "Request contains an invalid argument."
    )
    extractor = DocumentAiExtractor(PROCESSOR, client=processor.client)

    with pytest.raises(PermanentError, match="Invoice Parser") as caught:
        extractor.extract_pages([png_page()], document(), classification())

    assert caught.value.kind == "extractor_rejected"


def test_documentai_refuses_more_pages_than_one_online_request_takes(
    processor: ProcessorStandIn,
) -> None:
    extractor = DocumentAiExtractor(PROCESSOR, client=processor.client)
    pages = [png_page(size=(100, 100))] * 16

    with pytest.raises(LimitExceededError, match="16 pages"):
        extractor.extract_pages(pages, document(), classification())

    assert processor.requests == []


def test_documentai_extract_without_page_images_is_a_configuration_error() -> None:
    extractor = DocumentAiExtractor(PROCESSOR)

    with pytest.raises(PermanentError, match="extract_pages") as caught:
        extractor.extract(document(), classification())

    assert caught.value.kind == "extractor_config"


def test_documentai_without_google_credentials_is_a_configuration_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("GOOGLE_APPLICATION_CREDENTIALS", str(tmp_path / "none.json"))
    extractor = DocumentAiExtractor(PROCESSOR)

    with pytest.raises(PermanentError, match="credentials") as caught:
        extractor.extract_pages([png_page()], document(), classification())

    assert caught.value.kind == "extractor_config"


def test_documentai_without_a_processor_is_a_configuration_error() -> None:
    settings = PipelineSettings(extractor="documentai", documentai_processor=None)

    with pytest.raises(PermanentError, match="INVOICEFLOW_DOCUMENTAI_PROCESSOR"):
        get_extractor(settings.extractor, settings)


def test_documentai_rejects_a_processor_that_is_not_a_resource_name() -> None:
    with pytest.raises(PermanentError, match="projects/P/locations/L"):
        DocumentAiExtractor("invoice-parser")


def test_documentai_endpoint_region_comes_from_the_processor_name() -> None:
    version = f"{PROCESSOR}/processorVersions/pretrained-invoice-v2.0-2023-12-06"

    assert processor_location(PROCESSOR) == "eu"
    assert processor_location(version) == "eu"


def test_get_extractor_selects_documentai_by_name() -> None:
    settings = PipelineSettings(
        extractor="documentai",
        documentai_processor=PROCESSOR,
        cloud_timeout_seconds=45,
    )

    extractor = get_extractor(settings.extractor, settings)

    assert isinstance(extractor, DocumentAiExtractor)
    assert isinstance(extractor, PageImageExtractor)
    assert (extractor.processor, extractor.timeout_seconds) == (PROCESSOR, 45)


def test_run_extractor_loads_page_images_only_for_an_image_extractor(
    processor: ProcessorStandIn,
) -> None:
    loads: list[str] = []

    def load_pages() -> list[bytes]:
        loads.append("loaded")
        return [png_page()]

    processor.reply_with("documentai_invoice_en.json")
    cloud = DocumentAiExtractor(PROCESSOR, client=processor.client)

    run_extractor(get_extractor("local"), document(), classification(), load_pages)
    invoice = run_extractor(cloud, document(), classification(), load_pages)

    assert loads == ["loaded"]
    assert invoice.invoice_number == "INV-2024-0042"
