# Solution source of exercises/05_lifecycle_and_leads.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "dataset": "cdnow_sample", "as_of": "1997-12-31", "new_days": 120, "lost_days": 180, "low_days": 60, "dormant_days": 120, "active_frequency": 3, "period_days": 30, "window": 6, "member": 1516, "leads_as_of": "2024-11-30", "lead": 1200}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other days.
# - as_of 2024-09-30: lesson 05 classifies at the log's last day (2024-12-31) and prints the class
#   sizes; three months earlier every count differs.
# - leads_as_of 2024-11-30: lesson 05 grades the leads at 2024-12-31.
# - created_from 2023-07-01: lesson 05 prints the funnel of all leads; question 8 takes the leads
#   created from this day, so a conversion read off the lesson is wrong.

# %% [markdown]
# # 练习 05：客户生命周期、客户状态与潜在客户分级 / Exercises 05: lifecycle, customer states and lead grades
#
# **课程方法 / Course methods:** M8 生命周期与客户状态 (lifecycle and state)
#
# **学习目标**
# - 用写明的规则和阈值数出流失客户和新客户, 并自己写出活跃度规则;
# - 判断一位客户的关系生命周期阶段 (考察期/形成期/稳定期/退化期), 并从消费趋势认出各阶段;
# - 给尚未签约的潜在客户按预计成交时间分级 (A–E), 读出状态漏斗的转化率;
# - 理解行为分类和活跃度这两种分类的区别。
#
# **Learning goals**
# - count lost and new customers by written rules and thresholds, and write the activity rule yourself;
# - find a customer's relationship stage (exploration / formation / stability / decline) and recognise the stages from spend trends;
# - grade the leads that have not signed (A–E) by expected time to close, and read a conversion off the state funnel;
# - understand how the behaviour classes and the activity classes differ.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress. 笔记本 `notebooks/05_lifecycle_and_leads.ipynb` 讲解了这些方法。
# The notebook `notebooks/05_lifecycle_and_leads.ipynb` explains the methods.

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
seed = 2024  # 函数题测试输入的随机种子 / seed of the function question's test inputs
dataset = "supermarket"  # 交易数据 / transaction log: supermarket, cdnow_sample or cdnow
as_of = "2024-09-30"  # 观察期结束日 (空: 数据的最后一天) / end of observation (empty: the log's last day)
new_days = 90  # 新客户: 首次购买距今不足的天数 / new: first purchase fewer days ago than this
lost_days = 365  # 流失客户: 未购买的天数 / lost: days without a purchase
low_days = 90  # 低活跃: 未购买的天数 / low activity: days without a purchase
dormant_days = 180  # 休眠: 未购买的天数 / dormant: days without a purchase
active_frequency = 5  # 活跃: 最少交易笔数 / active: fewest purchases
period_days = 91  # 关系阶段: 每期天数 / relationship stage: days per period
window = 4  # 关系阶段: 判断用的期数 / relationship stage: periods judged
min_periods = 3  # 关系阶段: 少于此期数为考察期 / relationship stage: fewer periods is exploration
growth = 0.1  # 形成期: 相对趋势下限 / formation: lowest relative trend
decline = 0.1  # 退化期: 相对趋势 (负) 的大小 / decline: size of the (negative) relative trend
member = 2  # 问题 4 中的客户 / the customer of question 4
leads_as_of = "2024-11-30"  # 线索分级的评估日 / the day the leads are graded
lead = 42  # 问题 6 中的线索 / the lead of question 6
created_from = "2023-07-01"  # 问题 8 只看此日及以后创建的线索 / question 8 looks at leads created from this day

# %%
import pandas as pd

import custlab as cl
import custlab.exercises as ex
from custlab import segment as sg
from custlab import teaching

ex.start(
    "05_lifecycle_and_leads",
    lang=lang,
    seed=seed,
    dataset=dataset,
    as_of=as_of,
    new_days=new_days,
    lost_days=lost_days,
    low_days=low_days,
    dormant_days=dormant_days,
    active_frequency=active_frequency,
    period_days=period_days,
    window=window,
    min_periods=min_periods,
    growth=growth,
    decline=decline,
    member=member,
    leads_as_of=leads_as_of,
    lead=lead,
    created_from=created_from,
)

# %% [markdown]
# ## 第一部分：行为分类与活跃度 / Part 1: behaviour and activity classes
#
# 先校验交易数据, 只保留观察期结束日 (`as_of`) 之前的交易, 再汇总成每位客户一行。`recency_days` 是距最近一次购买的天数,
# `n_transactions` 是交易笔数, `first_purchase` 是首次购买日期。
#
# First validate the log, keeping the purchases up to the end of observation (`as_of`), then summarise it to one row
# per customer. `recency_days` is the days since the last purchase, `n_transactions` the number of purchases,
# `first_purchase` the day of the first purchase.

# %%
log, customer = teaching.load_log(dataset)
report = cl.validate_transactions(log, customer=customer, observation_end=as_of or None)
end = pd.Timestamp(as_of) if as_of else report.data["date"].max()
summary = cl.summarize(report.data, customer=customer, observation_end=end)
summary[
    ["first_purchase", "last_purchase", "recency_days", "n_transactions", "total_amount"]
].head()

