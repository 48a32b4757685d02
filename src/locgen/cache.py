"""The build cache: what earlier builds rendered, reused while nothing it read has changed.

A render job records a dependency token (:mod:`locgen.deps`) for everything
it reads. The cache keeps, per job, the digest each of those tokens had when
the job ran, the digests of the files it made and what it found. A later
build computes the tokens' digests again from the site as it is now
(:class:`Fingerprints`) and reuses a job's result when every digest is
unchanged; one edited page, template, catalog or culture profile thus
re-renders exactly the outputs that read it.

Everything a token cannot name (locgen's and its libraries' code and
versions, the plugins, ``locgen.toml`` apart from culture overrides, the
phrasebook, the build's options, the site's folder) goes into one
:func:`site_key`; when it changes, nothing is reused.

Keys are digests of contents, never file times, so a cache restored in CI
after a fresh ``git clone`` is as good as a local one. The cache is safe to
delete. A damaged cache file is reported as a notice and ignored: the
outputs it would have supplied are rendered again.

Layout of the cache folder (``[build] cache_dir``, default ``.locgen-cache``)::

    jobs.bin        results of the last build's jobs, its parsed sources
                    and the locales' names
    store.bin       what the checks keep (``CheckContext.store``)
    published.bin   the files of the last publish, to leave unchanged files alone
    packs/*.pack    output files, one pack of them per build that rendered any
"""

from __future__ import annotations

import dataclasses
import gc
import importlib.metadata
import os
import pickle
import posixpath
import sys
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from locgen import deps
from locgen.catalogs import catalog_candidates
from locgen.checks import HtmlOutline
from locgen.config import BuildSettings, SiteConfig
from locgen.cultures import CultureProfile
from locgen.digests import canonical, digest_bytes, digest_parts
from locgen.errors import ContentError
from locgen.findings import Finding
from locgen.images import ImageUse
from locgen.incremental import Job, JobResult, OutputFile, page_summary
from locgen.locales import LocaleFacts
from locgen.pages import Page, SiteIndex
from locgen.phrasebook import PHRASEBOOK_NAME
from locgen.plugins import PluginHost
from locgen.scratch import write_atomic
from locgen.sources import ContentTree, SourceFile, UnreadBody, settled_status
from locgen.theme import EMAIL_FOLDER, Theme

CACHE_FORMAT = 8
"""Bumped whenever what the cache holds changes shape."""
_MAGIC = b"locgen build cache\n"
_JOBS = "jobs.bin"
_STORE = "store.bin"
_PUBLISHED = "published.bin"
_PACKS = "packs"
LIBRARIES = (
    "markdown",
    "jinja2",
    "markupsafe",
    "babel",
    "pyyaml",
    "css-inline",
    "lxml",
    "selectolax",
)
"""Distributions whose version can change what a build makes."""


def site_key(config: SiteConfig, host: PluginHost, options: Mapping[str, object]) -> str:
    """The digest of everything outside the dependency tokens that a build's outputs depend on.

    :param options: the build's options that change what it makes (drafts, locales, …).
    """
    package = Path(__file__).parent
    parts = [
        f"format {CACHE_FORMAT}",
        sys.version,
        str(config.root.absolute()),  # findings and messages name files by absolute path
        canonical(options),
        # Culture overrides are part of each locale's culture token instead; where the
        # output and the cache go, and how many workers render, change no output.
        canonical(dataclasses.replace(config, cultures={}, output="", build=BuildSettings())),
        _files_digest(sorted(package.rglob("*.py"))),
        _files_digest([config.root / PHRASEBOOK_NAME]),
    ]
    for name in LIBRARIES:
        try:
            parts.append(f"{name} {importlib.metadata.version(name)}")
        except importlib.metadata.PackageNotFoundError:
            parts.append(f"{name} absent")
    for info in host.plugins:
        parts.append(f"plugin {info.name} {info.kind} {info.origin}")
        if info.kind != "installed":  # an installed plugin is named by its version
            files = [path for path in info.files if path.is_file()]
            parts.append(_files_digest(sorted(files)))
    return digest_parts(parts)


def _files_digest(paths: Iterable[Path]) -> str:
    parts = []
    for path in paths:
        try:
            parts += [str(path), digest_bytes(path.read_bytes())]
        except OSError:
            parts += [str(path), "absent"]
    return digest_parts(parts)


