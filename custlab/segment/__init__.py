"""Rule-based customer classification (COURSE.md M2, M4-M10, M13).

Every classifying function returns a pandas Series aligned with its input's
index, an ordered Categorical with exactly one label per customer, in
``lang="zh"`` or ``"en"``; :func:`segment_table` summarises any of them (count,
share of customers, share of value). One module per method group:

- :mod:`~custlab.segment.abc` (M4): ABC / Pareto, Lorenz and Gini, whale curve,
  staffing and effort diagnosis, reclassification by potential
- :mod:`~custlab.segment.pyramid` (M5): value pyramid, metal tiers, MVC/MGC/BZC
- :mod:`~custlab.segment.rfm` (M6): RFM scores, eight classes, eleven segments
- :mod:`~custlab.segment.matrix` (M7): two-by-two portfolio matrices
- :mod:`~custlab.segment.lifecycle` (M8): behaviour, activity, relationship
  stages, lead grades, state funnel
- :mod:`~custlab.segment.points` (M9): membership points tiers
- :mod:`~custlab.segment.scoring` (M10): multi-criteria value scores
- :mod:`~custlab.segment.credit` (M13): credit classes, risk-adjusted value
- :mod:`~custlab.segment.attributes` (M2): attribute classes and cross-tabs

Figures live in ``figures_value`` and ``figures_portfolio`` and load
matplotlib only when first used.
"""

from __future__ import annotations

import importlib

from custlab.segment._base import segment_table
from custlab.segment.abc import (
    abc_classes,
    customers_for_value,
    effort_diagnosis,
    gini,
    lorenz_curve,
    pareto_table,
    reclassify_abc,
    salespeople,
    top_shares,
    whale_curve,
    whale_summary,
)
from custlab.segment.attributes import attribute_class, attribute_crosstab, crosstab, size_class
from custlab.segment.credit import credit_grade_classes, credit_performance, risk_adjusted_value
from custlab.segment.lifecycle import (
    activity_classes,
    behaviour_classes,
    funnel_stage,
    lead_grades,
    relationship_stage,
    relationship_trend,
    state_funnel,
)
from custlab.segment.matrix import (
    potential_sales,
    share_volume,
    strategy_table,
    two_by_two,
    value_loyalty,
)
from custlab.segment.points import (
    points_from_amount,
    points_reset_comparison,
    points_tiers,
    vip_members,
)
from custlab.segment.pyramid import (
    metal_tiers,
    signed_bands,
    tier_strategy,
    value_growth_classes,
    value_pyramid,
)
from custlab.segment.rfm import (
    rfm_centres,
    rfm_eight_classes,
    rfm_levels,
    rfm_scores,
    rfm_segments,
    rfm_table,
)
from custlab.segment.scoring import lapsed_customers, lost_key_customers, top_share, value_scores

_FIGURES = {
    "pareto_figure": "figures_value",
    "lorenz_figure": "figures_value",
    "whale_figure": "figures_value",
    "pyramid_figure": "figures_value",
    "rfm_heatmap": "figures_value",
    "class_share_figure": "figures_value",
    "quadrant_figure": "figures_portfolio",
    "funnel_figure": "figures_portfolio",
    "reset_tiers_figure": "figures_portfolio",
    "score_ranking_figure": "figures_portfolio",
    "crosstab_heatmap": "figures_portfolio",
}

__all__ = [
    "abc_classes",
    "activity_classes",
    "attribute_class",
    "attribute_crosstab",
    "behaviour_classes",
    "class_share_figure",
    "credit_grade_classes",
    "credit_performance",
    "crosstab",
    "crosstab_heatmap",
    "customers_for_value",
    "effort_diagnosis",
    "funnel_figure",
    "funnel_stage",
    "gini",
    "lapsed_customers",
    "lead_grades",
    "lorenz_curve",
    "lorenz_figure",
    "lost_key_customers",
    "metal_tiers",
    "pareto_figure",
    "pareto_table",
    "points_from_amount",
    "points_reset_comparison",
    "points_tiers",
    "potential_sales",
    "pyramid_figure",
    "quadrant_figure",
    "reclassify_abc",
    "relationship_stage",
    "relationship_trend",
    "reset_tiers_figure",
    "rfm_centres",
    "rfm_eight_classes",
    "rfm_heatmap",
    "rfm_levels",
    "rfm_scores",
    "rfm_segments",
    "rfm_table",
    "risk_adjusted_value",
    "salespeople",
    "score_ranking_figure",
    "segment_table",
    "share_volume",
    "signed_bands",
    "size_class",
    "state_funnel",
    "strategy_table",
    "tier_strategy",
    "top_share",
    "top_shares",
    "two_by_two",
    "value_growth_classes",
    "value_loyalty",
    "value_pyramid",
    "value_scores",
    "vip_members",
    "whale_curve",
    "whale_figure",
    "whale_summary",
]


def __getattr__(name: str):
    if name in _FIGURES:
        return getattr(importlib.import_module(f"custlab.segment.{_FIGURES[name]}"), name)
    raise AttributeError(f"module 'custlab.segment' has no attribute {name!r}")
