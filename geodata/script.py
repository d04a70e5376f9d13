"""Traditional -> simplified Chinese (OpenCC), for names and headers people write in either script.

``to_simplified`` is applied only where a name written as given was not understood (廣東省, 臺灣,
發布日期): converting every input would change simplified names that OpenCC maps differently
(乾县 is a real county, not 干县).
"""

from __future__ import annotations

import re
from functools import cache, lru_cache
from typing import Any

_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


@cache
def _converter() -> Any:  # opencc.OpenCC (the package has no type stubs)
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=100_000)
def to_simplified(text: str) -> str:
    """``text`` in simplified characters (unchanged when it holds no Chinese characters)."""
    if not _CJK.search(text):
        return text
    return _converter().convert(text)
