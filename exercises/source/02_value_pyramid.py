# Solution source of exercises/02_value_pyramid.ipynb (percent format, see exercises/README.md).
# Build the student notebook with `custlab exercises build`; never edit the .ipynb by hand.
# The tests run the defaults and each of these parameter sets (an instructor's switches):
# test_parameters: [{"lang": "en"}, {"lang": "en", "dataset": "supermarket", "cut_a": 0.05, "cut_b": 0.2, "cut_c": 0.5, "platinum_cut": 0.2, "gold_cut": 0.5, "mvc_top": 0.1, "growth_quantile": 0.9, "account": 1283}]
#
# Why these defaults: the lessons print their own answers, so the exercises ask about other cuts.
# - cut_a / cut_b / cut_c 4.5% / 10% / 30%: lesson 02 prints the pyramid by 1% / 5% / 20%, so its
#   tier shares are not the answers; a student who keeps the lesson's cuts gets a different answer.
#   cut_a is 4.5%, not 3%: the VIP profit share by 3% (0.631) is the share of the regular segment
#   still active in year 1 that lesson 11 prints (Fader & Hardie 2007's 631 of 1,000); by 2%, 2.5%,
#   3.5% and 4% the consumer VIP share of question 7 is a number lessons 01, 02, 04, 07 or 08 print.
# - platinum_cut 0.15 / gold_cut 0.45: lesson 02 prints the metal tiers by 10% / 30%.
# - mvc_top 0.14 / growth_quantile 0.9: lesson 02 prints MVC and MGC by 20% and the 0.8 quantile.
# - question 4 asks for the Gold accounts: the Lead count (1,041 loss makers) is a fact of the data
#   that lessons 01 and 02 print.

# %% [markdown]
# # 练习 02：客户金字塔与客户分级 / Exercises 02: the customer value pyramid
#
# **课程方法 / Course methods:** M5 客户金字塔 / 客户分级（customer value pyramid）
#
# **学习目标**
# - 按利润贡献把客户分成 VIP (A)、主要 (B)、普通 (C)、小客户 (D) 四层，算出各层的利润占比；
# - 按 Zeithaml, Rust & Lemon (2001) 把客户分成铂金、黄金、铁、铅四层；
# - 结合增长潜力找出 MVC、MGC 和 BZC；
# - 说出每一层的服务策略，以及为什么按利润而不是销售额分层。
#
# **Learning goals**
# - tier customers by profit contribution into VIP (A), major (B), ordinary (C) and small (D), and compute each
#   tier's share of profit;
# - tier customers into Platinum, Gold, Iron and Lead after Zeithaml, Rust & Lemon (2001);
# - find MVC, MGC and BZC with growth potential;
# - state the strategy for each tier, and why the pyramid ranks by profit rather than sales.
#
# 配套的讲解在 `notebooks/02_value_pyramid.ipynb`。/ The matching lesson is `notebooks/02_value_pyramid.ipynb`.
#
# **怎样作答 / How to answer:** 把每个 `...` 换成你的答案，运行该单元格；`ex.check` 会立即显示
# ✔（正确）或 ✘（不正确，附提示）。Replace each `...` by your answer and run the cell; `ex.check`
# prints ✔ (correct) or ✘ (not correct, with a hint) at once. `ex.hint("题号")` shows a hint,
# `ex.progress()` your progress. 占比请用小数作答（允许误差 ±0.005）。Give shares as fractions (tolerance ±0.005).

