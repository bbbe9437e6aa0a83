# Solution source of exercises/01_abc_pareto.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "dataset": "cdnow", "cut_a": 0.8, "cut_b": 0.95, "amount_a": 10000000, "amount_b": 2000000, "account": 17, "promote_at": 0.85}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other cuts.
# - cut_a 0.8 / cut_b 0.94: lesson 01 uses the course's 70% / 90% and prints its class sizes,
#   staffing (232 / 256 / 426) and visit shares; the classic Pareto 80% with a B cut at 94% gives
#   counts no lesson shows.
# - amount_a 6,000,000 / amount_b 1,500,000: lesson 01 prints the classes by the course's example
#   amounts (5,000,000 / 1,000,000); a student who keeps the lesson's amounts gets a different answer.

# %% [markdown]
# # 练习 01：ABC 分类与帕累托分析 / Exercises 01: ABC analysis and the Pareto view
#
# **课程方法 / Course methods:** M4 ABC 分类法（ABC analysis, Pareto / 80-20）
#
# **学习目标**
# - 按累计价值占比或绝对金额把客户分成 A、B、C 三类，并算出各类的客户占比与价值占比；
# - 用基尼系数和鲸鱼曲线描述价值与利润的集中程度；
# - 按 1:1 / 1:2 / 1:3–5 的规则配置销售人员，并用拜访次数诊断销售投入；
# - 按增长潜力调整类别，说出 ABC 分类的局限。
#
# **Learning goals**
# - split customers into classes A, B and C by cumulative share of value or by absolute amounts, and compute
#   each class's share of customers and of value;
# - describe how concentrated value and profit are with the Gini coefficient and the whale curve;
# - staff the sales force by the 1:1 / 1:2 / 1:3–5 rule and diagnose sales effort from visit counts;
# - adjust the classes for growth potential, and name the limits of ABC analysis.
#
# 配套的讲解在 `notebooks/01_abc_pareto.ipynb`。/ The matching lesson is `notebooks/01_abc_pareto.ipynb`.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress. 占比请用 0 到 1 之间的小数作答（允许误差 ±0.005）。Give shares as fractions
# between 0 and 1 (tolerance ±0.005).

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "cdnow_sample"  # 第一部分的交易数据 / transaction log of part 1: cdnow_sample, cdnow or supermarket
cut_a = 0.8  # A 类达到的累计价值占比 / cumulative share of value that closes class A
cut_b = 0.94  # A、B 类合计达到的累计价值占比 / cumulative share of value that closes class B
amount_a = 6_000_000  # A 类的最低销售额（元）/ lowest sales of an A account (yuan)
amount_b = 1_500_000  # B 类的最低销售额（元）/ lowest sales of a B account (yuan)
account = 250  # 问题 3 中的客户 / the account of question 3
promote_at = 0.9  # 增长潜力不低于此值的 C 类客户升为 A 类 / C accounts with at least this growth potential move to A
demote_at = 0.2  # 增长潜力不高于此值的 B 类客户降为 C 类 / B accounts with at most this growth potential move to C

# %%
import math

import pandas as pd

import custlab as cl
import custlab.exercises as ex
import custlab.segment as sg
from custlab import teaching

ex.start(
    "01_abc_pareto",
    lang=lang,
    seed=seed,
    dataset=dataset,
    cut_a=cut_a,
    cut_b=cut_b,
    amount_a=amount_a,
    amount_b=amount_b,
    account=account,
    promote_at=promote_at,
    demote_at=demote_at,
)

# %% [markdown]
# ## 第一部分：消费者（CDNOW）/ Part 1: consumers (CDNOW)
#
# 每位客户的价值是观察期内的累计消费额（`total_amount`，美元）。
#
# Each customer's value is the total spend over the observation period (`total_amount`, US dollars).

# %%
log, customer = teaching.load_log(dataset)
spend = cl.summarize(log, customer=customer)["total_amount"]
spend.describe()

# %% [markdown]
# **问题 1 (`abc_cdnow_share_a`)：** 按累计消费额占比 `cut_a` / `cut_b` 分类，A 类客户占全部客户的比例是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.005。
#
# **Question 1 (`abc_cdnow_share_a`):** with classes by cumulative share of spend `cut_a` / `cut_b`, what share of
# all customers are A customers?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.005.

# %%
# BEGIN SOLUTION
cdnow_classes = sg.abc_classes(spend, cuts=(cut_a, cut_b), lang="en")
cdnow_share_a = (cdnow_classes == "A").mean()
# END SOLUTION
ex.check("abc_cdnow_share_a", cdnow_share_a)

