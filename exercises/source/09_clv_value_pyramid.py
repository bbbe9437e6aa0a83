# Solution source of exercises/09_clv_value_pyramid.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "horizon_months": 36, "yearly_discount_rate": 0.2, "customer_id": 1}, {"dataset": "supermarket", "calibration_end": "2024-06-30", "customer_id": 2}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other data.
# - calibration_end 1997-12-31: lessons 08 and 09 fit to 1997-09-30 (the papers' split) and print the
#   parameters, the spend model and customer 1516's CLV; a fit three months later gives other values.
# - customer_id 1000: lesson 09 follows customer 1516.
# - horizon_months 18: lesson 09 prints 12-month CLVs.

# %% [markdown]
# # 练习 09：客户终身价值与 CLV 金字塔 / Exercises 09: customer lifetime value and the CLV pyramid
#
# **课程方法 / Course methods:** M12 客户终身价值 (customer lifetime value) · M5 客户金字塔
# (value pyramid) · M7 矩阵分类 (two-by-two matrices)
#
# **学习目标**
# - 说明消费模型为什么不用首次购买，拟合 Gamma-Gamma 模型并检查它的独立性假设；
# - 理解预期消费额怎样在客户自己的平均值和总体平均值之间折中；
# - 把年折现率换成月折现率，算出一位客户的 CLV；
# - 用 CLV 给客户分层（金字塔），并说出 CLV × 当前价值矩阵中每个象限的策略；
# - 读懂 CLV 区间的含义。
#
# **Learning goals**
# - explain why the spend model leaves out the first purchase; fit the Gamma-Gamma model and check its
#   independence assumption;
# - understand how the expected spend balances the customer's own mean and the population mean;
# - turn a yearly discount rate into a monthly one and compute a customer's CLV;
# - put customers in tiers by CLV (the pyramid), and give the strategy of each quadrant of the
#   CLV × current value matrix;
# - read what a CLV interval means.
#
# 笔记本 `notebooks/09_clv_value_pyramid.ipynb` 讲解了这里用到的全部内容。
# Notebook `notebooks/09_clv_value_pyramid.ipynb` explains everything used here.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
dataset = "cdnow_sample"  # 交易数据 / transaction log: cdnow_sample, cdnow or supermarket
calibration_end = "1997-12-31"  # 计算 CLV 的日期 / CLV is computed as of this day
customer_id = 1000  # 问题 5、9、10 中的客户 / the customer of questions 5, 9 and 10
horizon_months = 18  # CLV 的期限（月）/ CLV horizon in months
yearly_discount_rate = 0.1  # 年折现率 / yearly discount rate

# %%
import custlab as cl
import custlab.exercises as ex
from custlab import segment
from custlab.clv import BetaGeo, GammaGamma, customer_value
from custlab.teaching import load_log

ex.start(
    "09_clv_value_pyramid",
    lang=lang,
    dataset=dataset,
    calibration_end=calibration_end,
    customer_id=customer_id,
    horizon_months=horizon_months,
    yearly_discount_rate=yearly_discount_rate,
)

# %% [markdown]
# ## 数据与购买次数模型 / Data and the purchase model
#
# 每位客户一行，以周为单位，只用到 `calibration_end` 为止的交易。`monetary_value` 是**重复**购买的平均金额
# （首次购买不计；没有重复购买则为 0）。购买次数模型 BG/NBD 与练习 08 相同，这里直接给出。
#
# One row per customer, in weeks, from the transactions up to `calibration_end` only. `monetary_value`
# is the mean amount of the **repeat** purchases (the first purchase left out; 0 without a repeat
# purchase). The purchase model, BG/NBD, is the one of exercise set 08 and is given here.

# %%
log, customer = load_log(dataset)
summary = cl.summarize(
    log, customer=customer, freq="D", freq_multiplier=7, observation_end=calibration_end
)
bgf = BetaGeo().fit(summary["frequency"], summary["recency"], summary["T"])
summary[["frequency", "recency", "T", "monetary_value"]].head()

# %% [markdown]
# ## 第一部分：消费模型 / Part 1: the spend model
#
# **问题 1 (`gg_first_purchase`)：** 为什么 `monetary_value` 和 Gamma-Gamma 消费模型不用首次购买的金额？（一个字母）
#
# **Question 1 (`gg_first_purchase`):** why do `monetary_value` and the Gamma-Gamma spend model leave out
# the amount of the first purchase? (one letter)
#
# - A. 首次购买的金额往往缺失 / the amount of the first purchase is often missing
# - B. CLV 要预测的是以后的重复购买；首次购买是获客时的购买，金额常与之后系统性地不同，而 BG/NBD 的频次也不计首次购买，
#   两个模型必须描述同一批购买 / CLV predicts future repeat purchases; the first purchase is the acquisition
#   purchase, whose amount often differs systematically, and BG/NBD's frequency does not count it either,
#   so both models must describe the same purchases
# - C. 这样计算更快 / it is faster to compute
# - D. 为了让消费额与客户年龄 T 无关 / to make spend independent of the customer's age T

