"""The command line as a whole: Dutch help and usage errors, one exit-code convention, safe output paths, pipes."""

from __future__ import annotations

import argparse
import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import Workbook

from jbjr_budget import formula_engine
from jbjr_budget.cli import SUBCOMMAND_MODULES, build_parser, main
from jbjr_budget.cli.parser import TEMPLATES, translate
from jbjr_budget.formula_engine import Outcome
from jbjr_budget.writers import begroting_workbook
from jbjr_budget.writers.controller_workbook import builder

SUBCOMMANDS = ["begroting", "werkboek", "herbereken", "template", "importeer", "rapportage", "parameters"]
ENGLISH = ("usage", "show this help", "options:", "positional arguments", "invalid", "required", "expected",
           "choose from", "unrecognized", "error:", "not allowed", "ambiguous")
ROOT = Path(__file__).resolve().parents[1]


def test_every_subcommand_is_listed() -> None:
    actions = [a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)]
    assert sorted(actions[0].choices) == sorted(SUBCOMMANDS)
    assert len(SUBCOMMAND_MODULES) == 5  # begroting, werkboek, herbereken, the three monitoring commands, parameters


HELPS = [[], *([name] for name in SUBCOMMANDS), ["parameters", "importeer"], ["parameters", "lijst"]]


@pytest.mark.parametrize("command", HELPS, ids=[" ".join(["jbjr-budget", *c]) for c in HELPS])
def test_help_is_dutch(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*command, "--help"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"gebruik: {' '.join(['jbjr-budget', *command])} [-h]")
    assert "  -h, --help  " in out
    assert "deze hulp tonen en stoppen" in out
    assert "opties:" in out
    assert not [word for word in ENGLISH if word in out.lower()], out


USAGE_ERRORS = [
    (["bla"], "argument OPDRACHT: ongeldige keuze 'bla'; kies uit 'begroting', 'werkboek', 'herbereken', "
              "'template', 'importeer', 'rapportage', 'parameters'"),
    (["begroting", "--jaren", "2030-2026"], "argument --jaren: begin met het eerste jaar: 2026-2030, niet 2030-2026"),
    (["begroting", "--jaren", "26-30"],
     "argument --jaren: jaren met vier cijfers, bijv. 2026-2030 of 2026, niet '26-30'"),
    (["begroting", "--onbekend"], "onbekende argumenten: --onbekend"),
    (["begroting", "--jaren"], "argument --jaren: verwacht één waarde"),
    (["werkboek", "--eerste-jaar", "27"],
     "argument --eerste-jaar: een jaartal met vier cijfers, bijv. 2026, niet '27'"),
    (["herbereken"], "verplicht, maar niet gegeven: PAD"),
    (["herbereken", ".", "--processen", "twee"], "argument --processen: 'twee' is geen geheel getal"),
    (["herbereken", ".", "--in-place", "--controleer"], "argument --controleer: niet samen met --in-place"),
    (["herbereken", ".", "--tolerantie", "klein"], "argument --tolerantie: 'klein' is geen getal"),
    (["template", "--gi", "jgb"], "verplicht, maar niet gegeven: --periode"),
    (["importeer", "bestaat_niet/"], "argument PAD: 'bestaat_niet/' bestaat niet"),
    (["rapportage", "--periode", "2026-Q1", "--p", "x"],
     "optie --p is niet eenduidig: --periode, --parquet, --parameters"),
]


@pytest.mark.parametrize(("command", "message"), USAGE_ERRORS, ids=[" ".join(c) for c, _ in USAGE_ERRORS])
def test_usage_errors_are_dutch_and_exit_2(command: list[str], message: str, capsys: pytest.CaptureFixture[str]
                                           ) -> None:
    assert main(command) == 2
    err = capsys.readouterr().err
    assert err.startswith("gebruik: jbjr-budget")
    assert err.rstrip().endswith(f": fout: {message}"), err
    assert not [word for word in ENGLISH if word in err.lower()], err


def test_every_translated_template_is_one_argparse_still_uses() -> None:
    source = Path(argparse.__file__).read_text(encoding="utf-8")
    for english in TEMPLATES:
        assert repr(english) in source or f'"{english}"' in source, english
    assert translate("something argparse may add later") == "something argparse may add later"


def _workbook(path: Path) -> Path:
    workbook = Workbook()
    workbook.active["A1"], workbook.active["A2"] = 2, "=A1*3"
    workbook.save(path)
    return path


