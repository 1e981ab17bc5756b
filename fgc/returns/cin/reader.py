"""Stream a Children in Need census XML file one ``Child`` at a time.

The census is ``Message/Header`` then ``Message/Children/Child`` repeated (tens of thousands
of times in a large council). We never hold the whole document: a hardened expat parser
(``fgc.formats.xml_safe``) builds a small tree for each ``Child`` (and the ``Header``),
hands it over, and forgets it. Each node keeps the byte offsets of its tags so the enricher
can copy the original file through unchanged and insert only what it adds.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

from fgc.formats.errors import FormatError
from fgc.formats.xml_safe import (
    CHUNK_SIZE,
    UnsafeXMLError,
    XmlSource,
    feed_expat,
    hardened_expat_parser,
    open_xml,
    source_name,
)

ROOT_TAG = "Message"
CHILDREN_TAG = "Children"
PP_BLOCK = "PreProceedingsandFGDM"


@dataclass
class Node:
    """One element of a Child (or the Header), with where its tags sit in the file."""

    tag: str
    start: int  # byte offset of "<tag"
    text: str = ""  # direct character data, concatenated
    children: list[Node] = field(default_factory=list)
    end: int = -1  # byte offset of "</tag>" (for <tag/>: just after it)
    ws_before: str = ""  # character data between the previous sibling (or parent tag) and us
    ws_before_end: str = ""  # character data just before our end tag
    line: int = 0

    def find(self, tag: str) -> Node | None:
        for c in self.children:
            if c.tag == tag:
                return c
        return None

    def findall(self, tag: str) -> list[Node]:
        return [c for c in self.children if c.tag == tag]

    def value(self, path: str) -> str | None:
        """Stripped text of the first descendant along ``a/b/c``; None if absent or blank."""
        node: Node | None = self
        for part in path.split("/"):
            node = node.find(part) if node else None
        if node is None:
            return None
        return node.text.strip() or None


class CensusScanner:
    """Push bytes in, get completed ``Child`` (and ``Header``) nodes out."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.parser = hardened_expat_parser(name)
        self.parser.buffer_text = True
        self.parser.StartElementHandler = self._start
        self.parser.EndElementHandler = self._end
        self.parser.CharacterDataHandler = self._chars
        self.depth = 0
        self.stack: list[Node] = []
        self.done: list[Node] = []
        self.header: Node | None = None
        self.child_start: int | None = None  # offset of the unfinished Child, if any
        self.children_end: int | None = None
        self.saw_root = False
        self._text: list[str] = []

    def _take_text(self) -> str:
        text = "".join(self._text)
        self._text.clear()
        return text

    def _start(self, tag: str, attrs: dict[str, str]) -> None:
        pos = self.parser.CurrentByteIndex
        before = self._take_text()
        self.depth += 1
        if self.depth == 1:
            if tag != ROOT_TAG:
                raise FormatError(
                    f"{self.name}: this is not a CIN census file (the root element is <{tag}>, "
                    f"expected <{ROOT_TAG}>)."
                )
            self.saw_root = True
            return
        if self.depth == 2 and tag == CHILDREN_TAG:
            return
        if self.stack:
            self.stack[-1].text += before
        node = Node(tag, pos, ws_before=before, line=self.parser.CurrentLineNumber)
        if self.stack:
            self.stack[-1].children.append(node)
        elif tag == "Child":
            self.child_start = pos
        self.stack.append(node)

    def _end(self, tag: str) -> None:
        pos = self.parser.CurrentByteIndex
        before = self._take_text()
        self.depth -= 1
        if not self.stack:
            if tag == CHILDREN_TAG:
                self.children_end = pos
            return
        node = self.stack.pop()
        node.text += before
        node.ws_before_end = before
        node.end = pos
        if not self.stack:
            if node.tag == "Header":
                self.header = node
            self.done.append(node)
            self.child_start = None

    def _chars(self, data: str) -> None:
        self._text.append(data)

    def feed(self, data: bytes, final: bool = False) -> list[Node]:
        try:
            feed_expat(self.parser, self.name, data, final)
        except UnsafeXMLError:
            raise
        except FormatError:
            if final and not self.saw_root:  # say "empty" rather than expat's "no element"
                raise FormatError(f"{self.name}: the file is empty or holds no XML.") from None
            raise
        if final and not self.saw_root:
            raise FormatError(f"{self.name}: the file is empty or holds no XML.")
        out, self.done = self.done, []
        return out


def iter_census(source: XmlSource) -> Iterator[Node]:
    """Yield the ``Header`` node (if any) and then every ``Child`` node, streaming."""
    name = source_name(source)
    scanner = CensusScanner(name)
    with open_xml(source) as handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield from scanner.feed(chunk)
        yield from scanner.feed(b"", final=True)


def parse_date(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        return None


@dataclass(frozen=True)
class CensusEpisode:
    referral_date: date | None
    closure_date: date | None
    has_cp_plan: bool
    pp: dict[str, str] | None  # element -> text of an existing PreProceedingsandFGDM block


@dataclass(frozen=True)
class CensusChild:
    la_child_id: str
    birth_date: date | None
    expected_birth_date: date | None
    sex: str | None
    ethnicity: str | None
    disabilities: tuple[str, ...]
    episodes: tuple[CensusEpisode, ...]


def pp_values(block: Node) -> dict[str, str]:
    return {c.tag: c.text.strip() for c in block.children}


def episode_of(node: Node) -> CensusEpisode:
    block = node.find(PP_BLOCK)
    return CensusEpisode(
        referral_date=parse_date(node.value("CINreferralDate")),
        closure_date=parse_date(node.value("CINclosureDate")),
        has_cp_plan=node.find("ChildProtectionPlans") is not None,
        pp=pp_values(block) if block is not None else None,
    )


def child_of(node: Node) -> CensusChild:
    ident = node.find("ChildIdentifiers")
    chars = node.find("ChildCharacteristics")
    disabilities: tuple[str, ...] = ()
    if chars is not None and (d := chars.find("Disabilities")) is not None:
        disabilities = tuple(c.text.strip() for c in d.findall("Disability") if c.text.strip())
    return CensusChild(
        la_child_id=(ident.value("LAchildID") if ident else None) or "",
        birth_date=parse_date(ident.value("PersonBirthDate") if ident else None),
        expected_birth_date=parse_date(ident.value("ExpectedPersonBirthDate") if ident else None),
        sex=ident.value("Sex") if ident else None,
        ethnicity=chars.value("Ethnicity") if chars else None,
        disabilities=disabilities,
        episodes=tuple(episode_of(e) for e in node.findall("CINdetails")),
    )


def read_census_children(source: XmlSource) -> Iterator[CensusChild]:
    """Every child in a census file, as plain records (streaming)."""
    for node in iter_census(source):
        if node.tag == "Child":
            yield child_of(node)