# %% [markdown]
# 把你的答案与课程的“约 10% 的客户带来 70% 的价值”比较：消费者之间的差距比企业客户大还是小？
#
# Compare your answer with the course's "about 10% of customers bring 70% of value": do consumers differ
# more or less than business accounts do?
#
# ## 第二部分：B2B 客户 / Part 2: B2B accounts
#
# 一家电子产品分销商一年的 2,000 个客户（合成数据）：销售额和利润以元计，利润可以为负（服务成本超过毛利）；
# 还有销售人员的拜访次数和增长潜力（0–1）。
#
# A year of the 2,000 accounts of an electronics distributor (synthetic data): sales and profit in yuan, profit
# negative when the cost to serve exceeds the margin; plus the sales visits and the growth potential (0–1).

# %%
accounts = cl.datasets.load("b2b_accounts").set_index("account_id")
sales = accounts["sales_amount"]
accounts[["sales_amount", "profit", "sales_visits", "growth_potential"]].head()

# %% [markdown]
# **问题 2 (`abc_revenue_share_a`)：** 按课程的金额门槛分类（A ≥ `amount_a`，B ≥ `amount_b`，其余为 C），
# A 类客户带来的销售额占全部销售额的比例是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.005。
#
# **Question 2 (`abc_revenue_share_a`):** with the course's amount thresholds (A ≥ `amount_a`, B ≥ `amount_b`,
# the rest C), what share of all sales do the A accounts bring?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.005.

# %%
# BEGIN SOLUTION
by_amount = sg.abc_classes(sales, by="amount", amounts=(amount_a, amount_b), lang="en")
revenue_share_a = sales[by_amount == "A"].sum() / sales.sum()
# END SOLUTION
ex.check("abc_revenue_share_a", revenue_share_a)

# %% [markdown]
# **问题 3 (`abc_account_class`)：** 按累计销售额占比 `cut_a` / `cut_b` 分类，客户 `account`（参数）属于哪一类？
# 用字母作答，例如 `"B"`。
#
# **Question 3 (`abc_account_class`):** with classes by cumulative share of sales `cut_a` / `cut_b`, which class is
# account `account` (a parameter) in? Answer with the letter, e.g. `"B"`.

# %%
# BEGIN SOLUTION
account_class = sg.abc_classes(sales, cuts=(cut_a, cut_b), lang="en").loc[account]
# END SOLUTION
ex.check("abc_account_class", account_class)

# %% [markdown]
# **问题 4 (`abc_amount_rule`)：** 写一个函数 `abc_class(sales)`，按金额门槛返回 `"A"`、`"B"` 或 `"C"`：
# 不低于 `amount_a` 为 A，不低于 `amount_b` 为 B，其余为 C。检查会用新的随机输入（包括恰好等于门槛的值）测试你的函数。
#
# **Question 4 (`abc_amount_rule`):** write a function `abc_class(sales)` that returns `"A"`, `"B"` or `"C"` by the
# amount thresholds: at least `amount_a` is A, at least `amount_b` is B, the rest C. The check tests your function on
# fresh random inputs, values exactly on a threshold included.


# %%
def abc_class(sales):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    if sales >= amount_a:
        return "A"
    if sales >= amount_b:
        return "B"
    return "C"
    # END SOLUTION


ex.check("abc_amount_rule", abc_class)

# %% [markdown]
# **问题 5 (`abc_gini`)：** 客户销售额的基尼系数是多少？（0 表示人人相同，越接近 1 越集中；允许误差 ±0.005）
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。
#
# **Question 5 (`abc_gini`):** what is the Gini coefficient of the accounts' sales? (0 means everyone equal, the
# closer to 1 the more concentrated; tolerance ±0.005)
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25).

# %%
# BEGIN SOLUTION
x = sales.sort_values().to_numpy()
n = len(x)
gini = 2 * (pd.Series(range(1, n + 1)) * x).sum() / (n * x.sum()) - (n + 1) / n
# END SOLUTION
ex.check("abc_gini", gini)

# %% [markdown]
# ## 第三部分：销售人员与拜访 / Part 3: salespeople and visits
#
# 从这里开始使用按累计销售额占比 `cut_a` / `cut_b` 得到的类别：
#
# From here on, the classes by cumulative share of sales `cut_a` / `cut_b` are used:

# %%
abc = sg.abc_classes(sales, cuts=(cut_a, cut_b), lang="en")
sg.pareto_table(sales, abc, lang="en")

# %% [markdown]
# 课程的配置规则：A 类客户每人一位销售人员（1:1），B 类每两位客户一位（1:2），C 类每三到五位客户一位（1:3–5）。
#
# The course's staffing rule: one salesperson per A account (1:1), one per two B accounts (1:2), one per three to
# five C accounts (1:3–5).
#
# **问题 6 (`abc_staff_b`)：** B 类客户需要多少位销售人员？（整数）
#
# **Question 6 (`abc_staff_b`):** how many salespeople do the B accounts need? (a whole number)

# %%
# BEGIN SOLUTION
staff_b = math.ceil((abc == "B").sum() / 2)
# END SOLUTION
ex.check("abc_staff_b", staff_b)

