"""The repository stands alone: a fresh clone has everything its files refer to.

Vendor facts live in ``docs/vendors/`` and code cites them by section (the vendor doc's
path followed by a section sign and a number). This keeps it so:

- no file points at material beside the repository (the parent directory's ``shared`` or
  ``seeds`` folders) or at a path of the machine it was written on (a home directory, the
  work or root directories; a temporary-file path outside the container and deploy files);
- every citation names a vendor doc that exists and a numbered section heading it has, and
  no section sign stands alone (one that cited material which is not here). RFC citations
  ("RFC 7518" followed by a section) are fine.

Every tracked or new, not ignored, text file is scanned, except lock files and the pinned
playground assets.
"""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = "docs/vendors"
SECTION = "\N{SECTION SIGN}"

#: generated or third-party files whose content is not ours to word
SKIPPED_PREFIXES = ("gateway/playground/assets/",)
SKIPPED_SUFFIXES = (".lock",)

#: a sibling folder of the checkout (the vendor material the project started from)
OUTSIDE = re.compile(r"\.\./+(?:\.\./+)*(?:shared|seeds)\b")
#: an absolute path of a developer machine or CI runner, anywhere
MACHINE_PATH = re.compile(r"(?<![\w.~/:@-])/(?:work|home|Users)/[\w.~-]")
#: temporary and root-home paths: legitimate only inside the container image and manifests
CONTAINER_ONLY_PATH = re.compile(r"(?<![\w.~/:@-])/(?:tmp|root)/[\w.~-]")
NUMBER = r"\d+(?:\.\d+)*"
#: a vendor doc citation: the doc, then one or more section numbers (``, §x``, `` to §y``)
CITATION = re.compile(
    rf"{DOCS}/(?P<doc>[a-z0-9_-]+)\.md[`*)\]]*"
    rf"(?P<refs>(?:[\s#]*{SECTION}\s?{NUMBER})(?:(?:[\s#,;]|and|to)*{SECTION}\s?{NUMBER})*)"
)
REF = re.compile(rf"{SECTION}\s?(?P<number>{NUMBER})")
RFC_REF = re.compile(rf"RFC\s?\d+\s*{SECTION}\s?{NUMBER}")
HEADING = re.compile(rf"^#{{2,6}}\s+(?P<number>{NUMBER})\.?\s", re.MULTILINE)


@dataclass(frozen=True)
class Finding:
    path: str
    line: int
    problem: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.problem}"


def _in_container_files(path: str) -> bool:
    name = path.rsplit("/", 1)[-1]
    return path.startswith("deploy/") or name in {"Dockerfile", ".dockerignore"}


