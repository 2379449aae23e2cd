"""The two-axis chart of positions as PNG or SVG (matplotlib is loaded only here, on use)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

X_AXIS = "individual \u2190  \u2192 collective"
Y_AXIS = "informal \u2190  \u2192 formal"
_QUADRANT_LABELS = {"a": (-1, 1), "b": (1, 1), "c": (1, -1), "d": (-1, -1)}
_PAIRS = (("self_now", "self_desired"), ("team_now", "team_desired"))


def plot_positions(
    points: Mapping[str, Mapping[str, tuple[float, float]]],
    means: Sequence[tuple[str, str, float, float]],
    placements: Sequence[str],
    out: Path,
) -> None:
    """Each respondent's points (labelled by document), the group means (label,
    placement, x, y: a star each), arrows from now to desired, quadrant letters and the
    axis names."""
    import matplotlib

    matplotlib.use("Agg")
    matplotlib.rcParams["svg.fonttype"] = "none"  # text stays text: searchable, editable
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(10, 8))
    colours = plt.get_cmap("tab10")
    extent = 1.0
    for index, placement in enumerate(placements):
        colour = colours(index % 10)
        xs, ys = [], []
        for document in sorted(points):
            if placement in points[document]:
                x, y = points[document][placement]
                xs.append(x)
                ys.append(y)
                axes.annotate(
                    document, (x, y), fontsize=7, xytext=(3, 3), textcoords="offset points"
                )
        axes.scatter(xs, ys, color=colour, label=placement, s=25)
        extent = max([extent, *map(abs, xs), *map(abs, ys)])
    for now, desired in _PAIRS:
        if now in placements and desired in placements:
            for document in sorted(points):
                mine = points[document]
                if now in mine and desired in mine:
                    axes.annotate(
                        "",
                        xy=mine[desired],
                        xytext=mine[now],
                        arrowprops={"arrowstyle": "->", "color": "grey", "alpha": 0.6},
                    )
    for label, placement, x, y in means:
        colour = colours(list(placements).index(placement) % 10)
        axes.scatter([x], [y], marker="*", s=220, color=colour, edgecolors="black")
        axes.annotate(label, (x, y), fontsize=8, xytext=(6, -10), textcoords="offset points")
    limit = extent * 1.15
    axes.set_xlim(-limit, limit)
    axes.set_ylim(-limit, limit)
    axes.axhline(0, color="black", linewidth=1)
    axes.axvline(0, color="black", linewidth=1)
    for letter, (sx, sy) in _QUADRANT_LABELS.items():
        axes.text(
            sx * limit * 0.9,
            sy * limit * 0.9,
            letter,
            fontsize=14,
            ha="center",
            va="center",
            alpha=0.5,
        )
    axes.set_xlabel(X_AXIS)
    axes.set_ylabel(Y_AXIS)
    axes.set_title("Positions")
    axes.legend(loc="upper left", bbox_to_anchor=(1.01, 1), fontsize=8)
    figure.tight_layout()
    figure.savefig(out, format=out.suffix.lower().lstrip("."))
    plt.close(figure)