# %% [markdown]
# **问题 7 (`abc_staff_c`)：** C 类客户最少需要多少位、最多需要多少位销售人员？以元组 `(最少, 最多)` 作答。
# 精度：整数，须完全一致。
#
# **Question 7 (`abc_staff_c`):** how many salespeople do the C accounts need at the fewest and at the most? Answer
# with a tuple `(fewest, most)`.
# Precision: whole numbers, exactly.

# %%
# BEGIN SOLUTION
n_c = int((abc == "C").sum())
staff_c = (math.ceil(n_c / 5), math.ceil(n_c / 3))
# END SOLUTION
ex.check("abc_staff_c", staff_c)

# %% [markdown]
# **问题 8 (`abc_visit_share_c`)：** 销售人员一年的拜访（`sales_visits`）中，有多大比例花在 C 类客户身上？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.005。
#
# **Question 8 (`abc_visit_share_c`):** what share of the year's sales visits (`sales_visits`) went to C accounts?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.005.

# %%
# BEGIN SOLUTION
visits = accounts["sales_visits"]
visit_share_c = visits[abc == "C"].sum() / visits.sum()
# END SOLUTION
ex.check("abc_visit_share_c", visit_share_c)

# %% [markdown]
# **问题 9 (`abc_waste`)：** 课程的案例中，销售人员 60% 的时间花在只带来 10% 收入的 C 类客户身上。为什么说这是浪费？（一个字母）
#
# **Question 9 (`abc_waste`):** in the course's case, the reps spent 60% of their time on C customers who bring 10%
# of revenue. Why is that called waste? (one letter)
#
# - A. C 类客户都亏损，应该立即放弃 / C customers all lose money and should be dropped at once
# - B. 拜访次数多本身就是浪费，不论拜访的是谁 / many visits are a waste in themselves, whoever is visited
# - C. 投入占比远高于收入占比：同样的时间用在 A、B 类客户身上能带来多得多的收入（机会成本）/ the share of effort
#   far exceeds the share of revenue: the same time spent on A and B accounts would bring far more revenue (the
#   opportunity cost)
# - D. C 类客户人数最多，拜访占比高是正常的，所以这不是浪费 / C has the most customers, so a high share of visits is
#   normal and not a waste

# %%
# BEGIN SOLUTION
# Each yuan of C revenue costs about five times the visits of an average yuan; the time has better uses.
waste = "C"
# END SOLUTION
ex.check("abc_waste", waste)

# %% [markdown]
# **问题 10 (`abc_whale`)：** 这些 B2B 客户的利润鲸鱼曲线在约 131% 处达到峰值。这说明什么？（一个字母）
#
# **Question 10 (`abc_whale`):** the profit whale curve of these B2B accounts peaks at about 131%. What does that
# say? (one letter)
#
# - A. 基尼系数为 1.31 / the Gini coefficient is 1.31
# - B. 利润比去年增长了 31% / profit grew 31% on last year
# - C. 131% 的客户是盈利的 / 131% of the accounts are profitable
# - D. 盈利客户创造的利润是总利润的 1.31 倍，亏损客户吃掉了相当于总利润 31% 的利润 / the profitable accounts make
#   1.31 times the total profit, and the loss-makers eat up the equivalent of 31% of it

# %%
# BEGIN SOLUTION
whale = "D"
# END SOLUTION
ex.check("abc_whale", whale)

# %% [markdown]
# ## 第四部分：按增长潜力调整 / Part 4: adjusting for growth potential
#
# 课程建议：潜力大的 C 类客户可以升为 A 类，快要 "倒下" 的 B 类客户降为 C 类。
#
# The course: a C customer with large potential may be promoted to A, a B customer about to fail demoted to C.
#
# **问题 11 (`abc_promoted`)：** 增长潜力（`growth_potential`）不低于 `promote_at` 的 C 类客户升为 A 类。有多少位客户升级？
# 精度：整数，须完全一致。
#
# **Question 11 (`abc_promoted`):** C accounts whose growth potential (`growth_potential`) is at least `promote_at`
# move to A. How many accounts are promoted?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
promoted = int(((abc == "C") & (accounts["growth_potential"] >= promote_at)).sum())
# END SOLUTION
ex.check("abc_promoted", promoted)

# %% [markdown]
# **问题 12 (`abc_limits`)：** 下列哪些是 ABC 分类的局限？给出所有正确选项的字母，例如 `"BF"`。
#
# **Question 12 (`abc_limits`):** which of these are limits of ABC analysis? Give the letters of all right options,
# e.g. `"BF"`.
#
# - A. 它只反映过去一段时间的价值（静态）/ it reflects the value of a past period only (static)
# - B. 它必须先做聚类 / it needs a clustering first
# - C. 它只按一个指标排序 / it ranks by one criterion only
# - D. 它不考虑客户的增长潜力 / it ignores the customer's growth potential
# - E. 它不考虑服务客户的成本 / it ignores the cost to serve
# - F. 它无法处理超过 1,000 位客户 / it cannot handle more than 1,000 customers

# %%
# BEGIN SOLUTION
limits = "ACDE"
# END SOLUTION
ex.check("abc_limits", limits)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
