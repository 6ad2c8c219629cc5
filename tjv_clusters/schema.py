"""Row schemas of the dataset's CSV tables: what one valid record looks like.

Each table is a pydantic model; `TABLES` maps file names to models. Cells arrive as
strings (a spreadsheet's view of the file): empty cells become None, ";"-separated cells
become tuples. Cross-table rules (references, polygons) live in `validate.py`.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from tjv_clusters import vocab

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ADMIN1_RE = re.compile(r"^(JP-\d{2}|TW-[A-Z]{3}|VN-(?:\d{2}|[A-Z]{2}))$")
DATE_RE = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")


def _empty_to_none(value):
    if isinstance(value, str) and value.strip() == "":
        return None
    return value


def _split(value):
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(";") if part.strip())
    return tuple(value)


# what a template engine would run: the map's scripts go through Jinja (branca) twice
TEMPLATE_DELIMITERS = ("{{", "{%", "{#")


def _no_markup(value: str | None) -> str | None:
    if value is not None and ("<" in value or ">" in value):
        raise ValueError("contains '<' or '>': markup is not allowed in data text")
    if value is not None and any(d in value for d in TEMPLATE_DELIMITERS):
        raise ValueError("contains '{{', '{%' or '{#': template syntax is not allowed in "
                         "data text")
    return value


URL_FORBIDDEN = r"\s\"'<>()\[\]{}\\`"  # spaces, quotes, brackets, backslash, backtick
URL_FORBIDDEN_RE = re.compile(f"[{URL_FORBIDDEN}]")
HOST_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)+$")


def _web_url(value: str) -> str:
    """A well-formed http(s) address with a host: a link the app can show safely."""
    from urllib.parse import urlsplit

    if URL_FORBIDDEN_RE.search(value):
        raise ValueError("a URL may not contain spaces, quotes or brackets "
                         "(percent-encode them: ( is %28, ) is %29, ' is %27)")
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError as exc:
        raise ValueError(f"not a URL ({exc})") from None
    if parts.scheme not in ("http", "https"):
        raise ValueError("a source URL starts with http:// or https://")
    host = (parts.hostname or "").removesuffix(".")  # 'vovworld.vn.' is a full domain name
    if not (HOST_RE.match(host) or re.fullmatch(r"\d{1,3}(?:\.\d{1,3}){3}", host)):
        raise ValueError("a source URL needs a host name")
    return value


def _slug(value: str) -> str:
    if not SLUG_RE.match(value):
        raise ValueError(f"'{value}' is not a slug (lowercase a-z, 0-9 and single hyphens)")
    return value


def _admin1(value: str) -> str:
    if not ADMIN1_RE.match(value):
        raise ValueError(f"'{value}' is not an admin1 code like JP-43, TW-HSZ or VN-56")
    return value


def _partial_date(value: str) -> str:
    if not DATE_RE.match(value):
        raise ValueError(f"'{value}' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    parts = [int(p) for p in value.split("-")]
    try:
        dt.date(parts[0], parts[1] if len(parts) > 1 else 1, parts[2] if len(parts) > 2 else 1)
    except ValueError as exc:
        raise ValueError(f"'{value}' is not a real date ({exc})") from None
    return value


def _sectors(values: tuple[str, ...]) -> tuple[str, ...]:
    unknown = [v for v in values if v not in vocab.SECTORS]
    if unknown:
        allowed = ", ".join(vocab.SECTORS)
        raise ValueError(f"unknown sector {', '.join(unknown)}; allowed: {allowed}")
    return values


def _wafers(values: tuple[str, ...]) -> tuple[int, ...]:
    sizes = []
    for v in values:
        if not v.isdigit() or int(v) not in vocab.WAFER_SIZES_MM:
            allowed = ", ".join(map(str, vocab.WAFER_SIZES_MM))
            raise ValueError(f"'{v}' is not a wafer diameter in mm ({allowed})")
        sizes.append(int(v))
    return tuple(sizes)


def _each(check):
    return lambda values: tuple(check(v) for v in values)


def _choice(allowed: tuple[str, ...]):
    def check(value: str) -> str:
        if value not in allowed:
            raise ValueError(f"'{value}' is not one of: {', '.join(allowed)}")
        return value

    return check


Opt = BeforeValidator(_empty_to_none)
Text = Annotated[str, Opt, AfterValidator(_no_markup)]
OptText = Annotated[str | None, Opt, AfterValidator(_no_markup)]
# json_schema_extra: what the Data Package (scripts/build_datapackage.py) publishes of
# the checks that the validators make in Python
SLUG_SCHEMA = {"pattern": SLUG_RE.pattern}
DATE_SCHEMA = {"pattern": DATE_RE.pattern}
Slug = Annotated[str, Opt, AfterValidator(_slug), Field(json_schema_extra=SLUG_SCHEMA)]
OptSlug = Annotated[str | None, Opt, AfterValidator(lambda v: v if v is None else _slug(v))]
SlugList = Annotated[tuple[str, ...], Opt, BeforeValidator(_split), AfterValidator(_each(_slug))]
Admin1 = Annotated[str, Opt, AfterValidator(_admin1),
                   Field(json_schema_extra={"pattern": ADMIN1_RE.pattern})]
OptAdmin1 = Annotated[str | None, Opt, AfterValidator(lambda v: v if v is None else _admin1(v))]
Admin1List = Annotated[
    tuple[str, ...], Opt, BeforeValidator(_split), AfterValidator(_each(_admin1))
]
Sectors = Annotated[tuple[str, ...], Opt, BeforeValidator(_split), AfterValidator(_sectors)]
PartialDate = Annotated[str, Opt, AfterValidator(_partial_date),
                        Field(json_schema_extra=DATE_SCHEMA)]
OptPartialDate = Annotated[
    str | None, Opt, AfterValidator(lambda v: v if v is None else _partial_date(v)),
    Field(json_schema_extra=DATE_SCHEMA),
]
OptFloat = Annotated[float | None, Opt]
WaferSizes = Annotated[tuple[int, ...], Opt, BeforeValidator(lambda v: _wafers(_split(v)))]
# a process node or range in nm: "6", "1.4", "12-28", "40-180" (0.5 µm is written 500)
ProcessNm = Annotated[
    Annotated[str, Field(pattern=r"^\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?$")] | None, Opt]
GAZETTEER_ID_RE = (
    r"^(?:jp-geolonia:[^/\s]+/[^/\s]+/[^/\s]+|jp-municipality:[^/\s]+/[^/\s]+|geonames:\d+"
    r"|tw-(?:town|village):\d+|tw-park:[A-Z]\d{2}[A-Z]?|vn-district:\d+|vn-commune:\d{5}"
    r"|admin1:[A-Z]{2}-[A-Z0-9]{2,3})$"
)
Positive = Annotated[float, Field(gt=0)]


def Choice(allowed: tuple[str, ...]):  # noqa: N802 - reads like a type
    return Annotated[str, Opt, AfterValidator(_choice(allowed)),
                     Field(json_schema_extra={"enum": list(allowed)})]


Country = Choice(vocab.COUNTRIES)


class Row(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class SourcedRow(Row):
    source_ids: Annotated[SlugList, Field(min_length=1)]


class Source(Row):
    source_id: Slug
    title: Text
    publisher: Text
    published: OptPartialDate = None
    url: Annotated[str, Opt, AfterValidator(_no_markup), AfterValidator(_web_url),
                   Field(json_schema_extra={"pattern": f"^https?://[^{URL_FORBIDDEN}]+$"})]
    accessed: PartialDate
    quality: Choice(vocab.SOURCE_QUALITY)
    note: OptText = None


class NamedRow(SourcedRow):
    name_en: Text
    name_ja: OptText = None
    name_zh_tw: OptText = None
    name_vi: OptText = None


class Site(NamedRow):
    site_id: Slug
    kind: Choice(vocab.SITE_KINDS)
    country: Country
    admin1: Admin1
    city: OptText = None
    address: OptText = None
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    coord_precision: Choice(vocab.COORD_PRECISION)
    coord_source: Slug
    gazetteer_id: Annotated[Annotated[str, Field(pattern=GAZETTEER_ID_RE)] | None, Opt] = None
    sectors: Annotated[Sectors, Field(min_length=1)]
    status: Choice(vocab.SITE_STATUS)
    operator_ids: SlugList = ()
    opened: OptPartialDate = None
    closed: OptPartialDate = None
    wafer_mm: WaferSizes = ()
    process_nm: ProcessNm = None
    capacity_wpm: Annotated[Annotated[int, Field(gt=0)] | None, Opt] = None
    capacity_year: Annotated[Annotated[int, Field(ge=1950, le=2100)] | None, Opt] = None
    description: Text


class City(NamedRow):
    city_id: Slug
    country: Country
    admin1: Admin1
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    coord_precision: Choice(vocab.COORD_PRECISION)
    role: OptText = None


class Organisation(NamedRow):
    org_id: Slug
    kind: Choice(vocab.ORG_KINDS)
    country: Annotated[str, Opt, Field(pattern=r"^[A-Z]{2}$")]
    admin1: OptAdmin1 = None
    site_ids: SlugList = ()
    description: Text


def _in_script(pattern: str, language: str):
    """A check that a translation is written in its language (catches pasted English)."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.search(value):
            raise ValueError(f"is not written in {language}")
        return value

    return AfterValidator(check)


