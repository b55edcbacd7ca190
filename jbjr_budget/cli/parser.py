"""An argument parser that speaks Dutch: help, usage and every usage error.

argparse builds its messages from fixed English templates. :class:`Parser`
gives its help, titles and usage line in Dutch, and :func:`translate` turns
each English error template into its Dutch counterpart before it is printed.
"""

from __future__ import annotations

import argparse
import functools
import re
import sys
from collections.abc import Iterable
from typing import Any, NoReturn

__all__ = ["Parser", "translate"]

USAGE = "gebruik: "
ERROR = "{prog}: fout: {message}\n"

TEMPLATES = {
    "argument %(argument_name)s: %(message)s": "argument {argument_name}: {message}",
    "the following arguments are required: %s": "verplicht, maar niet gegeven: {0}",
    "one of the arguments %s is required": "geef een van deze argumenten: {0}",
    "unrecognized arguments: %s": "onbekende argumenten: {0}",
    "invalid choice: %(value)r (choose from %(choices)s)": "ongeldige keuze {value}; kies uit {choices}",
    "invalid %(type)s value: %(value)r": "{value} is geen {type}",
    "expected one argument": "verwacht één waarde",
    "expected at most one argument": "verwacht hoogstens één waarde",
    "expected at least one argument": "verwacht minstens één waarde",
    "expected %s argument": "verwacht {0} waarde",
    "expected %s arguments": "verwacht {0} waarden",
    "not allowed with argument %s": "niet samen met {0}",
    "ignored explicit argument %r": "deze optie neemt geen waarde ({0})",
    "ambiguous option: %(option)s could match %(matches)s": "optie {option} is niet eenduidig: {matches}",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "onbekende opdracht {parser_name}; kies uit {choices}",
    "unexpected option string: %s": "onverwachte optie {0}",
}
"""argparse's English message templates (Python 3.11) and their Dutch text."""

TYPE_NAMES = {"int": "geheel getal", "float": "getal", "Path": "pad", "str": "tekst"}


def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what argparse makes of ``template``."""
    fields = iter(range(10))

    def group(match: re.Match[str]) -> str:
        name = match.group(1) or f"p{next(fields)}"
        return f"(?P<{name}>.+?)"

    return re.compile(re.sub(r"%(?:\\\((\w+)\\\))?[sr]", group, re.escape(template)), re.DOTALL)


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """Every template's pattern with its Dutch text, compiled at the first usage error (not at every start)."""
    return [(_pattern(english), dutch) for english, dutch in TEMPLATES.items()]


def translate(message: str) -> str:
    """The Dutch text of an argparse error message (unknown messages are kept as they are).

    Examples:
        >>> translate("the following arguments are required: --periode")
        'verplicht, maar niet gegeven: --periode'
        >>> translate("argument --processen: invalid int value: 'twee'")
        "argument --processen: 'twee' is geen geheel getal"
    """
    for pattern, dutch in _patterns():
        match = pattern.fullmatch(message)
        if match:
            values = match.groupdict()
            if "message" in values:
                values["message"] = translate(values["message"])
            if "type" in values:
                values["type"] = TYPE_NAMES.get(values["type"], values["type"])
            positional = [values.pop(f"p{i}") for i in range(sum(key.startswith("p") for key in values))]
            return dutch.format(*positional, **values)
    return message


class HelpFormatter(argparse.HelpFormatter):
    """Dutch usage line."""

    def add_usage(self, usage: str | None, actions: Iterable[argparse.Action],
                  groups: Iterable[argparse._MutuallyExclusiveGroup], prefix: str | None = None) -> None:
        """Start the usage line with ``gebruik:``."""
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """``argparse.ArgumentParser`` with Dutch help, section titles and error messages (subcommands too)."""

    def __init__(self, add_help: bool = True, **kwargs: Any) -> None:  # noqa: ANN401 - argparse's own keywords
        """Create the parser (keywords as for argparse); ``-h``/``--help`` gets a Dutch help text."""
        kwargs.setdefault("formatter_class", HelpFormatter)
        kwargs["add_help"] = False
        super().__init__(**kwargs)
        self._positionals.title, self._optionals.title = "argumenten", "opties"
        if add_help:
            self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                              help="deze hulp tonen en stoppen")

    def error(self, message: str) -> NoReturn:
        """Print the usage and the Dutch message on stderr; exit 2 (wrong use)."""
        self.print_usage(sys.stderr)
        self.exit(2, ERROR.format(prog=self.prog, message=translate(message)))
