"""Old module paths (edgeocr 0.1) that still import, with a DeprecationWarning, as the new modules.

``import edge_app.plate_reader`` gives a stand-in whose attributes are those of
``edge_app.families.plate.reader``; nothing is copied, so both stay one module.
"""

from __future__ import annotations

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys
import types
import warnings

MOVED = {
    "edge_app.registry": "edge_app.manifest",
    "edge_app.segment": "edge_app.families.char.segment",
    "edge_app.plate_finder": "edge_app.families.plate.finder",
    "edge_app.plate_reader": "edge_app.families.plate.reader",
    "edge_app.lines": "edge_app.families.handwriting.segment",
    "edge_app.handwriting_reader": "edge_app.families.handwriting.reader",
    "edge_app.page": "edge_app.families.page.segment",
    "edge_app.page_reader": "edge_app.families.page.reader",
}


class _Alias(types.ModuleType):
    """A module that forwards every attribute to the module it moved to."""

    def __init__(self, name: str, target: types.ModuleType):
        super().__init__(name, f"Deprecated alias of {target.__name__}.")
        self.__dict__["_target"] = target

    def __getattr__(self, attr: str):
        return getattr(self.__dict__["_target"], attr)

    def __dir__(self) -> list[str]:
        return dir(self.__dict__["_target"])


class _MovedFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname in MOVED:
            return importlib.machinery.ModuleSpec(fullname, self)
        return None

    def create_module(self, spec):
        new = MOVED[spec.name]
        warnings.warn(f"{spec.name} moved to {new}; the old name will go in a later release",
                      DeprecationWarning, stacklevel=3)
        return _Alias(spec.name, importlib.import_module(new))

    def exec_module(self, module) -> None:
        pass


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(f, _MovedFinder) for f in sys.meta_path):
        sys.meta_path.append(_MovedFinder())
