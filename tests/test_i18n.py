"""Every UI text exists in every language; every vocabulary value has a label."""

import pytest

from tjv_clusters import vocab
from tjv_clusters.i18n import LANGUAGES, catalogue, t

REFERENCE = catalogue("en")


@pytest.mark.parametrize("lang", [lang for lang in LANGUAGES if lang != "en"])
def test_no_missing_or_extra_keys(lang):
    keys = set(catalogue(lang))
    assert set(REFERENCE) - keys == set(), f"{lang} lacks keys"
    assert keys - set(REFERENCE) == set(), f"{lang} has unknown keys"
    assert all(catalogue(lang)[k].strip() for k in keys)


def test_placeholders_match():
    import string

    def fields(text):
        return {f for _, f, _, _ in string.Formatter().parse(text) if f}

    for lang in LANGUAGES:
        for key, text in REFERENCE.items():
            assert fields(catalogue(lang)[key]) == fields(text), (lang, key)


def test_vocabulary_is_labelled():
    for prefix, values in [("kind", vocab.SITE_KINDS), ("sector", vocab.SECTORS),
                           ("status", vocab.SITE_STATUS), ("country", vocab.COUNTRIES),
                           ("group", tuple(vocab.SITE_GROUPS)),
                           ("precision", vocab.COORD_PRECISION)]:
        for value in values:
            assert f"{prefix}.{value}" in REFERENCE


def test_t_formats_values():
    assert t("en", "footer.as_of", date="2026-11-22") == "Data as of 2026-11-22."
