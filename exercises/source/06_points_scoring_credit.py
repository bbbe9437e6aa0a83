# Solution source of exercises/06_points_scoring_credit.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "points_as_of": "2024-09-30", "tier_cuts": [800.0, 2500.0, 6000.0], "top_tier": "A", "quarterly_thresholds": "scaled", "vip_spend": 2000.0, "w_sales": 0.25, "w_volume": 0.25, "w_arrears": 0.25, "w_cycle": 0.25, "normalise": "minmax", "priority_share": 0.1, "lost_share_of_wallet": 0.2, "good_grades": ["AAA", "AA"], "performance_quantile": 0.75, "arrears_weight": 0.5, "account": 5}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other data.
# - points_as_of 2024-06-30: lesson 06 shows the tiers at the log's last day; half a year earlier
#   every count differs.
# - vip_spend 2,500: lesson 06 counts VIP members at the course's 3,000 yuan.
# - weights 0.3 / 0.2 / 0.1 / 0.2, priority_share 0.15: lesson 06 scores with 0.4 / 0.2 / 0.2 / 0.2 and
#   keeps the top 20%, as the course's case does.
# - question 7 asks for the best construction account: lesson 06 prints the best accounts overall.
# - performance_quantile 0.6: lesson 06 splits high and low performance at the median.

# %% [markdown]
# # 练习 06：会员积分分级、多指标客户价值评分与信用分类 / Exercises 06: points tiers, value scoring and credit classes
#
# **课程方法 / Course methods:** M9 会员积分分级 (membership points tiers) · M10 多指标客户价值评分
# (multi-criteria value scoring) · M13 信用与风险分类 (credit and risk classes)
#
# **学习目标**
# - 按年度积分给会员分级, 数出 VIP 会员, 并自己写出分级规则;
# - 用数据说明为什么积分应该按年清零, 而不是按季清零;
# - 按四个指标给客户加权评分, 算出重点客户的销售额占比和流失的重点客户, 说明欠款额为什么是减分项;
# - 按信用 × 业绩分类, 计算风险调整后的价值, 为每一类选出策略。
#
# **Learning goals**
# - grade members by yearly points, count the VIP members, and write the tier rule yourself;
# - show with data why points should reset yearly, not quarterly;
# - score customers on four weighted criteria, find the priority customers' share of sales and the lost key
#   customers, and explain why arrears count against a customer;
# - classify by credit × performance, compute a risk-adjusted value, and pick the strategy for each class.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress. 笔记本 `notebooks/06_points_scoring_credit.ipynb` 讲解了这些方法。
# The notebook `notebooks/06_points_scoring_credit.ipynb` explains the methods.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "supermarket"  # 会员购买记录 / the members' purchase log
points_as_of = "2024-06-30"  # 显示等级的日期（空：最后一天）/ day of the tiers (empty: last day)
points_rate = 1.0  # 每元积分 / points per yuan
tier_cuts = [
    1000.0,
    3000.0,
    5000.0,
]  # 进入下一级的年度积分 / yearly points where the next tier starts
top_tier = "D"  # 积分最多的等级的字母: D 或 A / letter of the tier with the most points: D or A
quarterly_thresholds = "same"  # 季度门槛：same 或 scaled（÷4）/ quarterly cuts: same or scaled
vip_spend = 2500.0  # VIP 会员的累计消费门槛 (元) / cumulative spend of a VIP member (yuan)
accounts_dataset = "b2b_accounts"  # B2B 客户表 / B2B account table
w_sales = 0.3  # 销售额的权重 / weight of sales amount
w_volume = 0.2  # 销售量的权重 / weight of sales volume
w_arrears = 0.1  # 欠款额的权重 (减分项) / weight of arrears (counts against)
w_cycle = 0.2  # 购买周期的权重 (减分项) / weight of purchase cycle (counts against)
normalise = "rank"  # 标准化方法: rank, minmax, zscore / normalisation
priority_share = 0.15  # 重点客户的比例 / share of priority customers
lost_share_of_wallet = 0.15  # 低于此钱包份额的重点客户算流失 / lost below this share of wallet
good_grades = ["AAA", "AA", "A"]  # 信用好的等级 / credit grades that count as good
performance_quantile = 0.6  # 业绩高：销售额分位数下限 / high performance: sales quantile
arrears_weight = 1.0  # 欠款比例对风险的权重 / weight of the arrears ratio in the risk
account = 28  # 问题 11 中的客户 / the account of question 11

# %%
import custlab as cl
import custlab.exercises as ex
from custlab import segment as sg
from custlab import teaching