class Fingerprints:
    """The current digest of each dependency token of the site, computed on first use."""

    def __init__(
        self,
        *,
        tree: ContentTree,
        index: SiteIndex,
        theme: Theme,
        cultures: Mapping[str, CultureProfile],
        static_files: Iterable[str],
    ) -> None:
        self._tree = tree
        self._index = index
        self._theme = theme
        self._cultures = cultures
        self._static = sorted(static_files)
        self._digests: dict[str, str] = {}
        self._files: dict[tuple[str, str], SourceFile] | None = None
        self._summaries: dict[tuple[str, str], str] | None = None
        self._listings: dict[str, list[Page]] | None = None
        self._paths: dict[str, Path] | None = None

    def __getitem__(self, token: str) -> str:
        found = self._digests.get(token)
        if found is None:
            found = self._digests[token] = self._compute(token)
        return found

    def source_path(self, name: str) -> Path:
        """The path object of the content file *name* (``str`` of its path)."""
        if self._paths is None:
            self._paths = {str(source.path): source.path for source in self._tree.sources}
        found = self._paths.get(name)
        return found if found is not None else Path(name)

    def state(self, tokens: Iterable[str]) -> str:
        """One digest of the current digests of *tokens* (none holds a line break)."""
        known = self._digests.get
        # A digest is never empty: one not computed yet is computed (a job's own source
        # file usually is, since no other job reads that token first).
        parts = [known(token) or self[token] for token in tokens]
        return digest_bytes("\n".join(parts).encode())

    def _compute(self, token: str) -> str:
        kind, _, name = token.partition(":")
        if kind == "source":
            key, _, tag = name.rpartition(":")
            found = self._file(key, tag)
            return digest_parts([f"{found.rel_path} {found.content_hash}"] if found else [])
        if kind == "page":
            summaries = self._page_summaries()
            return digest_parts(
                summaries.get((name, tag), "-") for tag in self._index.config.locales
            )
        if kind == "list":
            return self._digest_pages(self._listed().get(name, ()))
        if kind == "menu":
            return self._digest_pages(self._index.menu(name))
        if kind == "catalog":
            site_locale = self._index.locales[name]
            return _files_digest(
                candidate
                for folder in self._theme.catalog_dirs()
                for candidate in catalog_candidates(folder, site_locale)
            )
        if kind == "template":
            return self._template(name)
        if kind == "culture":
            return digest_parts([canonical(self._cultures.get(name))])
        if token == deps.INDEX:
            summaries = self._page_summaries()
            return digest_parts(f"{slot} {summaries[slot]}" for slot in sorted(summaries))
        if token == deps.IMAGES:
            content = self._index.config.content_dir
            return digest_parts(
                [*self._tree.assets, "", _files_digest(content / s for s in self._tree.sidecars)]
            )
        if token == deps.STATIC:
            return digest_parts(self._static)
        # A token this version does not know: never equal, so never reused.
        return "unknown " + os.urandom(8).hex()

    def _file(self, key: str, tag: str) -> SourceFile | None:
        """The content file of translation group *key* written in locale *tag* (a site
        has at most one: :func:`~locgen.sources.read_content` refuses a second)."""
        if self._files is None:
            self._files = {(source.key, source.locale): source for source in self._tree.sources}
        return self._files.get((key, tag))

    def _page_summaries(self) -> dict[tuple[str, str], str]:
        if self._summaries is None:
            # repr, not canonical(): front matter holds what YAML makes (dicts in file
            # order, lists, dates), whose repr is the same in every process; a set
            # would only make a page render again.
            self._summaries = {
                slot: repr(page_summary(page)) for slot, page in self._index.pages.items()
            }
        return self._summaries

    def _listed(self) -> dict[str, list[Page]]:
        """The pages of each section and locale, by ``section:locale`` (a listing token's name)."""
        if self._listings is None:
            self._listings = {}
            for (_, tag), page in self._index.pages.items():
                self._listings.setdefault(f"{page.section_key}:{tag}", []).append(page)
        return self._listings

    def _digest_pages(self, pages: Iterable[Page]) -> str:
        summaries = self._page_summaries()
        return digest_parts(summaries[(page.key, page.locale.tag)] for page in pages)

    def _template(self, name: str) -> str:
        theme = self._theme
        if name.startswith(EMAIL_FOLDER + "/"):
            folders, rel = theme.email_dirs, name[len(EMAIL_FOLDER) + 1 :]
        else:
            folders, rel = theme.templates_dirs, name
        for folder in folders:
            path = folder / rel
            if path.is_file():
                return _files_digest([path])
        return "absent"


