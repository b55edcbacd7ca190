"""Score a formula engine against the values Microsoft Excel stored: per workbook, per category, with causes.

Which cells count: every formula cell, and every cell of a range Excel stored as an array formula or a
dynamic-array spill (``<f t="array" ref=...>``). That set is Excel's, so herbereken and LibreOffice are scored
on the same cells. Cells herbereken spilled into outside Excel's ranges are listed apart ("overloop buiten
Excel") and do not enter the rate.

When two values are the same (:func:`same`):
- numbers (dates are numbers): equal within a relative 1e-9 or an absolute 1e-9 (``math.isclose``);
- text and booleans: exactly equal, and of the same type (the number 1 is not the text "1" nor TRUE);
- errors: the same code (``#N/A`` and ``#N/A``);
- empty: a blank and the empty text "" are the same; neither equals 0 or FALSE.

LibreOffice has no boolean type and writes TRUE and FALSE as the numbers 1 and 0; for LibreOffice only,
such a number counts as Excel's TRUE or FALSE.

Volatile cells, those that call RAND, RANDBETWEEN, RANDARRAY, NOW or TODAY or read such a cell (directly or
through other formulas), are reported apart and not scored: their stored value is one draw of many.

Each herbereken difference gets a cause: the engine's own issue for that cell (unknown function X, function
not supported, formula not readable, circular reference, ...), else an issue in a cell it reads (marked
"doorwerking"), else what the comparison shows (implicit intersection, an array range left unfilled, or
"waarde wijkt af" with the formula's outer function); an unknown function the workbook's VBA project defines
and FORECAST.ETS with its relatives get groups of their own (see :mod:`causes`). Stored values are read with
herbereken's reader; a workbook in Strict Open XML is read through a copy with transitional namespaces.

    scores = score_herbereken(subjects(load_manifest(), obtain()))
    scores.rate("gebouwd")        # 0.0 .. 1.0
"""

from __future__ import annotations

import math
import re
import shutil
import tempfile
import time
import zipfile
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from jbjr_budget.errors import JbjrFout
from jbjr_budget.formula_engine import evaluate, read_book
from jbjr_budget.formula_engine.book import Book, cell_address, split_address
from jbjr_budget.formula_engine.evaluator import Evaluator, Issue, key_of, position_of
from jbjr_budget.formula_engine.libreoffice import recalculate_with_libreoffice
from jbjr_budget.formula_engine.values import ExcelError, Ref, Scalar

from .causes import issue_cause, value_cause, vba_cause
from .obtain import Manifest

__all__ = [
    "ABSOLUTE_TOLERANCE", "CATEGORIES", "RELATIVE_TOLERANCE", "CellResult", "EngineScore", "Subject",
    "WorkbookScore", "describe", "excel_cells", "issue_cause", "same", "score_herbereken", "score_libreoffice",
    "subjects", "volatile_cells",
]

SPILL = ExcelError("#SPILL!")
RELATIVE_TOLERANCE = 1e-9
ABSOLUTE_TOLERANCE = 1e-9
CATEGORIES = ("gebouwd", "functiecatalogus")
VOLATILE = re.compile(r"(?<![\w.])(?:_xlfn\.)?(RAND|RANDBETWEEN|RANDARRAY|NOW|TODAY)\s*\(", re.IGNORECASE)
_STRICT = {
    "http://purl.oclc.org/ooxml/spreadsheetml/main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
    "http://purl.oclc.org/ooxml/officeDocument/relationships":
        "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
}

Position = tuple[int, int, int]  # sheet index, row, column


@dataclass(frozen=True, slots=True)
class Subject:
    """A workbook to score."""

    id: str
    category: str
    path: Path


@dataclass(frozen=True, slots=True)
class CellResult:
    """One scored cell that did not match (or is volatile): where, the formula, both values and the cause."""

    sheet: str
    address: str
    formula: str
    stored: Scalar
    computed: Scalar
    cause: str = ""
    inherited: bool = False

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"sheet": self.sheet, "address": self.address, "formula": self.formula,
                "stored": _plain(self.stored), "computed": _plain(self.computed), "cause": self.cause,
                "inherited": self.inherited}