TitleJa = Annotated[Text, _in_script(r"[\u3040-\u30ff\u4e00-\u9fff]", "Japanese")]
TitleZh = Annotated[Text, _in_script(r"[\u4e00-\u9fff]", "Chinese")]
TitleVi = Annotated[Text, _in_script(r"[ăâđêôơưĂÂĐÊÔƠƯà-ỹ]", "Vietnamese")]


class TitledRow(SourcedRow):
    """A record with a short title in each UI language (our own translations)."""

    title_en: Text
    title_ja: TitleJa
    title_zh_tw: TitleZh
    title_vi: TitleVi


class Agreement(TitledRow):
    event_id: Slug
    date: PartialDate
    date_precision: Choice(vocab.DATE_PRECISION)
    kind: Choice(vocab.EVENT_KINDS)
    parties: Annotated[SlugList, Field(min_length=1)]
    admin1_codes: Admin1List = ()
    site_ids: SlugList = ()
    sectors: Annotated[Sectors, Field(min_length=1)]
    series: OptSlug = None
    series_no: Annotated[Annotated[int, Field(ge=1)] | None, Opt] = None
    description: Text


class Flow(TitledRow):
    flow_id: Slug
    from_id: Slug
    to_id: Slug
    site_id: OptSlug = None
    kind: Choice(vocab.FLOW_KINDS)
    amount: Annotated[Positive | None, Opt] = None
    amount_qualifier: Annotated[
        str | None, Opt, AfterValidator(lambda v: v if v is None else _choice(vocab.QUALIFIERS)(v))
    ] = None
    currency: Annotated[Annotated[str, Field(pattern=r"^[A-Z]{3}$")] | None, Opt] = None
    amount_usd: Annotated[Positive | None, Opt] = None
    usd_basis: OptText = None
    year: Annotated[int, Field(ge=1950, le=2100)]
    description: Text


