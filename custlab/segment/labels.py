"""zh/en labels of every class of the rule-based methods.

One dictionary per method (topic): class key -> {"zh": ..., "en": ...}. The
Chinese terms are the course's own (COURSE.md). The dictionaries live in two
files by method group and are merged here; custlab.teaching.i18n includes them.
"""

from __future__ import annotations

from custlab.segment.labels_portfolio import PORTFOLIO_TOPICS
from custlab.segment.labels_value import VALUE_TOPICS

SEGMENT_TOPICS: dict[str, dict[str, dict[str, str]]] = {**VALUE_TOPICS, **PORTFOLIO_TOPICS}

_clash = set(VALUE_TOPICS) & set(PORTFOLIO_TOPICS)
assert not _clash, f"topics defined twice: {_clash}"