RESTATTED_SHARE = 16
"""A build that finds nothing new but the settled status of at most one in this many
content files does not write the cache again for them: reading those few files again
in the next build costs less than writing the whole cache (a third of a second for
10,000 pages). More of them, as after a clone or a copy, are written."""


_KeptSource = tuple[dict[str, Any], int, bool]
"""A parsed content file as the cache keeps it: its fields but the path and the body,
the body's length and whether it mentions ``locgen-``. The file gives the body back
when it is needed, and leaving the text out makes the cache several times smaller
and quicker to load."""


def _kept_source(source: SourceFile) -> _KeptSource:
    fields = {
        name: getattr(source, name) for name in _SOURCE_FIELDS if name not in ("path", "body")
    }
    return fields, len(source.body), source.mentions_locgen


_SOURCE_FIELDS = tuple(field.name for field in dataclasses.fields(SourceFile))


class _Entry(NamedTuple):
    """One job's result as the cache keeps it (a plain tuple in the file: tuples load
    and save several times faster than objects of a class)."""

    tokens: tuple[str, ...]
    """The dependency tokens of everything the job read."""
    state: str
    """One digest of the tokens' digests when the job ran (:meth:`Fingerprints.state`)."""
    files: tuple[tuple[str, str, str, str | None], ...]
    """``(output path, digest, origin, source file)`` of each file made (the source as
    text: the build's own path objects stand in for it when it is reused)."""
    findings: tuple[Finding, ...]
    image_uses: tuple[_KeptImageUse, ...]
    """Each image use's fields, the page's source file as text (the build's own path
    objects stand in for it when it is reused: they load much faster)."""
    manifest_entry: dict[str, object] | None
    outlines: tuple[tuple[str, str | None, str | None], ...]
    """``(output path, links, ids)`` of each HTML file made, the links and the ids each
    joined by NUL, which no attribute holds (``None`` for none): a few strings load
    much faster than the many they stand for."""


@dataclass
class _Published:
    """What the last publish wrote, to recognise the output folder as unchanged since."""

    folder: str
    """Absolute output folder."""
    files: dict[str, tuple[str, int, int, int]] = field(default_factory=dict)
    """By output path: ``(digest, size, inode, modification time in ns)`` right after
    publishing (the times only tell whether the folder was touched since)."""
    folders: dict[str, tuple[int, int]] = field(default_factory=dict)
    """By path (``""`` for the output folder): ``(inode, modification time in ns)`` of
    each folder right after publishing. A folder's time changes whenever an entry in
    it comes or goes, so while they are all the same, the folder holds the files
    the publish wrote and no others."""