class FxRate(SourcedRow):
    rate_id: Slug
    currency: Annotated[str, Opt, Field(pattern=r"^[A-Z]{3}$")]
    year: Annotated[int, Field(ge=1950, le=2100)]
    units_per_usd: Annotated[float, Field(gt=0)]
    basis: Text


class Indicator(SourcedRow):
    indicator: Annotated[str, Opt, Field(pattern=r"^[a-z0-9_]+$")]
    region: Text
    year: Annotated[int, Field(ge=1950, le=2100)]
    period: OptText = None
    value: float
    value_high: OptFloat = None
    qualifier: Choice(vocab.QUALIFIERS)
    unit: Text
    basis: OptText = None
    forecast: Literal["true", "false"]


class IndicatorSeries(Row):
    indicator: Annotated[str, Opt, Field(pattern=r"^[a-z0-9_]+$")]
    title_en: Text
    title_ja: TitleJa
    title_zh_tw: TitleZh
    title_vi: TitleVi
    unit: Text
    basis: OptText = None
    description: Text


class Locality(Row):
    """A gazetteer record that places sites (data/gazetteer/localities.csv)."""

    gazetteer_id: Annotated[str, Opt, Field(pattern=GAZETTEER_ID_RE)]
    name: Text
    lat: Annotated[float, Field(ge=-90, le=90)]
    lon: Annotated[float, Field(ge=-180, le=180)]
    gazetteer: Text
    licence: Text


