"""What does the UI say, in English, 繁體中文, 日本語 or Tiếng Việt?

Plain JSON catalogues in components/locales/ (one flat key -> text map per language).
English is the reference: a test fails when another catalogue misses a key.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

LOCALES_DIR = Path(__file__).resolve().parent / "locales"
LANGUAGES = {"en": "English", "zh_TW": "繁體中文", "ja": "日本語", "vi": "Tiếng Việt"}
DEFAULT_LANGUAGE = "en"
# Which name column of the data to show for each UI language.
NAME_COLUMN = {"en": "name_en", "zh_TW": "name_zh_tw", "ja": "name_ja", "vi": "name_vi"}


@cache
def catalogue(lang: str) -> dict[str, str]:
    return json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def t(lang: str, key: str, **values) -> str:
    """The text for `key` in `lang`, English if the language lacks it, the key if both do."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def local_name(record, lang: str) -> str:
    """A record's name in the UI language, falling back to English."""
    value = record.get(NAME_COLUMN.get(lang, "name_en"))
    return value if isinstance(value, str) and value else record.get("name_en", "")