ex.start(
    "06_points_scoring_credit",
    lang=lang,
    seed=seed,
    dataset=dataset,
    points_as_of=points_as_of,
    points_rate=points_rate,
    tier_cuts=tier_cuts,
    top_tier=top_tier,
    quarterly_thresholds=quarterly_thresholds,
    vip_spend=vip_spend,
    accounts_dataset=accounts_dataset,
    w_sales=w_sales,
    w_volume=w_volume,
    w_arrears=w_arrears,
    w_cycle=w_cycle,
    normalise=normalise,
    priority_share=priority_share,
    lost_share_of_wallet=lost_share_of_wallet,
    good_grades=good_grades,
    performance_quantile=performance_quantile,
    arrears_weight=arrears_weight,
    account=account,
)

# %% [markdown]
# ## 第一部分：会员积分分级（M9）/ Part 1: membership points tiers (M9)
#
# 每消费 1 元积 `points_rate` 分 (不足 1 分的部分不计)。`sg.points_reset_comparison` 给出每位会员在 `points_as_of`
# 那天的两种积分余额: 按年清零 (`points_yearly`, 当年 1 月 1 日以来) 和按季清零 (`points_quarterly`, 本季度以来),
# 以及对应的等级。
#
# Each yuan spent earns `points_rate` points (fractions of a point do not count). `sg.points_reset_comparison` gives
# each member's two balances on `points_as_of`: with a yearly reset (`points_yearly`, since 1 January) and with a
# quarterly reset (`points_quarterly`, since the start of the quarter), and the tiers they give.

# %%
log, customer = teaching.load_log(dataset)
comparison = sg.points_reset_comparison(
    log,
    customer,
    points=None,
    amount="amount",
    rate=points_rate,
    as_of=points_as_of or None,
    thresholds=tier_cuts,
    top_tier=top_tier,
    quarterly_thresholds=quarterly_thresholds,
    lang=lang,
)
comparison.head()

# %% [markdown]
# **问题 1 (`m9_top_tier`)：** 按年清零时, 有多少位会员在积分最多的一级 (默认是 D 级, 见参数 `top_tier`)？
# 精度：整数，须完全一致。
#
# **Question 1 (`m9_top_tier`):** with a yearly reset, how many members are in the tier with the most points (tier D by
# default, see the parameter `top_tier`)?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
yearly = comparison["tier_yearly"]
n_top_tier = int((yearly == yearly.cat.categories[0]).sum())
# END SOLUTION
ex.check("m9_top_tier", n_top_tier)

# %% [markdown]
# **问题 2 (`m9_lower_quarterly`)：** 如果积分按季清零, 有多少位会员看到的等级比按年清零时低？
# 精度：整数，须完全一致。
#
# **Question 2 (`m9_lower_quarterly`):** if points reset every quarter, how many members are shown a lower tier than
# with a yearly reset?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
n_lower = int((comparison["tier_quarterly"].cat.codes > comparison["tier_yearly"].cat.codes).sum())
# END SOLUTION
ex.check("m9_lower_quarterly", n_lower)

# %% [markdown]
# **问题 3 (`m9_vip`)：** 累计消费 (到 `points_as_of` 为止的全部购买) 不低于 `vip_spend` 元的会员是 VIP 会员。有多少位？
# 精度：整数，须完全一致。
#
# **Question 3 (`m9_vip`):** a member whose cumulative spend (all purchases up to `points_as_of`) is at least
# `vip_spend` yuan is a VIP. How many are there?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
summary = cl.summarize(log, customer=customer, observation_end=comparison.attrs["as_of"])
n_vip = int((summary["total_amount"] >= vip_spend).sum())
# END SOLUTION
ex.check("m9_vip", n_vip)

# %% [markdown]
# **问题 4 (`m9_tier_rule`)：** 写一个函数 `points_tier(points)`, 按参数 `tier_cuts` 和 `top_tier` 返回年度积分
# `points` 所在等级的字母 (如 `"B"`)。默认: A < 1,000; B 1,000–3,000; C 3,000–5,000; D ≥ 5,000; 正好等于门槛属于
# 较高一级。`top_tier = "A"` 时字母反过来 (A 积分最多)。
#
# **Question 4 (`m9_tier_rule`):** write a function `points_tier(points)` that returns the letter of the tier (e.g.
# `"B"`) of a yearly balance `points`, by the parameters `tier_cuts` and `top_tier`. By default: A < 1,000; B
# 1,000–3,000; C 3,000–5,000; D ≥ 5,000; a balance exactly on a cut belongs to the higher tier. With
# `top_tier = "A"` the letters run the other way (A has the most points).