# %% tags=["parameters"]
lang = "zh"  # 判定与提示的语言 / language of verdicts and hints: "zh" or "en"
dataset = "cdnow_sample"  # 问题 7 的交易数据 / transaction log of question 7: cdnow_sample, cdnow or supermarket
cut_a = 0.045  # VIP (A) 层的客户占比 / share of customers in the VIP (A) tier
cut_b = 0.1  # A、B 两层合计的客户占比 / share of customers in tiers A and B together
cut_c = 0.3  # A 到 C 层合计的客户占比 / share of customers in tiers A to C together
platinum_cut = 0.15  # 不亏钱客户中铂金的占比 / Platinum share of the non-losing accounts
gold_cut = 0.45  # 其中铂金与黄金合计的占比 / share of them that are Platinum or Gold
mvc_top = 0.14  # MVC 来自利润最高的这部分客户 / MVC come from this top share of accounts by profit
growth_quantile = 0.9  # MGC 增长潜力的最低分位数 / MGC growth-potential quantile
account = 50  # 问题 3 中的客户 / the account of question 3

# %%

import custlab as cl
import custlab.exercises as ex
import custlab.segment as sg
from custlab import teaching

ex.start(
    "02_value_pyramid",
    lang=lang,
    dataset=dataset,
    cut_a=cut_a,
    cut_b=cut_b,
    cut_c=cut_c,
    platinum_cut=platinum_cut,
    gold_cut=gold_cut,
    mvc_top=mvc_top,
    growth_quantile=growth_quantile,
    account=account,
)

# %% [markdown]
# ## 第一部分：B2B 客户的利润金字塔 / Part 1: the profit pyramid of the B2B accounts
#
# 一家电子产品分销商一年的 2,000 个客户（合成数据）。利润 = 毛利 − 服务成本，可以为负。
#
# A year of the 2,000 accounts of an electronics distributor (synthetic data). Profit = margin − cost to serve,
# and can be negative.

# %%
accounts = cl.datasets.load("b2b_accounts").set_index("account_id")
profit = accounts["profit"]
profit.describe()

# %% [markdown]
# 按利润从高到低，前 `cut_a` 的客户为 VIP (A)，到 `cut_b` 为主要客户 (B)，到 `cut_c` 为普通客户 (C)，其余为小客户 (D)；
# 跨过切分点的客户属于上一层。
#
# Ranked by profit, the top `cut_a` of the accounts are VIP (A), up to `cut_b` major (B), up to `cut_c` ordinary (C),
# the rest small (D); the account crossing a cut belongs to the upper tier.
#
# **问题 1 (`pyr_vip_profit_share`)：** VIP (A) 层带来的利润占总利润的比例是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.005。
#
# **Question 1 (`pyr_vip_profit_share`):** what share of total profit does the VIP (A) tier bring?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.005.

# %%
# BEGIN SOLUTION
tiers = sg.value_pyramid(profit, cuts=(cut_a, cut_b, cut_c), lang="en")
vip_share = profit[tiers == "VIP (A)"].sum() / profit.sum()
# END SOLUTION
ex.check("pyr_vip_profit_share", vip_share)

# %% [markdown]
# **问题 2 (`pyr_small_profit_share`)：** 小客户 (D) 层的利润占总利润的比例是多少？
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.005。
#
# **Question 2 (`pyr_small_profit_share`):** what share of total profit does the small (D) tier bring?
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.005.

# %%
# BEGIN SOLUTION
table = sg.segment_table(
    sg.value_pyramid(profit, cuts=(cut_a, cut_b, cut_c), lang="en"), profit, lang="en"
)
small_share = table["share_value"].iloc[3]
# END SOLUTION
ex.check("pyr_small_profit_share", small_share)

# %% [markdown]
# **问题 3 (`pyr_account_tier`)：** 客户 `account`（参数）在这个金字塔的哪一层？用字母 A–D 作答。
#
# **Question 3 (`pyr_account_tier`):** which tier of this pyramid is account `account` (a parameter) in? Answer with
# a letter A–D.

# %%
# BEGIN SOLUTION
ranked = profit.sort_values(ascending=False, kind="stable")
share_above = ranked.index.get_loc(account) / len(ranked)  # share of accounts ranked above it
account_tier = "ABCD"[sum(share_above >= cut for cut in (cut_a, cut_b, cut_c))]
# END SOLUTION
ex.check("pyr_account_tier", account_tier)

