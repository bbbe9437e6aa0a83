# Solution source of exercises/03_rfm.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "dataset": "supermarket", "against": "median", "customer": 191, "observation_end": "2024-06-30"}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other data.
# - observation_end 1998-03-25: lesson 03 observes to the log's last day (1998-06-30) and prints the
#   class sizes, shares and segment counts; three months earlier every answer differs.
# - customer 129: its scores (3, 5, 4) all differ, so a swapped (F, R, M) tuple is wrong, and its
#   class depends on the centre (mean or median); customer 1516 of the lesson scores (5, 5, 5).

# %% [markdown]
# # 练习 03：RFM 模型 / Exercises 03: RFM analysis
#
# **课程方法 / Course methods:** M6 RFM 模型（最近一次消费 Recency、消费频率 Frequency、消费金额 Monetary）
#
# **学习目标**
# - 从交易记录算出一位客户的 R、F、M 和五分位得分；
# - 理解并列值的打分规则，以及为什么 CDNOW 的 F 得分会“扎堆”；
# - 用八类客户方案给客户分类，比较平均值和中位数两种比较基准；
# - 数出十一类细分中的冠军客户，并为每类客户选择策略；
# - 说出 RFM 的局限。
#
# **Learning goals**
# - compute a customer's R, F, M and quintile scores from a transaction log;
# - understand the scoring rule for ties, and why F scores bunch on CDNOW;
# - classify customers by the eight-class scheme, against the mean and against the median;
# - count the Champions of the eleven segments, and match each class with its strategy;
# - name the limits of RFM.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress. 笔记本 `notebooks/03_rfm.ipynb` 讲解了这里用到的方法。
# The notebook `notebooks/03_rfm.ipynb` explains the methods used here.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "cdnow_sample"  # 交易数据 / transaction log: cdnow_sample, cdnow or supermarket
observation_end = "1998-03-25"  # 观察期结束日，空：最后一天 / end of observation; empty: last day
against = "mean"  # 八类客户的比较基准 / centre of the eight classes: "mean" or "median"
customer = 129  # 问题 1、3、6 中的客户 / the customer of questions 1, 3 and 6

# %%
import custlab as cl
import custlab.exercises as ex
from custlab import segment as sg
from custlab import teaching

ex.start(
    "03_rfm",
    lang=lang,
    seed=seed,
    dataset=dataset,
    observation_end=observation_end,
    against=against,
    customer=customer,
)

# %% [markdown]
# ## 第一部分：R、F、M 与五分位得分 / Part 1: R, F, M and quintile scores
#
# `cl.summarize` 把交易汇总成每位客户一行。RFM 用其中三列：R = `recency_days`（距最近一次购买的天数，
# 越少越好），F = `n_transactions`（交易笔数），M = `total_amount`（累计消费额）。观察期结束日之后的交易不计。
#
# `cl.summarize` turns the log into one row per customer. RFM uses three of its columns: R =
# `recency_days` (days since the last purchase; fewer is better), F = `n_transactions` (number of
# transactions), M = `total_amount` (total spend). Transactions after the end of observation do not count.

# %%
tx, customer_column = teaching.load_log(dataset)
summary = cl.summarize(tx, customer=customer_column, observation_end=observation_end or None)
summary[["recency_days", "n_transactions", "total_amount"]].head()

# %% [markdown]
# **问题 1 (`m6_customer_rfm`)：** 客户 `customer`（参数）的 R、F、M 是多少？以元组 `(R, F, M)` 作答（M 精确到 0.01）。
# 精度：允许误差 ±0.01。
#
# **Question 1 (`m6_customer_rfm`):** what are the R, F and M of customer `customer` (a parameter)?
# Answer with a tuple `(R, F, M)` (M to 0.01).
# Precision: within ±0.01.

# %%
# BEGIN SOLUTION
row = summary.loc[customer]
customer_rfm = (row["recency_days"], row["n_transactions"], row["total_amount"])
# END SOLUTION
ex.check("m6_customer_rfm", customer_rfm)

# %% [markdown]
# **问题 2 (`m6_one_time_share`)：** 只有一笔交易（F = 1）的客户占全部客户的比例是多少？
# 以 0 到 1 之间的小数作答，至少精确到三位小数（允许误差 ±0.002）。
# 不是百分数（0.25 而不是 25）。
#
# **Question 2 (`m6_one_time_share`):** what share of the customers have a single transaction (F = 1)?
# Answer with a fraction between 0 and 1, to three decimals or better (tolerance ±0.002).
# Not a percentage (0.25, not 25).

# %%
# BEGIN SOLUTION
one_time_share = (summary["n_transactions"] == 1).mean()
# END SOLUTION
ex.check("m6_one_time_share", one_time_share)