class BuildCache:
    """The cache folder of one site, read at the start of a build and written at its end."""

    def __init__(self, folder: Path, key: str, notice: Callable[[str], None]) -> None:
        self.folder = folder
        self.key = key
        self._notice = notice
        self._entries: dict[Job, _Entry] = {}
        self._new: dict[Job, _Entry] = {}
        self._sources: dict[str, _KeptSource] = {}
        self._blobs: dict[str, tuple[str, int, int]] = {}
        """Where each output file is kept, by digest: ``(pack name, offset, length)``."""
        self._pending: dict[str, bytes] = {}
        self.compiled_templates = ""
        """Digest of every template when they last compiled (:meth:`Fingerprints.state`)."""
        self.locale_facts: dict[str, LocaleFacts] = {}
        """Each locale's :meth:`~locgen.locales.SiteLocale.facts`, by tag, as the last
        build that rendered worked them out."""
        self.store: dict[str, Any] = {}
        """What checks keep from one build to the next (:attr:`CheckContext.store`)."""
        self._published: _Published | None = None
        self._reused_sources: set[str] = set()
        """The content files :meth:`source` gave back as the last build parsed them."""
        self._restatted: set[str] = set()
        """Those of them whose file status has settled to another than the one kept (a
        clone, a copy, a touch)."""
        self._verified: dict[str, Path | None] = {}
        self._folder: tuple[_Published, Path] | None = None
        self._load()

    # -- reading -------------------------------------------------------------

    def _load(self) -> None:
        data = self._read(_JOBS)
        if isinstance(data, dict) and data.get("key") == self.key:
            self._entries = {job: _Entry._make(kept) for job, kept in data["entries"]}
            self._sources = data["sources"]
            self._blobs = data["blobs"]
            self.compiled_templates = data["templates"]
            self.locale_facts = data["locales"]
        kept = self._read(_STORE)
        if isinstance(kept, dict) and kept.get("key") == self.key:
            self.store = kept["store"]
        self._loaded_templates = self.compiled_templates
        self._loaded_locale_facts = dict(self.locale_facts)
        self._loaded_store = dict(self.store)
        published = self._read(_PUBLISHED)
        if isinstance(published, dict) and published.get("format") == CACHE_FORMAT:
            self._published = published["published"]

    def _read(self, name: str) -> Any:
        path = self.folder / name
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            return None
        except OSError as exc:
            self._notice(f"cannot read the build cache file {path} ({exc.strerror}); ignoring it")
            return None
        header = len(_MAGIC) + 32
        if raw[: len(_MAGIC)] != _MAGIC or len(raw) < header + 1:
            self._notice(f"the build cache file {path} is damaged; ignoring it")
            return None
        payload = raw[header:]
        if digest_bytes(payload).encode() != raw[len(_MAGIC) : header]:
            self._notice(f"the build cache file {path} is damaged; ignoring it")
            return None
        try:
            return _unpickle(payload)
        except Exception:  # written by another version of locgen, or damaged: same cure
            self._notice(f"the build cache file {path} cannot be read; ignoring it")
            return None

    def source(self, path: Path) -> SourceFile | None:
        """The content file at *path* as the last build parsed it, if its bytes are the same.

        A file whose settled status is the one it had then is not read: its body is
        read when it is needed (:class:`UnreadBody`).
        """
        name = str(path)
        known = self._sources.get(name)
        if known is None:
            return None
        fields, body_length, mentions_locgen = known
        status = settled_status(path)  # before reading: a later change changes it
        body = UnreadBody(path, body_length, fields["content_hash"], mentions_locgen)
        if status is not None and status == fields["file_status"]:
            self._reused_sources.add(name)
            return SourceFile(path=path, body=body, **fields)
        try:
            text = body.read_if_unchanged()
        except ContentError:  # parsing the file again reports why it cannot be read
            return None
        if text is None:
            return None
        self._reused_sources.add(name)
        if status != fields["file_status"]:  # the same bytes, a new status
            fields = {**fields, "file_status": status}
            # One not settled yet is not worth keeping: the next build reads the file again.
            # The kept one can never be the file's again, as its change time only grows.
            if status is not None:
                self._restatted.add(name)
        return SourceFile(path=path, body=text, **fields)

    def result(self, job: Job, fingerprints: Fingerprints) -> JobResult | None:
        """The cached result of *job* if nothing it read has changed and its files are at hand."""
        entry = self._entries.get(job)
        if entry is None:
            return None
        if fingerprints.state(entry.tokens) != entry.state:
            return None
        files = []
        for path, digest, origin, source in entry.files:
            data = self._file(path, digest)
            if data is None:
                return None
            shown = fingerprints.source_path(source) if source is not None else None
            files.append(OutputFile(path, data, origin, shown))
        self._new[job] = entry
        return JobResult(
            files=tuple(files),
            deps=frozenset(entry.tokens),
            findings=entry.findings,
            image_uses=tuple(_image_use(kept, fingerprints) for kept in entry.image_uses),
            manifest_entry=entry.manifest_entry,
            outlines=tuple(
                (path, HtmlOutline.joined(links, ids)) for path, links, ids in entry.outlines
            ),
            digests=tuple(digest for _, digest, _, _ in entry.files),
        )

    def _file(self, path: str, digest: str) -> bytes | Path | None:
        """The file *path* with *digest*: in the output folder if it is still there, else a blob."""
        published = self.published_file(path, digest)
        if published is not None:
            return published
        return self._read_blob(digest)

    def _read_blob(self, digest: str) -> bytes | None:
        where = self._blobs.get(digest)
        if where is None:
            return None
        name, offset, length = where
        pack = self.folder / _PACKS / name
        try:
            with pack.open("rb") as handle:
                handle.seek(offset)
                data = handle.read(length)
        except OSError:
            return None
        if digest_bytes(data) != digest:
            self._notice(f"the build cache file {pack} is damaged; rendering its page again")
            return None
        return data

    def published_file(self, path: str, digest: str) -> Path | None:
        """The file at *path* in the output folder, if the last publish wrote it with
        *digest* and nothing has touched it since."""
        published = self._published
        if published is None:
            return None
        recorded = published.files.get(path)
        if recorded is None or recorded[0] != digest:
            return None
        if path not in self._verified:
            target = os.path.join(published.folder, path)
            try:
                stat = os.stat(target)
            except OSError:
                self._verified[path] = None
            else:
                same = (stat.st_size, stat.st_ino, stat.st_mtime_ns) == recorded[1:]
                self._verified[path] = self._folder_of(published) / path if same else None
        return self._verified[path]

    def _folder_of(self, published: _Published) -> Path:
        """The output folder of *published* as a path (made once: joining is quicker)."""
        if self._folder is None or self._folder[0] is not published:
            self._folder = (published, Path(published.folder))
        return self._folder[1]

    def holds_only_published(self, folder: Path, paths: Collection[str]) -> bool:
        """True when *paths* are the files the last publish wrote to *folder*, and no
        file or folder came or went in it since (told by the folders' times)."""
        published = self._published
        if published is None or Path(published.folder) != folder:
            return False
        if len(paths) != len(published.files) or not all(p in published.files for p in paths):
            return False
        for rel, recorded in published.folders.items():
            try:
                stat = os.stat(os.path.join(published.folder, rel))
            except OSError:
                return False
            if (stat.st_ino, stat.st_mtime_ns) != recorded:
                return False
        return True

    def published_to(self, folder: Path) -> bool:
        """True when the last publish wrote to *folder* (absolute) and it is still there:
        :meth:`published_file` can then answer for its files."""
        published = self._published
        return published is not None and Path(published.folder) == folder and folder.is_dir()

    # -- writing -------------------------------------------------------------

    def _remember(self, job: Job, result: JobResult, fingerprints: Fingerprints) -> None:
        """Keep *result* of *job*, just rendered, for the next build."""
        tokens = tuple(sorted(sys.intern(token) for token in result.deps))
        entry = _Entry(
            tokens=tokens,
            state=fingerprints.state(tokens),
            files=tuple(
                (file.path, digest, file.origin, str(file.source) if file.source else None)
                for file, digest in zip(result.files, result.digests, strict=True)
            ),
            findings=result.findings,
            image_uses=tuple(_image_use_fields(use) for use in result.image_uses),
            manifest_entry=result.manifest_entry,
            outlines=tuple((path, *outline.kept()) for path, outline in result.outlines),
        )
        for file, digest in zip(result.files, result.digests, strict=True):
            if isinstance(file.data, bytes) and digest not in self._blobs:
                self._pending[digest] = file.data
        self._new[job] = entry

    def save(
        self,
        rendered: Mapping[Job, JobResult],
        fingerprints: Fingerprints,
        sources: Collection[SourceFile],
    ) -> None:
        """Keep the results of the jobs just *rendered* (:meth:`_remember`), and write them
        with this build's parsed *sources*; drop unused blobs. The check store is
        written on its own (:meth:`save_store`), since checks run after rendering."""
        for job, result in rendered.items():
            self._remember(job, result, fingerprints)
        # Every file the cache knew was reused, and there are no others: the same files
        # (with new statuses for too few of them to be worth writing everything again).
        same_sources = len(sources) == len(self._reused_sources) == len(self._sources)
        same_sources = same_sources and len(self._restatted) * RESTATTED_SHARE <= len(sources)
        if (
            not self._pending
            and self._new == self._entries
            and same_sources
            and self.compiled_templates == self._loaded_templates
            and self.locale_facts == self._loaded_locale_facts
        ):
            return  # nothing new to keep: a warm build writes nothing
        reused = self._reused_sources - self._restatted  # kept as they are
        parsed = {}
        for source in sources:
            name = str(source.path)
            parsed[name] = self._sources[name] if name in reused else _kept_source(source)
        live = {digest for entry in self._new.values() for _, digest, _, _ in entry.files}
        blobs = {digest: where for digest, where in self._blobs.items() if digest in live}
        new = {d: data for d, data in self._pending.items() if d in live and d not in blobs}
        packs = self.folder / _PACKS
        on_disk = {entry.name: entry.stat().st_size for entry in _scan(packs)}
        live_size = sum(length for _, _, length in blobs.values()) + sum(map(len, new.values()))
        if sum(on_disk.values()) > 2 * live_size + (1 << 20):
            # Mostly outputs no build uses any more: keep the live ones in one new pack.
            new.update((digest, kept) for digest in blobs if (kept := self._read_blob(digest)))
            blobs = {}
        if new:
            name = digest_parts(sorted(new))[:20] + ".pack"
            offset = 0
            for digest in sorted(new):
                blobs[digest] = (name, offset, len(new[digest]))
                offset += len(new[digest])
            write_atomic(packs / name, b"".join(new[digest] for digest in sorted(new)))
        data = {
            "key": self.key,
            "entries": [(tuple(job), tuple(entry)) for job, entry in self._new.items()],
            "sources": parsed,
            "blobs": blobs,
            "templates": self.compiled_templates,
            "locales": self.locale_facts,
        }
        self._write(_JOBS, data)
        # Only now that jobs.bin no longer names them: packs nothing uses go.
        used = {name for name, _, _ in blobs.values()}
        for name in on_disk.keys() - used:
            (packs / name).unlink(missing_ok=True)
        self._blobs, self._pending = blobs, {}

    def save_store(self) -> None:
        """Write what the checks keep (:attr:`store`), if it changed."""
        if self.store != self._loaded_store:
            self._write(_STORE, {"key": self.key, "store": self.store})

    def record_published(
        self, folder: Path, digests: Mapping[str, str], written: Iterable[str] | None = None
    ) -> None:
        """Remember the files just published to *folder*, with their digests.

        :param written: the only files written, when the others are the files the
            last publish recorded, untouched.
        """
        published = _Published(str(folder.absolute()))
        last = self._published
        kept = last.files if last is not None else {}
        fresh = set(digests) if written is None else set(written)
        if written is not None and last is not None and last.folder == published.folder:
            # Only the folders that hold a written file changed (and those above them).
            published.folders = dict(last.folders)
            for path in fresh:
                rel = posixpath.dirname(path)
                while rel:
                    published.folders.pop(rel, None)
                    rel = posixpath.dirname(rel)
            published.folders.pop("", None)
        for path, digest in digests.items():
            if path in fresh or path not in kept:
                stat = os.stat(os.path.join(published.folder, path))
                published.files[path] = (digest, stat.st_size, stat.st_ino, stat.st_mtime_ns)
            else:
                published.files[path] = kept[path]
        for rel in {""} | {posixpath.dirname(path) for path in published.files}:
            while rel not in published.folders:
                stat = os.stat(os.path.join(published.folder, rel))
                published.folders[rel] = (stat.st_ino, stat.st_mtime_ns)
                rel = posixpath.dirname(rel)
        self._published = published
        self._write(_PUBLISHED, {"format": CACHE_FORMAT, "published": published})

    def forget_published(self) -> None:
        """Forget the last publish (the output folder was changed in part)."""
        self._published = None
        (self.folder / _PUBLISHED).unlink(missing_ok=True)

    def _write(self, name: str, value: object) -> None:
        payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        write_atomic(self.folder / name, _MAGIC + digest_bytes(payload).encode() + payload)


