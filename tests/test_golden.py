"""Golden output: key pages of the example site, per locale, byte for byte.

After an intended change to the theme or the example content, refresh them with
``pytest tests/test_golden.py --update-golden`` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

GOLDEN = Path(__file__).resolve().parent / "golden"
LOCALES = ["en-us", "en-gb", "de-de", "sv-se", "ja-jp", "zh-cn", "ar-sa", "pt-br"]
SLUGS = {
    "de-de": {
        "product": "produkt",
        "pricing": "preise",
        "support": "hilfe",
        "getting-started": "erste-schritte",
    },
    "sv-se": {"product": "produkt", "pricing": "priser"},
    "pt-br": {"product": "produto", "pricing": "precos", "support": "suporte"},
}


def golden_pages() -> list[str]:
    pages = ["index.html", "sitemap.xml", "emails/manifest.json"]
    for locale in LOCALES:
        pages += [f"emails/{locale}/welcome.html", f"emails/{locale}/welcome.txt"]
        slug = SLUGS.get(locale, {})
        product = slug.get("product", "product")
        support = slug.get("support", "support")
        pages += [
            f"{locale}/index.html",
            f"{locale}/{product}/{slug.get('pricing', 'pricing')}/index.html",
            f"{locale}/{support}/index.html",
            f"{locale}/{support}/{slug.get('getting-started', 'getting-started')}/index.html",
            f"{locale}/404.html",
        ]
    return pages


@pytest.mark.parametrize("rel", golden_pages())
def test_example_page_matches_golden(
    example_output: Path, rel: str, request: pytest.FixtureRequest
) -> None:
    actual = (example_output / rel).read_bytes()
    expected_path = GOLDEN / rel
    if request.config.getoption("--update-golden"):
        expected_path.parent.mkdir(parents=True, exist_ok=True)
        expected_path.write_bytes(actual)
    assert expected_path.is_file(), f"no golden file; run with --update-golden: {rel}"
    assert actual.decode("utf-8") == expected_path.read_text(encoding="utf-8")