# %% [markdown]
# **问题 1 (`m8_lost`)：** 有多少位流失客户 (距最近一次购买至少 `lost_days` 天)？
# 精度：整数，须完全一致。
#
# **Question 1 (`m8_lost`):** how many customers are lost (at least `lost_days` days since their last purchase)?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
n_lost = int((summary["recency_days"] >= lost_days).sum())
# END SOLUTION
ex.check("m8_lost", n_lost)

# %% [markdown]
# **问题 2 (`m8_new_share`)：** 新客户 (首次购买距 `as_of` 不足 `new_days` 天, 且未流失) 占全部客户的比例是多少？
# 以 0 到 1 之间的小数作答 (允许误差 ±0.005)。提示: `sg.behaviour_classes` 按课程规则分类。
# 不是百分数（0.25 而不是 25）。
#
# **Question 2 (`m8_new_share`):** what share of the customers are new (first purchase fewer than `new_days` days
# before `as_of`, and not lost)? Answer with a fraction between 0 and 1 (tolerance ±0.005). Tip:
# `sg.behaviour_classes` applies the course's rule.
# Not a percentage (0.25, not 25).

# %%
# BEGIN SOLUTION
behaviour = sg.behaviour_classes(summary, new_days=new_days, lost_days=lost_days, lang="en")
new_share = (behaviour == "New").mean()
# END SOLUTION
ex.check("m8_new_share", new_share)

# %% [markdown]
# **问题 3 (`m8_activity_rule`)：** 写一个函数 `activity_class(days_since_last, n_purchases)`, 按课程的活跃度规则返回
# `"active"`、`"ordinary"`、`"low"` 或 `"dormant"` (也可以用中文: 活跃、一般、低活跃、休眠):
# 至少 `dormant_days` 天未购买为休眠; 否则至少 `low_days` 天未购买为低活跃; 否则交易笔数至少 `active_frequency`
# 为活跃, 其余为一般。检查会用新的随机输入 (包括恰好等于阈值的值) 测试你的函数。
#
# **Question 3 (`m8_activity_rule`):** write a function `activity_class(days_since_last, n_purchases)` that returns
# `"active"`, `"ordinary"`, `"low"` or `"dormant"` (or the Chinese 活跃, 一般, 低活跃, 休眠) by the course's
# activity rule: no purchase for at least `dormant_days` days is dormant; otherwise, none for at least `low_days`
# days is low activity; otherwise at least `active_frequency` purchases is active, the rest ordinary. The check
# tests your function on fresh random inputs, values exactly on a threshold included.


# %%
def activity_class(days_since_last, n_purchases):
    # BEGIN SOLUTION: return ...  # 在此作答 / your code here
    if days_since_last >= dormant_days:
        return "dormant"
    if days_since_last >= low_days:
        return "low"
    if n_purchases >= active_frequency:
        return "active"
    return "ordinary"
    # END SOLUTION


ex.check("m8_activity_rule", activity_class)

# %% [markdown]
# ## 第二部分：关系生命周期阶段 / Part 2: relationship lifecycle stages
#
# `sg.relationship_trend` 把时间从 `as_of` 往回切成每段 `period_days` 天的期, 在最近 `window` 期里计算每位客户
# 每期消费的水平和趋势, 并判断阶段。
#
# `sg.relationship_trend` cuts time into periods of `period_days` days back from `as_of` and, over the latest
# `window` periods, computes each customer's level and trend of spend per period and judges the stage.
#
# **问题 4 (`m8_stage_member`)：** 客户 `member` (参数) 处在哪个关系阶段？用阶段的名称作答 (中文或英文)。
#
# **Question 4 (`m8_stage_member`):** which relationship stage is customer `member` (a parameter) in? Answer with
# the stage's name (in Chinese or English).

# %%
# BEGIN SOLUTION
trend = sg.relationship_trend(
    report.data,
    customer,
    as_of=end,
    period_days=period_days,
    window=window,
    min_periods=min_periods,
    growth=growth,
    decline=decline,
    lang=lang,
)
member_stage = trend.loc[member, "stage"]
# END SOLUTION
ex.check("m8_stage_member", member_stage)

# %% [markdown]
# **问题 5 (`m8_stage_match`)：** 四位客户的季度消费如下 (从早到晚)。每位客户处在哪个阶段？
# **A** 考察期、**B** 形成期、**C** 稳定期、**D** 退化期。按顺序给出四个字母。
#
# **Question 5 (`m8_stage_match`):** four customers spent as follows per quarter (oldest first). Which stage is each
# in? **A** exploration, **B** formation, **C** stability, **D** decline. Give four letters in order.
#
# 1. 400, 250, 120, 0
# 2. 两个月前第一次购买, 上个月又买了一次 / first purchase two months ago, another one last month
# 3. 320, 300, 330, 310 (高于大多数客户 / above most customers)
# 4. 50, 120, 200, 310

# %%
# BEGIN SOLUTION
stages_abcd = "DACB"
# END SOLUTION
ex.check("m8_stage_match", stages_abcd)

