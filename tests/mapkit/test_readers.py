"""Reading CSV, JSON and JSON Lines files into records."""

from __future__ import annotations

from pathlib import Path

import pytest

from mapkit.readers import ReadError, open_records


def _payloads(path: Path) -> list[object]:
    return [record.payload for record in open_records(str(path)).records()]


def test_csv_with_bom_and_semicolons(tmp_path: Path) -> None:
    path = tmp_path / "capacity.csv"
    path.write_bytes("\ufeffDatum von;Biomasse [MW]\n01.01.2015;6.808,00\n01.01.2016;-\n".encode())

    assert _payloads(path) == [
        {"Datum von": "01.01.2015", "Biomasse [MW]": "6.808,00"},
        {"Datum von": "01.01.2016", "Biomasse [MW]": "-"},
    ]


def test_csv_quoted_commas(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    path.write_text('name,zip\n"Adams, Lee  ",01960\r\n')

    assert _payloads(path) == [{"name": "Adams, Lee  ", "zip": "01960"}]


def test_csv_too_many_cells(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,b\n1,2,3\n")

    with pytest.raises(ReadError, match="line 2 has 3 cells"):
        _payloads(path)


def test_csv_duplicate_header(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text("a,a\n1,2\n")

    with pytest.raises(ReadError, match="appears twice"):
        _payloads(path)


def test_csv_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.csv"
    path.write_bytes("name\nJos\xe9\n".encode("latin-1"))

    with pytest.raises(ReadError, match="not UTF-8"):
        _payloads(path)


def test_json_array_with_item_issues(tmp_path: Path) -> None:
    path = tmp_path / "records.json"
    path.write_text('[{"a": 1}, {"a": NaN, "b": 1, "b": 2}]')
    records = list(open_records(str(path)).records())

    assert records[0].payload == {"a": 1}
    assert records[0].text_issues is None
    assert records[1].text_issues is not None
    assert sorted(records[1].text_issues) == ["a", "b"]
    assert records[1].text_issues["b"][0].field == "b"


def test_json_single_object(tmp_path: Path) -> None:
    path = tmp_path / "user.json"
    path.write_text('{"id": "7"}')

    assert _payloads(path) == [{"id": "7"}]


def test_jsonl(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"a": 1}\n\n{"a": 2}\n')

    assert _payloads(path) == [{"a": 1}, {"a": 2}]


def test_jsonl_bad_line(tmp_path: Path) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"a": 1}\n{bad\n')

    with pytest.raises(ReadError) as raised:
        _payloads(path)

    # The position names the file's line once, not the line within the record as well.
    assert str(raised.value) == (
        f"{path}: line 2, column 2: not valid JSON: "
        "Expecting property name enclosed in double quotes"
    )


def test_sniff_format_without_extension(tmp_path: Path) -> None:
    path = tmp_path / "records"
    path.write_text('[{"a": 1}]')

    assert open_records(str(path)).format == "json"


def test_missing_file() -> None:
    with pytest.raises(ReadError, match="cannot open"):
        open_records("/nonexistent/records.csv")


def test_directory(tmp_path: Path) -> None:
    with pytest.raises(ReadError, match="directory"):
        open_records(str(tmp_path))