# %% [markdown]
# `sg.rfm_scores` 按五分位给 R、F、M 打 1–5 分：一位客户的得分是 1 + ⌊5 × below / n⌋，below 是比他严格更差的
# 客户数，所以取值相同的客户得分相同（`ties="equal"`，默认）。R 的方向相反：天数越少得分越高。
#
# `sg.rfm_scores` scores R, F and M 1-5 by quintiles: a customer scores 1 + floor(5 × below / n),
# where below counts the customers strictly worse, so equal values score alike (`ties="equal"`, the
# default). R runs the other way: fewer days score higher.

# %%
scores = sg.rfm_scores(summary)
scores.head()

# %% [markdown]
# **问题 3 (`m6_customer_scores`)：** 客户 `customer` 的 R、F、M 得分是多少？以元组 `(R, F, M)` 作答。
# 精度：整数，须完全一致。
#
# **Question 3 (`m6_customer_scores`):** what are the R, F and M scores of customer `customer`?
# Answer with a tuple `(R, F, M)`.
# Precision: whole numbers, exactly.

# %%
# BEGIN SOLUTION
customer_scores = tuple(scores.loc[customer, ["R", "F", "M"]])
# END SOLUTION
ex.check("m6_customer_scores", customer_scores)

# %% [markdown]
# **问题 4 (`m6_f_score_3`)：** 有多少位客户的 F 得分是 3？精度：整数，须完全一致。
#
# **Question 4 (`m6_f_score_3`):** how many customers have an F score of 3? Precision: a whole number,
# exactly.

# %%
# BEGIN SOLUTION
n_f3 = int((scores["F"] == 3).sum())
# END SOLUTION
ex.check("m6_f_score_3", n_f3)

# %% [markdown]
# **问题 5 (`m6_tie_rule`)：** 在 CDNOW 数据上，为什么没有客户的 F 得分是 2？（一个字母）
#
# **Question 5 (`m6_tie_rule`):** on the CDNOW data, why does no customer score F = 2? (one letter)
#
# - A. `rfm_scores` 有错误，漏掉了一档 / `rfm_scores` has a bug and skips a level
# - B. 约一半客户只买过一次，F 完全相同，全部得 1 分；下一个取值（2 笔）已排在 40% 之后，得 3 分 /
#   about half the customers bought once; their equal F all scores 1, and the next value (2 transactions)
#   already lies past the 40% mark and scores 3
# - C. F 数的是重复购买，只买过一次的客户 F = 0，不参与打分 / F counts repeat purchases, so one-time
#   buyers have F = 0 and are not scored
# - D. 五分位只适用于金额，不适用于次数 / quintiles only work for amounts, not for counts

# %%
# BEGIN SOLUTION
why_no_f2 = "B"
# END SOLUTION
ex.check("m6_tie_rule", why_no_f2)

# %% [markdown]
# ## 第二部分：八类客户 / Part 2: the eight classes
#
# 八类客户把 R、F、M 各自与比较基准（参数 `against`：平均值或中位数）比较：R↑ 是距最近购买的天数 **少于**
# 基准，F↑、M↑ 是 **高于** 基准；恰好等于基准算 ↓。M 分出“重要”与“一般”，R 与 F 分出价值（↑↑）、发展（R↑F↓）、
# 保持（R↓F↑）、挽留（↓↓）。
#
# The eight classes compare each of R, F and M with a centre (parameter `against`: the mean or the
# median): R↑ is **fewer** days since the last purchase than the centre, F↑ and M↑ are **above** it; a
# value equal to the centre counts as ↓. M splits important from general, R and F give value (↑↑),
# development (R↑F↓), retention (R↓F↑) and win-back (↓↓).

# %%
eight = sg.rfm_eight_classes(summary, against=against, lang=lang)
sg.rfm_table(summary, eight, lang=lang)[["customers", "share_customers", "share_value"]]

# %% [markdown]
# **问题 6 (`m6_eight_class`)：** 客户 `customer` 属于八类中的哪一类？用类别名称作答（中文或英文均可，例如 `"一般挽留客户"`）。
#
# **Question 6 (`m6_eight_class`):** which of the eight classes is customer `customer` in? Answer with
# the class name (Chinese or English, e.g. `"General win-back"`).

# %%
# BEGIN SOLUTION
customer_class = eight.loc[customer]
# END SOLUTION
ex.check("m6_eight_class", customer_class)

# %% [markdown]
# **问题 7 (`m6_important_value`)：** 有多少位重要价值客户？
# 精度：整数，须完全一致。
#
# **Question 7 (`m6_important_value`):** how many customers are in the class "important value"?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
n_important_value = int(
    (sg.rfm_eight_classes(summary, against=against, lang="en") == "Important value").sum()
)
# END SOLUTION
ex.check("m6_important_value", n_important_value)

