"""What does the UI say, in English, 繁體中文, 日本語 or Tiếng Việt?

Plain JSON catalogues in tjv_clusters/locales/ (one flat key -> text map per language).
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
# the column suffix of each language in the data (name_ja, title_zh_tw, ...)
COLUMN_SUFFIX = {"en": "en", "zh_TW": "zh_tw", "ja": "ja", "vi": "vi"}
NAME_COLUMN = {lang: f"name_{suffix}" for lang, suffix in COLUMN_SUFFIX.items()}
TITLE_COLUMN = {lang: f"title_{suffix}" for lang, suffix in COLUMN_SUFFIX.items()}


@cache
def catalogue(lang: str) -> dict[str, str]:
    return json.loads((LOCALES_DIR / f"{lang}.json").read_text(encoding="utf-8"))


def t(lang: str, key: str, **values) -> str:
    """The text for `key` in `lang`, English if the language lacks it, the key if both do."""
    text = catalogue(lang).get(key) or catalogue(DEFAULT_LANGUAGE).get(key) or key
    return text.format(**values) if values else text


def country_label(code: str, lang: str) -> str:
    """One of our countries by its name in `lang`; any other code as it is."""
    return t(lang, f"country.{code}") if f"country.{code}" in catalogue(DEFAULT_LANGUAGE) else code


def local_name(record, lang: str, field: str = "name") -> str:
    """A record's name (or title: `field="title"`) in the UI language, else in English."""
    value = record.get(f"{field}_{COLUMN_SUFFIX.get(lang, 'en')}")
    return value if isinstance(value, str) and value else record.get(f"{field}_en", "")


BABEL_LOCALE = {"en": "en", "zh_TW": "zh_Hant_TW", "ja": "ja", "vi": "vi"}


def fmt_number(value: float, lang: str, digits: int = 0) -> str:
    from babel.numbers import format_decimal

    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=BABEL_LOCALE.get(lang, "en"))


def fmt_money(amount: float, currency: str, lang: str) -> str:
    """Locale digit grouping plus the ISO code: '1,200,000,000,000 JPY' (en),
    '1.200.000.000.000 JPY' (vi). Codes, not symbols: ¥ and $ are ambiguous here."""
    return f"{fmt_number(amount, lang)} {currency}"


def fmt_date(partial: str, lang: str) -> str:
    """A full ISO date in the locale's medium form; partial dates stay as they are."""
    if not partial or len(partial) != 10:
        return partial or ""
    import datetime as dt

    from babel.dates import format_date

    return format_date(dt.date.fromisoformat(partial), format="medium",
                       locale=BABEL_LOCALE.get(lang, "en"))


# plotly.js's name for each language's locale (its toolbar tooltips, notices, month names)
PLOTLY_LOCALE = {"en": "en", "zh_TW": "zh-TW", "ja": "ja", "vi": "vi"}


@cache
def plotly_locale(lang: str) -> dict:
    """A plotly.js locale for `lang`, passed in a figure's config (`locales`): the
    dictionary maps plotly.js's own English strings, which the English catalogue's
    `chart.toolbar.*` entries hold as plotly.js writes them, to ours; month and day names
    and the number separators come from CLDR (babel), like `fmt_number` and `fmt_date`."""
    from babel.dates import get_day_names, get_month_names
    from babel.numbers import get_decimal_symbol, get_group_symbol

    where = BABEL_LOCALE.get(lang, "en")
    english = catalogue(DEFAULT_LANGUAGE)
    dictionary = {english[key]: t(lang, key) for key in english if key.startswith("chart.toolbar.")}

    def week(width: str) -> list[str]:  # babel counts from Monday, plotly.js from Sunday
        names = get_day_names(width, locale=where)
        return [names[6], *(names[i] for i in range(6))]

    def year(width: str) -> list[str]:
        names = get_month_names(width, locale=where)
        return [names[i] for i in range(1, 13)]

    return {"dictionary": dictionary,
            "format": {"days": week("wide"), "shortDays": week("abbreviated"),
                       "months": year("wide"), "shortMonths": year("abbreviated"),
                       "decimal": get_decimal_symbol(where),
                       "thousands": get_group_symbol(where)}}
