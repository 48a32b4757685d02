"""What a rendered output depends on, as tokens a change can be matched against.

While an output renders, the renderer records a token for everything it
reads: its own source files, other pages' titles and URLs, a section's
listing, a locale's menu, each template. After a change, the tokens the
change touches pick exactly the outputs to render again.
"""

from __future__ import annotations

INDEX = "index"
"""The set of pages and their URLs as a whole (the sitemap reads it)."""
IMAGES = "images"
"""The content images and their tags: which variant exists, what it shows."""
STATIC = "static"
"""The theme's static files (``static_url`` checks a file exists)."""


def source(key: str, locale: str) -> str:
    """The source file of translation group *key* written in *locale*, body included
    (a page renders one file: its own locale's, or the one it falls back to)."""
    return f"source:{key}:{locale}"


def page(key: str) -> str:
    """What other outputs show of page *key* in any locale: title, URL, front matter."""
    return f"page:{key}"


def listing(section: str, locale: str) -> str:
    """The pages listed in *section* (``""``: the home page) of *locale*, and their order."""
    return f"list:{section}:{locale}"


def menu(locale: str) -> str:
    """The menu of *locale*: its entries, their titles and order."""
    return f"menu:{locale}"


def catalog(locale: str) -> str:
    """The theme strings of *locale*: its catalogs, from the site's to the bundled ones."""
    return f"catalog:{locale}"


def culture(locale: str) -> str:
    """The culture profile *locale* reads in, with the site's overrides."""
    return f"culture:{locale}"


def template(name: str) -> str:
    """The theme template *name* (``page.html``, ``partials/nav.html``)."""
    return f"template:{name}"