class Check(Row):
    """One value checked against one source (data/checks.csv), by whoever checked it."""

    table: Choice(("agreements", "flows", "indicators", "sites"))
    record_id: Text
    field: Text
    value: OptText = None
    verdict: Choice(("confirmed", "corrected", "unverifiable"))
    source_id: Slug
    checked: PartialDate


class Change(Row):
    """What one dataset version changed in one record (data/changes.csv, written by
    scripts/build_history.py from the data in git history)."""

    version: Annotated[str, Field(pattern=r"^\d+\.\d+\.\d+$")]
    date: PartialDate
    table: Choice(("sites", "organisations", "agreements", "flows"))
    record_id: Slug
    label: OptText = None
    change: Choice(("added", "changed", "removed"))
    field: OptText = None
    old: OptText = None
    new: OptText = None
    source_ids: SlugList = ()


class SharedPoint(Row):
    """Distinct sites allowed on one point, and why (data/shared_points.csv)."""

    site_ids: Annotated[SlugList, Field(min_length=2)]
    reason: Choice(vocab.SHARED_POINT_REASONS)
    note: Text


class ProvinceMerger(Row):
    old_code: Admin1
    old_name_vi: Text
    old_name_ascii: Text
    old_type: Text
    new_code: Admin1
    new_name_vi: Text
    new_type: Choice(("city", "province"))
    change: Choice(("merged", "unchanged"))
    source_ids: Annotated[SlugList, Field(min_length=1)]


class TourStep(Row):
    """One step of the kiosk's guided tour (data/tour.csv): where the map goes and which
    records it shows (at least one place, and at least one event or flow: `validate.py`).
    The step states no fact of its own: its lines and sources are the cited records'."""

    step_id: Slug
    title_en: Text
    title_ja: TitleJa
    title_zh_tw: TitleZh
    title_vi: TitleVi
    site_ids: SlugList = ()
    admin1_codes: Admin1List = ()
    event_ids: SlugList = ()
    flow_ids: SlugList = ()


# file name -> (model, id column or None). The order is the order problems are reported.
TABLES: dict[str, tuple[type[Row], str | None]] = {
    "sources.csv": (Source, "source_id"),
    "sites.csv": (Site, "site_id"),
    "cities.csv": (City, "city_id"),
    "organisations.csv": (Organisation, "org_id"),
    "agreements.csv": (Agreement, "event_id"),
    "flows.csv": (Flow, "flow_id"),
    "fx_rates.csv": (FxRate, "rate_id"),
    "indicators.csv": (Indicator, None),
    "indicator_series.csv": (IndicatorSeries, "indicator"),
    "vn_province_merger.csv": (ProvinceMerger, "old_code"),
    "gazetteer/localities.csv": (Locality, "gazetteer_id"),
    "shared_points.csv": (SharedPoint, None),
    "tour.csv": (TourStep, "step_id"),
    "checks.csv": (Check, None),
    "changes.csv": (Change, None),
}
