"""The replica's platform modules: ``sites/<platform>.py`` (dashes as underscores), each with a
``PLATFORM``. Adding a platform to the replica is adding its module; records of a platform
without one are skipped and counted."""

from __future__ import annotations

import importlib
from functools import cache

from newscrawler.replica.sites.base import Platform


@cache
def platform(name: str) -> Platform | None:
    """The replica's templates for a platform, or None when it has no module yet."""
    module_name = f"{__name__}.{name.replace('-', '_')}"
    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as exc:
        if exc.name != module_name:  # the module exists but its own import failed
            raise
        return None
    found = getattr(module, "PLATFORM", None)
    return found if isinstance(found, Platform) else None