EXIT_CODES = [
    ("begroting", ["--regio", "ijmond", "--jaren", "2026", "--uitvoer", "{tmp}/b.xlsx"], 0),
    ("begroting", ["--parameters", "{tmp}/fout.yaml", "--uitvoer", "{tmp}/b.xlsx"], 1),
    ("begroting", ["--regio", "Atlantis", "--uitvoer", "{tmp}/b.xlsx"], 2),
    ("werkboek", ["--uitvoer", "{tmp}/w.xlsx"], 2),
    ("herbereken", ["{tmp}/ok.xlsx", "--in-place"], 0),
    ("herbereken", ["{tmp}/ok.xlsx", "--controleer"], 1),  # written by openpyxl: no stored values yet
    ("herbereken", ["{tmp}/weg.xlsx"], 2),
    ("template", ["--gi", "jgb", "--regio", "alkmaar", "--periode", "2026-Q1", "--uitvoer", "{tmp}/t",
                  "--grootboek", "{tmp}/geen.sqlite"], 0),
    ("template", ["--gi", "jgb", "--regio", "alkmaar", "--periode", "2026-Q5", "--uitvoer", "{tmp}/t"], 2),
    ("importeer", ["{ledger}/in", "--grootboek", "{tmp}/gb.sqlite"], 0),
    ("importeer", ["{tmp}/fout.yaml", "{ledger}/in", "--grootboek", "{tmp}/gb.sqlite"], 1),
    ("importeer", ["{tmp}/leeg", "--grootboek", "{tmp}/gb.sqlite"], 2),
    ("rapportage", ["--periode", "2026-Q1", "--grootboek", "{ledger}/gb.sqlite", "--uitvoer", "{tmp}/r.xlsx"], 0),
    ("rapportage", ["--periode", "2026-Q1", "--grootboek", "{ledger}/gb.sqlite", "--uitvoer", "{tmp}/r.xlsx",
                    "--parameters", "{tmp}/fout.yaml"], 1),
    ("rapportage", ["--periode", "2026-Q1", "--grootboek", "{tmp}/geen.sqlite"], 2),
    ("parameters", ["importeer", "{tmp}/tarieven.csv", "--bron", "Contract 2026", "--ingangsdatum", "2026-01-01",
                    "--uitvoer", "{tmp}/eigen.yaml"], 0),
    ("parameters", ["importeer", "{tmp}/fout.csv", "--bron", "Contract 2026", "--ingangsdatum", "2026-01-01",
                    "--uitvoer", "{tmp}/eigen.yaml"], 1),
    ("parameters", ["importeer", "{tmp}/weg.csv"], 2),
]


@pytest.mark.parametrize(("command", "arguments", "code"), EXIT_CODES,
                         ids=[f"{c}-{code}-{i}" for i, (c, _, code) in enumerate(EXIT_CODES)])
def test_exit_codes(command: str, arguments: list[str], code: int, tmp_path: Path, report_ledger: dict) -> None:
    (tmp_path / "fout.yaml").write_text("tarieven:\n  landelijk:\n    48A04:\n      values:\n"
                                        "        2026-01-01: {value: 12}\n", encoding="utf-8")
    (tmp_path / "leeg").mkdir()
    (tmp_path / "tarieven.csv").write_text("productcode,tarief\n48A04,1600\n", encoding="utf-8")
    (tmp_path / "fout.csv").write_text("productcode,tarief\n48X99,1600\n", encoding="utf-8")
    _workbook(tmp_path / "ok.xlsx")
    filled = [a.format(tmp=tmp_path, ledger=report_ledger["root"]) for a in arguments]
    assert main([command, *filled]) == code


WRONG_OUTPUTS = [
    ("begroting", ["--uitvoer", "{tmp}/map"], "'{tmp}/map' is een map; geef een bestandsnaam"),
    ("begroting", ["--uitvoer", "{tmp}/bestand/b.xlsx"], "'{tmp}/bestand' is een bestand, geen map"),
    ("werkboek", ["--uitvoer", "{tmp}/map"], "'{tmp}/map' is een map; geef een bestandsnaam"),
    ("herbereken", ["{tmp}/ok.xlsx", "--uitvoer", "{tmp}/map"], "'{tmp}/map' is een map; geef een bestandsnaam"),
    ("herbereken", ["{tmp}/ok.xlsx", "--uitvoermap", "{tmp}/bestand"], "'{tmp}/bestand' is een bestand; geef een map"),
    ("template", ["--alle", "--periode", "2026-Q1", "--uitvoer", "{tmp}/bestand"],
     "'{tmp}/bestand' is een bestand; geef een map"),
    ("importeer", ["{tmp}/ok.xlsx", "--grootboek", "{tmp}/map"], "'{tmp}/map' is een map; geef een bestandsnaam"),
    ("rapportage", ["--periode", "2026-Q1", "--uitvoer", "{tmp}/map"], "'{tmp}/map' is een map; geef een bestandsnaam"),
    ("rapportage", ["--periode", "2026-Q1", "--csv", "{tmp}/bestand"], "'{tmp}/bestand' is een bestand; geef een map"),
    ("rapportage", ["--periode", "2026-Q1", "--parquet", "{tmp}/bestand/sub"],
     "'{tmp}/bestand' is een bestand, geen map"),
    *[(command, [*arguments, "/proc/jbjr/uit"], "in '/proc' kan niet worden geschreven") for command, arguments in [
        ("begroting", ["--uitvoer"]), ("werkboek", ["--uitvoer"]), ("herbereken", ["{tmp}/ok.xlsx", "--uitvoermap"]),
        ("template", ["--alle", "--periode", "2026-Q1", "--uitvoer"]), ("importeer", ["{tmp}/ok.xlsx", "--grootboek"]),
        ("rapportage", ["--periode", "2026-Q1", "--uitvoer"]), ("rapportage", ["--periode", "2026-Q1", "--csv"])]],
]


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux /proc as a place nobody can write")
@pytest.mark.parametrize(("command", "arguments", "message"), WRONG_OUTPUTS,
                         ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(WRONG_OUTPUTS)])