# %%
def points_tier(points):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    reached = sum(points >= cut for cut in tier_cuts)
    letters = "ABCDE"[: len(tier_cuts) + 1]
    return letters[reached] if top_tier != "A" else letters[::-1][reached]
    # END SOLUTION


ex.check("m9_tier_rule", points_tier)

# %% [markdown]
# **问题 5 (`m9_reset_why`)：** 为什么课程建议积分按年清零, 而不是每季度清零？
#
# **Question 5 (`m9_reset_why`):** why does the course advise resetting points once a year rather than every quarter?
#
# - A. 按季清零让会员的等级更高, 企业要发放更多奖励 / quarterly resets put members in higher tiers, which costs more
#   rewards
# - B. 按季清零抹掉了大部分积分历史: 等级只反映最近几周的购买, 企业也失去了分析客户价值所需的数据 / quarterly resets
#   wipe out most of the points history: tiers reflect only the last few weeks, and the firm loses the data it needs to
#   analyse customer value
# - C. 法律规定积分每年清零一次 / the law requires a yearly reset
# - D. 按年清零时会员的积分永远不会减少 / with a yearly reset points never go down

# %%
# BEGIN SOLUTION
reset_why = "B"
# END SOLUTION
ex.check("m9_reset_why", reset_why)

# %% [markdown]
# ## 第二部分：多指标客户价值评分（M10）/ Part 2: multi-criteria value scoring (M10)
#
# 一家电子产品分销商的 2,000 个 B2B 客户 (合成数据)。按销售额、销售量、欠款额和购买周期评分; 欠款额和购买周期的方向
# 为 −1 (越多越差)。
#
# The 2,000 B2B accounts of an electronics distributor (synthetic). Score them on sales amount, sales volume, arrears
# and purchase cycle; arrears and purchase cycle have direction −1 (more is worse).

# %%
acc = cl.datasets.load(accounts_dataset).set_index("account_id")
criteria = {
    "sales_amount": w_sales,
    "sales_volume": w_volume,
    "arrears": w_arrears,
    "purchase_cycle_days": w_cycle,
}
direction = {"arrears": -1, "purchase_cycle_days": -1}
acc[[*list(criteria), "share_of_wallet", "credit_grade", "profit"]].head()

# %% [markdown]
# **问题 6 (`m10_top_sales_share`)：** 综合得分最高的 `priority_share`（默认 15%）客户是重点客户
# (人数 = ceil(priority_share × 客户数))。他们的销售额占全部销售额的比例是多少？以 0 到 1 之间的小数作答
# (允许误差 ±0.005)。
# 不是百分数（0.25 而不是 25）。
#
# **Question 6 (`m10_top_sales_share`):** the top `priority_share` (15% by default) by score are the priority customers
# (their number is ceil(priority_share × customers)). What share of all sales do they bring? Answer with a fraction
# between 0 and 1 (tolerance ±0.005).
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25).

# %%
# BEGIN SOLUTION
scores = sg.value_scores(acc, criteria, direction, normalise=normalise)
k = sg.top_share(scores, priority_share).attrs["k"]
top_sales_share = acc.loc[scores["rank"] <= k, "sales_amount"].sum() / acc["sales_amount"].sum()
# END SOLUTION
ex.check("m10_top_sales_share", top_sales_share)

# %% [markdown]
# **问题 7 (`m10_best`)：** 建筑业客户（`industry == "construction"`）中，综合得分（在全部客户中的排名）最好的是哪个客户？
# 给出它的 `account_id`。精度：整数，须完全一致。
#
# **Question 7 (`m10_best`):** among the construction accounts (`industry == "construction"`), which one has the best
# score (ranked among all accounts)? Give its `account_id`. Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
ranks = sg.value_scores(acc, criteria, direction, normalise=normalise)["rank"]
best_account = int(ranks[acc["industry"] == "construction"].idxmin())
# END SOLUTION
ex.check("m10_best", best_account)

# %% [markdown]
# **问题 8 (`m10_arrears_sign`)：** 评分时欠款额的方向是 −1 (减分项)。为什么？
#
# **Question 8 (`m10_arrears_sign`):** arrears enter the score with direction −1 (they count against the customer).
# Why?
#
# - A. 欠款额的数值一般比销售额小 / arrears are usually smaller numbers than sales
# - B. 为了让所有客户的得分之和为 0 / so that all customers' scores add up to 0
# - C. 欠款占用企业的资金, 还可能成为坏账: 同样的销售额, 欠款越多, 客户的实际价值越低、风险越高 / arrears tie up
#   the firm's money and may become bad debt: for the same sales, more arrears means less real value and more risk
# - D. 欠款多的客户购买量也大, 要抵消这一点 / customers with arrears also buy more, which must be offset

