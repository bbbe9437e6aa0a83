"""Labels of the value-based methods: ABC (M4), value pyramid (M5), RFM (M6).

One topic per method or scheme: class key -> {"zh": ..., "en": ...}, in the
method's class order (best first). The Chinese class names are the course's
own (COURSE.md M4-M6). The last topic, ``value_text``, holds the titles, axis
labels and table words of the figures and tables of these methods.
"""

from __future__ import annotations

VALUE_TOPICS: dict[str, dict[str, dict[str, str]]] = {
    # M4: ABC analysis
    "abc": {
        "A": {"zh": "A类客户", "en": "A"},
        "B": {"zh": "B类客户", "en": "B"},
        "C": {"zh": "C类客户", "en": "C"},
    },
    # M5: the four tiers by profit contribution
    "pyramid": {
        "A": {"zh": "VIP客户 (A类)", "en": "VIP (A)"},
        "B": {"zh": "主要客户 (B类)", "en": "Major (B)"},
        "C": {"zh": "普通客户 (C类)", "en": "Ordinary (C)"},
        "D": {"zh": "小客户 (D类)", "en": "Small (D)"},
    },
    # M5: Zeithaml, Rust & Lemon (2001)
    "metal": {
        "platinum": {"zh": "铂金客户", "en": "Platinum"},
        "gold": {"zh": "黄金客户", "en": "Gold"},
        "iron": {"zh": "铁客户", "en": "Iron"},
        "lead": {"zh": "铅客户", "en": "Lead"},
    },
    # M5: value now and growth potential
    "value_growth": {
        "MVC": {"zh": "最有价值客户 (MVC)", "en": "Most valuable (MVC)"},
        "MGC": {"zh": "最具增长性客户 (MGC)", "en": "Most growable (MGC)"},
        "other": {"zh": "其他客户", "en": "Other"},
        "BZC": {"zh": "负值客户 (BZC)", "en": "Below zero (BZC)"},
    },
    # M5: value bands for signed customers, two naming schemes
    "band_core": {
        "core": {"zh": "核心客户", "en": "Core"},
        "important": {"zh": "重要客户", "en": "Important"},
        "potential": {"zh": "潜力客户", "en": "Potential"},
    },
    "band_key": {
        "key": {"zh": "关键客户", "en": "Key"},
        "major": {"zh": "主要客户", "en": "Major"},
        "ordinary": {"zh": "普通客户", "en": "Ordinary"},
    },
    # M5: strategy per pyramid tier (keys as in "pyramid")
    "pyramid_strategy": {
        "A": {"zh": "个性化服务，资源优先保障", "en": "Personalised service and priority"},
        "B": {"zh": "激励其成长，向A类升级", "en": "Incentives to grow towards A"},
        "C": {
            "zh": "标准化低成本服务，推动升级",
            "en": "Standard low-cost service; encourage upgrading",
        },
        "D": {
            "zh": "标准化低成本服务，推动升级",
            "en": "Standard low-cost service; encourage upgrading",
        },
    },
    # M6: one of R, F, M in three levels
    "rfm_level": {
        "high": {"zh": "高", "en": "High"},
        "medium": {"zh": "中", "en": "Medium"},
        "low": {"zh": "低", "en": "Low"},
    },
    # M6: the Chinese eight-class scheme (R, F, M each above or below its average)
    "rfm_eight": {
        "important_value": {"zh": "重要价值客户", "en": "Important value"},
        "important_development": {"zh": "重要发展客户", "en": "Important development"},
        "important_retention": {"zh": "重要保持客户", "en": "Important retention"},
        "important_winback": {"zh": "重要挽留客户", "en": "Important win-back"},
        "general_value": {"zh": "一般价值客户", "en": "General value"},
        "general_development": {"zh": "一般发展客户", "en": "General development"},
        "general_retention": {"zh": "一般保持客户", "en": "General retention"},
        "general_winback": {"zh": "一般挽留客户", "en": "General win-back"},
    },
    # M6: the eleven-segment scheme on R and F scores
    "rfm_segment": {
        "champions": {"zh": "冠军客户", "en": "Champions"},
        "loyal": {"zh": "忠诚客户", "en": "Loyal"},
        "potential_loyalist": {"zh": "潜在忠诚客户", "en": "Potential loyalist"},
        "new_customers": {"zh": "新客户", "en": "New customers"},
        "promising": {"zh": "有潜力客户", "en": "Promising"},
        "need_attention": {"zh": "需要关注", "en": "Need attention"},
        "about_to_sleep": {"zh": "即将沉睡", "en": "About to sleep"},
        "at_risk": {"zh": "有流失风险", "en": "At risk"},
        "cant_lose": {"zh": "不能失去", "en": "Can't lose them"},
        "hibernating": {"zh": "休眠客户", "en": "Hibernating"},
        "lost": {"zh": "已流失", "en": "Lost"},
    },
    # Words of the tables and figures of M4-M6
    "value_text": {
        "promote": {"zh": "升级", "en": "promoted"},
        "demote": {"zh": "降级", "en": "demoted"},
        "class": {"zh": "类别", "en": "Class"},
        "pareto_title": {"zh": "ABC 分析 (帕累托图)", "en": "ABC analysis (Pareto chart)"},
        "value_share_pct": {"zh": "价值占比 (%)", "en": "Share of value (%)"},
        "cum_value_share": {"zh": "累计价值占比", "en": "Cumulative share of value"},
        "customer_share_pct": {"zh": "客户占比 (%)", "en": "Share of customers (%)"},
        "customers_pct": {"zh": "{p:.1f}% 客户", "en": "{p:.1f}% of customers"},
        "lorenz_title": {"zh": "洛伦兹曲线", "en": "Lorenz curve"},
        "lorenz_curve": {
            "zh": "洛伦兹曲线 (基尼系数 = {g:.3f})",
            "en": "Lorenz curve (Gini = {g:.3f})",
        },
        "equality": {"zh": "完全平均线", "en": "Perfect equality"},
        "cum_customer_share_low": {
            "zh": "累计客户占比 (按价值从低到高, %)",
            "en": "Cumulative share of customers (lowest value first, %)",
        },
        "cum_value_share_pct": {"zh": "累计价值占比 (%)", "en": "Cumulative share of value (%)"},
        "whale_title": {"zh": "鲸鱼曲线 (累计利润)", "en": "Whale curve (cumulative profit)"},
        "cum_customer_share_high": {
            "zh": "累计客户占比 (按利润从高到低, %)",
            "en": "Cumulative share of customers (most profitable first, %)",
        },
        "cum_profit_share_pct": {
            "zh": "累计利润占总利润 (%)",
            "en": "Cumulative profit, % of total",
        },
        "whale_peak": {"zh": "峰值 {p:.0f}%", "en": "Peak {p:.0f}%"},
        "total_profit": {"zh": "总利润 (100%)", "en": "Total profit (100%)"},
        "rfm_heatmap_count": {"zh": "RFM 热力图：客户数", "en": "RFM heatmap: customers"},
        "rfm_heatmap_mean": {"zh": "RFM 热力图：{v} 均值", "en": "RFM heatmap: mean {v}"},
        "r_score": {"zh": "R 得分 (近度，5 = 最近)", "en": "R score (recency, 5 = most recent)"},
        "f_score": {"zh": "F 得分 (频率，5 = 最高)", "en": "F score (frequency, 5 = highest)"},
        "fm_score": {"zh": "FM 得分 (F 与 M 的平均)", "en": "FM score (mean of F and M)"},
        "class_share_title": {
            "zh": "各类客户的客户占比与价值占比",
            "en": "Share of customers and of value by class",
        },
        "share_customers_bar": {"zh": "客户占比", "en": "Share of customers"},
        "share_value_bar": {"zh": "价值占比", "en": "Share of value"},
        "share_pct": {"zh": "占比 (%)", "en": "Share (%)"},
        "pyramid_title": {"zh": "客户金字塔", "en": "Customer pyramid"},
        "pyramid_tier": {
            "zh": "{label}\n{n} 位客户 ({c:.1f}%)",
            "en": "{label}\n{n} customers ({c:.1f}%)",
        },
        "pyramid_tier_value": {
            "zh": "{label}\n{n} 位客户 ({c:.1f}%)，价值 {v:.1f}%",
            "en": "{label}\n{n} customers ({c:.1f}%), {v:.1f}% of value",
        },
        "unknown_not_shown": {
            "zh": "未知类别 {n} 位客户未画出",
            "en": "{n} customers of unknown class not shown",
        },
    },
}
