"""Safe XML parsing for files people upload (CIN census returns and the like).

An XML file can attack the program reading it: a document type declaration (DTD) can
define entities that expand exponentially ("billion laughs") or pull in local files and
URLs (external entities). Census files never need a DTD, so we refuse any file that has one,
using defusedxml's checks and exceptions, and turn every parse failure into a
``FormatError`` whose message names the file and says what is wrong.

Two entry points:

* ``hardened_expat_parser`` — a streaming expat parser with the defusedxml protections
  installed; expat reports byte offsets, which lets a caller copy the original bytes through
  unchanged (see ``fgc.returns.cin.enrich``).
* ``parse_xml`` — a whole (small) document as an ElementTree element, via defusedxml.
"""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, NoReturn
from xml.parsers import expat

import defusedxml.ElementTree as DET
from defusedxml.common import (
    DefusedXmlException,
    DTDForbidden,
    EntitiesForbidden,
    ExternalReferenceForbidden,
)

from fgc.formats.errors import FormatError

XmlSource = str | Path | bytes | IO[bytes]

CHUNK_SIZE = 1 << 16


class UnsafeXMLError(FormatError):
    """The file holds XML constructs we refuse to process (DTD, entities, external references)."""


def source_name(source: XmlSource) -> str:
    if isinstance(source, str | Path):
        return Path(source).name
    if isinstance(source, bytes):
        return "the uploaded XML"
    return Path(str(getattr(source, "name", "the uploaded XML"))).name


@contextmanager
def open_xml(source: XmlSource) -> Iterator[IO[bytes]]:
    """Open a path, bytes or binary stream for reading as bytes."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
    elif isinstance(source, str | Path):
        try:
            handle = open(source, "rb")  # noqa: SIM115 - closed below
        except OSError as exc:
            raise FormatError(f"{source}: cannot open the file ({exc.strerror}).") from exc
        with handle:
            yield handle
    else:
        yield source


def _unsafe_message(name: str, exc: BaseException) -> str:
    if isinstance(exc, DTDForbidden):
        what = "a document type declaration (DTD)"
    elif isinstance(exc, EntitiesForbidden):
        what = "an entity declaration"
    elif isinstance(exc, ExternalReferenceForbidden):
        what = "a reference to an external file or URL"
    else:
        what = "a construct we do not process"
    return (
        f"{name}: the file contains {what}. Census files never need one, and they can be used "
        "to attack the program reading the file (entity expansion, reading other files), so "
        "the file was rejected. Export the census again from your case management system."
    )


def raise_unsafe(name: str, exc: BaseException) -> NoReturn:
    raise UnsafeXMLError(_unsafe_message(name, exc)) from exc


def _malformed_message(name: str, exc: expat.ExpatError | ET.ParseError) -> str:
    line, column = getattr(exc, "position", (getattr(exc, "lineno", 0), getattr(exc, "offset", 0)))
    reason = str(exc).split(":")[0]
    if isinstance(exc, expat.ExpatError):
        reason = expat.ErrorString(exc.code) or reason
    return f"{name}: not well-formed XML at line {line}, column {column + 1}: {reason}."


def hardened_expat_parser(name: str) -> Any:
    """An expat parser that refuses DTDs, entity declarations and external references.

    The handlers raise defusedxml's own exceptions (the checks defusedxml installs), so
    ``feed_expat`` can turn them into clear messages.
    """
    parser = expat.ParserCreate()

    def _doctype(
        doctype_name: str, sysid: str | None, pubid: str | None, has_internal: int
    ) -> None:
        raise DTDForbidden(doctype_name, sysid, pubid)

    def _entity(name_: str, *args: Any) -> None:
        raise EntitiesForbidden(name_, None, None, None, None, None)

    def _unparsed(name_: str, base: Any, sysid: Any, pubid: Any, notation: Any) -> None:
        raise EntitiesForbidden(name_, None, base, sysid, pubid, notation)

    def _external(context: Any, base: Any, sysid: Any, pubid: Any) -> int:
        raise ExternalReferenceForbidden(context, base, sysid, pubid)

    parser.StartDoctypeDeclHandler = _doctype
    parser.EntityDeclHandler = _entity
    parser.UnparsedEntityDeclHandler = _unparsed
    parser.ExternalEntityRefHandler = _external
    # Never fetch anything: without a DTD there is nothing to resolve anyway.
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    return parser


def feed_expat(parser: Any, name: str, data: bytes, final: bool = False) -> None:
    """Feed bytes to a hardened parser, translating failures into ``FormatError``."""
    try:
        parser.Parse(data, final)
    except DefusedXmlException as exc:
        raise_unsafe(name, exc)
    except expat.ExpatError as exc:
        raise FormatError(_malformed_message(name, exc)) from exc


def parse_xml(source: XmlSource) -> ET.Element:
    """Parse a small XML document safely (defusedxml, no DTD allowed)."""
    name = source_name(source)
    with open_xml(source) as handle:
        try:
            tree = DET.parse(handle, forbid_dtd=True)
        except DefusedXmlException as exc:
            raise_unsafe(name, exc)
        except ET.ParseError as exc:
            raise FormatError(_malformed_message(name, exc)) from exc
    return tree.getroot()
