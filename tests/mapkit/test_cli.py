"""The mapkit command: exit status, table and JSON output, clear errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

import mapkit
from mapkit.cli import _Progress, main
from mapkit.readers import RecordFile

HR_CSV = (
    "\ufeffEmpID,Name,Zip,DOB,Salary,Active\n"
    '10026,"Adams, Lee  ",1960,07/10/83,62506,Yes\n'
    "10084,Baker,02148,05/25/75,104437,No\n"
    "10196,Chen,01810,09/19/88,64955,yes\n"
)


@pytest.fixture
def hr_csv(tmp_path: Path) -> Path:
    path = tmp_path / "hr.csv"
    path.write_text(HR_CSV, encoding="utf-8")
    return path


def test_infer_json_schema(hr_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["infer", str(hr_csv), "--format", "json"])
    schema = json.loads(capsys.readouterr().out)

    assert status == 0
    assert schema == {
        "EmpID": "integer",
        "Name": "string",
        "Zip": "string",
        "DOB": {"type": "date", "format": "MM/DD/YY"},
        "Salary": "integer",
        "Active": "boolean",
    }


def test_infer_nested_json_matches_python(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    record = {"id": "00ub0oNGTSWTBKOLGLNR", "profile": {"costCenter": "10", "zipCode": "94107"}}
    path = tmp_path / "user.json"
    path.write_text(json.dumps(record), encoding="utf-8")

    status = main(["infer", str(path), "--format", "json"])
    schema = json.loads(capsys.readouterr().out)

    assert status == 0
    assert schema["profile"] == {"costCenter": "string", "zipCode": "string"}
    assert schema == mapkit.infer_schema([record])


def test_infer_table(hr_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["infer", str(hr_csv)])
    out = capsys.readouterr().out

    assert status == 0
    assert "3 records" in out
    assert "MM/DD/YY" in out
    assert "zero-padded" in out


def test_infer_report(hr_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["infer", str(hr_csv), "--format", "json", "--report"])
    report = json.loads(capsys.readouterr().out)

    assert report["records"] == 3
    assert report["fields"][0]["path"] == "EmpID"


def test_validate_valid_file(hr_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = json.dumps(
        {
            "EmpID": "integer",
            "Name": "string",
            "Zip": "string",
            "DOB": "date",
            "Salary": "number",
            "Active": "boolean",
        }
    )
    status = main(["validate", str(hr_csv), "--schema", schema])
    out = capsys.readouterr().out

    assert status == 0
    assert "3 valid, 0 invalid" in out
    assert "settled from the column DOB: format MM/DD/YY" in out


def test_validate_invalid_file_json(
    hr_csv: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema_file = tmp_path / "schema.json"
    schema_file.write_text(json.dumps({"EmpID": "integer", "Zip": "integer", "DOB": "date"}))
    status = main(
        [
            "validate",
            str(hr_csv),
            "--schema",
            str(schema_file),
            "--format",
            "json",
            "--no-fit",
            "--unexpected-fields",
            "ignore",
        ]
    )
    report = json.loads(capsys.readouterr().out)

    assert status == 1
    assert report["records"] == 3
    assert report["invalid_records"] == 1
    assert report["mode"] == "coerce"
    codes = [(issue["record"], issue["field"], issue["code"]) for issue in report["issues"]]
    assert (1, "DOB", "ambiguous_date") in codes
    assert (2, "DOB", "invalid_date_format") in codes  # a warning about the century


def test_validate_strict_json_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "records.jsonl"
    path.write_text('{"age": "42"}\n{"age": 42}\n{"age": 1, "age": 2}\n')
    status = main(["validate", str(path), "--schema", '{"age": "integer"}', "--format", "json"])
    report = json.loads(capsys.readouterr().out)

    assert status == 1
    assert report["mode"] == "strict"
    assert [(issue["record"], issue["code"]) for issue in report["issues"]] == [
        (1, "type_mismatch"),
        (3, "invalid_format"),
    ]


def test_validate_hide_values(hr_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(
        [
            "validate",
            str(hr_csv),
            "--schema",
            '{"DOB": "integer"}',
            "--format",
            "json",
            "--hide-values",
            "--unexpected-fields",
            "ignore",
        ]
    )
    report = json.loads(capsys.readouterr().out)

    assert report["issues"]
    assert all("got" not in issue for issue in report["issues"])


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["validate", "FILE", "--schema", "{not json"], "neither a file nor valid JSON"),
        (["validate", "FILE", "--schema", '{"a": "nope"}'], "unknown type name"),
        (["validate", "FILE", "--schema",
          '{"type": "object", "properties": {"a": {"$ref": "#/nope"}}}'],
         "expected_schema.properties.a.$ref is '#/nope', which points to nothing"),
        (["validate", "/nonexistent.csv", "--schema", "{}"], "cannot open the file"),
        (["validate", "FILE", "--schema", "{}", "--default-region", "XX"], "default_region"),
        (["infer", "/nonexistent.csv"], "cannot open the file"),
    ],
)
def test_usage_errors_exit_2(
    hr_csv: Path, arguments: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status = main([argument.replace("FILE", str(hr_csv)) for argument in arguments])
    err = capsys.readouterr().err

    assert status == 2
    assert message in err
    assert "Traceback" not in err


def _run_command(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "mapkit.cli", *arguments]
    return subprocess.run(command, capture_output=True, text=True, check=False)


def test_closed_output_pipe_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "many.csv"
    path.write_text("age\n" + "unknown\n" * 5000)
    command = [
        sys.executable,
        "-m",
        "mapkit.cli",
        "validate",
        str(path),
        "--schema",
        '{"age": "integer"}',
        "--format",
        "json",
    ]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None
        assert process.stderr is not None
        process.stdout.readline()
        process.stdout.close()
        err = process.stderr.read().decode()
        status = process.wait()

    # 141 as for a process that SIGPIPE ended, not 1, which means "some records invalid".
    assert status == 141
    assert err == ""


def test_console_script_exit_codes(hr_csv: Path, tmp_path: Path) -> None:
    valid = _run_command(
        "validate", str(hr_csv), "--schema", '{"EmpID": "integer"}', "--unexpected-fields", "ignore"
    )
    invalid = _run_command(
        "validate", str(hr_csv), "--schema", '{"Name": "email"}', "--unexpected-fields", "ignore"
    )
    broken = tmp_path / "broken.json"
    broken.write_text("[{")
    unreadable = _run_command("infer", str(broken))
    usage = _run_command("validate", str(hr_csv))

    assert valid.returncode == 0
    assert invalid.returncode == 1
    assert unreadable.returncode == 2
    assert "not valid JSON" in unreadable.stderr
    assert "Traceback" not in unreadable.stderr
    assert usage.returncode == 2
    assert "--schema" in usage.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_bar_only_on_terminal_for_large_files() -> None:
    large = RecordFile("big.csv", "csv", 5 << 20)
    small = RecordFile("small.csv", "csv", 100)
    terminal = _Terminal()
    pipe = io.StringIO()

    with _Progress(large, terminal) as progress:
        progress.update(1 << 20)
    with _Progress(large, pipe) as progress:
        progress.update(1 << 20)
    with _Progress(small, _Terminal()) as quiet:
        quiet.update(50)

    assert "big.csv [" in terminal.getvalue()
    assert "20%" in terminal.getvalue()
    assert pipe.getvalue() == ""


@pytest.mark.parametrize(
    ("records", "summary"),
    [
        ([{"a": 1, "p": "+1 201 555 0143"}],
         "1 record (json, strict mode): 1 valid, 0 invalid; 0 errors, 1 warning"),
        ([{"a": "x", "p": "+12015550143"}],
         "1 record (json, strict mode): 0 valid, 1 invalid; 1 error, 0 warnings"),
        ([{"a": "x", "p": "+1 201 555 0143"}, {"a": "y", "p": "+1 201 555 0144"}],
         "2 records (json, strict mode): 0 valid, 2 invalid; 2 errors, 2 warnings"),
    ],
)
def test_validate_summary_counts_agree(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                       records: list[dict[str, object]], summary: str) -> None:
    path = tmp_path / "records.json"
    path.write_text(json.dumps(records))

    main(["validate", str(path), "--schema", '{"a": "integer", "p": "phone"}'])
    out = capsys.readouterr().out

    assert out.startswith(f"{path}: {summary}\n")


def test_validate_hidden_row_singular(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "records.json"
    path.write_text('[{"a": "x", "b": "y"}]')

    main(["validate", str(path), "--schema", '{"a": "integer", "b": "integer"}',
          "--max-rows", "1"])
    out = capsys.readouterr().out

    assert "... and 1 more row; use --max-rows" in out


def test_infer_table_one_record(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "one.csv"
    path.write_text("EmpID\n10026\n")

    main(["infer", str(path)])
    out = capsys.readouterr().out

    assert out.startswith(f"{path}: 1 record, values read as text (CSV)\n")


def test_coerce_hint_only_when_it_helps(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    numbers = tmp_path / "numbers.json"
    numbers.write_text("[1, 2, 3]")
    texts = tmp_path / "texts.json"
    texts.write_text('[{"a": "42"}]')

    assert main(["validate", str(numbers), "--schema", '{"a": "integer"}']) == 1
    no_hint = capsys.readouterr().out
    assert main(["validate", str(texts), "--schema", '{"a": "integer"}']) == 1
    hint = capsys.readouterr().out

    assert "type_mismatch" in no_hint
    assert "--coerce" not in no_hint
    assert "1 issue has a canonical value to suggest; --coerce" in hint


@pytest.mark.parametrize("command", [["infer"], ["validate", "--schema", '{"EmpID": "integer"}']])
@pytest.mark.parametrize(
    ("name", "text"),
    [("empty.csv", ""), ("header.csv", "EmpID,Name\n"), ("empty.jsonl", ""), ("empty.json", "[]")],
)
def test_empty_file_is_usage_error(
    tmp_path: Path, command: list[str], name: str, text: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    path.write_text(text)

    status = main([command[0], str(path), *command[1:]])
    captured = capsys.readouterr()

    assert status == 2
    assert f"{name}: the file contains no records, so there is nothing to {command[0]}" in (
        captured.err
    )
    assert captured.out == ""


def test_missing_schema_file_named(hr_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["validate", str(hr_csv), "--schema", "missing.json"])

    assert status == 2
    assert "--schema missing.json: no such file" in capsys.readouterr().err