def _line(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def outside_references(path: str, text: str) -> Iterator[Finding]:
    """References to files that are not in a clone of the repository."""
    for match in OUTSIDE.finditer(text):
        yield Finding(path, _line(text, match.start()), f"names {match.group()!r} (outside)")
    for match in MACHINE_PATH.finditer(text):
        yield Finding(path, _line(text, match.start()), "names a machine path")
    if not _in_container_files(path):
        for match in CONTAINER_ONLY_PATH.finditer(text):
            yield Finding(path, _line(text, match.start()), "names a machine path")


def doc_sections(text: str) -> frozenset[str]:
    """The numbers of a doc's numbered headings (``## 2. Errors`` → ``2``)."""
    return frozenset(m.group("number") for m in HEADING.finditer(text))


def citation_problems(
    path: str, text: str, sections: dict[str, frozenset[str]]
) -> Iterator[Finding]:
    """Citations of missing docs or sections, and section signs that cite nothing here.

    ``sections`` maps a vendor doc's name to its section numbers. Inside a vendor doc a bare
    section reference points into that doc itself.
    """
    covered: list[tuple[int, int]] = []
    for match in CITATION.finditer(text):
        covered.append(match.span())
        doc = match.group("doc")
        line = _line(text, match.start())
        if doc not in sections:
            yield Finding(path, line, f"cites {DOCS}/{doc}.md, which does not exist")
            continue
        for ref in REF.finditer(match.group("refs")):
            number = ref.group("number")
            if number not in sections[doc]:
                yield Finding(path, line, f"cites {doc}.md {SECTION}{number}: no such section")
    covered += [m.span() for m in RFC_REF.finditer(text)]
    own = Path(path).stem if path.startswith(f"{DOCS}/") else None
    for ref in REF.finditer(text):
        if any(start <= ref.start() < end for start, end in covered):
            continue
        line = _line(text, ref.start())
        if own is None:
            yield Finding(path, line, f"{ref.group()!r} cites no {DOCS} doc (dangling citation)")
        elif ref.group("number") not in sections.get(own, frozenset()):
            yield Finding(path, line, f"{ref.group()!r}: no such section in this doc")


@cache
def repository_files() -> tuple[str, ...]:
    """Tracked files and new ones not ignored (so a file is checked before its commit)."""
    try:
        listed = subprocess.run(
            ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
            cwd=ROOT,
            capture_output=True,
            check=True,
            timeout=30,
        ).stdout
    except (OSError, subprocess.CalledProcessError) as exc:
        pytest.skip(f"not a git checkout: {exc}")
    paths = {p for p in listed.decode().split("\0") if p}
    return tuple(
        sorted(
            p
            for p in paths
            if not p.startswith(SKIPPED_PREFIXES) and not p.endswith(SKIPPED_SUFFIXES)
        )
    )


def read_text(path: str) -> str | None:
    """The file's text, or ``None`` for a binary file or one deleted in the work tree."""
    try:
        data = (ROOT / path).read_bytes()
    except (FileNotFoundError, IsADirectoryError):
        return None
    if b"\0" in data[:8192]:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def vendor_doc_sections() -> dict[str, frozenset[str]]:
    return {
        doc.stem: doc_sections(doc.read_text(encoding="utf-8"))
        for doc in sorted((ROOT / DOCS).glob("*.md"))
    }


def test_vendor_docs_exist_with_numbered_sections() -> None:
    sections = vendor_doc_sections()
    assert set(sections) >= {"tallymarks", "omnidesk", "talon"}
    for name, numbers in sections.items():
        assert {"1", "2", "3"} <= numbers, f"{name}.md lacks numbered sections"


def test_no_file_refers_outside_the_repository() -> None:
    findings = [
        str(finding)
        for path in repository_files()
        if (text := read_text(path)) is not None
        for finding in outside_references(path, text)
    ]
    assert not findings, "\n".join(findings)


def test_every_vendor_doc_citation_names_an_existing_section() -> None:
    sections = vendor_doc_sections()
    findings = [
        str(finding)
        for path in repository_files()
        if (text := read_text(path)) is not None
        for finding in citation_problems(path, text, sections)
    ]
    assert not findings, "\n".join(findings)


# --- the checks themselves catch what they are for (texts built here, never stored) ---

PARENT = ".." + "/"
SECTIONS = {"talon": frozenset({"1", "3", "3.3", "5", "5.4"})}


@pytest.mark.parametrize(
    "text",
    [
        f"see {PARENT}shared/vendors/talon.md",
        f"seed documents in {PARENT}{PARENT}seeds/",
        "/" + "work/main/gateway/app.py",
        "open('/" + "home/dev/notes.txt')",
        "cache in /" + "tmp/customer-graph/l1",
    ],
)
def test_outside_references_are_found(text: str) -> None:
    assert list(outside_references("gateway/example.py", text))


@pytest.mark.parametrize(
    "text",
    [
        "https://example.com/" + "work/main is a URL path",
        "mountPath: /" + "tmp",
        "the relative path work/" + "main",
    ],
)
def test_ordinary_paths_are_not_findings(text: str) -> None:
    assert not list(outside_references("gateway/example.py", text))


def test_temporary_paths_are_allowed_in_container_files() -> None:
    text = "RUN mkdir -p /" + "tmp/cache"
    assert not list(outside_references("Dockerfile", text))
    assert not list(outside_references("deploy/k8s/deployment.yaml", text))
    assert list(outside_references("sandbox/app.py", text))


@pytest.mark.parametrize(
    "text",
    [
        f"(docs/vendors/talon.md {SECTION}5.4)",
        f"docs/vendors/talon.md {SECTION}3.3, {SECTION}5 and {SECTION}1",
        f"# long comment ending docs/vendors/talon.md\n# {SECTION}5.4 on the next line",
        f"RFC 7518 {SECTION}3.2: an HS256 key",
    ],
)
def test_valid_citations_pass(text: str) -> None:
    assert not list(citation_problems("sandbox/x.py", text, SECTIONS))


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        (f"(docs/vendors/talon.md {SECTION}9.9)", "no such section"),
        (f"docs/vendors/talon.md {SECTION}5.4 to {SECTION}5.40", "no such section"),
        (f"(docs/vendors/nobody.md {SECTION}1)", "does not exist"),
        (f"the old notes {SECTION}5.4", "dangling"),
        (f"[assumption {SECTION}5.2]", "dangling"),
    ],
)
def test_broken_citations_are_found(text: str, problem: str) -> None:
    findings = [str(f) for f in citation_problems("sandbox/x.py", text, SECTIONS)]
    assert findings
    assert problem in findings[0]


def test_a_vendor_doc_may_refer_to_its_own_sections() -> None:
    text = f"## 3. Errors\n\nSee {SECTION}3 and {SECTION}5.4, not {SECTION}7."
    findings = [str(f) for f in citation_problems(f"{DOCS}/talon.md", text, SECTIONS)]
    assert len(findings) == 1
    assert f"{SECTION}7" in findings[0]


def test_headings_give_section_numbers() -> None:
    text = "# Title\n\n## 1. Hosts\n\n### 1.2 Auth\n\n#### 5.19 Totals\n\nText 2. not\n"
    assert doc_sections(text) == {"1", "1.2", "5.19"}
