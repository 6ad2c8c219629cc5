"""Where the core finds the dataset and where the app's static folder is.

Run from a checkout, both sit beside the package (`data/`, `static/`). Installed elsewhere
(`pip install .`), the package holds code and catalogues only: point `TJV_CLUSTERS_DATA` at
a copy of `data/` (or pass a directory to `read_dataset`), and `TJV_CLUSTERS_STATIC` at the
folder Streamlit serves as `/app/static/`.
"""

from __future__ import annotations

import os
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]


def _from_env(name: str, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).expanduser().resolve() if value else default


DATA_DIR = _from_env("TJV_CLUSTERS_DATA", CHECKOUT / "data")
STATIC_DIR = _from_env("TJV_CLUSTERS_STATIC", CHECKOUT / "static")
BOUNDARIES_DIR = DATA_DIR / "boundaries"
