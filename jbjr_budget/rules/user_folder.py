"""The user's own parameter files: a folder every command and every worksheet function loads.

``jbjr-budget parameters importeer`` writes there by default, so one command brings
a published or contracted tariff table into every output.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["USER_FOLDER_VAR", "user_data_folder", "user_overlays", "user_parameter_folder"]

USER_FOLDER_VAR = "JBJR_PARAMETERMAP"


def user_data_folder() -> Path:
    """Where jbjr_budget keeps a user's data: ``$XDG_DATA_HOME/jbjr_budget`` (``~/.local/share`` by default)."""
    return Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share") / "jbjr_budget"


def user_parameter_folder() -> Path:
    """The user's own parameter files: ``$JBJR_PARAMETERMAP``, else ``parameters`` in :func:`user_data_folder`."""
    return Path(os.environ.get(USER_FOLDER_VAR) or user_data_folder() / "parameters")


def user_overlays() -> list[Path]:
    """The YAML files in the user's parameter folder, by name; every command and Excel function loads them."""
    folder = user_parameter_folder()
    return sorted(folder.glob("*.yaml")) if folder.is_dir() else []
