"""The weekly report's charts: small PNGs drawn with matplotlib, sent inline (cid:) because mail
clients show neither SVG nor remote images reliably."""

import io
from datetime import date

import matplotlib

matplotlib.use("Agg")  # no display on a server; chosen before pyplot is imported

from matplotlib import pyplot as plt  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

INK, MUTED, ACCENT, LIGHT = "#1f2328", "#59636e", "#0969da", "#9ec5fe"
SIZE_INCHES, DPI = (6.0, 2.4), 100  # 600 x 240 px: fits a 600 px email column


def _png(figure: Figure) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, bbox_inches="tight")
    plt.close(figure)
    return buffer.getvalue()


def _axes(title: str):
    figure, axes = plt.subplots(figsize=SIZE_INCHES)
    axes.set_title(title, loc="left", fontsize=11, color=INK)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    axes.tick_params(colors=MUTED, labelsize=8)
    return figure, axes


def active_people_chart(*, days: list[date], this_week: list[int], last_week: list[int]) -> bytes:
    """People active each day of the week, beside the same weekday of the week before."""
    figure, axes = _axes("People active each day")
    positions = range(len(days))
    axes.bar([p - 0.2 for p in positions], last_week, width=0.4, color=LIGHT, label="week before")
    axes.bar([p + 0.2 for p in positions], this_week, width=0.4, color=ACCENT, label="this week")
    axes.set_xticks(list(positions), [d.strftime("%a %-d") for d in days])
    axes.legend(frameon=False, fontsize=8)
    return _png(figure)


def contributions_chart(
    *, days: list[date], posts: list[int], comments: list[int], reactions: list[int]
) -> bytes:
    """Posts, comments and reactions per day of the week, stacked."""
    figure, axes = _axes("Posts, comments and reactions each day")
    positions = list(range(len(days)))
    axes.bar(positions, posts, color=INK, label="posts")
    axes.bar(positions, comments, bottom=posts, color=ACCENT, label="comments")
    axes.bar(
        positions,
        reactions,
        bottom=[p + c for p, c in zip(posts, comments, strict=True)],
        color=LIGHT,
        label="reactions",
    )
    axes.set_xticks(positions, [d.strftime("%a %-d") for d in days])
    axes.legend(frameon=False, fontsize=8)
    return _png(figure)
