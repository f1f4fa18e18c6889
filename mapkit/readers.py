"""Read records from CSV, JSON and JSON Lines files for the ``mapkit`` command.

CSV files may start with a UTF-8 byte order mark and use ``,``, ``;``, tab or ``|`` between
cells; the header line decides which. Every CSV cell is a string. JSON files hold one object or
an array of them; JSON Lines files one object per line. JSON text is parsed as
``mapkit.validate_json`` parses it, so repeated keys, NaN and overflowing numbers become issues.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import os
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO, Any, Final, Literal

from mapkit.issues import Issue
from mapkit.jsontext import JsonTextError, parse_json_text
from mapkit.options import ValidationOptions
from mapkit.paths import ROOT

__all__ = ["ReadError", "Record", "RecordFile", "open_records"]

FileFormat = Literal["csv", "json", "jsonl"]

_EXTENSIONS: Final[dict[str, FileFormat]] = {
    ".csv": "csv", ".tsv": "csv", ".txt": "csv", ".json": "json", ".jsonl": "jsonl",
    ".ndjson": "jsonl",
}
_DELIMITERS: Final = (",", ";", "\t", "|")
# Large CSV cells (long free text) exceed the csv module's default limit of 131072 characters.
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))


class ReadError(Exception):
    """A file that cannot be read as records; the message names the file, the line and the fix."""


@dataclass(frozen=True, slots=True)
class Record:
    """One record: its number in the file (from 1), the payload and issues in its JSON text."""

    number: int
    payload: Any
    text_issues: dict[str, list[Issue]] | None = None


@dataclass
class RecordFile:
    """A file of records that can be read more than once (for fitting, then validating)."""

    name: str
    format: FileFormat
    size: int
    options: ValidationOptions = dataclasses.field(default_factory=ValidationOptions)
    _text: str | None = None

    def records(self, progress: Callable[[int], None] | None = None) -> Iterator[Record]:
        """Read the records one at a time; ``progress`` gets the bytes read so far."""
        with self._open() as stream:
            reader = {"csv": _csv_records, "json": _json_records, "jsonl": _jsonl_records}
            for record in reader[self.format](self.name, stream, self.options):
                if progress is not None:
                    progress(_position(stream))
                yield record

    def _open(self) -> IO[str]:
        if self._text is not None:
            return io.StringIO(self._text)
        try:
            return open(self.name, encoding="utf-8-sig", newline="")
        except OSError as error:
            raise ReadError(f"{self.name}: cannot open the file ({error.strerror})") from error


def open_records(name: str, file_format: FileFormat | None = None,
                 options: ValidationOptions | None = None) -> RecordFile:
    """Open a file of records (``-`` for standard input), by extension or by its first character.

    ``options`` decide whether issues found in JSON text carry the values.
    """
    options = options or ValidationOptions()
    if name == "-":
        text = sys.stdin.read()
        return RecordFile("-", file_format or _sniff(text[:1024]), len(text.encode()), options,
                          text)
    try:
        size = os.path.getsize(name)
    except OSError as error:
        raise ReadError(f"{name}: cannot open the file ({error.strerror})") from error
    if os.path.isdir(name):
        raise ReadError(f"{name}: is a directory; give a CSV, JSON or JSON Lines file")
    if file_format is None:
        file_format = _EXTENSIONS.get(os.path.splitext(name)[1].lower())
    if file_format is None:
        with open(name, encoding="utf-8-sig", errors="replace") as stream:
            file_format = _sniff(stream.read(1024))
    return RecordFile(name, file_format, size, options)


def _sniff(start: str) -> FileFormat:
    stripped = start.lstrip()
    if stripped.startswith("["):
        return "json"
    if stripped.startswith("{"):
        first_line = stripped.split("\n", 1)[0].strip()
        return "jsonl" if first_line.endswith("}") and "\n" in stripped.strip() else "json"
    return "csv"


def _position(stream: IO[str]) -> int:
    buffer = getattr(stream, "buffer", None)
    try:
        return int(buffer.tell()) if buffer is not None else stream.tell()
    except (OSError, ValueError):
        return 0


def _csv_records(name: str, stream: IO[str], options: ValidationOptions) -> Iterator[Record]:
    try:
        header_line = stream.readline()
        delimiter = max(_DELIMITERS, key=header_line.count)
        stream.seek(0)
        reader = csv.reader(stream, delimiter=delimiter)
        header = next(reader, None)
        if header is None:
            return
        _check_header(name, header)
        for number, row in enumerate(reader, start=1):
            if not row:
                continue
            if len(row) > len(header):
                raise ReadError(f"{name}: line {reader.line_num} has {len(row)} cells but the "
                                f"header has {len(header)}; quote cells that contain "
                                f"{delimiter!r}")
            yield Record(number, dict(zip(header, row, strict=False)))
    except UnicodeDecodeError as error:
        raise ReadError(f"{name}: is not UTF-8 text ({error.reason}); convert it to UTF-8") \
            from error
    except csv.Error as error:
        raise ReadError(f"{name}: is not valid CSV ({error})") from error


def _check_header(name: str, header: list[str]) -> None:
    seen: set[str] = set()
    for column in header:
        if column in seen:
            raise ReadError(f"{name}: the column {column!r} appears twice in the header; "
                            "rename one of them")
        seen.add(column)


def _json_records(name: str, stream: IO[str], options: ValidationOptions) -> Iterator[Record]:
    text = _read_text(name, stream)
    try:
        document, text_issues = parse_json_text(text, options)
    except JsonTextError as error:
        raise ReadError(f"{name}: {error}") from error
    if not isinstance(document, list):
        yield Record(1, document, text_issues or None)
        return
    for index, payload in enumerate(document):
        yield Record(index + 1, payload, _issues_of_item(text_issues, index) or None)


def _issues_of_item(text_issues: dict[str, list[Issue]], index: int) -> dict[str, list[Issue]]:
    """Take the issues under ``[index]`` and make their paths relative to that item."""
    prefix = f"[{index}]"
    result: dict[str, list[Issue]] = {}
    for path, issues in text_issues.items():
        if path == prefix or path.startswith((prefix + ".", prefix + "[")):
            relative = path[len(prefix):].lstrip(".") or ROOT
            result[relative] = [dataclasses.replace(issue, field=relative) for issue in issues]
    return result


def _jsonl_records(name: str, stream: IO[str], options: ValidationOptions) -> Iterator[Record]:
    number = 0
    try:
        for line_number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            number += 1
            try:
                payload, text_issues = parse_json_text(line, options)
            except JsonTextError as error:
                where = f"line {line_number}"
                if error.column is not None:
                    where += f", column {error.column}"
                raise ReadError(f"{name}: {where}: {error.problem}") from error
            yield Record(number, payload, text_issues or None)
    except UnicodeDecodeError as error:
        raise ReadError(f"{name}: is not UTF-8 text ({error.reason}); convert it to UTF-8") \
            from error


def _read_text(name: str, stream: IO[str]) -> str:
    try:
        return stream.read()
    except UnicodeDecodeError as error:
        raise ReadError(f"{name}: is not UTF-8 text ({error.reason}); convert it to UTF-8") \
            from error
