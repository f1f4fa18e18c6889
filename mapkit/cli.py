"""The ``mapkit`` command: validate a file of records against a schema, or infer its schema.

Exit status: 0 when every record is valid, 1 when some record is invalid, 2 for bad usage, input
that cannot be read or input with no records (with a message on standard error, never a
traceback).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import textwrap
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any, TextIO

from mapkit.compiled import Validator, compile
from mapkit.errors import SchemaError
from mapkit.inference import SchemaProfile, profile
from mapkit.issues import ABSENT, Issue
from mapkit.options import DEFAULT_TWO_DIGIT_YEAR_PIVOT, ValidationOptions
from mapkit.readers import ReadError, Record, RecordFile, open_records

__all__ = ["main"]

EXIT_VALID, EXIT_INVALID, EXIT_USAGE = 0, 1, 2
# Exit status when the output pipe closes: 128 + SIGPIPE (13), as a shell reports for a
# process that SIGPIPE ended. Status 1 would read as "some records invalid".
EXIT_PIPE_CLOSED = 141

# Files smaller than this finish before a progress bar would help.
_PROGRESS_MIN_BYTES = 1 << 20
# Table width when standard output is not a terminal, and the narrowest a wrapped last
# column gets, in characters.
_DEFAULT_WIDTH = 120
_MIN_LAST_COLUMN = 40


class UsageError(Exception):
    """A command line that names a bad schema or option value."""


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command and return its exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    try:
        status: int = arguments.run(arguments)
    except (UsageError, ReadError, SchemaError) as error:
        print(f"mapkit: error: {error}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader of standard output has gone (as with "| head"): stop quietly, and keep
        # Python from reporting the same error again when it flushes stdout at exit.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_PIPE_CLOSED
    return status


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="mapkit", description="Validate records against a schema, or infer their schema.")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser(
        "validate", help="validate every record of a file",
        description="Validate every record of a CSV, JSON or JSON Lines file. Exit status 0 "
                    "means all records are valid, 1 that some are not, 2 bad usage or input.")
    _add_input_arguments(validate)
    validate.add_argument("--schema", required=True,
                          help="the expected schema: a JSON file, or JSON text given inline")
    mode = validate.add_mutually_exclusive_group()
    mode.add_argument("--coerce", dest="coerce", action="store_true", default=None,
                      help="accept values that convert without loss (the default for CSV, "
                           "whose cells are all text)")
    mode.add_argument("--strict", dest="coerce", action="store_false",
                      help="report every value not in canonical form (the default for JSON)")
    validate.add_argument("--no-fit", dest="fit", action="store_false",
                          help="do not settle date formats and decimal marks from whole columns")
    validate.add_argument("--default-region", help="ISO 3166 region for phone numbers "
                                                  "written without +, such as US")
    validate.add_argument("--decimal-comma", choices=("yes", "no"),
                          help="whether the comma marks decimals (default: decide per column)")
    validate.add_argument("--null-token", action="append", dest="null_tokens", metavar="TEXT",
                          help="text that means null; repeat for several (replaces the "
                               "defaults '', N/A, n/a, null, NULL, None, -)")
    validate.add_argument("--unexpected-fields", choices=("warn", "error", "ignore"),
                          default="warn", help="how to report fields the schema does not name")
    validate.add_argument("--default-timezone",
                          help="IANA time zone for date-times without an offset, such as UTC")
    validate.add_argument("--hide-values", action="store_true",
                          help="leave values out of the report, for files with personal data")
    validate.add_argument("--max-rows", type=int, default=20, metavar="N",
                          help="rows of the issue table to print (default 20)")
    validate.set_defaults(run=_run_validate)

    infer = commands.add_parser(
        "infer", help="infer the schema of a file",
        description="Infer a compact schema from every record of a CSV, JSON or JSON Lines "
                    "file. With --format json the output is the schema itself, ready for "
                    "mapkit validate --schema.")
    _add_input_arguments(infer)
    infer.add_argument("--report", action="store_true",
                       help="with --format json, print the per-field profile, not only the "
                            "schema (the table output always shows the profile)")
    infer.set_defaults(run=_run_infer)
    return parser


def _add_input_arguments(command: argparse.ArgumentParser) -> None:
    command.add_argument("file", help="a CSV, JSON or JSON Lines file, or - for standard input")
    command.add_argument("--input-format", choices=("csv", "json", "jsonl"),
                         help="the file's format (default: from its extension or content)")
    command.add_argument("--format", choices=("table", "json"), default="table",
                         help="table for people (default) or json for programs")
    command.add_argument("--two-digit-year-pivot", type=int, default=DEFAULT_TWO_DIGIT_YEAR_PIVOT,
                         metavar="N", help="two-digit years below N are 20YY, others 19YY "
                                           f"(default {DEFAULT_TWO_DIGIT_YEAR_PIVOT})")


def _run_validate(arguments: argparse.Namespace) -> int:
    schema = _load_schema(arguments.schema)
    options = _options(arguments)
    records = open_records(arguments.file, arguments.input_format,
                           ValidationOptions.from_kwargs(options))
    coerce = arguments.coerce if arguments.coerce is not None else records.format == "csv"
    try:
        validator = compile(schema, coerce=coerce, **options)
    except (TypeError, ValueError) as error:
        if isinstance(error, SchemaError):
            raise
        raise UsageError(str(error)) from error
    if arguments.fit:
        validator = validator.fit(record.payload for record in records.records())

    summary = _Summary()
    with _Progress(records) as progress:
        for record in records.records(progress.update):
            result = validator.validate(record.payload, text_issues=record.text_issues)
            summary.add(record, result.valid, result.issues)
    if summary.records == 0:
        raise _no_records_error(records, "validate")

    report = summary.to_dict(records, validator, coerce)
    if arguments.format == "json":
        json.dump(report, sys.stdout, ensure_ascii=False, indent=2, default=repr)
        sys.stdout.write("\n")
    else:
        _print_validation_table(report, summary, arguments.max_rows, sys.stdout)
    return EXIT_VALID if summary.invalid == 0 else EXIT_INVALID


def _load_schema(text: str) -> Any:
    if os.path.isfile(text):
        try:
            with open(text, encoding="utf-8-sig") as stream:
                return json.load(stream)
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
            raise UsageError(f"--schema {text}: cannot read the file as JSON ({error})") from error
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        if text.lower().endswith((".json", ".yaml", ".yml")):
            raise UsageError(f"--schema {text}: no such file; check the path") from error
        raise UsageError(f"--schema: {text!r} is neither a file nor valid JSON ({error.msg}); "
                         "give a schema file or inline JSON such as "
                         "'{\"email\": \"email\"}'") from error


def _options(arguments: argparse.Namespace) -> dict[str, Any]:
    options: dict[str, Any] = {
        "two_digit_year_pivot": arguments.two_digit_year_pivot,
        "unexpected_fields": arguments.unexpected_fields,
        "include_got": not arguments.hide_values,
    }
    if arguments.default_region:
        options["default_region"] = arguments.default_region.upper()
    if arguments.decimal_comma:
        options["decimal_comma"] = arguments.decimal_comma == "yes"
    if arguments.null_tokens is not None:
        options["null_tokens"] = arguments.null_tokens
    if arguments.default_timezone:
        options["default_timezone"] = arguments.default_timezone
    try:
        ValidationOptions.from_kwargs(options)
    except (TypeError, ValueError) as error:
        raise UsageError(str(error)) from error
    return options


class _Summary:
    """Counts of records and issues, and every issue with its record number."""

    def __init__(self) -> None:
        self.records = 0
        self.invalid = 0
        self.issues: list[tuple[int, Issue]] = []
        self.groups: Counter[tuple[str, str, str]] = Counter()
        self.first: dict[tuple[str, str, str], tuple[int, Issue]] = {}

    def add(self, record: Record, valid: bool, issues: list[Issue]) -> None:
        self.records += 1
        self.invalid += not valid
        for issue in issues:
            self.issues.append((record.number, issue))
            key = (issue.field, issue.code, issue.severity)
            self.groups[key] += 1
            self.first.setdefault(key, (record.number, issue))

    def to_dict(self, records: RecordFile, validator: Validator, coerce: bool) -> dict[str, Any]:
        return {
            "file": records.name,
            "format": records.format,
            "mode": "coerce" if coerce else "strict",
            "records": self.records,
            "valid_records": self.records - self.invalid,
            "invalid_records": self.invalid,
            "valid": self.invalid == 0,
            "settled": validator.settled,
            "issues": [{"record": number, **issue.to_dict()} for number, issue in self.issues],
        }


def _print_validation_table(report: dict[str, Any], summary: _Summary, max_rows: int,
                            out: TextIO) -> None:
    errors = sum(count for (_, _, severity), count in summary.groups.items()
                 if severity == "error")
    warnings = sum(summary.groups.values()) - errors
    out.write(f"{report['file']}: {_format_count(report['records'], 'record')} "
              f"({report['format']}, {report['mode']} mode): {report['valid_records']} valid, "
              f"{report['invalid_records']} invalid; {_format_count(errors, 'error')}, "
              f"{_format_count(warnings, 'warning')}\n")
    for path, setting in report["settled"].items():
        described = ", ".join(f"{key} {value}" for key, value in setting.items())
        out.write(f"settled from the column {path}: {described}\n")
    if not summary.groups:
        return
    rows = [["field", "code", "severity", "count", "first record", "first message"]]
    for key, count in summary.groups.most_common(max_rows):
        number, issue = summary.first[key]
        rows.append([issue.field or "(payload)", issue.code, issue.severity, str(count),
                     str(number), issue.message])
    out.write("\n")
    _write_table(rows, out)
    hidden = len(summary.groups) - max_rows
    if hidden > 0:
        out.write(f"... and {_format_count(hidden, 'more row')}; use --max-rows or --format json "
                  "for all\n")
    fixable = sum(count for key, count in summary.groups.items()
                  if summary.first[key][1].suggestion is not ABSENT)
    if report["mode"] == "strict" and fixable:
        counted = "1 issue has" if fixable == 1 else f"{fixable} issues have"
        out.write(f"\n{counted} a canonical value to suggest; --coerce accepts "
                  "values that convert without loss and reports only the rest\n")


def _format_count(count: int, noun: str) -> str:
    """Return ``count`` and ``noun``, plural unless the count is 1 ("1 record", "0 records")."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _run_infer(arguments: argparse.Namespace) -> int:
    records = open_records(arguments.file, arguments.input_format)
    with _Progress(records) as progress:
        payloads = [record.payload for record in records.records(progress.update)]
    if not payloads:
        raise _no_records_error(records, "infer")
    try:
        result = profile(payloads, text_source=records.format == "csv",
                         two_digit_year_pivot=arguments.two_digit_year_pivot)
    except ValueError as error:
        raise ReadError(f"{records.name}: {error}") from error
    if arguments.format == "json":
        document = result.to_dict() if arguments.report else result.schema
        json.dump(document, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        _print_profile_table(records.name, result, sys.stdout)
    return EXIT_VALID


def _no_records_error(records: RecordFile, command: str) -> ReadError:
    # An empty input is more often a wrong path or a failed export than a real empty data set,
    # so both commands reject it rather than report "0 records, all valid".
    return ReadError(f"{records.name}: the file contains no records, so there is nothing to "
                     f"{command}; check that it is the right file and not only a header")


def _print_profile_table(name: str, result: SchemaProfile, out: TextIO) -> None:
    source = "text (CSV)" if result.text_source else "typed JSON"
    out.write(f"{name}: {_format_count(result.records, 'record')}, values read as {source}\n\n")
    rows = [["field", "type", "format", "nullable", "present", "distinct", "notes"]]
    for item in result.fields:
        notes = "; ".join(item.notes)
        if item.decimal_comma is not None:
            mark = "decimal comma" if item.decimal_comma else "decimal point"
            notes = "; ".join(filter(None, [mark, notes]))
        rows.append([item.path, item.type, item.format or "", "yes" if item.nullable else "",
                     f"{item.required_share:.0%}", str(item.distinct), notes])
    _write_table(rows, out)
    out.write("\nschema: " + json.dumps(result.schema, ensure_ascii=False) + "\n")


def _write_table(rows: list[list[str]], out: TextIO) -> None:
    """Write aligned columns; the last column wraps to the terminal width, never cut."""
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    indent = sum(widths[:-1]) + 2 * (len(widths) - 1)
    terminal = shutil.get_terminal_size(fallback=(_DEFAULT_WIDTH, 24)).columns
    widths[-1] = min(widths[-1], max(_MIN_LAST_COLUMN, terminal - indent))

    for index, row in enumerate(rows):
        lines = textwrap.wrap(row[-1], widths[-1]) or [""]
        cells = [cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)]
        out.write("  ".join([*cells, lines[0]]).rstrip() + "\n")
        for line in lines[1:]:
            out.write(" " * indent + line + "\n")
        if index == 0:
            out.write("  ".join("-" * width for width in widths) + "\n")


class _Progress:
    """A one-line progress bar on standard error, shown only for large files on a terminal."""

    def __init__(self, records: RecordFile, stream: TextIO | None = None) -> None:
        self._stream = stream or sys.stderr
        self._total = records.size
        self._name = records.name
        self._enabled = self._stream.isatty() and records.size >= _PROGRESS_MIN_BYTES
        self._last = 0.0
        self._count = 0

    def __enter__(self) -> _Progress:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if self._enabled and self._last:
            self._stream.write("\r\033[K")
            self._stream.flush()

    def update(self, position: int) -> None:
        self._count += 1
        if not self._enabled:
            return
        now = time.monotonic()
        if now - self._last < 0.2:
            return
        self._last = now
        share = min(position / self._total, 1.0) if self._total else 0.0
        filled = int(share * 30)
        bar = "#" * filled + "." * (30 - filled)
        self._stream.write(f"\r{self._name} [{bar}] {share:4.0%} "
                           f"{_format_count(self._count, 'record')}")
        self._stream.flush()


if __name__ == "__main__":
    sys.exit(main())
