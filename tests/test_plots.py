"""Figures render Chinese; labels exist in both languages (custlab.plots, custlab.i18n)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import textwrap
import warnings

import matplotlib
import numpy as np
import pandas as pd
import pytest
from matplotlib import font_manager
from matplotlib.figure import Figure

from custlab import i18n, plots

TITLE = "客户分类"


@pytest.fixture
def restore_rc():
    """Tests that call setup_fonts()/notebook_setup() change global settings: undo them."""
    saved = matplotlib.rcParams.copy()
    saved_pandas = {
        k: pd.get_option(k) for k in ("display.max_rows", "display.precision", "display.width")
    }
    yield
    matplotlib.rcParams.update(saved)
    for key, value in saved_pandas.items():
        pd.set_option(key, value)


def _draw_title(text: str) -> None:
    fig = Figure()
    ax = fig.subplots()
    ax.set_title(text)
    ax.plot([-1, 1], [-2, 3])  # negative ticks: the minus sign must render too
    fig.savefig(io.BytesIO(), format="png")


def test_font_file_comes_from_the_dependency():
    path = plots.font_path()
    assert path.name == "NotoSansSC-Regular.otf"
    assert "pylopdf_fonts_zh_cn" in path.parts
    assert font_manager.FontProperties(fname=str(path)).get_name() == plots.FONT_FAMILY


def test_setup_fonts_puts_noto_first_and_is_idempotent(restore_rc):
    before = [
        f
        for f in matplotlib.rcParams["font.sans-serif"]
        if f not in ("Noto Sans SC", "DejaVu Sans")
    ]
    assert plots.setup_fonts() == "Noto Sans SC"
    assert plots.setup_fonts() == "Noto Sans SC"
    families = matplotlib.rcParams["font.sans-serif"]
    assert families[:2] == ["Noto Sans SC", "DejaVu Sans"]
    assert families[2:] == before  # the rest of the list is kept, in order
    registered = [e for e in font_manager.fontManager.ttflist if e.fname == str(plots.font_path())]
    assert len(registered) == 1
    # what matplotlib will actually pick for sans-serif text
    assert font_manager.findfont(font_manager.FontProperties(family=["sans-serif"])) == str(
        plots.font_path()
    )


def test_chinese_title_renders_without_missing_glyph_warning(restore_rc):
    plots.setup_fonts()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        _draw_title(TITLE)


def test_control_without_setup_fonts_the_same_figure_warns():
    # Guards the test above: with matplotlib's default families (no CJK font),
    # the same figure must raise the warning, or the test above proves nothing.
    defaults = {
        "font.family": ["sans-serif"],
        "font.sans-serif": matplotlib.rcParamsDefault["font.sans-serif"],
    }
    with (
        matplotlib.rc_context(defaults),
        pytest.warns(UserWarning, match=r"Glyph \d+ .* missing from font"),
    ):
        _draw_title(TITLE)


def test_fresh_matplotlib_config_renders_chinese(tmp_path):
    # A fresh machine: empty font cache, no system CJK font assumed.
    script = textwrap.dedent(
        f"""
        import io, warnings
        from custlab import plots
        from matplotlib.figure import Figure
        plots.setup_fonts()
        warnings.filterwarnings("error", message=".*missing from font")
        fig = Figure(); fig.subplots().set_title({TITLE!r}); fig.savefig(io.BytesIO(), format="png")
        print("ok")
        """
    )
    env = {**os.environ, "MPLCONFIGDIR": str(tmp_path / "mpl"), "MPLBACKEND": "Agg"}
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "ok"
    assert "missing from font" not in done.stderr


def test_figures_keep_their_font_when_drawn_outside_style():
    # rcParams here are matplotlib's defaults (no CJK font): a custlab figure
    # must still render its Chinese labels, tick labels included.
    defaults = {
        "font.family": ["sans-serif"],
        "font.sans-serif": matplotlib.rcParamsDefault["font.sans-serif"],
    }
    with plots.style():
        fig = Figure()
        ax = fig.subplots()
        ax.bar(["高频高额", "低频低额"], [3, 5])
        plots.finish(fig)
    with matplotlib.rc_context(defaults), warnings.catch_warnings():
        warnings.simplefilter("error")
        fig.savefig(io.BytesIO(), format="png")


def test_style_is_temporary_and_silences_only_seaborn_boxplot_warning():
    import seaborn as sns

    before = matplotlib.rcParams.copy()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with plots.style():
            assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"
            ax = Figure().subplots()
            sns.boxplot(data=pd.DataFrame({"a": np.arange(10.0)}), x="a", ax=ax)
            # our own deprecation warnings are not hidden by the filter
            with pytest.raises(matplotlib.MatplotlibDeprecationWarning):
                warnings.warn(
                    "vert: bool was deprecated",
                    matplotlib.MatplotlibDeprecationWarning,
                    stacklevel=2,
                )
    assert matplotlib.rcParams == before


def test_notebook_setup_outside_jupyter(restore_rc):
    from IPython.core.interactiveshell import InteractiveShell

    plots.notebook_setup()
    assert not InteractiveShell.initialized()  # no IPython shell created as a side effect
    assert matplotlib.rcParams["font.sans-serif"][0] == "Noto Sans SC"
    assert pd.get_option("display.max_rows") == 20
    assert pd.get_option("display.precision") == 4


@pytest.fixture
def summary():
    return pd.DataFrame(
        {"frequency": [0, 0, 1, 3, 12], "monetary_value": [0.0, 0.0, 20.0, 35.5, 80.0]},
        index=pd.Index([1, 2, 3, 4, 5], name="customer_id"),
    )


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_figure_labels_follow_lang(summary, lang):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plots.summary_figure(summary, lang, max_frequency=7)
        fig.savefig(io.BytesIO(), format="png")
    left, _ = fig.axes
    assert left.get_xlabel() == i18n.label("frequency_axis", lang)
    assert fig.get_suptitle() == i18n.label("summary_title", lang, n=5)
    heights = [p.get_height() for p in left.patches]
    # frequencies 0,0,1,3,12 with 12 pooled into the last bar ("≥7")
    assert heights == [2, 1, 0, 1, 0, 0, 0, 1]
    assert [t.get_text() for t in left.get_xticklabels()][-1] == "≥7"


def test_summary_figure_names_a_missing_column():
    with pytest.raises(ValueError, match="monetary_value"):
        plots.summary_figure(pd.DataFrame({"frequency": [1]}), "en")


def test_class_vs_cluster_figure_legends_count_customers():
    features = pd.DataFrame(
        {"n_transactions": [1, 1, 5, 8], "total_amount": [0.0, 20.0, 300.0, 500.0]}
    )
    classes = pd.Series(
        pd.Categorical(
            ["rare_low", "rare_low", "frequent_high", "frequent_high"],
            categories=["frequent_high", "rare_low"],
        )
    )
    clusters = pd.Series([1, 1, 2, 2])
    fig = plots.class_vs_cluster_figure(
        features,
        classes,
        clusters,
        x="n_transactions",
        y="total_amount",
        lang="en",
        thresholds=(3, 100),
    )
    left, right = fig.axes
    assert [t.get_text() for t in left.get_legend().get_texts()] == [
        "Frequent, high spend (2)",
        "Infrequent, low spend (2)",
    ]
    assert [t.get_text() for t in right.get_legend().get_texts()] == [
        "Cluster 1 (2)",
        "Cluster 2 (2)",
    ]
    assert left.get_xscale() == "log"
    assert left.get_yscale() == "symlog"  # a zero total stays on the chart
    assert right.get_title() == "Clustering: groups found in the data (k-means, k=2)"


# --- i18n ----------------------------------------------------------------------


def test_every_label_exists_in_both_languages():
    for key in i18n.known_keys():
        zh, en = i18n.label(key, "zh"), i18n.label(key, "en")
        assert zh and en
        assert zh != key or key == "T"


def test_labels_for_summary_columns_and_validation_problems():
    from custlab.summary import SUMMARY_COLUMNS
    from custlab.validate import PROBLEMS

    assert i18n.label("frequency", "zh") == "频次"
    assert i18n.label("customer_classification", "zh") == "客户分类"
    assert i18n.label("classification", "zh") == "分类" and i18n.label("clustering", "zh") == "聚类"
    # every column summarize() returns and every problem validate reports has a label
    assert set(i18n.labels(SUMMARY_COLUMNS, "en")) == set(SUMMARY_COLUMNS)
    assert i18n.labels(PROBLEMS, "zh")["negative_amount"] == "负金额 (退货)"


def test_unknown_lang_and_key_raise_clear_errors():
    with pytest.raises(ValueError, match=r"lang must be one of 'zh', 'en'; got 'fr'"):
        i18n.label("frequency", "fr")
    with pytest.raises(ValueError, match="lang must be one of"):
        i18n.labels(["frequency"], "EN")
    with pytest.raises(KeyError, match="did you mean 'frequency'"):
        i18n.label("frequencey", "en")
    with pytest.raises(ValueError, match="missing must be"):
        i18n.labels(["x"], "en", missing="drop")


def test_labels_keep_unknown_and_localize_frame():
    assert i18n.labels(["recency", "mine"], "zh", missing="keep") == {
        "recency": "近度",
        "mine": "mine",
    }
    df = pd.DataFrame({"frequency": [1], "mine": [2]}, index=pd.Index([7], name="customer_id"))
    out = i18n.localize(df, "zh")
    assert out.columns.tolist() == ["频次", "mine"] and out.index.name == "客户编号"
    assert df.columns.tolist() == ["frequency", "mine"]  # input untouched
    assert i18n.localize(pd.Series([1.0], name="total_amount"), "en").name == "Total amount"


def test_topic_dictionaries_cannot_clash():
    with pytest.raises(RuntimeError, match="defined twice"):
        i18n._merge({"a": {"x": {"zh": "甲", "en": "A"}}, "b": {"x": {"zh": "乙", "en": "B"}}})
    with pytest.raises(RuntimeError, match="no text for"):
        i18n._merge({"a": {"x": {"zh": "甲"}}})


def test_method_topics_are_reachable_by_topic():
    # the same key means different classes in different methods
    assert i18n.label("A", "zh", topic="abc") == "A类客户"
    assert i18n.label("A", "zh", topic="pyramid") != i18n.label("A", "zh", topic="abc")
    assert i18n.labels(["A", "B"], "en", topic="pyramid") == {
        "A": i18n.label("A", "en", topic="pyramid"),
        "B": i18n.label("B", "en", topic="pyramid"),
    }
    assert i18n.has_label("A", topic="abc") and not i18n.has_label("A")
    with pytest.raises(KeyError, match="no label topic 'abd'; did you mean 'abc'"):
        i18n.label("A", "zh", topic="abd")
    with pytest.raises(KeyError, match="no label for 'Z' in topic 'abc'"):
        i18n.label("Z", "zh", topic="abc")


def test_every_topic_has_both_languages_and_a_unique_name():
    all_topics = i18n.topics()  # raises on a clash or a missing language
    assert set(i18n.TOPICS) < set(all_topics)
    for name, table in all_topics.items():
        for key, texts in table.items():
            assert texts["zh"] and texts["en"], (name, key)


def test_segment_table_headers_are_shared_labels():
    import custlab.segment as sg
    from custlab.segment.labels_portfolio import PORTFOLIO_TEXT

    # every column segment_table and pareto_table return has a shared label
    values = pd.Series([50.0, 30.0, 10.0, 6.0, 4.0], index=pd.Index(range(5), name="account_id"))
    classes = sg.abc_classes(values, cuts=(0.7, 0.9), lang="en")
    for table in (
        sg.segment_table(classes, values, lang="en"),
        sg.pareto_table(values, classes, lang="en"),
    ):
        assert all(i18n.has_label(c) for c in table.columns), table.columns
    assert (
        i18n.label("share_customers", "zh") == "客户占比"
        and i18n.label("value", "en") == "Total value"
    )
    # the data's column names are the portfolio axes, registered rather than copied
    axes = PORTFOLIO_TEXT["axes"]
    assert i18n.topics()["portfolio_axes"] is axes
    for key in ("sales_amount", "profit", "arrears", "growth_potential", "share_of_wallet"):
        assert i18n.label(key, "zh") == axes[key]["zh"] and i18n.label(key, "en") == axes[key]["en"]
    for key in ("member_id", "lead_id", "account_id"):
        assert i18n.has_label(key)
    assert i18n.label("in_window", "en", d=365) == "Bought in the last 365 days"


def test_localize_formats_a_table_for_display():
    table = pd.DataFrame(
        {
            "customers": [3, 7],
            "share_customers": [0.3, 0.7],
            "value": [1234.56, 99.4],
            "leverage": [2.33333, 0.142857],
            "visits": [12.0, 30.0],
            "over_served": [False, True],
            "mine": [1.23456, 2.0],
        },
        index=pd.Index(["A", "total"], name="abc"),
    )
    plain = i18n.localize(table, "en")
    assert plain.columns.tolist()[:3] == ["Customers", "Share of customers", "Total value"]
    assert plain["Total value"].tolist() == [1234.56, 99.4]  # no formatting asked: data untouched
    shown = i18n.localize(table, "zh", digits=2, percent=True, whole=True, rows=True)
    assert shown.index.name == "ABC 类别" and shown.index.tolist() == ["A", "合计"]
    assert shown["客户占比 %"].tolist() == [30.0, 70.0]
    assert shown["价值合计"].tolist() == [1235, 99] and str(shown["价值合计"].dtype) == "Int64"
    assert shown["拜访次数"].tolist() == [12, 30]  # whole numbers held as floats lose their ".0"
    assert shown["价值占比 ÷ 客户占比"].tolist() == [2.33, 0.14]
    assert shown["投入过多"].tolist() == ["否", "是"]
    assert shown["mine"].tolist() == [1.23, 2.0]
    # column axis names (a crosstab's) and every level of a two-level header are translated
    crossed = pd.crosstab(pd.Series(["a", "b"], name="before"), pd.Series(["a", "a"], name="after"))
    assert i18n.localize(crossed, "en").columns.name == "After adjusting for potential"
    two = pd.concat(
        {"ties_equal": table[["customers"]], "ties_first": table[["customers"]]}, axis=1
    )
    assert i18n.localize(two, "en").columns.tolist() == [
        ("Ties score alike (ties='equal')", "Customers"),
        ("Ties split by ID (ties='first')", "Customers"),
    ]
    assert table.columns.tolist()[0] == "customers"  # input untouched