@dataclass(slots=True)
class WorkbookScore:
    """How one engine did on one workbook."""

    id: str
    category: str
    scored: int = 0
    matched: int = 0
    differences: list[CellResult] = field(default_factory=list)
    volatile: list[CellResult] = field(default_factory=list)
    extra_spills: list[CellResult] = field(default_factory=list)
    error: str | None = None
    seconds: float = 0.0

    @property
    def rate(self) -> float:
        """Share of scored cells that matched (1.0 for a workbook without scored cells)."""
        return self.matched / self.scored if self.scored else 1.0

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"id": self.id, "category": self.category, "scored": self.scored, "matched": self.matched,
                "rate": self.rate, "error": self.error, "seconds": round(self.seconds, 3),
                "differences": [cell.as_dict() for cell in self.differences],
                "volatile": [cell.as_dict() for cell in self.volatile],
                "extra_spills": [cell.as_dict() for cell in self.extra_spills]}


@dataclass(slots=True)
class EngineScore:
    """How one engine did on the corpus."""

    engine: str
    workbooks: list[WorkbookScore] = field(default_factory=list)

    def totals(self, category: str | None = None) -> tuple[int, int]:
        """Matched and scored cells, over one category or (None) all workbooks."""
        chosen = [w for w in self.workbooks if category is None or w.category == category]
        return sum(w.matched for w in chosen), sum(w.scored for w in chosen)

    def rate(self, category: str | None = None) -> float:
        """Share of matching cells, over one category or (None) all workbooks."""
        matched, scored = self.totals(category)
        return matched / scored if scored else 1.0

    def mean_rate(self, category: str | None = None) -> float:
        """Mean of the per-workbook rates (each workbook weighs the same), over workbooks with scored cells."""
        rates = [w.rate for w in self.workbooks if w.scored and (category is None or w.category == category)]
        return sum(rates) / len(rates) if rates else 1.0

    def rates(self) -> dict[str, float]:
        """Rate per category and ``"totaal"``."""
        return {**{category: self.rate(category) for category in CATEGORIES}, "totaal": self.rate()}

    def causes(self) -> Counter[str]:
        """Differing cells per cause, over all workbooks."""
        return Counter(cell.cause for w in self.workbooks for cell in w.differences)

    def as_dict(self) -> dict[str, object]:
        """Plain data for JSON."""
        return {"engine": self.engine, "rates": self.rates(), "causes": dict(self.causes().most_common()),
                "workbooks": [w.as_dict() for w in self.workbooks]}


def subjects(manifest: Manifest, paths: Mapping[str, Path]) -> list[Subject]:
    """The obtained workbooks with their manifest category, in manifest order."""
    return [Subject(entry.id, entry.category, paths[entry.id]) for entry in manifest.workbooks if entry.id in paths]


# -- values --------------------------------------------------------------------------------------------------


def same(stored: Scalar, computed: Scalar) -> bool:
    """Whether a computed value counts as Excel's stored value (rules in the module docstring).

    >>> same(0.1 + 0.2, 0.3), same(None, ""), same(None, 0.0), same(1.0, "1"), same(True, 1.0)
    (True, True, False, False, False)
    """
    if (isinstance(stored, float | int) and isinstance(computed, float | int)
            and not isinstance(stored, bool) and not isinstance(computed, bool)):
        return math.isclose(stored, computed, rel_tol=RELATIVE_TOLERANCE, abs_tol=ABSOLUTE_TOLERANCE)
    if stored in (None, "") and computed in (None, ""):
        return not isinstance(stored, bool) and not isinstance(computed, bool)
    if isinstance(stored, ExcelError) or isinstance(computed, ExcelError):
        return isinstance(stored, ExcelError) and isinstance(computed, ExcelError) and stored.code == computed.code
    return type(stored) is type(computed) and stored == computed


def describe(value: Scalar) -> str:
    """A value for a report line: numbers with up to 15 significant digits, text quoted, errors by code."""
    if value is None:
        return "(leeg)"
    if isinstance(value, bool):
        return "WAAR" if value else "ONWAAR"
    if isinstance(value, float | int):
        return f"{value:.15g}"
    if isinstance(value, ExcelError):
        return value.code
    text = value if len(value) <= 40 else value[:37] + "..."
    return repr(text)


def _plain(value: Scalar) -> object:
    return value.code if isinstance(value, ExcelError) else value


# -- the cells Excel defines ---------------------------------------------------------------------------------