_KeptImageUse = tuple[str, str, str, str | None, int | None, tuple[str, ...], tuple[str, ...]]


def _unpickle(payload: bytes) -> Any:
    """The object pickled in *payload*, loaded with the cyclic garbage collector paused.

    Unpickling makes hundreds of thousands of containers, none of them garbage, and
    each few hundred of them would start a collection that walks all made so far:
    that took half the time of loading a 10,000-page site's cache. They then go to
    the collector's oldest generation, which the frequent young collections do not
    walk (they walked them twice more, a twentieth of a warm build).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        loaded = pickle.loads(payload)
    finally:
        if enabled:
            gc.enable()
    if gc.get_freeze_count() == 0:  # leave what the program froze for itself alone
        gc.freeze()  # every tracked object to the permanent generation,
        gc.unfreeze()  # and from there to the oldest one
    return loaded


def _image_use_fields(use: ImageUse) -> _KeptImageUse:
    """The fields of *use*, its page's source file as text."""
    page = str(use.page_path) if use.page_path is not None else None
    return (use.requested, use.resolved, use.locale, page, use.line, use.tags, use.page_tags)


def _image_use(kept: _KeptImageUse, fingerprints: Fingerprints) -> ImageUse:
    """The image use :func:`_image_use_fields` kept, with the build's own source paths."""
    requested, resolved, locale, page, line, tags, page_tags = kept
    path = fingerprints.source_path(page) if page is not None else None
    return ImageUse(requested, resolved, locale, path, line, tags, page_tags)


def _scan(folder: Path) -> list[os.DirEntry[str]]:
    """The files in *folder*; none if it does not exist."""
    try:
        return [entry for entry in os.scandir(folder) if entry.is_file()]
    except FileNotFoundError:
        return []
