"""The link check's own relative-URL resolution gives what urljoin gives."""

from __future__ import annotations

from urllib.parse import urljoin, urlsplit

from hypothesis import given, settings
from hypothesis import strategies as st

from locgen.site_checks import join_relative

BASES = ["/en/posts/page-0/", "/de-de/produkt/preise/", "/", "/a/b/c.html", "/docs/a//b/"]


def _urljoin(base: str, url: str) -> str:
    target = urlsplit(urljoin("https://acme.example" + base, url))
    return target.path + (f"#{target.fragment}" if target.fragment else "")


@settings(max_examples=3000)
@given(
    base=st.sampled_from(BASES),
    url=st.text(alphabet="ab./-%#~é?;:", min_size=1, max_size=16),
)
def test_plain_relative_links_resolve_as_urljoin_resolves_them(base: str, url: str) -> None:
    joined = join_relative(base, url)
    if joined is not None:  # None: not a plain relative path, urljoin is used instead
        assert joined == _urljoin(base, url)


def test_the_links_the_check_sees_most_take_the_short_way() -> None:
    assert join_relative("/en/posts/page-0/", "../page-12/") == "/en/posts/page-12/"
    assert join_relative("/en/posts/page-0/", "../../#top") == "/en/#top"
    assert join_relative("/en/posts/page-0/", "#plans") == "/en/posts/page-0/#plans"
    assert join_relative("/en/", "../../../x") == "/x"
    for other in ("https://acme.example/x", "?page=2", "mailto:a@b", "a b"):
        assert join_relative("/en/", other) is None