# %% [markdown]
# ## 第二部分：铂金、黄金、铁、铅 / Part 2: Platinum, Gold, Iron and Lead
#
# Zeithaml, Rust & Lemon (2001) 按盈利能力分层：铅客户让企业亏钱（利润 < 0）；其余客户按利润排序，
# 前 `platinum_cut` 为铂金，到 `gold_cut` 为黄金，其余为铁。
#
# Zeithaml, Rust & Lemon (2001) tier by profitability: Lead customers cost the firm money (profit < 0); the others
# are ranked by profit, the top `platinum_cut` Platinum, up to `gold_cut` Gold, the rest Iron.
#
# **问题 4 (`pyr_gold_count`)：** 有多少位黄金客户？精度：整数，须完全一致。
#
# **Question 4 (`pyr_gold_count`):** how many Gold accounts are there? Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
n_gold = int((sg.metal_tiers(profit, cuts=(platinum_cut, gold_cut), lang="en") == "Gold").sum())
# END SOLUTION
ex.check("pyr_gold_count", n_gold)

# %% [markdown]
# **问题 5 (`pyr_platinum_count`)：** 有多少位铂金客户？
# 精度：整数，须完全一致。
#
# **Question 5 (`pyr_platinum_count`):** how many Platinum accounts are there?
# Precision: a whole number, exactly.

# %%
# BEGIN SOLUTION
metal = sg.metal_tiers(profit, cuts=(platinum_cut, gold_cut), lang="en")
n_platinum = int((metal == "Platinum").sum())
# END SOLUTION
ex.check("pyr_platinum_count", n_platinum)

# %% [markdown]
# ## 第三部分：价值与增长 / Part 3: value and growth
#
# 规则按顺序应用：利润 < 0 为负值客户 (BZC)；利润排在前 `mvc_top` 且为正为最有价值客户 (MVC)；增长潜力
# （`growth_potential`）不低于全部客户的 `growth_quantile` 分位数为最具增长性客户 (MGC)；其余为其他客户。
#
# The rules apply in order: profit < 0 is below zero (BZC); profit in the top `mvc_top` and positive is most valuable
# (MVC); growth potential (`growth_potential`) at least the `growth_quantile` quantile of all accounts is most
# growable (MGC); the rest are other.
#
# **问题 6 (`pyr_mvc_mgc`)：** MVC 和 MGC 各有多少位客户？以元组 `(MVC, MGC)` 作答。
# 精度：整数，须完全一致。
#
# **Question 6 (`pyr_mvc_mgc`):** how many accounts are MVC and how many MGC? Answer with a tuple `(MVC, MGC)`.
# Precision: whole numbers, exactly.

# %%
# BEGIN SOLUTION
growth = accounts["growth_potential"]
classes = sg.value_growth_classes(
    profit, growth, mvc_top=mvc_top, growth_quantile=growth_quantile, lang="en"
)
mvc_mgc = (
    int((classes == "Most valuable (MVC)").sum()),
    int((classes == "Most growable (MGC)").sum()),
)
# END SOLUTION
ex.check("pyr_mvc_mgc", mvc_mgc)

# %% [markdown]
# ## 第四部分：消费者的金字塔 / Part 4: a consumer pyramid
#
# 消费者数据没有利润，价值是每位客户的累计消费额。
#
# Consumer data have no profit; the value is each customer's total spend.

# %%
log, customer = teaching.load_log(dataset)
spend = cl.summarize(log, customer=customer)["total_amount"]
spend.describe()

