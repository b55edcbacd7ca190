"""One declarative spec per Excel function, fed to the xlwings decorators and kept for tests.

On Windows the xlwings decorators record what "Import Functions" turns into
VBA stubs (name, category, help texts); elsewhere they are pass-through and
store nothing. :func:`udf` therefore keeps the same facts in :data:`SPECS`, so
they can be checked on any platform, and every UDF answers bad input with a
short Dutch text (``#JBJR! ...``) instead of a traceback. Results are kept per
arguments (:mod:`udfs.cache`).

xlwings itself (which imports pandas) is imported only by :func:`excel_decorated`,
which the module Excel loads (:mod:`udfs.excel_functions`) calls: headless
recalculation calls :data:`EXCEL_FUNCTIONS` without it.
"""

from __future__ import annotations

import dataclasses
import decimal
import functools
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Literal, TypeVar

from jbjr_budget.errors import JbjrFout
from udfs.cache import cached

__all__ = [
    "CATEGORY", "EXCEL_FUNCTIONS", "MACROS", "SPECS", "ArgSpec", "Cel", "UdfSpec", "Vorm", "excel_decorated", "macro",
    "udf",
]

CATEGORY = "JBJR"
PREFIX = "JBJR_"
ERROR_PREFIX = "#JBJR! "
TOO_LARGE = "getal te groot of te klein om mee te rekenen; controleer de invoer"

Cel = Any
"""What Excel passes in or gets back: a value, ``None``, or a (nested) list for a range.

It is ``Any`` on purpose: xlwings reads argument hints as converters, and
``Any`` selects its default value converter, which hands over cells as they are.
"""

Vorm = Literal["waarde", "rij of kolom", "tabel"]
"""Return shape: one value, a row or column (following an input range), or a table with headers."""

F = TypeVar("F", bound=Callable[..., Any])


@dataclass(frozen=True)
class ArgSpec:
    """One argument as Excel shows it: name, Dutch help text, optional or not, range or not."""

    name: str
    doc: str
    optional: bool
    bereik: bool


@dataclass(frozen=True)
class UdfSpec:
    """What Excel needs to know about one worksheet function (or macro)."""

    excel_name: str
    doc: str
    args: tuple[ArgSpec, ...]
    vorm: Vorm
    function: Callable[..., Any]

    @property
    def min_args(self) -> int:
        """Number of required arguments."""
        return sum(not a.optional for a in self.args)

    @property
    def max_args(self) -> int:
        """Number of arguments including the optional ones."""
        return len(self.args)


SPECS: dict[str, UdfSpec] = {}
"""Every worksheet function by its upper-case Excel name."""

EXCEL_FUNCTIONS: dict[str, Callable[..., Any]] = {}
"""Upper-case Excel name -> the Python function Excel calls (used by headless recalculation)."""

MACROS: dict[str, UdfSpec] = {}
"""Every macro (VBA Sub after "Import Functions") by its upper-case Excel name."""


def _in_cell(function: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap ``function`` so errors become a short Dutch text in the cell."""

    @functools.wraps(function)
    def cell(*args: Cel) -> Cel:
        try:
            return function(*args)
        except JbjrFout as exc:
            return f"{ERROR_PREFIX}{exc}"
        except (OverflowError, decimal.DecimalException):  # e.g. 1E+300 euro, a norm of 1E-300
            return f"{ERROR_PREFIX}{TOO_LARGE}"
        except Exception as exc:  # a cell must never show a traceback
            return f"{ERROR_PREFIX}onverwachte fout ({type(exc).__name__}: {exc})"

    return cell


def _spec(function: Callable[..., Any], docs: dict[str, str], bereik: tuple[str, ...], vorm: Vorm) -> UdfSpec:
    """Check ``function`` against its argument docs and build its spec."""
    name = function.__name__.upper()
    doc = inspect.getdoc(function) or ""
    params = inspect.signature(function).parameters
    if not name.startswith(PREFIX) or not doc or "\n" in doc:
        raise TypeError(f"{name}: naam moet met {PREFIX} beginnen en de docstring één regel zijn")
    if list(docs) != list(params) or not set(bereik) <= set(params):
        raise TypeError(f"{name}: argumentdocs {list(docs)} passen niet bij {list(params)}")
    args = tuple(
        ArgSpec(p, docs[p], params[p].default is not inspect.Parameter.empty, p in bereik) for p in params
    )
    return UdfSpec(name, doc, args, vorm, function)


def _renamed(function: Callable[..., Any], spec: UdfSpec) -> Callable[..., Any]:
    """``function`` under the Excel name of ``spec`` (xlwings registers functions by their name)."""
    function.__name__ = function.__qualname__ = spec.excel_name
    return function


def _decorate(spec: UdfSpec, arg: Callable[..., Any], xl_kind: Callable[..., Any]) -> Callable[..., Any]:
    """Apply the xlwings decorators (``arg`` per argument, then ``xl_kind``) to the function of ``spec``."""
    function = spec.function
    for argument in spec.args:
        options = {"ndim": 2} if argument.bereik else {}
        function = arg(argument.name, doc=argument.doc, **options)(function)
    return xl_kind(category=CATEGORY)(function)  # type: ignore[no-any-return]


def excel_decorated() -> dict[str, Callable[..., Any]]:
    """Every worksheet function and macro under its Excel name, with the xlwings decorators applied.

    The Office.js runtimes (xlwings Lite, xlwings Server) have no Subs: there a
    macro stays a plain function and the workbook-taking scripts of
    :mod:`udfs.macros` (``@xw.script``) are what users run.
    """
    import xlwings as xw  # noqa: PLC0415 - only Excel's own module needs xlwings (and the pandas it imports)

    decorated = {name: _decorate(spec, xw.arg, xw.func) for name, spec in SPECS.items()}
    sub = getattr(xw, "sub", None)
    decorated.update({name: _decorate(spec, xw.arg, sub) if sub else spec.function for name, spec in MACROS.items()})
    return decorated


def udf(vorm: Vorm, *, bereik: tuple[str, ...] = (), **docs: str) -> Callable[[F], F]:
    """Register a worksheet function: Excel name from its Python name, one doc per argument.

    ``bereik`` names the arguments that take a range; xlwings passes those as
    2D lists so a row and a column stay distinguishable.
    """

    def register(function: F) -> F:
        spec = _spec(function, docs, bereik, vorm)
        cell = _renamed(_in_cell(cached(function)), spec)
        SPECS[spec.excel_name] = dataclasses.replace(spec, function=cell)
        EXCEL_FUNCTIONS[spec.excel_name] = cell
        return cell  # type: ignore[return-value]

    return register


def macro(function: F) -> F:
    """Register a parameterless macro; "Import Functions" turns it into a VBA Sub on Windows."""
    spec = _spec(function, {}, (), "waarde")
    renamed = _renamed(function, spec)
    MACROS[spec.excel_name] = dataclasses.replace(spec, function=renamed)
    return renamed  # type: ignore[return-value]