# %%
# BEGIN SOLUTION
why_first = "B"
# END SOLUTION
ex.check("gg_first_purchase", why_first)

# %% [markdown]
# **问题 2 (`gg_repeat_customers`)：** 消费模型能用多少位客户来拟合（有重复购买、且重复购买的平均金额大于 0）？
# 精度：整数，须完全一致。
#
# **Question 2 (`gg_repeat_customers`):** on how many customers can the spend model be fitted (with a
# repeat purchase and a positive mean spend on repeat purchases)?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
spenders = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
n_spenders = len(spenders)
# END SOLUTION
ex.check("gg_repeat_customers", n_spenders)

# %% [markdown]
# **问题 3 (`gg_params`)：** 在这些客户上拟合 Gamma-Gamma 模型，把模型命名为 `ggf`（后面的问题都要用它），
# 按顺序给出 `(p, q, v)`。
# 精度：允许相对误差 ±0.1%。
#
# **Question 3 (`gg_params`):** fit the Gamma-Gamma model on these customers, call the model `ggf` (the later
# questions use it), and give `(p, q, v)` in this order.
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
spenders = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
ggf = GammaGamma().fit(spenders["frequency"], spenders["monetary_value"])
gg_params = tuple(ggf.params_[k] for k in ("p", "q", "v"))
# END SOLUTION
ex.check("gg_params", gg_params)

# %% [markdown]
# **问题 4 (`gg_independence`)：** 模型假设每位客户的消费金额与购买次数无关。在拟合用的客户中，`frequency` 与
# `monetary_value` 的皮尔逊相关系数是多少？（允许误差 ±0.005）
#
# **Question 4 (`gg_independence`):** the model assumes that a customer's spend does not depend on her number
# of purchases. Among the customers it is fitted on, what is the Pearson correlation of `frequency` and
# `monetary_value`? (tolerance ±0.005)

# %%
# BEGIN SOLUTION
spenders = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
correlation = spenders["frequency"].corr(spenders["monetary_value"])
# END SOLUTION
ex.check("gg_independence", correlation)

# %% [markdown]
# **问题 5 (`gg_expected_spend`)：** 客户 `customer_id` 今后每次购买的预期金额是多少？
# 精度：允许相对误差 ±0.1%。
#
# **Question 5 (`gg_expected_spend`):** what is the expected amount of each future purchase of customer
# `customer_id`?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
row = summary.loc[customer_id]
spend_customer = float(ggf.expected_spend(row["frequency"], row["monetary_value"]))
# END SOLUTION
ex.check("gg_expected_spend", spend_customer)

# %% [markdown]
# **问题 6 (`gg_new_spend`)：** 一位还没有重复购买的客户，今后每次购买的预期金额是多少？
# 精度：允许相对误差 ±0.1%。
#
# **Question 6 (`gg_new_spend`):** what is the expected amount of each future purchase of a customer who has
# made no repeat purchase yet?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
spend_new = float(ggf.expected_spend(0, 0.0))
# END SOLUTION
ex.check("gg_new_spend", spend_new)

# %% [markdown]
# **问题 7 (`gg_shrinkage`)：** 两位客户重复购买的平均金额都是 60：一位只有 1 次重复购买，另一位有 20 次。
# 谁的预期消费额更接近 60？为什么？（一个字母）
#
# **Question 7 (`gg_shrinkage`):** two customers both spent 60 on average on their repeat purchases: one made
# 1 repeat purchase, the other 20. Whose expected spend is closer to 60, and why? (one letter)
#
# - A. 20 次的客户：模型把每位客户的平均值向总体平均值收缩，看到的购买越多，收缩越少 / the one with 20: the
#   model shrinks each customer's mean towards the population mean, the less so the more purchases it has seen
# - B. 两人一样：预期就是 m / the same for both: the expectation is m
# - C. 1 次的客户：购买少的客户更稳定 / the one with 1: customers with few purchases are more stable
# - D. 20 次的客户：购买越多，每次金额越大 / the one with 20: more purchases mean larger amounts

# %%
# BEGIN SOLUTION
closer = "A"
# END SOLUTION
ex.check("gg_shrinkage", closer)

# %% [markdown]
# ## 第二部分：CLV / Part 2: CLV
#
# CLV 把未来每个月的预期购买次数（BG/NBD）乘以预期每次消费额（Gamma-Gamma），再按月折现后相加：
#
# CLV adds up, month by month, the expected purchases (BG/NBD) times the expected spend per purchase
# (Gamma-Gamma), each month discounted:
#
# $$\text{CLV} = \sum_{k=1}^{K} \frac{\text{spend} \times \left(E[X(k\Delta)] - E[X((k-1)\Delta)]\right)}{(1 + d)^k}$$
#
# **问题 8 (`clv_monthly_rate`)：** 年折现率是 `yearly_discount_rate`。与之等价的月折现率 d 是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许相对误差 ±0.01%。
#
# **Question 8 (`clv_monthly_rate`):** the yearly discount rate is `yearly_discount_rate`. What is the
# equivalent monthly rate d?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.01% of the exact value.

