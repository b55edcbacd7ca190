"""The ``herbereken`` command: batches, a broken workbook among good ones, check mode for CI, Dutch output."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from jbjr_budget.cli import main as cli_main
from jbjr_budget.formula_engine import Difference
from jbjr_budget.formula_engine import recalculate as recalc_run


def main(arguments: list[str]) -> int:
    return cli_main(["herbereken", *arguments])


def _workbook(path: Path, volume: float) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "Begroting"
    ws.append(["Volume", "Tarief", "Bedrag"])
    ws.append([volume, 1577.01, "=ROUND(A2*B2*12,2)"])
    ws["D1"] = "=SUM(C:C)"
    wb.save(path)
    return path


def _tamper(path: Path, cell: str, value: str) -> None:
    """Replace one cached value in the sheet XML, as a hand edit or a stale engine would leave it."""
    with zipfile.ZipFile(path) as source:
        members = {info: source.read(info) for info in source.infolist()}
    with zipfile.ZipFile(path, "w") as target:
        for info, data in members.items():
            if info.filename == "xl/worksheets/sheet1.xml":
                pattern = rf'(<c r="{cell}"[^>]*>.*?<v>)[^<]*(</v>)'
                target.writestr(info, re.sub(pattern, rf"\g<1>{value}\g<2>", data.decode()).encode())
            else:
                target.writestr(info, data)


def test_batch_writes_every_good_workbook_and_reports_the_broken_one(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    for index in range(3):
        _workbook(folder / f"regio_{index}.xlsx", 10.0 + index)
    (folder / "kapot.xlsx").write_bytes(b"geen werkboek")
    assert main([str(folder), "--uitvoermap", str(tmp_path / "uit")]) == 1
    out, err = capsys.readouterr()
    assert "Klaar: 3 van 4 werkboeken herberekend zonder problemen, 1 mislukt." in out
    assert re.search(r"MISLUKT\s+.*kapot\.xlsx: .*geen leesbaar Excel-werkboek", out)
    assert "[4/4]" in err
    written = load_workbook(tmp_path / "uit" / "regio_2.xlsx", data_only=True)["Begroting"]
    assert written["C2"].value == pytest.approx(12 * 1577.01 * 12)
    assert written["D1"].value == pytest.approx(12 * 1577.01 * 12)


def test_default_target_and_folder_expansion_skip_earlier_outputs(tmp_path: Path) -> None:
    _workbook(tmp_path / "a.xlsx", 1.0)
    assert main([str(tmp_path)]) == 0
    assert (tmp_path / "a.herberekend.xlsx").exists()
    assert main([str(tmp_path)]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.herberekend.xlsx", "a.xlsx"]


def test_controleer_fails_on_tampered_values_and_passes_on_fresh_ones(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path / "begroting.xlsx", 10.0)
    assert main([str(path), "--controleer"]) == 1  # openpyxl wrote no cached values at all
    assert main([str(path), "--in-place"]) == 0
    capsys.readouterr()
    assert main([str(path), "--controleer"]) == 0
    assert "Klaar: 1 van 1 werkboeken gecontroleerd zonder problemen." in capsys.readouterr().out
    _tamper(path, "C2", "189241.3")
    assert main([str(path), "--controleer", "--tolerantie", "0.005"]) == 1
    out = capsys.readouterr().out
    assert "1 cel wijkt af van de herberekening:" in out
    assert "Blad 'Begroting', cel C2: opgeslagen 189241,3, herberekend 189241,2" in out
    assert main([str(path), "--controleer", "--tolerantie", "0.5"]) == 0


def test_controleer_reports_volatile_cells_instead_of_differences(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _workbook(tmp_path / "vluchtig.xlsx", 10.0)
    book = load_workbook(path)
    book["Begroting"]["E1"], book["Begroting"]["E2"] = "=RAND()", "=E1*100"
    book["Begroting"]["F1"] = "=TODAY()"
    book.save(path)
    assert main([str(path), "--in-place"]) == 0
    _tamper(path, "E1", "0.123")  # what RAND() gave when Excel last saved
    _tamper(path, "F1", "45000")  # the day Excel last saved
    capsys.readouterr()
    assert main([str(path), "--controleer"]) == 0
    out = capsys.readouterr().out
    assert "wijken af" not in out
    assert "3 cellen niet vergeleken: ze hangen af van een functie die bij elke herberekening iets anders geeft " \
           "(TODAY, NOW, RAND, RANDBETWEEN): Begroting!E1, Begroting!F1, Begroting!E2" in out


def test_usage_errors_are_dutch_and_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(tmp_path / "bestaat_niet.xlsx")]) == 2
    assert f"fout: argument PAD: '{tmp_path / 'bestaat_niet.xlsx'}' bestaat niet" in capsys.readouterr().err
    one, two = _workbook(tmp_path / "een.xlsx", 1.0), _workbook(tmp_path / "twee.xlsx", 2.0)
    assert main([str(one), str(two), "--uitvoer", str(tmp_path / "x.xlsx")]) == 2
    assert "--uitvoer kan alleen bij één werkboek" in capsys.readouterr().err


def test_in_place_with_processes_keeps_formulas(tmp_path: Path) -> None:
    paths = [_workbook(tmp_path / f"w{i}.xlsx", float(i)) for i in range(4)]
    assert main([*map(str, paths), "--in-place", "--processen", "2"]) == 0
    assert load_workbook(paths[3])["Begroting"]["C2"].value == "=ROUND(A2*B2*12,2)"
    assert load_workbook(paths[3], data_only=True)["Begroting"]["C2"].value == pytest.approx(56772.36)


def test_an_unforeseen_failure_in_one_workbook_does_not_stop_a_single_process_batch(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    read_book = recalc_run.read_book

    def flaky(path: Path) -> object:
        if path.name == "a.xlsx":
            raise RuntimeError("onvoorzien")
        return read_book(path)

    monkeypatch.setattr(recalc_run, "read_book", flaky)
    paths = [_workbook(tmp_path / f"{name}.xlsx", 1.0) for name in ("a", "b")]
    assert main([*map(str, paths), "--processen", "1", "--uitvoermap", str(tmp_path / "uit")]) == 1
    out = capsys.readouterr().out
    assert re.search(r"MISLUKT\s+.*a\.xlsx: interne fout \(RuntimeError: onvoorzien\)", out)
    assert "Klaar: 1 van 2 werkboeken herberekend zonder problemen, 1 mislukt." in out
    assert (tmp_path / "uit" / "b.xlsx").exists()


HEAVY = ("pandas", "numpy", "pyarrow", "xlwings", "openpyxl", "udfs", "concurrent.futures", "multiprocessing")


def _imported_by_a_run(path: Path, target: Path) -> list[str]:
    """The heavy modules a fresh ``jbjr-budget herbereken`` process has loaded when it is done."""
    code = ("import sys; from jbjr_budget.cli import main; "
            f"assert main(['herbereken', {str(path)!r}, '--uitvoer', {str(target)!r}]) == 0; "
            f"print('geladen:' + ','.join(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    loaded = done.stdout.rsplit("geladen:", 1)[1].strip()
    return loaded.split(",") if loaded else []


def test_one_workbook_without_jbjr_functions_loads_nothing_heavy(tmp_path: Path) -> None:
    path = _workbook(tmp_path / "gewoon.xlsx", 3.0)
    assert _imported_by_a_run(path, tmp_path / "uit.xlsx") == []
    book = load_workbook(path)
    book["Begroting"]["E1"] = '=JBJR_TARIEF("48A04",2026)'
    book.save(path)
    loaded = _imported_by_a_run(path, tmp_path / "uit.xlsx")
    assert "udfs" in loaded
    assert not {"pandas", "pyarrow", "xlwings", "openpyxl"} & set(loaded)  # the JBJR functions need none of them


def test_a_reported_difference_shows_enough_digits_to_see_it() -> None:
    line = str(Difference("Begroting", "H12", 12_345_678.9100015, 12_345_678.91))
    assert line == "Blad 'Begroting', cel H12: opgeslagen 12345678,9100015, herberekend 12345678,91"


def test_controleer_allows_iterated_cells_the_workbooks_maximum_change(tmp_path: Path) -> None:
    # Excel stops iterating once a pass changes less than iterateDelta: its stored values differ by up to that.
    path = tmp_path / "iteratie.xlsx"
    book = Workbook()
    book.calculation.iterate, book.calculation.iterateCount, book.calculation.iterateDelta = True, 100, 0.001
    book.active["A1"], book.active["B1"] = "=1+A1/2", 5.0
    book.save(path)
    assert main([str(path), "--in-place"]) == 0
    _tamper(path, "A1", "1.9995")  # a pass from here changes A1 by 0.00025: within the workbook's 0.001
    assert main([str(path), "--controleer"]) == 0
    _tamper(path, "A1", "1.99")
    assert main([str(path), "--controleer"]) == 1