# %%
# BEGIN SOLUTION
arrears_sign = "C"
# END SOLUTION
ex.check("m10_arrears_sign", arrears_sign)

# %% [markdown]
# **问题 9 (`m10_lost_key`)：** 重点客户中, 钱包份额 (`share_of_wallet`, 我们在客户全部采购中所占的比例) 低于
# `lost_share_of_wallet` 的算作已流失给竞争对手, 要设法挽回。有多少位？
# 精度：整数，须完全一致。
#
# **Question 9 (`m10_lost_key`):** among the priority customers, those whose share of wallet (`share_of_wallet`, our
# share of the account's purchases) is below `lost_share_of_wallet` count as lost to rivals, to be won back. How
# many are there?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
lapsed = acc["share_of_wallet"] < lost_share_of_wallet
ranked = sg.value_scores(acc, criteria, direction, normalise=normalise)
n_lost_key = len(sg.lost_key_customers(ranked, lapsed, priority_share))
# END SOLUTION
ex.check("m10_lost_key", n_lost_key)

# %% [markdown]
# ## 第三部分：信用与风险分类（M13）/ Part 3: credit and risk classes (M13)
#
# **问题 10 (`m13_poor_high`)：** 信用等级不在 `good_grades` 中的客户信用差; 销售额不低于第 `performance_quantile`
# 分位数的客户业绩高。有多少个 "信用差·业绩高" 的客户？
# 精度：整数，须完全一致。
#
# **Question 10 (`m13_poor_high`):** an account whose grade is not in `good_grades` has poor credit; one whose sales are
# at or above the `performance_quantile` quantile performs highly. How many accounts have poor credit and high
# performance?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
poor = ~acc["credit_grade"].isin(good_grades)
high = acc["sales_amount"] >= acc["sales_amount"].quantile(performance_quantile)
n_poor_high = int((poor & high).sum())
# END SOLUTION
ex.check("m13_poor_high", n_poor_high)

# %% [markdown]
# **问题 11 (`m13_risk_adjusted`)：** 客户 `account` (参数) 风险调整后的利润是多少元？(精确到 1 元)
# 精度：允许误差 ±0.5。
#
# **Question 11 (`m13_risk_adjusted`):** what is the risk-adjusted profit of account `account` (a parameter), in yuan?
# (to the nearest yuan)
# Precision: within ±0.5.

# %%
# BEGIN SOLUTION
risk = sg.risk_adjusted_value(
    acc, "profit", "credit_grade", "arrears", "sales_amount", arrears_weight=arrears_weight
)
account_value = risk.loc[account, "risk_adjusted_value"]
# END SOLUTION
ex.check("m13_risk_adjusted", account_value)

# %% [markdown]
# **问题 12 (`m13_strategy`)：** 为每一类客户选出策略, 按顺序给出四个字母。
#
# **Question 12 (`m13_strategy`):** pick the strategy for each class; give four letters in order.
#
# 1. 信用好·业绩高 / good credit, high performance
# 2. 信用好·业绩低 / good credit, low performance
# 3. 信用差·业绩高 / poor credit, high performance
# 4. 信用差·业绩低 / poor credit, low performance
#
# - A. 控制信用额度, 加强收款 (预付、担保) / cap credit limits, tighten collection (prepayment, guarantees)
# - B. 重点维护, 可适当放宽信用额度 / retain them; credit limits may be eased
# - C. 现款交易, 或逐步淘汰 / cash terms, or phase out
# - D. 加大销售投入, 提高业绩 / invest in selling more to them

# %%
# BEGIN SOLUTION
strategies = "BDAC"
# END SOLUTION
ex.check("m13_strategy", strategies)

# %% [markdown]
# 何时用这些方法？积分等级简单透明, 适合奖励重复购买; 多指标评分适合单一指标不足以判断价值的 B2B 客户, 但权重是主观的;
# 信用分类在客户赊销时必不可少。三者都描述过去, 预测未来价值要用 CLV 模型 (M12)。
#
# When to use these methods? Points tiers are simple and transparent and reward repeat buying; multi-criteria scores
# suit B2B accounts whose value one measure cannot tell, but the weights are subjective; credit classes are a must when
# customers buy on credit. All three describe the past; to predict future value use the CLV models (M12).

# %%
ex.progress()
