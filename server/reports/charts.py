"""The reports' charts as PNG bytes (matplotlib, Agg: no display, nothing downloaded)."""

from __future__ import annotations

import io
from collections.abc import Sequence

import matplotlib

matplotlib.use("Agg")

from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from server.documents import fonts
from server.reports import compute

POOR_COLOUR = "#c0392b"
NEAR_POOR_COLOUR = "#e67e22"


def _font() -> None:
    # The font reportlab embeds in the PDFs has the Vietnamese letters; matplotlib's default
    # (DejaVu Sans) has them too, but use the same file so charts match the text.
    from matplotlib import font_manager

    path = fonts.register().regular
    font_manager.fontManager.addfont(str(path))
    plt.rcParams["font.family"] = font_manager.FontProperties(fname=str(path)).get_name()


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.tight_layout()
    figure.savefig(buffer, format="png", dpi=110, metadata={"Software": None})
    plt.close(figure)
    return buffer.getvalue()


def rates_by_hamlet(table: compute.HamletTable) -> bytes:
    """Return a bar chart of each hamlet's poor and near-poor rates now."""
    _font()
    figure, axes = plt.subplots(figsize=(8, 3.6))
    names = [row.name for row in table.rows]
    positions = range(len(names))
    width = 0.4
    axes.bar(
        [p - width / 2 for p in positions],
        [row.now.poor_rate for row in table.rows],
        width,
        label="Tỷ lệ hộ nghèo (%)",
        color=POOR_COLOUR,
    )
    axes.bar(
        [p + width / 2 for p in positions],
        [row.now.near_poor_rate for row in table.rows],
        width,
        label="Tỷ lệ hộ cận nghèo (%)",
        color=NEAR_POOR_COLOUR,
    )
    axes.set_xticks(list(positions), names, rotation=35, ha="right", fontsize=8)
    axes.set_ylabel("%")
    axes.set_title(f"Tỷ lệ hộ nghèo, cận nghèo theo thôn, khu phố — {table.year}")
    axes.legend(fontsize=8)
    return _png(figure)


def indicator_deprivation(stats: compute.DeprivationStats) -> bytes:
    """Return a horizontal bar chart of each indicator's deprivation rate among the poor and
    the near-poor."""
    _font()
    figure, axes = plt.subplots(figsize=(8, 4.2))
    titles = [rate.title for rate in stats.indicators]
    positions = range(len(titles))
    height = 0.4
    axes.barh(
        [p - height / 2 for p in positions],
        [rate.poor_rate for rate in stats.indicators],
        height,
        label=f"Hộ nghèo ({stats.poor})",
        color=POOR_COLOUR,
    )
    axes.barh(
        [p + height / 2 for p in positions],
        [rate.near_poor_rate for rate in stats.indicators],
        height,
        label=f"Hộ cận nghèo ({stats.near_poor})",
        color=NEAR_POOR_COLOUR,
    )
    axes.set_yticks(list(positions), titles, fontsize=7.5)
    axes.invert_yaxis()
    axes.set_xlabel("% số hộ thiếu hụt")
    axes.set_xlim(0, 100)
    axes.set_title("Thiếu hụt dịch vụ xã hội cơ bản theo chỉ số")
    axes.legend(fontsize=8, loc="lower right")
    return _png(figure)


def trend(years: Sequence[tuple[int, compute.ClassCounts]]) -> bytes:
    """Return a line chart of the poor and near-poor rates at the end of each year."""
    _font()
    figure, axes = plt.subplots(figsize=(6, 3.2))
    xs = [year for year, _ in years]
    axes.plot(xs, [c.poor_rate for _, c in years], "o-", color=POOR_COLOUR, label="Hộ nghèo")
    axes.plot(
        xs, [c.near_poor_rate for _, c in years], "s-", color=NEAR_POOR_COLOUR, label="Hộ cận nghèo"
    )
    for year, counts in years:
        axes.annotate(f"{counts.poor_rate:.2f}", (year, counts.poor_rate), fontsize=7)
        axes.annotate(f"{counts.near_poor_rate:.2f}", (year, counts.near_poor_rate), fontsize=7)
    axes.set_xticks(xs, [str(x) for x in xs])
    if len(xs) == 1:
        axes.set_xlim(xs[0] - 1, xs[0] + 1)
    axes.set_ylim(bottom=0)
    axes.set_ylabel("%")
    axes.set_title("Tỷ lệ hộ nghèo, cận nghèo qua các năm")
    axes.legend(fontsize=8)
    return _png(figure)
