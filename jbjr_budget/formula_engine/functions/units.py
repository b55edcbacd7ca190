"""CONVERT's units: each unit's quantity and size in that quantity's base unit, and the prefixes allowed.

Sizes follow Excel's CONVERT documentation (its unit names, case-sensitive); ``metric`` units take
the decimal prefixes (``k``, ``m``, ``u``, ...), information units also the binary ones (``ki``, ``Mi``, ...).
Temperatures are not proportional and are converted in :func:`convert_temperature`.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Unit", "convert_temperature", "find_unit"]


@dataclass(frozen=True, slots=True)
class Unit:
    """A unit: its quantity, its size in the base unit, and the power a prefix is raised to (m2: 2)."""

    quantity: str
    size: float
    metric: bool = False
    power: int = 1


def _units(quantity: str, sizes: dict[str, float], metric: tuple[str, ...] = (), power: int = 1) -> dict[str, Unit]:
    return {name: Unit(quantity, size, name in metric, power) for name, size in sizes.items()}


_INCH = 0.0254
_LIGHT_YEAR = 9460730472580800.0
_UNITS: dict[str, Unit] = {
    **_units("mass", {"g": 1.0, "sg": 14593.90293720636, "lbm": 453.59237, "u": 1.66053906660e-24,
                      "ozm": 28.349523125, "grain": 0.06479891, "cwt": 45359.237, "shweight": 45359.237,
                      "uk_cwt": 50802.34544, "lcwt": 50802.34544, "hweight": 50802.34544, "stone": 6350.29318,
                      "ton": 907184.74, "uk_ton": 1016046.9088, "LTON": 1016046.9088, "brton": 1016046.9088},
             ("g", "u")),
    **_units("distance", {"m": 1.0, "mi": 1609.344, "Nmi": 1852.0, "in": _INCH, "ft": 12 * _INCH, "yd": 36 * _INCH,
                          "ang": 1e-10, "ell": 45 * _INCH, "ly": _LIGHT_YEAR, "parsec": 3.0856775814913673e16,
                          "pc": 3.0856775814913673e16, "Pica": _INCH / 72, "Picapt": _INCH / 72, "pica": _INCH / 6,
                          "survey_mi": 1609.3472186944373},
             ("m", "ang", "ly", "parsec", "pc")),
    **_units("time", {"yr": 31557600.0, "day": 86400.0, "d": 86400.0, "hr": 3600.0, "mn": 60.0, "min": 60.0,
                      "sec": 1.0, "s": 1.0}, ("sec", "s")),
    **_units("pressure", {"Pa": 1.0, "p": 1.0, "atm": 101325.0, "at": 101325.0, "mmHg": 133.322387415,
                          "psi": 6894.757293168361, "Torr": 101325.0 / 760},
             ("Pa", "p", "atm", "at", "mmHg", "Torr")),
    **_units("force", {"N": 1.0, "dyn": 1e-5, "dy": 1e-5, "lbf": 4.4482216152605, "pond": 0.00980665},
             ("N", "dyn", "dy", "pond")),
    **_units("energy", {"J": 1.0, "e": 1e-7, "c": 4.184, "cal": 4.1868, "eV": 1.602176634e-19, "ev": 1.602176634e-19,
                        "HPh": 2684519.537696173, "hh": 2684519.537696173, "Wh": 3600.0, "wh": 3600.0,
                        "BTU": 1055.05585262, "btu": 1055.05585262},
             ("J", "e", "c", "cal", "eV", "ev", "Wh", "wh")),
    **_units("power", {"W": 1.0, "w": 1.0, "HP": 745.6998715822702, "h": 745.6998715822702, "PS": 735.49875},
             ("W", "w")),
    **_units("magnetism", {"T": 1.0, "ga": 1e-4}, ("T", "ga")),
    **_units("volume", {"l": 1e-3, "L": 1e-3, "lt": 1e-3, "tsp": 4.92892159375e-6, "tspm": 5e-6,
                        "tbs": 1.478676478125e-5, "oz": 2.95735295625e-5, "cup": 2.365882365e-4,
                        "pt": 4.73176473e-4, "us_pt": 4.73176473e-4, "uk_pt": 5.6826125e-4, "qt": 9.46352946e-4,
                        "uk_qt": 1.1365225e-3, "gal": 3.785411784e-3, "uk_gal": 4.54609e-3,
                        "barrel": 0.158987294928, "bushel": 0.03523907016688, "GRT": 2.8316846592,
                        "regton": 2.8316846592, "MTON": 1.13267386368},
             ("l", "L", "lt")),
    **_units("volume", {"m3": 1.0, "ang3": 1e-30, "ft3": (12 * _INCH) ** 3, "in3": _INCH**3, "yd3": (36 * _INCH) ** 3,
                        "mi3": 1609.344**3, "Nmi3": 1852.0**3, "Pica3": (_INCH / 72) ** 3, "ly3": _LIGHT_YEAR**3},
             ("m3", "ang3"), 3),
    **_units("area", {"m2": 1.0, "ang2": 1e-20, "ft2": (12 * _INCH) ** 2, "in2": _INCH**2, "yd2": (36 * _INCH) ** 2,
                      "mi2": 1609.344**2, "Nmi2": 1852.0**2, "Pica2": (_INCH / 72) ** 2, "ly2": _LIGHT_YEAR**2},
             ("m2", "ang2"), 2),
    **_units("area", {"ha": 1e4, "ar": 100.0, "uk_acre": 4046.8564224, "us_acre": 4046.872609874252,
                      "Morgen": 2500.0}, ("ar",)),
    **_units("information", {"bit": 1.0, "byte": 8.0}, ("bit", "byte")),
    **_units("speed", {"m/s": 1.0, "m/sec": 1.0, "m/h": 1 / 3600, "m/hr": 1 / 3600, "mph": 0.44704,
                       "kn": 1852.0 / 3600, "admkn": 1853.184 / 3600}, ("m/s", "m/sec", "m/h", "m/hr")),
    **_units("temperature", dict.fromkeys(("C", "cel", "F", "fah", "K", "kel", "Rank", "Reau"), 1.0), ("K", "kel")),
}
_PREFIXES = {"Y": 1e24, "Z": 1e21, "E": 1e18, "P": 1e15, "T": 1e12, "G": 1e9, "M": 1e6, "k": 1e3, "h": 1e2,
             "da": 1e1, "e": 1e1, "d": 1e-1, "c": 1e-2, "m": 1e-3, "u": 1e-6, "n": 1e-9, "p": 1e-12, "f": 1e-15,
             "a": 1e-18, "z": 1e-21, "y": 1e-24}
_BINARY = {"ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50, "Ei": 2.0**60, "Zi": 2.0**70,
           "Yi": 2.0**80}


def find_unit(name: str) -> tuple[str, Unit, float] | None:
    """A unit name, perhaps with a prefix: the unit's own name, the unit, and the prefix's factor (raised to its power).

    Examples:
        >>> found = find_unit("km2")
        >>> found[0], found[1].quantity, found[2]
        ('m2', 'area', 1000000.0)
    """
    if name in _UNITS:
        return name, _UNITS[name], 1.0
    for length in (2, 1):
        prefix, rest = name[:length], name[length:]
        unit = _UNITS.get(rest)
        if unit is None or not unit.metric:
            continue
        factor = _PREFIXES.get(prefix) or (_BINARY.get(prefix) if unit.quantity == "information" else None)
        if factor is not None:
            return rest, unit, factor**unit.power
    return None


# Each temperature scale as (kelvin per degree, kelvin at its zero).
_KELVIN = {"C": (1.0, 273.15), "cel": (1.0, 273.15), "F": (5 / 9, 459.67 * 5 / 9), "fah": (5 / 9, 459.67 * 5 / 9),
           "K": (1.0, 0.0), "kel": (1.0, 0.0), "Rank": (5 / 9, 0.0), "Reau": (1.25, 273.15)}


def convert_temperature(value: float, source: tuple[str, float], target: tuple[str, float]) -> float:
    """A temperature from one scale to another through kelvin; each side is (scale name, prefix factor)."""
    scale, offset = _KELVIN[source[0]]
    kelvin = value * source[1] * scale + offset
    scale_to, offset_to = _KELVIN[target[0]]
    return (kelvin - offset_to) / scale_to / target[1]
