"""``python -m geodata.build`` (what ``make geodata`` runs): rebuild every generated geodata file.

1. The boundary layers (:mod:`geodata.boundaries`): ``assets/geo/*.geojson`` and
   ``geodata/BUILD-INFO.json``.
2. The gazetteer, if ``geodata.gazetteer_build`` exists and has ``build()`` (written separately;
   looked up with importlib so the boundaries build works without it).
"""

from __future__ import annotations

import importlib
import importlib.util

from geodata import boundaries


def main() -> None:
    boundaries.build()
    if importlib.util.find_spec("geodata.gazetteer_build") is None:
        print("geodata.gazetteer_build not found: gazetteer not rebuilt")
        return
    module = importlib.import_module("geodata.gazetteer_build")
    build = getattr(module, "build", None)
    if callable(build):
        build()
    else:
        print("geodata.gazetteer_build has no build(): gazetteer not rebuilt")


if __name__ == "__main__":
    main()