# %% [markdown]
# **问题 7 (`pyr_consumer_vip_share`)：** 用同样的切分点 `cut_a` / `cut_b` / `cut_c`，VIP (A) 层带来的消费额占全部消费额的比例是多少？
# 与问题 1 比较。
# 以 0 到 1 之间的小数作答，不是百分数（0.25 而不是 25）。精度：允许误差 ±0.005。
#
# **Question 7 (`pyr_consumer_vip_share`):** with the same cuts `cut_a` / `cut_b` / `cut_c`, what share of all spend
# does the VIP (A) tier bring? Compare with question 1.
# Answer with a fraction between 0 and 1, not a percentage (0.25, not 25). Precision: within ±0.005.

# %%
# BEGIN SOLUTION
consumer_tiers = sg.value_pyramid(spend, cuts=(cut_a, cut_b, cut_c), lang="en")
consumer_vip_share = spend[consumer_tiers == "VIP (A)"].sum() / spend.sum()
# END SOLUTION
ex.check("pyr_consumer_vip_share", consumer_vip_share)

# %% [markdown]
# ## 第五部分：策略 / Part 5: strategy
#
# **问题 8 (`pyr_personalised`)：** 按课程，哪一层客户应得到个性化服务并优先保障资源？（一个字母）
#
# **Question 8 (`pyr_personalised`):** by the course, which tier gets personalised service and priority for
# resources? (one letter)
#
# - A. VIP 客户 (A 类) / VIP (A)
# - B. 主要客户 (B 类) / major (B)
# - C. 普通客户 (C 类) / ordinary (C)
# - D. 小客户 (D 类) / small (D)

# %%
# BEGIN SOLUTION
personalised = "A"
# END SOLUTION
ex.check("pyr_personalised", personalised)

# %% [markdown]
# **问题 9 (`pyr_strategies`)：** 为每一层选出合适的策略，按顺序给出四个字母。
#
# **Question 9 (`pyr_strategies`):** choose the fitting strategy for each tier; give four letters in order.
#
# 1. 铅客户 / Lead
# 2. 主要客户 (B 类) / major (B)
# 3. VIP 客户 (A 类) / VIP (A)
# 4. 小客户 (D 类) / small (D)
#
# - A. 个性化服务，资源优先保障 / personalised service and priority
# - B. 激励其成长，向上一层升级 / incentives to grow towards the tier above
# - C. 标准化、低成本的服务，推动升级 / standard low-cost service, encouraging upgrades
# - D. 提高价格或降低服务成本使其盈利，必要时放弃 / raise prices or cut the cost to serve to make them profitable,
#   or let them go

# %%
# BEGIN SOLUTION
strategies = "DBAC"
# END SOLUTION
ex.check("pyr_strategies", strategies)

# %% [markdown]
# **问题 10 (`pyr_why_profit`)：** 为什么客户金字塔按利润而不是按销售额分层？（一个字母）
#
# **Question 10 (`pyr_why_profit`):** why does the customer pyramid tier by profit rather than by sales? (one letter)
#
# - A. 销售额数据很难取得 / sales figures are hard to get
# - B. 利润总是大于销售额 / profit is always larger than sales
# - C. 采购额大的客户也可能因服务成本高而亏损；按销售额分层会把这样的客户放到上层 / a large buyer can still lose money
#   through a high cost to serve; tiering by sales would put such customers in the upper tiers
# - D. 按利润分层时每一层的人数相同 / tiering by profit makes the tiers equal in size

# %%
# BEGIN SOLUTION
why_profit = "C"
# END SOLUTION
ex.check("pyr_why_profit", why_profit)

# %% [markdown]
# **问题 11 (`pyr_bzc_term`)：** 当前价值小于零、服务成本超过其带来收益的客户，课程中叫什么？（中文、英文或缩写均可）
#
# **Question 11 (`pyr_bzc_term`):** what does the course call customers whose current value is below zero, who cost
# more to serve than they bring? (Chinese, English or the abbreviation)

# %%
# BEGIN SOLUTION
term = "负值客户"
# END SOLUTION
ex.check("pyr_bzc_term", term)

# %% [markdown]
# ## 进度 / Progress

# %%
ex.progress()
