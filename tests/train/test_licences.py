"""Every shipped model's manifest entry names the licences of the data it saw, from one table."""

from __future__ import annotations

import json

import pytest

from tests.conftest import ROOT
from train.data.licences import LICENCES, licences

MODELS = json.loads((ROOT / "models" / "manifest.json").read_text())["models"]


@pytest.mark.parametrize("name", sorted(MODELS))
def test_each_shipped_entry_names_its_data_licences(name):
    named = MODELS[name]["data"]["licences"]
    assert named and named == licences(*named)  # sources of the table, with the table's wording


def test_real_data_is_credited_where_it_was_trained_on():
    for name, entry in MODELS.items():
        data = entry["data"]
        if data.get("real_chars"):
            assert "handwritten-chars" in data["licences"], name
        if data.get("photos") or "real crops" in str(data.get("real_plates", "")):
            assert "CC BY" in data["licences"]["plate-photos"], name
    assert "AGPL" not in json.dumps(LICENCES)  # plates-us is evaluation only, never a training source


def test_an_unknown_source_is_a_key_error():
    with pytest.raises(KeyError):
        licences("plates-us")