# %%
# BEGIN SOLUTION
monthly = (1 + yearly_discount_rate) ** (1 / 12) - 1
# END SOLUTION
ex.check("clv_monthly_rate", monthly)

# %% [markdown]
# **问题 9 (`clv_customer`)：** 用 `customer_value` 计算所有客户未来 `horizon_months` 个月的 CLV（汇总以周为单位：
# `freq="W"`，一期为一个月），把结果命名为 `clv`。客户 `customer_id` 的 CLV 是多少？
# 精度：允许相对误差 ±0.1%。
#
# **Question 9 (`clv_customer`):** compute every customer's CLV over the next `horizon_months` months with
# `customer_value` (the summary is in weeks: `freq="W"`, a period is one month) and call the result `clv`.
# What is the CLV of customer `customer_id`?
# Precision: within ±0.1% of the exact value.

# %%
# BEGIN SOLUTION
monthly = (1 + yearly_discount_rate) ** (1 / 12) - 1
clv = customer_value(bgf, ggf, summary, horizon=horizon_months, discount_rate=monthly, freq="W")
clv_customer = float(clv.loc[customer_id])
# END SOLUTION
ex.check("clv_customer", clv_customer)

# %% [markdown]
# ## 第三部分：CLV 金字塔与矩阵 / Part 3: the CLV pyramid and matrix
#
# **问题 10 (`clv_tier`)：** 用 `segment.value_pyramid` 按 CLV 给客户分层（默认：前 1% 为 A，其后 4% 为 B，
# 再 15% 为 C，其余为 D）。客户 `customer_id` 在哪一层？回答字母或等级名称。
#
# **Question 10 (`clv_tier`):** put the customers in tiers by CLV with `segment.value_pyramid` (by default the
# top 1% is A, the next 4% B, the next 15% C, the rest D). Which tier is customer `customer_id` in? Answer
# with the letter or the tier's name.

# %%
# BEGIN SOLUTION
tiers = segment.value_pyramid(clv, lang=lang)
tier_customer = tiers.loc[customer_id]
# END SOLUTION
ex.check("clv_tier", tier_customer)

# %% [markdown]
# **问题 11 (`clv_matrix`)：** 以当前价值（过去的消费额）为横轴、CLV（未来价值）为纵轴，这就是 M7 的
# 潜力 × 当前销量矩阵。每一类客户应采取哪种策略？**A** 重点客户，维持；**B** 开发，投入最多精力；
# **C** 感谢并保持稳定；**D** 只观察。按顺序给出四个字母。
#
# **Question 11 (`clv_matrix`):** with current value (past spend) on one axis and CLV (future value) on the
# other, this is the potential × current sales matrix of M7. Which strategy fits each kind of customer?
# **A** key customers, maintain; **B** develop, the most effort goes here; **C** thank them and keep the
# business stable; **D** watch only. Give four letters in order.
#
# 1. CLV 高、当前价值低 / high CLV, low current value
# 2. CLV 高、当前价值高 / high CLV, high current value
# 3. CLV 低、当前价值低 / low CLV, low current value
# 4. CLV 低、当前价值高 / low CLV, high current value

# %%
# BEGIN SOLUTION
strategies = "BADC"
# END SOLUTION
ex.check("clv_matrix", strategies)

# %% [markdown]
# **问题 12 (`clv_interval`)：** 笔记本给每位客户一个 90% 的 CLV 区间，方法是从参数估计的抽样分布中抽取许多组参数，
# 每组重新计算 CLV。这个区间描述的是什么？（一个字母）
#
# **Question 12 (`clv_interval`):** the notebook gives each customer a 90% CLV interval by drawing many
# parameter sets from the sampling distribution of the estimates and recomputing CLV for each. What does
# this interval describe? (one letter)
#
# - A. 这位客户实际的未来消费有 90% 的概率落在区间内 / the customer's actual future spending falls inside
#   with probability 90%
# - B. 由于参数是估计出来的，预期 CLV 有多不确定；不包括客户自己购买的随机性 / how uncertain the expected
#   CLV is because the parameters are estimated; not the randomness of the customer's own purchases
# - C. 90% 的客户的 CLV 落在区间内 / 90% of the customers have a CLV inside it
# - D. 折现率的不确定性 / the uncertainty of the discount rate

# %%
# BEGIN SOLUTION
interval_meaning = "B"
# END SOLUTION
ex.check("clv_interval", interval_meaning)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
