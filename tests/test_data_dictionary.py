"""data/README.md documents every column of every table (fails when docs and data drift)."""

import csv
import sys

import pytest

from tests.conftest import DATA_DIR, ROOT
from tjv_clusters.schema import TABLES

sys.path.insert(0, str(ROOT / "scripts"))
import build_datapackage  # noqa: E402


def documented_columns(file_name: str) -> set[str]:
    # the same reading of data/README.md that gives the Data Package its descriptions
    columns = build_datapackage.descriptions(file_name)
    assert columns, f"data/README.md has no section for {file_name}"
    return set(columns)


CSV_FILES = sorted(TABLES) + ["boundaries/admin1.csv"]


@pytest.mark.parametrize("file_name", CSV_FILES)
def test_every_column_is_documented(file_name):
    with (DATA_DIR / file_name).open(encoding="utf-8") as f:
        header = next(csv.reader(f))
    missing = set(header) - documented_columns(file_name)
    assert not missing, f"{file_name}: undocumented columns {sorted(missing)}"


@pytest.mark.parametrize("file_name", sorted(TABLES))
def test_schema_and_documentation_agree(file_name):
    model, _ = TABLES[file_name]
    assert set(model.model_fields) == documented_columns(file_name)
