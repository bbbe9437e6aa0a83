"""Labels of the matrix, lifecycle, points, scoring, credit and attribute methods
(M2, M7-M10, M13).

Three dictionaries, all keyed by topic (one topic per method or scheme), then by
class key, then by language:

- :data:`PORTFOLIO_TOPICS`: the class labels. The Chinese terms are the course's
  own (COURSE.md) wherever the course gives one; where it gives only an English
  idea (the K/L influencers, the strategy names of the share-of-wallet matrix,
  the credit classes) the Chinese wording is custlab's.
- :data:`PORTFOLIO_STRATEGIES`: the strategy that goes with each class of the
  matrices (M7), the credit classes (M13) and the service classes (M10), shown by
  :func:`custlab.segment.matrix.strategy_table`.
- :data:`PORTFOLIO_TEXT`: titles, axis and legend texts of the figures in
  :mod:`custlab.segment.figures_portfolio`.
"""

from __future__ import annotations

Texts = dict[str, dict[str, dict[str, str]]]

PORTFOLIO_TOPICS: Texts = {
    # --- M7 two-by-two matrices; keys of the generic one: x first, then y
    "matrix_2x2": {
        "high_high": {"zh": "X高·Y高", "en": "High x, high y"},
        "high_low": {"zh": "X高·Y低", "en": "High x, low y"},
        "low_high": {"zh": "X低·Y高", "en": "Low x, high y"},
        "low_low": {"zh": "X低·Y低", "en": "Low x, low y"},
    },
    "value_loyalty": {
        "rich_loyal": {"zh": "有钱且忠诚", "en": "Rich and loyal"},
        "rich_disloyal": {"zh": "有钱而不忠诚", "en": "Rich but not loyal"},
        "poor_loyal": {"zh": "缺钱而忠诚", "en": "Poor but loyal"},
        "poor_disloyal": {"zh": "缺钱且不忠诚", "en": "Poor and not loyal"},
    },
    "potential_sales": {
        "key": {"zh": "重点客户（保持）", "en": "Key customers (maintain)"},
        "develop": {"zh": "开发客户（投入最多精力）", "en": "Develop (most effort)"},
        "thank": {"zh": "感谢并保持稳定", "en": "Thank and keep stable"},
        "watch": {"zh": "仅观察", "en": "Watch only"},
        "influencer_k": {
            "zh": "K类影响者（专家、意见领袖）",
            "en": "K influencers (experts, opinion leaders)",
        },
        "influencer_l": {
            "zh": "L类影响者（审批或否决的管理者）",
            "en": "L influencers (approve or veto)",
        },
    },
    "share_volume": {
        "keep_close": {"zh": "保持密切关系", "en": "Keep close"},
        "maintain_or_acquire": {"zh": "维持或争取", "en": "Maintain or acquire"},
        "develop": {"zh": "重点开发", "en": "Develop"},
        "acquire_or_abandon": {"zh": "争取或放弃", "en": "Acquire or abandon"},
    },
    # --- M8 lifecycle and state
    "behaviour": {
        "potential": {"zh": "潜在客户（尚未购买）", "en": "Potential (no purchase yet)"},
        "new": {"zh": "新客户", "en": "New"},
        "mature": {"zh": "老客户", "en": "Mature (old)"},
        "lost": {"zh": "流失客户", "en": "Lost"},
    },
    "activity": {
        "active": {"zh": "活跃客户", "en": "Active"},
        "ordinary": {"zh": "一般客户", "en": "Ordinary"},
        "low": {"zh": "低活跃客户", "en": "Low activity"},
        "dormant": {"zh": "休眠客户", "en": "Dormant"},
    },
    "relationship_stage": {
        "exploration": {"zh": "考察期", "en": "Exploration"},
        "formation": {"zh": "形成期", "en": "Formation"},
        "stability": {"zh": "稳定期", "en": "Stability"},
        "decline": {"zh": "退化期", "en": "Decline"},
    },
    "lead_grade": {
        "A": {"zh": "A级（1个月内成交）", "en": "A (closes within 1 month)"},
        "B": {"zh": "B级（3个月内成交）", "en": "B (within 3 months)"},
        "C": {"zh": "C级（6个月内成交）", "en": "C (within 6 months)"},
        "D": {"zh": "D级（6个月以上或仅有潜在需求）", "en": "D (later, or only a latent need)"},
        "E": {"zh": "E级（死亡客户）", "en": "E (no need or no chance)"},
        "signed": {"zh": "已成交客户（按价值分级）", "en": "Signed (graded by value)"},
    },
    "funnel": {
        "potential": {"zh": "潜在客户", "en": "Potential"},
        "target": {"zh": "目标客户", "en": "Target"},
        "prospect": {"zh": "准客户", "en": "Prospect"},
        "transacting": {"zh": "成交客户", "en": "Transacting"},
        "loyal": {"zh": "忠诚客户", "en": "Loyal"},
    },
    # --- M9 membership points
    "points_tier": {
        "A": {"zh": "A级", "en": "Tier A"},
        "B": {"zh": "B级", "en": "Tier B"},
        "C": {"zh": "C级", "en": "Tier C"},
        "D": {"zh": "D级", "en": "Tier D"},
        "E": {"zh": "E级", "en": "Tier E"},
    },
    "vip": {
        "vip": {"zh": "VIP会员", "en": "VIP member"},
        "regular": {"zh": "普通会员", "en": "Regular member"},
    },
    # --- M10 multi-criteria scoring
    "service": {
        "priority": {"zh": "重点客户（特殊服务）", "en": "Priority (special service)"},
        "win_back": {"zh": "流失的重点客户（挽回）", "en": "Lost key customer (win back)"},
        "standard": {"zh": "一般客户（标准低成本服务）", "en": "Standard (low-cost service)"},
    },
    # --- M13 credit and risk
    "credit_performance": {
        "star": {"zh": "信用好·业绩高", "en": "Good credit, high performance"},
        "grow": {"zh": "信用好·业绩低", "en": "Good credit, low performance"},
        "control": {"zh": "信用差·业绩高", "en": "Poor credit, high performance"},
        "restrict": {"zh": "信用差·业绩低", "en": "Poor credit, low performance"},
    },
    "credit_grade": {
        "AAA": {"zh": "AAA级", "en": "AAA"},
        "AA": {"zh": "AA级", "en": "AA"},
        "A": {"zh": "A级", "en": "A"},
        "B": {"zh": "B级", "en": "B"},
        "C": {"zh": "C级", "en": "C"},
    },
    # --- M2 attributes
    "attr_nature": {
        "individual": {"zh": "个人/家庭客户", "en": "Individual / household"},
        "enterprise": {"zh": "企业客户", "en": "Enterprise"},
        "government": {"zh": "政府客户", "en": "Government"},
    },
    "attr_size": {
        "large": {"zh": "大客户", "en": "Large"},
        "medium": {"zh": "中客户", "en": "Medium"},
        "small": {"zh": "小客户", "en": "Small"},
    },
    "attr_industry": {
        "manufacturing": {"zh": "制造业", "en": "Manufacturing"},
        "retail": {"zh": "零售业", "en": "Retail"},
        "wholesale": {"zh": "批发业", "en": "Wholesale"},
        "services": {"zh": "服务业", "en": "Services"},
        "construction": {"zh": "建筑业", "en": "Construction"},
        "education": {"zh": "教育", "en": "Education"},
        "healthcare": {"zh": "医疗卫生", "en": "Healthcare"},
        "public_admin": {"zh": "公共管理", "en": "Public administration"},
        "other": {"zh": "其他行业", "en": "Other"},
    },
    "attr_region": {
        "local": {"zh": "本地", "en": "Local"},
        "out_of_town": {"zh": "外地", "en": "Out of town"},
        "international": {"zh": "国际", "en": "International"},
    },
    "attr_channel": {
        "channel": {"zh": "销售渠道客户", "en": "Channel customer"},
        "end_user": {"zh": "终端用户", "en": "End user"},
    },
    "attr_relationship": {
        "consumer": {"zh": "消费客户", "en": "Consumer"},
        "intermediary": {"zh": "中间客户", "en": "Intermediary"},
        "public_interest": {"zh": "公利客户", "en": "Public-interest customer"},
        "internal": {"zh": "内部客户", "en": "Internal customer"},
    },
}

