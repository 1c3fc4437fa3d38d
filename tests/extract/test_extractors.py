"""Extractors are chosen by name behind one protocol."""

from __future__ import annotations

import pytest

from invoiceflow.extract import Extractor, get_extractor


def test_get_extractor_returns_the_offline_extractor_by_default() -> None:
    extractor = get_extractor()

    assert extractor.name == "local"
    assert isinstance(extractor, Extractor)


def test_get_extractor_lists_the_known_names_for_an_unknown_one() -> None:
    with pytest.raises(ValueError, match="known extractors are: .*local"):
        get_extractor("docai-typo")
