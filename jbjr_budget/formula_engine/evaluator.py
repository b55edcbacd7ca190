"""Evaluate every formula of a workbook in dependency order, as Excel stores and fills them.

A plain formula gives one value; a legacy array formula fills the area stored with it (repeating a
single row or column, #N/A beyond a smaller result); a dynamic array formula spills, and is ordered
before the formulas that read its spill range on a second pass. Circular references are errors
unless the workbook enables iterative calculation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import NamedTuple, TypeAlias, cast

from jbjr_budget.formula_engine.areas import fit, top_left
from jbjr_budget.formula_engine.book import Book, FormulaSpec, area_of, cell_address
from jbjr_budget.formula_engine.circles import Circles
from jbjr_budget.formula_engine.compiler import Compiler, Thunk
from jbjr_budget.formula_engine.context import WorkbookContext
from jbjr_budget.formula_engine.locales import LOCALE, locale_named
from jbjr_budget.formula_engine.ordering import (
    Component,
    Owners,
    area_keys,
    components,
    key_of,
    position_of,
    row_keys,
)
from jbjr_budget.formula_engine.parser import parse_at
from jbjr_budget.formula_engine.syntax import MAX_COL, MAX_ROW, FormulaSyntaxError
from jbjr_budget.formula_engine.values import DATE_1904, VALUE, Array, ExcelError, Ref, Scalar, Value
from jbjr_budget.formula_engine.what_if import DataTable, Recalculation, data_table
from jbjr_budget.formula_engine.xlsx_writer import SheetUpdate

__all__ = ["Evaluator", "FunctionRegistry", "Issue", "key_of", "position_of"]

FunctionRegistry: TypeAlias = Mapping[str, Callable[..., object]]

SPILL = ExcelError("#SPILL!", "overloopbereik is niet leeg")


class Issue(NamedTuple):
    """Something wrong with one cell; ``fatal`` issues mean the value could not be computed faithfully."""

    sheet: str
    address: str
    kind: str
    detail: str = ""
    fatal: bool = True

    def __str__(self) -> str:
        """The Dutch report line, e.g. ``Blad 'Begroting', cel C7: kringverwijzing``."""
        detail = f" ({self.detail})" if self.detail else ""
        return f"Blad '{self.sheet}', cel {self.address}: {self.kind}{detail}"


@dataclass(slots=True)
class _Cell:
    key: int
    fn: Thunk
    refs: list[Ref]
    spec: FormulaSpec
    area: Ref | None = None  # a legacy array formula's stored area
    volatile: bool = False
    custom: bool = False
    issues: list[Issue] = field(default_factory=list)


class Evaluator(WorkbookContext, Circles):
    """Recalculates one workbook; ``functions`` maps extra function names (JBJR_...) to Python callables."""

    def __init__(self, book: Book, functions: FunctionRegistry | None = None,
                 pinned: Mapping[int, Scalar | Array] | None = None) -> None:
        """Prepare ``book``; only Excel's own functions are known unless ``functions`` adds some.

        ``pinned`` gives results computed elsewhere (by LibreOffice) for formula cells, by cell key.
        """
        self.book = book
        self.functions: FunctionRegistry = functions if functions is not None else {}
        self.pinned = pinned or {}
        self.sheet_ids = {sheet.name.upper(): index for index, sheet in enumerate(book.sheets)}
        self.initial: dict[int, Scalar] = {}
        self.store: dict[int, Scalar] = {}
        self.cells: dict[int, _Cell] = {}
        self.results: dict[int, Scalar] = {}
        self.spills: dict[int, Ref] = {}
        self.spilled: dict[int, Scalar] = {}
        self.issues: list[Issue] = []
        self.volatile: set[int] = set()  # cells that call NOW, RAND, ... or read such a cell
        self.iterated: set[int] = set()  # cells computed by iteration, or reading such a cell
        self.current = 0
        self.max_row = self.max_col = 1
        self.stale: set[int] = set()
        self.owners = Owners()
        self._order: list[Component] = []
        self._deps: dict[int, list[int]] = {}
        self._arrays: dict[Ref, Array] = {}
        self._read_ahead = False  # a formula read a computed range (OFFSET, INDIRECT) before it was filled
        self._waiting: set[int] = set()
        self._read_waiting = False

    # -- public ------------------------------------------------------------------------------------

    def run(self) -> None:
        """Compile and evaluate every formula; results land in ``results`` and ``spilled``."""
        token = DATE_1904.set(self.book.date1904)
        locale = LOCALE.set(locale_named(self.book.locale))
        try:
            self._load()
            for _ in range(3):
                deps = {key: self.owners.dependencies(key, cell.refs) for key, cell in self.cells.items()}
                order = components(deps)
                self._order, self._deps = order, deps
                self._evaluate(order)
                if not self._misordered_spills(order) and not self._read_ahead:
                    break
        finally:
            DATE_1904.reset(token)
            LOCALE.reset(locale)
        cyclic = {key for component in order if component.cyclic for key in component.keys}
        self.volatile = self.downstream(lambda key: self.cells[key].volatile)
        self.iterated = self.downstream(cyclic.__contains__) if self.book.iteration else set()
        for cell in self.cells.values():
            self.issues.extend(cell.issues)

    def downstream(self, seed: Callable[[int], bool]) -> set[int]:
        """The formula cells for which ``seed`` holds and every formula that reads one of them, directly or not."""
        found: set[int] = set()
        for component in self._order:  # in dependency order; the cells of a circle read each other
            if any(seed(key) or any(dep in found for dep in self._deps[key]) for key in component.keys):
                found.update(component.keys)
        return found

    def updates(self, *, custom_as_values: bool = False) -> dict[int, SheetUpdate]:
        """What to write per sheet: results, spilled and cleared cells, dynamic arrays' new areas.

        ``custom_as_values`` writes the cells calling a caller's function (JBJR) as values, their formula left out.
        """
        updates: defaultdict[int, SheetUpdate] = defaultdict(SheetUpdate)  # one per sheet, not one per cell
        for key, value in self.results.items():
            sheet, row, col = position_of(key)
            update = updates[sheet]
            update.results[(row, col)] = value
            if custom_as_values and self.cells[key].custom:
                update.values_only.add((row, col))
            elif self.cells[key].spec.dynamic:
                area = self.spills.get(key)
                corner = cell_address(row, col)
                update.array_refs[(row, col)] = f"{corner}:{cell_address(area.r2, area.c2)}" if area else corner
        for key, value in self.spilled.items():
            sheet, row, col = position_of(key)
            updates[sheet].spilled[(row, col)] = value
        for key in self.stale - self.spilled.keys():
            sheet, row, col = position_of(key)
            updates[sheet].cleared.add((row, col))
        return dict(updates)

    def custom_function(self, name: str) -> Callable[..., object] | None:
        """A function the caller handed in (a JBJR function), or None."""
        return self.functions.get(name)

    def release(self) -> None:
        """Drop the compiled closures (they refer back to the evaluator), so memory frees without a GC pass."""
        self.cells.clear()
        self._arrays.clear()

    def describe(self, key: int) -> tuple[str, str]:
        """Sheet name and address of a cell key."""
        sheet, row, col = position_of(key)
        return self.book.sheets[sheet].name, cell_address(row, col)

    def note(self, kind: str, detail: str = "", *, fatal: bool = True) -> None:
        """Record an issue for the cell being evaluated."""
        cell = self.cells.get(self.current)
        if cell is not None and not any(i.kind == kind and i.detail == detail for i in cell.issues):
            cell.issues.append(Issue(*self.describe(self.current), kind, detail, fatal))

    # -- values for functions ----------------------------------------------------------------------

    def cell(self, sheet: int, row: int, col: int) -> Scalar:
        """The current value of one cell (``None`` when blank)."""
        if self._waiting:
            self._watch(Ref(sheet, row, col, row, col))
        return self.store.get(key_of(sheet, row, col))

    def array(self, ref: Ref) -> Array:
        """The values of a range; whole columns and rows are trimmed to the used area of the workbook."""
        if self._waiting:
            self._watch(ref)
        cached = self._arrays.get(ref)
        if cached is not None:
            return cached
        r2 = min(ref.r2, max(self.max_row, ref.r1)) if ref.r2 == MAX_ROW else ref.r2
        c2 = min(ref.c2, max(self.max_col, ref.c1)) if ref.c2 == MAX_COL else ref.c2
        get = self.store.get
        base = ref.sheet << 36
        cached = [[get(base | (row << 15) | col) for col in range(ref.c1, c2 + 1)] for row in range(ref.r1, r2 + 1)]
        self._arrays[ref] = cached
        return cached

    def value(self, value: Value) -> Scalar | Array:
        """A reference turned into its value (one cell) or array (a range)."""
        if isinstance(value, Ref):
            if value.r1 == value.r2 and value.c1 == value.c2:
                if self._waiting:
                    self._watch(value)
                return self.store.get(key_of(value.sheet, value.r1, value.c1))
            return self.array(value)
        return value

    def spill_range(self, ref: Ref) -> Ref:
        """The range a dynamic-array formula spilled into (``A1#``)."""
        return self.spills.get(key_of(ref.sheet, ref.r1, ref.c1), Ref(ref.sheet, ref.r1, ref.c1, ref.r1, ref.c1))

    # -- loading and compiling ---------------------------------------------------------------------

    def _load(self) -> None:
        for index, sheet in enumerate(self.book.sheets):
            for (row, col), value in sheet.values.items():
                self.initial[key_of(index, row, col)] = value
            for (row, col), spec in sheet.formulas.items():
                key = key_of(index, row, col)
                self.cells[key] = self._compile(key, (index, row, col), spec)
        for key, cell in self.cells.items():
            if cell.spec.ref and (cell.spec.kind == "array" or cell.area is not None):
                self._own(key, area_of(position_of(key)[0], cell.spec.ref))
            self.owners.add(key, key)
        keys = [*self.initial, *self.cells]
        self.max_row = max((position_of(k)[1] for k in keys), default=1)
        self.max_col = max((position_of(k)[2] for k in keys), default=1)

    def _own(self, anchor: int, area: Ref) -> None:
        """Make ``anchor`` the owner of every cell of its area, removing stale values left there."""
        pop = self.initial.pop
        self.stale.update(key for key in self.owners.fill(area, anchor, self.cells) if pop(key, None) is not None)

    def _compile(self, key: int, position: tuple[int, int, int], spec: FormulaSpec) -> _Cell:
        cell = _Cell(key, lambda: VALUE, [], spec)
        self.cells[key] = cell
        self.current = key
        if spec.kind == "dataTable":
            table = data_table(position[0], spec)
            if table is None:
                self.note("niet ondersteund", "gegevenstabel met verwijderde invoercel")
                return cell
            cell.area, cell.refs = table.area, table.reads()
            cell.fn = lambda: self._fill(table)
            return cell
        if spec.kind == "array" and not spec.dynamic:
            cell.area = area_of(position[0], spec.ref or cell_address(*position[1:]))
        if key in self.pinned:
            pinned = self.pinned[key]
            cell.fn = lambda: pinned
            return cell
        _, row, col = position
        try:
            node, offset = parse_at(spec.text, row - spec.offset[0], col - spec.offset[1])
        except FormulaSyntaxError as exc:
            self.note("formule niet te lezen", f"{spec.text}: {exc}")
            return cell
        compiler = Compiler(self, position, (offset[0] + spec.offset[0], offset[1] + spec.offset[1]),
                            array=spec.kind == "array")
        cell.fn = compiler.formula(node)
        cell.refs = compiler.refs
        cell.volatile, cell.custom = compiler.volatile, compiler.custom
        return cell

    # -- evaluation --------------------------------------------------------------------------------

    def _evaluate(self, order: list[Component]) -> None:
        self._read_ahead = False
        self.store = dict(self.initial)
        self.results.clear()
        self.spills.clear()
        self.spilled.clear()
        self._arrays.clear()
        for cell in self.cells.values():
            cell.issues = [issue for issue in cell.issues if issue.kind != "kringverwijzing"]
        for component in order:
            if not component.cyclic:
                self._compute(component.keys[0])
            elif self.book.iteration is not None:
                self._iterate(component.keys, self.book.iteration)
            else:
                self._circle(component.keys)

    def _compute(self, key: int) -> None:
        self._store(key, self._result(key))

    def _result(self, key: int) -> Scalar | Array:
        self.current = key
        try:
            return self.value(self.cells[key].fn())
        except RecursionError:
            self.note("formule te diep genest")
        except Exception as exc:  # one bad formula must not stop the workbook
            self.note("formule niet te berekenen", f"{type(exc).__name__}: {exc}")
        return VALUE

    def _fill(self, table: DataTable) -> Array:
        """A data table's values, the formulas between its input cells and its formulas recomputed for each."""
        anchor = self.current
        values = Recalculation(self._order, self._deps, lambda key: self.cells[key].refs, self.store.get,
                               self._recompute).fill(table)
        self.current = anchor
        return values

    def _recompute(self, settings: Mapping[int, Scalar], keys: list[int]) -> None:
        """Set some cells to other values and recompute ``keys`` (in order) from them."""
        self.store.update(settings)
        for key in keys:
            self._arrays.clear()
            self._compute(key)
        self._arrays.clear()

    def _store(self, key: int, result: Scalar | Array) -> None:
        cell = self.cells[key]
        if isinstance(result, list) and not cell.custom:  # Excel shows a blank inside an array result as 0
            result = [[0.0 if item is None else item for item in line] for line in result]
        if cell.area is not None:
            filled = fit(result, *cell.area.shape)
            self._place(key, cell.area, filled)
            result = filled[0][0]
        elif isinstance(result, list):
            single = len(result) == 1 and len(result[0]) == 1
            result = result[0][0] if single or not cell.spec.dynamic else self._spill(key, result)
        value = _scalar(top_left(result))
        self.store[key] = self.results[key] = 0.0 if value is None else value

    def _place(self, anchor: int, area: Ref, values: Array) -> None:
        """Put an array formula's values in the cells of its area other than the anchor."""
        placed: dict[int, Scalar] = {}
        for row, line in enumerate(values, start=area.r1):
            placed.update(zip(row_keys(area.sheet, row, area.c1, area.c1 + len(line) - 1), map(_scalar, line),
                              strict=True))
        placed.pop(anchor, None)
        self.store.update(placed)
        self.spilled.update(placed)

    def _spill(self, key: int, array: Array) -> Scalar:
        sheet, row, col = position_of(key)
        area = Ref(sheet, row, col, row + len(array) - 1, col + len(array[0]) - 1)
        others = area_keys(area)[1:]  # the anchor comes first
        get = self.initial.get
        if (not self.cells.keys().isdisjoint(others) or not self.spilled.keys().isdisjoint(others)
                or any(get(other) is not None for other in others)):
            return SPILL
        self._place(key, area, array)
        self.spills[key] = area
        self.max_row = max(self.max_row, area.r2)
        self.max_col = max(self.max_col, area.c2)
        return array[0][0]

    def _misordered_spills(self, order: list[Component]) -> bool:
        """Register new spill areas; whether a formula read one of them before it was filled."""
        position = {key: index for index, component in enumerate(order) for key in component.keys}
        misordered = False
        for anchor, area in self.spills.items():
            if all(owner == anchor for owner in map(self.owners.owner.get, area_keys(area))):
                continue
            self._own(anchor, area)
            misordered = misordered or any(
                position[cell.key] < position[anchor] and any(_overlaps(ref, area) for ref in cell.refs)
                for cell in self.cells.values())
        return misordered


def _overlaps(a: Ref, b: Ref) -> bool:
    return a.sheet == b.sheet and a.r1 <= b.r2 and b.r1 <= a.r2 and a.c1 <= b.c2 and b.c1 <= a.c2


def _scalar(value: object) -> Scalar:
    """A result as the workbook stores it: integers and decimals become floats, unknown types #VALUE!."""
    if type(value) in _STORED:  # most values (a spilled table has thousands): before the slower isinstance
        return cast(Scalar, value)
    if value is None or isinstance(value, float | str | bool | ExcelError):
        return value
    if isinstance(value, int | Decimal):
        return float(value)
    return VALUE


_STORED = frozenset({float, str, bool, ExcelError})