# Strategy per class. The course (COURSE.md M7) gives the strategies of the
# potential x sales and share x volume matrices; those of the value x loyalty
# matrix, the influencers and the credit classes are custlab's summary of the
# usual reading of these classes.
PORTFOLIO_STRATEGIES: Texts = {
    "matrix_2x2": {
        key: {"zh": "（通用矩阵，无预设策略）", "en": "(generic matrix: no preset strategy)"}
        for key in ("high_high", "high_low", "low_high", "low_low")
    },
    "value_loyalty": {
        "rich_loyal": {
            "zh": "最有价值的顾客：重点维护，提供个性化服务和优先待遇",
            "en": "The most valuable: retain them with personalised service and priority",
        },
        "rich_disloyal": {
            "zh": "争取其忠诚：了解其需求，用会员计划和更好的服务留住他们",
            "en": "Win their loyalty: learn their needs; loyalty programmes and better service",
        },
        "poor_loyal": {
            "zh": "以低成本方式服务，鼓励其增加购买",
            "en": "Serve them at low cost and encourage them to buy more",
        },
        "poor_disloyal": {
            "zh": "少投入资源，只提供标准服务",
            "en": "Invest little: standard service only",
        },
    },
    "potential_sales": {
        "key": {
            "zh": "重点客户：保持关系，守住已有份额",
            "en": "Key customers: maintain the relationship and the share we have",
        },
        "develop": {
            "zh": "开发：潜力大而目前销量低，投入最多的精力",
            "en": "Develop: high potential, low sales today; the most effort goes here",
        },
        "thank": {
            "zh": "份额已属于我们、潜力小：表示感谢，保持稳定",
            "en": "The share is already ours, little potential: thank them and keep it stable",
        },
        "watch": {
            "zh": "销量低、潜力小：仅观察",
            "en": "Low sales, low potential: watch only",
        },
        "influencer_k": {
            "zh": "不直接购买但影响选择：提供技术资料、保持交流，争取其推荐",
            "en": "They do not buy but shape the choice: technical information, contact, seek their recommendation",
        },
        "influencer_l": {
            "zh": "批准或否决采购：让其了解产品的价值与合规性",
            "en": "They approve or veto the purchase: show them the product's value and compliance",
        },
    },
    "share_volume": {
        "keep_close": {
            "zh": "占有率高、即将购买量大：保持密切关系",
            "en": "High share, large upcoming volume: keep close",
        },
        "maintain_or_acquire": {
            "zh": "占有率高、即将购买量小：维持现状或争取更多业务",
            "en": "High share, small upcoming volume: maintain, or acquire more business",
        },
        "develop": {
            "zh": "占有率低、即将购买量大：重点开发",
            "en": "Low share, large upcoming volume: develop",
        },
        "acquire_or_abandon": {
            "zh": "占有率低、即将购买量小：争取或放弃",
            "en": "Low share, small upcoming volume: acquire or abandon",
        },
    },
    "service": {
        "priority": {
            "zh": "得分最高的重点客户：提供特殊服务",
            "en": "The top-scoring customers: special service",
        },
        "win_back": {
            "zh": "已流失的重点客户：设法挽回",
            "en": "Key customers who have lapsed: win them back",
        },
        "standard": {
            "zh": "其余客户：标准化的低成本服务流程",
            "en": "The rest: a standard low-cost service process",
        },
    },
    "credit_performance": {
        "star": {
            "zh": "优质客户：重点维护，可适当放宽信用额度",
            "en": "Prime customers: retain them; credit limits may be eased",
        },
        "grow": {
            "zh": "信用可靠而业绩低：加大销售投入，提高业绩",
            "en": "Reliable but small: invest in selling more to them",
        },
        "control": {
            "zh": "业绩高但有风险：控制信用额度，加强收款（预付、担保）",
            "en": "Big but risky: cap credit, tighten collection (prepayment, guarantees)",
        },
        "restrict": {
            "zh": "信用差且业绩低：现款交易或逐步淘汰",
            "en": "Risky and small: cash terms, or phase out",
        },
    },
}