def test_wrong_output_paths_are_refused_before_any_work(command: str, arguments: list[str], message: str,
                                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "map").mkdir()
    (tmp_path / "bestand").write_text("iets", encoding="utf-8")
    _workbook(tmp_path / "ok.xlsx")
    before = sorted(tmp_path.rglob("*"))
    assert main([command, *(a.format(tmp=tmp_path) for a in arguments)]) == 2
    err = capsys.readouterr().err
    assert message.format(tmp=tmp_path) in err, err
    assert "fout:" in err
    assert "Traceback" not in err
    assert sorted(tmp_path.rglob("*")) == before  # nothing written, no temporary files left


def test_a_failure_while_writing_is_a_dutch_message_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # Checked beforehand, the folder was writable; then it became a file (another program, a full disk, ...).
    def disappearing_folder(begroting: object, path: Path) -> Path:
        shutil.rmtree(path.parent)
        path.parent.write_text("nu een bestand", encoding="utf-8")
        return original(begroting, path)  # type: ignore[arg-type]

    original = begroting_workbook.write_begroting
    monkeypatch.setattr(begroting_workbook, "write_begroting", disappearing_folder)
    (tmp_path / "uit").mkdir()
    target = tmp_path / "uit" / "b.xlsx"
    assert main(["begroting", "--regio", "ijmond", "--jaren", "2026", "--uitvoer", str(target)]) == 2
    assert capsys.readouterr().err.startswith(f"Fout: bestandsfout bij '{target.parent}': ")
    assert [p.name for p in tmp_path.iterdir()] == ["uit"]
    assert (tmp_path / "uit").is_file()


def test_parquet_without_pyarrow_names_the_extra_before_any_work(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                                capsys: pytest.CaptureFixture[str]) -> None:
    find_spec = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "pyarrow" else find_spec(name, *a))
    assert main(["rapportage", "--periode", "2026-Q1", "--parquet", str(tmp_path / "pq"),
                 "--uitvoer", str(tmp_path / "r.xlsx")]) == 2
    assert "Fout: --parquet vraagt het pakket pyarrow: installeer jbjr-budget met de extra 'bi'" in (
        capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_werkboek_writes_nothing_when_the_recalculation_fails(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    # The build itself is stood in for by a file; the recalculation of it fails.
    monkeypatch.setattr(builder, "build_controller", lambda target, *_: target.write_bytes(b"werkboek"))
    monkeypatch.setattr(formula_engine, "recalculate_file", lambda source, target, functions: Outcome(
        str(source), error="kringverwijzing"))
    assert main(["werkboek", "--uitvoer", str(tmp_path / "w.xlsm")]) == 1
    assert "herberekenen van het werkboek mislukt; er is niets geschreven:\n  kringverwijzing" in (
        capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


def test_a_closed_pipe_ends_the_output_not_the_work(tmp_path: Path) -> None:
    # `jbjr-budget template --alle ... | head -1`: the reader leaves at once, before the first line; every
    # template is still written (the work goes on after the output failed), and no traceback appears.
    process = subprocess.Popen(
        [Path(sys.executable).with_name("jbjr-budget"), "template", "--alle", "--periode", "2026-Q1",
         "--uitvoer", str(tmp_path / "sjablonen"), "--grootboek", str(tmp_path / "geen.sqlite")],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()
    err = process.stderr.read().decode()
    assert process.wait(timeout=120) == 0, err
    assert err == ""
    assert len(list((tmp_path / "sjablonen").glob("*.xlsx"))) == 12