# %% [markdown]
# **问题 8 (`m6_value_share`)：** 重要价值客户的消费金额（M）占全部客户消费金额的比例是多少？
# 以 0 到 1 之间的小数作答（允许误差 ±0.002）。
# 不是百分数（0.25 而不是 25）。
#
# **Question 8 (`m6_value_share`):** what share of all customers' spend (M) comes from the important
# value customers? Answer with a fraction between 0 and 1 (tolerance ±0.002).
# Not a percentage (0.25, not 25).

# %%
# BEGIN SOLUTION
important = sg.rfm_eight_classes(summary, against=against, lang="en") == "Important value"
value_share = summary.loc[important, "total_amount"].sum() / summary["total_amount"].sum()
# END SOLUTION
ex.check("m6_value_share", value_share)

# %% [markdown]
# **问题 9 (`m6_moved`)：** 把比较基准从平均值换成中位数，有多少位客户换了类别？
# 精度：整数，须完全一致。
#
# **Question 9 (`m6_moved`):** how many customers change class when the centre changes from the mean
# to the median?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
by_mean = sg.rfm_eight_classes(summary, against="mean", lang="en")
by_median = sg.rfm_eight_classes(summary, against="median", lang="en")
n_moved = int((by_mean != by_median).sum())
# END SOLUTION
ex.check("m6_moved", n_moved)

# %% [markdown]
# **问题 10 (`m6_eight_rule`)：** 写一个函数 `eight_class(r_high, f_high, m_high)`，由三个比较结果（`True` = ↑）
# 返回八类中的类别名称（中文或英文）。检查会用全部八种组合测试你的函数。
#
# **Question 10 (`m6_eight_rule`):** write a function `eight_class(r_high, f_high, m_high)` that returns
# the name of the class (Chinese or English) from the three comparisons (`True` = ↑). The check tries
# all eight combinations.


# %%
def eight_class(r_high, f_high, m_high):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    level = "重要" if m_high else "一般"
    kind = ("价值" if f_high else "发展") if r_high else "保持" if f_high else "挽留"
    return level + kind + "客户"
    # END SOLUTION


ex.check("m6_eight_rule", eight_class)

# %% [markdown]
# **问题 11 (`m6_strategy`)：** 为下列四类客户各选一项策略，按顺序给出四个字母。
#
# **Question 11 (`m6_strategy`):** choose a strategy for each of these four classes; give four letters in order.
#
# 1. 重要价值客户 / important value
# 2. 重要发展客户 / important development
# 3. 重要保持客户 / important retention
# 4. 重要挽留客户 / important win-back
#
# - A. 了解他们为什么很久不来、也不常买，重点挽回 / find out why they stay away and rarely bought, and win them back
# - B. 提高购买频率：会员计划、交叉销售 / raise their purchase frequency: loyalty programme, cross-selling
# - C. VIP 服务、个性化关怀，资源优先 / VIP service, personal attention, priority for resources
# - D. 他们以前常来，最近没来：主动联系、及时唤回 / they used to come often but not lately: contact them and bring them back

# %%
# BEGIN SOLUTION
strategy_letters = "CBDA"
# END SOLUTION
ex.check("m6_strategy", strategy_letters)

# %% [markdown]
# ## 第三部分：十一类细分与局限 / Part 3: the eleven segments and the limits
#
# 十一类细分只用 R 和 F 的五分位得分（见笔记本中的 5 × 5 格子）：例如冠军客户是 R5·F4–5 和 R4·F5。
#
# The eleven segments use only the R and F quintile scores (see the 5 × 5 grid in the notebook); for
# example, Champions are R5·F4-5 and R4·F5.

# %%
segments = sg.rfm_segments(scores, lang=lang)
segments.value_counts(sort=False)

# %% [markdown]
# **问题 12 (`m6_champions`)：** 有多少位冠军客户（Champions）？
# 精度：整数，须完全一致。
#
# **Question 12 (`m6_champions`):** how many customers are Champions?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
n_champions = int((sg.rfm_segments(scores, lang="en") == "Champions").sum())
# END SOLUTION
ex.check("m6_champions", n_champions)

# %% [markdown]
# **问题 13 (`m6_limits`)：** 下列哪些是 RFM 的局限？给出所有正确选项的字母，例如 `"AE"`。
#
# **Question 13 (`m6_limits`):** which of these are limits of RFM? Give the letters of all right
# options, e.g. `"AE"`.
#
# - A. 它只描述过去，不预测客户将来还会不会买 / it describes the past and does not forecast whether a customer will buy again
# - B. 分数是相对的：换一批客户或另一个观察期，同样的行为可能得到不同的分数 / scores are relative: in another
#   customer base or period the same behaviour can score differently
# - C. 它需要客户的年龄、性别等人口统计数据 / it needs demographic data such as age and gender
# - D. 它不考虑利润和服务成本 / it ignores profit and the cost to serve
# - E. 只买过一次的客户无法计算 R、F、M / R, F and M cannot be computed for a customer who bought once

# %%
# BEGIN SOLUTION
limits = "ABD"
# END SOLUTION
ex.check("m6_limits", limits)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
