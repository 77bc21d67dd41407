"""The documents the tree cites are in the tree. In lib/, app/, tests/, scripts/,
config/ and .ci/: every *.md a comment or test names exists, and so does the
section it may name after it (a comma, then the heading in double quotes). In
README.md and docs/: every link and anchor resolves, every path of the tree in
backquotes exists, and every name given in parentheses after such a path is in
that file, so that the pages follow the code when it moves."""
import glob
import os
import re

import pytest

from clilib import ROOT

CODE_DIRS = ("lib", "app", "tests", "scripts", "config", ".ci")
PAGES = ["README.md"] + sorted(os.path.relpath(p, ROOT)
                               for p in glob.glob(os.path.join(ROOT, "docs", "*.md")))

# A citation in code: a file name ending in .md, perhaps followed by , "Section".
MD_CITE = re.compile(r'([\w./-]*\w\.md)\b(?:,\s*"([^"\n]+)")?')
TREE = r"(?:lib|app|tests|scripts|config|docs|\.ci)/[^`\s]*"
PATH = re.compile(r"`(%s)`" % TREE)
# `lib/net/udp.c` (`udp_check`, `udp_serve`): names that must be in that file.
NAMES = re.compile(r"`(%s)`\s+\(((?:`[A-Za-z_]\w*`[,\s]*)+)\)" % TREE)
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")


def read(path):
    with open(path, encoding="utf-8", errors="replace") as f:
        return f.read()


def headings(path):
    return [m.group(1).strip() for m in re.finditer(r"^#+\s+(.*)$", read(path), re.M)]


def slug(heading):
    """The anchor GitHub gives a heading."""
    s = re.sub(r"[^\w\- ]", "", heading.lower())
    return s.replace(" ", "-")


def code_files():
    for top in CODE_DIRS:
        for d, dirs, files in os.walk(os.path.join(ROOT, top)):
            dirs[:] = [x for x in dirs if x != "__pycache__"]
            for name in files:
                path = os.path.join(d, name)
                with open(path, "rb") as f:
                    head = f.read(1 << 20)
                if b"\0" not in head:
                    yield path


def resolve(cited, where):
    """The cited file: from the top of the tree, or from the citing file's folder."""
    for base in (ROOT, os.path.dirname(where)):
        path = os.path.normpath(os.path.join(base, cited))
        if os.path.exists(path):
            return path
    return None


def md_citations():
    return [(os.path.relpath(path, ROOT), m.group(1), m.group(2))
            for path in code_files() for m in MD_CITE.finditer(read(path))]


CITATIONS = md_citations()


def test_the_patterns_find_what_they_must():
    """The scan is not vacuous: it finds the known citations, and it would see a
    missing file and a missing section."""
    assert ("lib/core/config.c", "docs/protocols.md", "UDP loops") in CITATIONS, CITATIONS
    missing = "NO_SUCH_FILE" + ".md"
    assert MD_CITE.search("see %s, \"Somewhere\"" % missing).groups() == (missing,
                                                                        "Somewhere")
    assert resolve(missing, os.path.join(ROOT, "lib", "x.c")) is None
    assert "Nowhere at all" not in " ".join(headings(os.path.join(ROOT, "docs/protocols.md")))


@pytest.mark.parametrize("where,cited,section", CITATIONS,
                         ids=["%s:%s" % (w, c) for w, c, _ in CITATIONS])
def test_cited_document_exists(where, cited, section):
    path = resolve(cited, os.path.join(ROOT, where))
    assert path is not None, "%s cites %s, which is not in the tree" % (where, cited)
    if section is not None:
        assert any(section.lower() in h.lower() for h in headings(path)), \
            "%s cites %s, \"%s\": no such heading there" % (where, cited, section)


@pytest.mark.parametrize("page", PAGES)
def test_page_links_resolve(page):
    path = os.path.join(ROOT, page)
    text = read(path)
    for target in LINK.findall(text):
        if re.match(r"[a-z]+:", target):
            continue
        file, _, anchor = target.partition("#")
        dest = os.path.normpath(os.path.join(os.path.dirname(path), file)) if file else path
        assert os.path.exists(dest), "%s links to %s, which is not in the tree" % (page, target)
        if anchor:
            assert anchor in [slug(h) for h in headings(dest)], \
                "%s links to %s: no such heading" % (page, target)


@pytest.mark.parametrize("page", PAGES)
def test_page_paths_exist(page):
    text = read(os.path.join(ROOT, page))
    paths = [p for p in PATH.findall(text) if "<" not in p]
    for p in paths:
        found = glob.glob(os.path.join(ROOT, p)) if "*" in p else \
            [p] if os.path.exists(os.path.join(ROOT, p)) else []
        assert found, "%s names %s, which is not in the tree" % (page, p)
    for p, names in NAMES.findall(text):
        body = read(os.path.join(ROOT, p))
        for name in re.findall(r"`(\w+)`", names):
            assert re.search(r"\b%s\b" % name, body), \
                "%s cites %s in %s, which is not there" % (page, name, p)
