"""Write a synthetic locgen site: PAGES pages in every one of LOCALES locales.

    python benchmarks/synthetic.py OUT --pages 10000 [--locales 6] [--emails 4]

``--pages`` counts output pages (translation groups x locales), the way the
build summary counts them. Every page has front matter, headings, lists, a
table, links to other pages, an image with per-culture variants, a tone
block and an inline culture form; every tenth group is missing one
translation, so fallbacks are rendered too. The same arguments always write
the same site.
"""

from __future__ import annotations

import argparse
import random
import shutil
from pathlib import Path

LOCALES = ["en-US", "de-DE", "ja-JP", "ar-SA", "sv-SE", "zh-CN", "pt-BR", "en-GB"]
WORDS = [
    "plan",
    "team",
    "cloud",
    "storage",
    "invoice",
    "account",
    "support",
    "market",
    "customer",
    "service",
    "price",
    "secure",
    "backup",
    "sync",
    "share",
    "folder",
    "report",
    "export",
    "region",
    "answer",
    "upgrade",
    "trial",
]
SECTIONS = 20
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"><rect fill="{}"/></svg>\n'


def sentence(rng: random.Random, words: int = 12) -> str:
    """A sentence of random words, capitalized, with a full stop."""
    text = " ".join(rng.choice(WORDS) for _ in range(words))
    return text[0].upper() + text[1:] + "."


def body(rng: random.Random, key: str, keys: list[str]) -> str:
    """A page body of about 400 words with the constructs a real page uses."""
    target = rng.choice(keys)
    parts = [
        sentence(rng, 30),
        "",
        "## " + sentence(rng, 4)[:-1],
        "",
        sentence(rng, 40) + f" See [the related page](/{target}.md).",
        "",
        "::: tone direct",
        "Start your free trial today.",
        ":::",
        "::: tone indirect",
        "You may wish to try it free for a while.",
        ":::",
        "",
        "- " + sentence(rng, 6),
        "- " + sentence(rng, 6),
        "- [[tone direct: Buy now | indirect: Take a look]]",
        "",
        "![A product picture](/images/product.svg)",
        "",
        "| Plan | Storage |",
        "|------|---------|",
        "| Starter | 200 GB |",
        "| Team | 1 TB |",
        "",
        "## " + sentence(rng, 3)[:-1],
        "",
        *(sentence(rng, 25) + "\n" for _ in range(6)),
    ]
    return "\n".join(parts) + "\n"


def write_site(out: Path, pages: int, locales: int, emails: int) -> None:
    """Write the site to *out* (replacing it)."""
    tags = LOCALES[:locales]
    groups = max(1, pages // len(tags))
    rng = random.Random(f"{pages}-{locales}-{emails}")
    if out.exists():
        shutil.rmtree(out)
    content = out / "content"
    (content / "images").mkdir(parents=True)
    (out / "locgen.toml").write_text(
        "[site]\n"
        'title = "Synthetic"\n'
        'base_url = "https://bench.example/"\n'
        f'default_locale = "{tags[0]}"\n'
        f"locales = {tags!r}\n".replace("'", '"')
        + "\n[email]\n"
        + 'unsubscribe_url = "https://bench.example/unsubscribe"\n',
        encoding="utf-8",
    )
    (content / "images/product.svg").write_text(SVG.format("#888"), encoding="utf-8")
    for culture, colour in (("japan", "#c33"), ("gulf", "#3a3"), ("germany", "#333")):
        (content / f"images/product.{culture}.svg").write_text(SVG.format(colour), encoding="utf-8")
    keys = [f"section-{n % SECTIONS:02d}/page-{n:05d}" for n in range(groups - SECTIONS - 1)]
    landings = [f"section-{n:02d}/index" for n in range(SECTIONS)]
    for number, key in enumerate(["index", *landings, *keys]):
        missing = tags[-1] if number % 10 == 9 else None
        for tag in tags:
            if tag == missing:
                continue
            path = content / f"{key}.{tag}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            menu = f"menu: main\nweight: {number}\n" if key in landings[:4] else ""
            front = (
                f"---\ntitle: {sentence(rng, 3)[:-1]} {number}\n"
                f"description: {sentence(rng, 10)}\n"
                f"date: 2026-{1 + number % 12:02d}-{1 + number % 28:02d}\n{menu}---\n\n"
            )
            path.write_text(front + body(rng, key, keys or ["index"]), encoding="utf-8")
    for number in range(emails):
        for tag in tags:
            path = content / f"emails/message-{number}.{tag}.md"
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(
                f"---\nsubject: {sentence(rng, 5)}\npreheader: {sentence(rng, 8)}\n---\n\n"
                + body(rng, "index", ["index"]),
                encoding="utf-8",
            )


def main() -> None:
    """Parse the command line and write the site."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path, help="folder to write (replaced)")
    parser.add_argument("--pages", type=int, default=1000, help="output pages (default 1000)")
    parser.add_argument("--locales", type=int, default=6, choices=range(1, len(LOCALES) + 1))
    parser.add_argument("--emails", type=int, default=4, help="emails per locale")
    args = parser.parse_args()
    write_site(args.out, args.pages, args.locales, args.emails)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