def _area(ref: str | None) -> list[tuple[int, int]]:
    """Cells of an ``A1:B3`` range (one cell for ``A1``; none for no range)."""
    if not ref:
        return []
    corners = [split_address(part) for part in ref.split(":")]
    (r1, c1), (r2, c2) = corners[0], corners[-1]
    return [(row, col) for row in range(r1, r2 + 1) for col in range(c1, c2 + 1)]


def excel_cells(book: Book) -> dict[Position, str]:
    """Every formula cell and every cell of a stored array range, with the formula it belongs to.

    A copy of a shared formula shows the master's text and its offset; a what-if data table says so.
    """
    cells: dict[Position, str] = {}
    for index, sheet in enumerate(book.sheets):
        for (row, col), spec in sheet.formulas.items():
            text = spec.text if spec.kind != "dataTable" else "(gegevenstabel)"
            if spec.offset != (0, 0):
                text = f"{text}  [gedeeld, verschoven {spec.offset[0]:+d} rijen, {spec.offset[1]:+d} kolommen]"
            if spec.kind == "array":
                for position in _area(spec.ref):
                    cells.setdefault((index, *position), text)
            cells[(index, row, col)] = text
    return cells


def _read_stored(path: Path, workdir: Path) -> Book:
    """Excel's stored values, through a transitional copy when the file is Strict Open XML."""
    try:
        return read_book(path)
    except JbjrFout:
        if not _is_strict(path):
            raise
    copy = workdir / f"transitioneel-{path.name}"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(copy, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.endswith((".xml", ".rels")):
                text = data.decode("utf-8")
                for strict, transitional in _STRICT.items():
                    text = text.replace(strict, transitional)
                data = text.encode("utf-8")
            target.writestr(info, data)
    return read_book(copy)


def _is_strict(path: Path) -> bool:
    with zipfile.ZipFile(path) as package:
        return b"purl.oclc.org/ooxml/spreadsheetml/main" in package.read("xl/workbook.xml")


def _volatile(cells: Mapping[Position, str], reads: Mapping[Position, list[Ref]],
              areas: Mapping[Position, list[Position]]) -> set[Position]:
    """Cells calling a volatile function, and every cell reading one of them, directly or not."""
    volatile = {position for position, formula in cells.items() if VOLATILE.search(formula)}
    changed = True
    while changed:
        changed = False
        for position, refs in reads.items():
            if position not in volatile and any(_covers(ref, other) for ref in refs for other in volatile):
                volatile.add(position)
                changed = True
    for anchor in list(volatile):
        volatile.update(areas.get(anchor, []))
    return volatile


def _covers(ref: Ref, position: Position) -> bool:
    sheet, row, col = position
    return ref.sheet == sheet and ref.r1 <= row <= ref.r2 and ref.c1 <= col <= ref.c2


def _own_issues(evaluator: Evaluator) -> dict[tuple[str, str], Issue]:
    """The most telling issue per cell: a fatal one before a non-fatal one; error results are no cause."""
    found: dict[tuple[str, str], Issue] = {}
    for issue in evaluator.issues:
        if issue.kind == "foutwaarde":
            continue
        key = (issue.sheet, issue.address)
        if key not in found or (issue.fatal and not found[key].fatal):
            found[key] = issue
    return found


def _root_causes(book: Book, evaluator: Evaluator, reads: Mapping[Position, list[Ref]],
                 areas: Mapping[Position, list[Position]]) -> tuple[dict[Position, str], set[Position]]:
    """A cause per cell with an issue, and per cell reading such a cell; the second set holds the readers."""
    names = {sheet.name: index for index, sheet in enumerate(book.sheets)}
    causes: dict[Position, str] = {}
    for (sheet, address), issue in _own_issues(evaluator).items():
        position = (names[sheet], *split_address(address))
        for cell in [position, *areas.get(position, [])]:
            causes.setdefault(cell, issue_cause(issue))
    inherited: set[Position] = set()
    pending = list(causes)
    by_single: dict[Position, list[Position]] = {}
    by_range: dict[int, list[tuple[Ref, Position]]] = {}
    for position, refs in reads.items():
        for ref in refs:
            if ref.r1 == ref.r2 and ref.c1 == ref.c2:
                by_single.setdefault((ref.sheet, ref.r1, ref.c1), []).append(position)
            else:
                by_range.setdefault(ref.sheet, []).append((ref, position))
    while pending:
        source = pending.pop()
        readers = by_single.get(source, []) + [p for ref, p in by_range.get(source[0], []) if _covers(ref, source)]
        for reader in readers:
            if reader not in causes:
                for cell in [reader, *areas.get(reader, [])]:
                    causes.setdefault(cell, causes[source])
                    inherited.add(cell)
                    pending.append(cell)
    return causes, inherited


# -- herbereken ----------------------------------------------------------------------------------------------


def _computed(evaluator: Evaluator, position: Position) -> Scalar:
    key = key_of(*position)
    if key in evaluator.results:
        return evaluator.results[key]
    return evaluator.spilled.get(key)


def _reads(evaluator: Evaluator) -> dict[Position, list[Ref]]:
    """The ranges each formula cell reads (empty when the engine does not expose them)."""
    return {position_of(key): list(getattr(cell, "refs", [])) for key, cell in evaluator.cells.items()}


def _areas(book: Book, evaluator: Evaluator) -> dict[Position, list[Position]]:
    """Cells each array formula covers, in Excel's stored range and in herbereken's spill."""
    areas: dict[Position, list[Position]] = {}
    for index, sheet in enumerate(book.sheets):
        for (row, col), spec in sheet.formulas.items():
            if spec.kind == "array":
                areas[(index, row, col)] = [(index, *cell) for cell in _area(spec.ref)]
    for anchor, ref in evaluator.spills.items():
        cells = [(ref.sheet, r, c) for r in range(ref.r1, ref.r2 + 1) for c in range(ref.c1, ref.c2 + 1)]
        areas.setdefault(position_of(anchor), []).extend(cells)
    return areas


def _score_evaluated(score: WorkbookScore, stored: Book, evaluator: Evaluator) -> None:
    cells = excel_cells(stored)
    reads, areas = _reads(evaluator), _areas(stored, evaluator)
    volatile = _volatile(cells, reads, areas)
    causes, inherited = _root_causes(stored, evaluator, reads, areas)
    plain = {(index, *cell) for index, sheet in enumerate(stored.sheets)
             for cell, spec in sheet.formulas.items() if spec.kind != "array"}
    spilled_from_plain = {position_of(anchor) for anchor in evaluator.spills} & plain
    for position, formula in sorted(cells.items()):
        sheet, row, col = position
        value, computed = stored.sheets[sheet].values.get((row, col)), _computed(evaluator, position)
        cell = CellResult(stored.sheets[sheet].name, cell_address(row, col), formula, value, computed)
        if position in volatile:
            score.volatile.append(cell)
            continue
        score.scored += 1
        if same(value, computed):
            score.matched += 1
            continue
        cause = causes.get(position)
        if cause is None and (position in spilled_from_plain or (position in plain and computed == SPILL)):
            cause = "impliciete doorsnede: gewone formule gaf een bereik (Excel neemt één cel)"
        score.differences.append(CellResult(cell.sheet, cell.address, formula, value, computed,
                                            cause or value_cause(formula, value, computed), position in inherited))
    for key, value in evaluator.spilled.items():
        position = position_of(key)
        if position not in cells:
            sheet, row, col = position
            score.extra_spills.append(CellResult(stored.sheets[sheet].name, cell_address(row, col), "",
                                                 stored.sheets[sheet].values.get((row, col)), value,
                                                 "overloop buiten Excel's bereik"))


def _unreadable_workbook(score: WorkbookScore, stored: Book, error: str) -> None:
    score.error = error
    for position, formula in sorted(excel_cells(stored).items()):
        sheet, row, col = position
        value = stored.sheets[sheet].values.get((row, col))
        if VOLATILE.search(formula):
            score.volatile.append(CellResult(stored.sheets[sheet].name, cell_address(row, col), formula, value, None))
            continue
        score.scored += 1
        score.differences.append(CellResult(stored.sheets[sheet].name, cell_address(row, col), formula, value,
                                            None, f"werkboek niet te lezen: {error[:80]}"))


def score_herbereken_workbook(subject: Subject, workdir: Path) -> WorkbookScore:
    """Recalculate one workbook in memory and compare every scored cell with Excel's stored value."""
    score = WorkbookScore(subject.id, subject.category)
    start = time.perf_counter()
    stored = _read_stored(subject.path, workdir)
    try:
        book = read_book(subject.path)
        evaluator = evaluate(book)
    except JbjrFout as exc:
        _unreadable_workbook(score, stored, str(exc))
    else:
        _score_evaluated(score, stored, evaluator)
        evaluator.release()
    score.differences = [replace(cell, cause=vba_cause(cell.cause, subject.path)) for cell in score.differences]
    score.seconds = time.perf_counter() - start
    return score


def score_herbereken(corpus: Iterable[Subject]) -> EngineScore:
    """Score herbereken on every workbook of ``corpus``."""
    result = EngineScore("herbereken")
    with tempfile.TemporaryDirectory(prefix="excel-corpus-") as workdir:
        result.workbooks = [score_herbereken_workbook(subject, Path(workdir)) for subject in corpus]
    return result


# -- LibreOffice ---------------------------------------------------------------------------------------------


def _score_values(subject: Subject, stored: Book, recalculated: Book | None, error: str | None,
                  volatile: set[tuple[str, str]]) -> WorkbookScore:
    score = WorkbookScore(subject.id, subject.category, error=error)
    for position, formula in sorted(excel_cells(stored).items()):
        sheet, row, col = position
        value = stored.sheets[sheet].values.get((row, col))
        computed = None
        if recalculated is not None and sheet < len(recalculated.sheets):
            computed = recalculated.sheets[sheet].values.get((row, col))
        cell = CellResult(stored.sheets[sheet].name, cell_address(row, col), formula, value, computed)
        if (cell.sheet, cell.address) in volatile or VOLATILE.search(formula):
            score.volatile.append(cell)
            continue
        score.scored += 1
        if same(value, computed) or _boolean_as_number(value, computed):
            score.matched += 1
        else:
            cause = f"LibreOffice faalde: {error[:60]}" if error else value_cause(formula, value, computed)
            score.differences.append(CellResult(cell.sheet, cell.address, formula, value, computed, cause))
    return score


def _boolean_as_number(stored: Scalar, computed: Scalar) -> bool:
    """LibreOffice has no boolean type: it writes TRUE as the number 1 (boolean format). Counted as a match."""
    return isinstance(stored, bool) and isinstance(computed, float) and computed == float(stored)


def _recalculate(copies: list[Path], outputs: Path) -> dict[str, str]:
    """Run LibreOffice over all copies at once; after a failure one at a time. Returns errors per copy stem."""
    errors: dict[str, str] = {}
    try:
        recalculate_with_libreoffice(copies, outputs)
    except JbjrFout:
        for copy in copies:  # one at a time, so one failure costs only its own workbook
            try:
                recalculate_with_libreoffice([copy], outputs)
            except JbjrFout as exc:
                errors[copy.stem] = str(exc)
    return errors


def score_libreoffice(corpus: Sequence[Subject], workdir: Path,
                      volatile: Mapping[str, set[tuple[str, str]]] | None = None) -> EngineScore:
    """Recalculate copies of ``corpus`` with LibreOffice (forced, one run) and compare with Excel's stored values.

    ``volatile`` (workbook id -> {(sheet, address)}) names cells to report apart besides those that call a
    volatile function themselves: pass herbereken's, so both engines are scored on the same cells.
    """
    inputs, outputs = workdir / "in", workdir / "uit"
    inputs.mkdir(parents=True, exist_ok=True)
    copies = [inputs / f"{subject.id}{subject.path.suffix}" for subject in corpus]
    for subject, copy in zip(corpus, copies, strict=True):
        shutil.copyfile(subject.path, copy)
    errors = _recalculate(copies, outputs)
    result = EngineScore("LibreOffice")
    for subject in corpus:
        start = time.perf_counter()
        stored = _read_stored(subject.path, workdir)
        output = outputs / f"{subject.id}.xlsx"
        recalculated = read_book(output) if output.exists() and subject.id not in errors else None
        score = _score_values(subject, stored, recalculated, errors.get(subject.id),
                              (volatile or {}).get(subject.id, set()))
        score.seconds = time.perf_counter() - start
        result.workbooks.append(score)
    return result


def volatile_cells(score: EngineScore) -> dict[str, set[tuple[str, str]]]:
    """Per workbook, the cells an engine reported as volatile, to hand to :func:`score_libreoffice`."""
    return {w.id: {(cell.sheet, cell.address) for cell in w.volatile} for w in score.workbooks}
