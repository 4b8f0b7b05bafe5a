"""``python -m selection``: the command line (see :mod:`selection.cli`)."""

import importlib
import sys


def _sqlite_utils_without_pandas() -> None:
    """sqlite-utils imports pandas and numpy at start-up when they are installed (most of a second of
    every command), only to name their column types when it creates a table from values. The store's
    tables come from migrations, so it is imported as if they were absent; the modules that compute
    with pandas import it themselves, when a command needs them."""
    hidden = [name for name in ("pandas", "numpy") if name not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # an import of it raises ImportError, which sqlite-utils expects
    try:
        importlib.import_module("sqlite_utils")
    finally:
        for name in hidden:
            if sys.modules.get(name, ...) is None:
                del sys.modules[name]


_sqlite_utils_without_pandas()

from selection.cli import main  # noqa: E402

main()