PORTFOLIO_TEXT: Texts = {
    "figures": {
        "quadrant_title": {"zh": "矩阵分类：{n} 位客户", "en": "Portfolio matrix: {n} customers"},
        "threshold": {"zh": "阈值", "en": "threshold"},
        "funnel_title": {"zh": "客户状态漏斗", "en": "Customer state funnel"},
        "reached": {"zh": "到达该阶段的客户数", "en": "Customers who reached the stage"},
        "conversion": {"zh": "转化率", "en": "conversion"},
        "reset_title": {
            "zh": "积分清零周期对等级的影响（截至 {as_of}）",
            "en": "Points tiers under two reset policies (as of {as_of})",
        },
        "reset_yearly": {"zh": "按年清零", "en": "Yearly reset"},
        "reset_quarterly": {"zh": "按季清零", "en": "Quarterly reset"},
        "tier": {"zh": "积分等级", "en": "Points tier"},
        "customers": {"zh": "客户数", "en": "Customers"},
        "score_title": {"zh": "多指标价值评分排名", "en": "Multi-criteria value score ranking"},
        "rank": {"zh": "排名", "en": "Rank"},
        "score": {"zh": "综合得分", "en": "Score"},
        "top_cut": {"zh": "前 {k} 名（{share:.0%}）", "en": "Top {k} ({share:.0%})"},
        "crosstab_title": {"zh": "属性交叉表：{what}", "en": "Attribute cross-tab: {what}"},
        "count": {"zh": "客户数", "en": "customers"},
        "share": {"zh": "客户占比", "en": "share of customers"},
        "value": {"zh": "价值", "en": "value"},
        "value_share": {"zh": "价值占比", "en": "share of value"},
        "total": {"zh": "合计", "en": "Total"},
    },
    # axis and table names of the columns these methods use (b2b_accounts, leads,
    # supermarket) and of their results; custlab.teaching.i18n labels take precedence
    "axes": {
        "nature": {"zh": "客户性质", "en": "Nature"},
        "size": {"zh": "客户规模", "en": "Size"},
        "industry": {"zh": "行业", "en": "Industry"},
        "region": {"zh": "地区", "en": "Region"},
        "channel": {"zh": "渠道", "en": "Channel"},
        "channel_type": {"zh": "渠道客户/终端用户", "en": "Channel or end user"},
        "relationship": {"zh": "与企业的关系", "en": "Relationship"},
        "credit_grade": {"zh": "信用等级", "en": "Credit grade"},
        "sales_amount": {"zh": "销售额 (元)", "en": "Sales (yuan)"},
        "sales_volume": {"zh": "销售量", "en": "Sales volume"},
        "profit": {"zh": "利润 (元)", "en": "Profit (yuan)"},
        "arrears": {"zh": "欠款额 (元)", "en": "Arrears (yuan)"},
        "purchase_cycle_days": {"zh": "购买周期 (天)", "en": "Purchase cycle (days)"},
        "growth_potential": {"zh": "增长潜力", "en": "Growth potential"},
        "share_of_wallet": {"zh": "占有率 (钱包份额)", "en": "Share of wallet"},
        "upcoming_purchase_volume": {"zh": "即将购买量", "en": "Upcoming purchase volume"},
        "estimated_value": {"zh": "预计成交额 (元)", "en": "Estimated value (yuan)"},
        "tier_yearly": {"zh": "按年清零的等级", "en": "Tier, yearly reset"},
        "tier_quarterly": {"zh": "按季清零的等级", "en": "Tier, quarterly reset"},
        "behaviour": {"zh": "行为分类", "en": "Behaviour class"},
        "activity": {"zh": "活跃度", "en": "Activity"},
        "funnel": {"zh": "客户状态", "en": "Funnel stage"},
        "lead_grade": {"zh": "潜在客户等级", "en": "Lead grade"},
        "points_tier": {"zh": "积分等级", "en": "Points tier"},
        "service": {"zh": "服务等级", "en": "Service class"},
        "credit_performance": {"zh": "信用×业绩分类", "en": "Credit x performance class"},
    },
}
