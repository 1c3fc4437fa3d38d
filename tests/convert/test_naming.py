"""How page objects are named in the processed bucket."""

from __future__ import annotations

import unicodedata

import pytest

from invoiceflow.convert import page_object_name
from invoiceflow.models import UploadRef


def _name(name: str, generation: str = "1712", page_number: int = 1) -> str:
    upload = UploadRef(bucket="invoices-input", name=name, generation=generation)
    return page_object_name(upload, page_number)


def test_page_object_name_keeps_folders_and_drops_only_the_extension() -> None:
    name = "inbox/ACME Inv #7?.TIF"

    object_name = _name(name)

    assert object_name == "inbox/ACME Inv #7?/1712/page-0001.png"


@pytest.mark.parametrize("extension", [".tif", ".tiff", ".TIF", ".TiFf", ".fax"])
def test_page_object_name_drops_the_final_extension_in_any_case(
    extension: str,
) -> None:
    name = f"scans/invoice{extension}"

    object_name = _name(name)

    assert object_name == "scans/invoice/1712/page-0001.png"


def test_page_object_name_keeps_a_name_without_extension() -> None:
    name = "scans/invoice"

    object_name = _name(name)

    assert object_name == "scans/invoice/1712/page-0001.png"


def test_page_object_name_keeps_inner_dots_of_the_stem() -> None:
    name = "scans/acme.2024.03.tif"

    object_name = _name(name)

    assert object_name == "scans/acme.2024.03/1712/page-0001.png"


def test_page_object_name_treats_a_leading_dot_as_part_of_the_name() -> None:
    name = "scans/.tif"

    object_name = _name(name)

    assert object_name == "scans/.tif/1712/page-0001.png"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a/../../etc/passwd.tif", "a/__/__/etc/passwd/1712/page-0001.png"),
        ("./scan.tif", "_/scan/1712/page-0001.png"),
        ("inbox/..tif", "inbox/_/1712/page-0001.png"),
        ("inbox/....", "inbox/____/1712/page-0001.png"),
    ],
)
def test_page_object_name_neutralises_segments_made_of_dots(
    name: str, expected: str
) -> None:
    object_name = _name(name)

    assert object_name == expected
    assert ".." not in object_name.split("/")


def test_page_object_name_drops_empty_segments() -> None:
    name = "/inbox//2024///scan.tif"

    object_name = _name(name)

    assert object_name == "inbox/2024/scan/1712/page-0001.png"


def test_page_object_name_never_yields_an_empty_folder() -> None:
    name = "/"

    object_name = _name(name)

    assert object_name == "_/1712/page-0001.png"


def test_page_object_name_keeps_unicode_as_given() -> None:
    composed = unicodedata.normalize("NFC", "faturas/São Paulo Ação.tif")
    decomposed = unicodedata.normalize("NFD", composed)

    names = {_name(composed), _name(decomposed)}

    assert names == {
        unicodedata.normalize("NFC", "faturas/São Paulo Ação/1712/page-0001.png"),
        unicodedata.normalize("NFD", "faturas/São Paulo Ação/1712/page-0001.png"),
    }


def test_page_object_name_replaces_control_characters() -> None:
    name = "inbox/line\nbreak\rand\ttab\x7f.tif"

    object_name = _name(name)

    assert object_name == "inbox/line_break_and_tab_/1712/page-0001.png"


def test_page_object_name_keeps_the_identity_uri_parseable() -> None:
    name = "inbox/ACME #7?.tif"

    object_name = _name(name, generation="99")

    uri = f"gs://invoices-processed/{object_name}#99"
    assert uri.rsplit("#", 1) == [f"gs://invoices-processed/{object_name}", "99"]


def test_page_object_name_separates_generations_of_one_upload() -> None:
    name = "inbox/scan.tif"

    first, second = _name(name, generation="1"), _name(name, generation="2")

    assert first == "inbox/scan/1/page-0001.png"
    assert second == "inbox/scan/2/page-0001.png"


def test_page_object_name_neutralises_a_generation_with_a_slash() -> None:
    name = "scan.tif"

    object_name = _name(name, generation="../1712")

    assert object_name == "scan/.._1712/page-0001.png"


@pytest.mark.parametrize(
    ("page_number", "file_name"),
    [(1, "page-0001.png"), (12, "page-0012.png"), (10000, "page-10000.png")],
)
def test_page_object_name_pads_page_numbers_to_four_digits(
    page_number: int, file_name: str
) -> None:
    object_name = _name("scan.tif", page_number=page_number)

    assert object_name == f"scan/1712/{file_name}"


def test_page_object_name_rejects_page_zero() -> None:
    upload = UploadRef(bucket="invoices-input", name="scan.tif", generation="1")

    with pytest.raises(ValueError, match="1-based"):
        page_object_name(upload, 0)


def test_page_object_name_stays_within_the_gcs_limit_and_unique() -> None:
    stem = "inbox/" + "façade-" * 150
    first, second = stem + "one.tif", stem + "two.tif"

    names = [_name(first), _name(second)]

    assert all(len(name.encode()) <= 1024 for name in names)
    assert names[0] != names[1]
    assert all(name.endswith("/1712/page-0001.png") for name in names)
    assert all(name.startswith("inbox/façade-") for name in names)