# %% [markdown]
# ## 第三部分：潜在客户分级与状态漏斗 / Part 3: lead grades and the state funnel
#
# 1,500 条销售线索 (合成数据, 截至 2024-12-31)。`outcome` 是结果 (open 进行中、won 已成交、lost 已丢失),
# `stage` 是客户状态, `expected_close_date` 是预计成交日期 (空 = 只有潜在需求)。
#
# 1,500 sales leads (synthetic, as of 2024-12-31). `outcome` is open, won or lost, `stage` the state in the funnel,
# `expected_close_date` the expected close (empty = only a latent need).

# %%
leads = cl.datasets.load("leads").set_index("lead_id")
leads.head()

# %% [markdown]
# **问题 6 (`m8_lead_grade`)：** 在评估日 `leads_as_of`, 线索 `lead` (参数) 是哪一级？用等级作答, 例如 `"B"`。
#
# **Question 6 (`m8_lead_grade`):** on the grading day `leads_as_of`, which grade has lead `lead` (a parameter)?
# Answer with the grade, e.g. `"B"`.

# %%
# BEGIN SOLUTION
grades = sg.lead_grades(
    leads, "expected_close_date", as_of=leads_as_of, status="outcome", lang=lang
)
lead_grade = grades.loc[lead]
# END SOLUTION
ex.check("m8_lead_grade", lead_grade)

# %% [markdown]
# **问题 7 (`m8_grade_a`)：** 有多少条 A 级线索？
# 精度：整数，须完全一致。
#
# **Question 7 (`m8_grade_a`):** how many leads are graded A?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
graded = sg.lead_grades(
    leads, "expected_close_date", as_of=leads_as_of, status="outcome", lang="en"
)
n_grade_a = int(graded.str.startswith("A ").sum())
# END SOLUTION
ex.check("m8_grade_a", n_grade_a)

# %% [markdown]
# **问题 8 (`m8_conversion`)：** 只看 `created_from`（参数）当天及以后创建的线索：在它们的状态漏斗中，
# 到达准客户阶段的线索有多大比例继续到达了成交客户阶段？以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。
# 精度：允许误差 ±0.005。
#
# **Question 8 (`m8_conversion`):** take only the leads created on or after `created_from` (a parameter):
# in their state funnel, what share of the leads that reached the prospect stage went on to reach the
# transacting stage? Answer with a fraction between 0 and 1, not a percentage (0.25, not 25).
# Precision: within ±0.005.

# %%
# BEGIN SOLUTION
recent = leads[pd.to_datetime(leads["created_date"]) >= pd.Timestamp(created_from)]
funnel = sg.state_funnel(recent, "stage", lang="en")
conversion = funnel.loc["Transacting", "conversion"]
# END SOLUTION
ex.check("m8_conversion", conversion)

# %% [markdown]
# **问题 9 (`m8_dead_term`)：** 课程把 "没有需求或没有机会" 的 E 级客户叫作什么？(中文或英文)
#
# **Question 9 (`m8_dead_term`):** what does the course call a grade-E customer, one with "no need or no chance"?
# (in Chinese or English)

# %%
# BEGIN SOLUTION
grade_e_term = "死亡客户"
# END SOLUTION
ex.check("m8_dead_term", grade_e_term)

# %% [markdown]
# **问题 10 (`m8_two_schemes`)：** 一位客户按行为分类是老客户, 按活跃度却是休眠客户。下列哪一项是对的？
#
# **Question 10 (`m8_two_schemes`):** a customer is mature (old) by the behaviour classes but dormant by the
# activity classes. Which statement is right?
#
# - A. 不可能, 两种规则互相矛盾 / impossible: the two rules contradict each other
# - B. 可能: 行为分类看首次购买的时间和是否已经流失, 活跃度看最近的购买; 这位客户已有至少 `dormant_days` 天没有购买,
#   但还不到 `lost_days` 天 / possible: behaviour looks at when the customer started and whether they have left,
#   activity at recent buying; this customer has not bought for at least `dormant_days` days, but for fewer than
#   `lost_days`
# - C. 只有从未购买过的客户才可能这样 / only a customer who never bought can be both
# - D. 可能, 因为老客户都是休眠客户 / possible, because every mature customer is dormant

# %%
# BEGIN SOLUTION
two_schemes = "B"
# END SOLUTION
ex.check("m8_two_schemes", two_schemes)

# %% [markdown]
# 何时用这些规则？需要简单、每天都能重算的状态标签来安排营销动作 (欢迎新客户、唤醒休眠客户、跟进 A 级线索) 时。
# 但阈值是约定而不是规律, 要按行业的购买周期来定; 它们只看时间和次数, 不看金额, 应与价值分类 (M4–M6) 一起使用。
#
# When to use these rules? When simple state labels, recomputed every day, should trigger marketing actions (welcome
# new customers, reactivate dormant ones, follow up A leads). But the thresholds are conventions, not laws, and must
# follow the industry's purchase cycle; the rules look at time and counts, not money, so combine them with value
# classes (M4–M6).

# %%
ex.progress()
