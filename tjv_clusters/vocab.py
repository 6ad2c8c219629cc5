"""The controlled vocabularies of the dataset: which values a column may take.

Shared by validation (what is allowed), the data dictionary test and the UI (legends,
filters), so that a new kind or sector is added in exactly one place.
"""

from __future__ import annotations

COUNTRIES = ("JP", "TW", "VN")

SECTORS = (
    "semiconductors",
    "ai",
    "robotics",
    "drones",
    "electronics",
    "hydrogen",
    "ev",
    "talent",
    "startups",
    "trade",
    "general",
)

# Site kinds, grouped as the map's layers group them.
SITE_GROUPS: dict[str, tuple[str, ...]] = {
    "manufacturing": (
        "fab",
        "packaging_test",
        "supplier_plant",
        "electronics_plant",
        "design_centre",
    ),
    "knowledge": ("university", "research_institute"),
    "trade": ("trade_centre", "agency", "company_office", "startup_hub"),
    "zones": ("science_park", "industrial_park", "special_zone", "infrastructure"),
}
SITE_KINDS = tuple(kind for kinds in SITE_GROUPS.values() for kind in kinds)
SITE_STATUS = ("operating", "under_construction", "planned", "closed", "unknown")
# How a point was obtained, best first. The first three are "sourced": the facility's or
# park's coordinates printed in a source, or a sourced street address placed on its town
# block from an open gazetteer; the rest are approximate and drawn as hollow markers.
COORD_PRECISION = (
    "sourced_site", "sourced_park", "sourced_locality",
    "approx_locality", "approx_city", "approx_admin1",
)
SOURCED_PRECISION = ("sourced_site", "sourced_park", "sourced_locality")
# Kinds whose location truth is measured (the "fabs and plants" of the data report).
PLANT_KINDS = ("fab", "packaging_test", "supplier_plant", "electronics_plant")
WAFER_SIZES_MM = (100, 125, 150, 200, 300)
# Why two distinct sites may share one point (data/shared_points.csv).
SHARED_POINT_REASONS = ("same_address", "same_locality", "same_park")

ORG_KINDS = (
    "company",
    "government",
    "agency",
    "university",
    "association",
    "research_institute",
    "investor_group",
)
EVENT_KINDS = ("mou", "agreement", "designation", "milestone", "delegation", "expo", "opening")
DATE_PRECISION = ("day", "month", "year")
FLOW_KINDS = ("fdi", "subsidy", "equity", "order", "capex", "land", "oda")
QUALIFIERS = ("exact", "about", "at_least", "up_to")
SOURCE_QUALITY = ("primary", "secondary", "tertiary")
