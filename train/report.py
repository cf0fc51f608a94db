"""Training reports: learning curves and a confusion matrix as PNG, per-class accuracy as Markdown."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np


def per_class_accuracy(y_true: np.ndarray, y_pred: np.ndarray, alphabet: str) -> dict[str, float]:
    """Accuracy of each class that occurs in ``y_true``."""
    return {alphabet[c]: float(np.mean(y_pred[y_true == c] == c)) for c in np.unique(y_true)}


def write_curves(out_dir: Path, history: dict[str, list[float]], title: str) -> None:
    """Write curves.png: loss and accuracy per epoch (whichever of them ``history`` has)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir.mkdir(parents=True, exist_ok=True)
    fig, axes = plt.subplots(1, 2, figsize=(10, 3.5))
    for key, ax in (("loss", axes[0]), ("accuracy", axes[1])):
        for prefix in ("", "val_"):
            if prefix + key in history:
                ax.plot(np.arange(1, len(history[prefix + key]) + 1), history[prefix + key], label=prefix + key)
        ax.set_xlabel("epoch")
        ax.set_title(key)
        ax.legend()
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(out_dir / "curves.png", dpi=100)
    plt.close(fig)


def write_report(out_dir: Path, history: dict[str, list[float]], y_true: np.ndarray, y_pred: np.ndarray,
                 alphabet: str, title: str) -> dict[str, float]:
    """Write curves.png, confusion.png, per_class.md and per_class.json; return per-class accuracy."""
    import matplotlib.pyplot as plt

    write_curves(out_dir, history, title)
    n = len(alphabet)
    cm = np.zeros((n, n), np.int64)
    np.add.at(cm, (y_true, y_pred), 1)
    fig, ax = plt.subplots(figsize=(11, 10))
    norm = cm / np.maximum(cm.sum(axis=1, keepdims=True), 1)
    ax.imshow(norm, cmap="Blues", vmin=0, vmax=1)
    ax.set_xticks(range(n), list(alphabet), fontsize=7)
    ax.set_yticks(range(n), list(alphabet), fontsize=7)
    ax.set_xlabel("predicted")
    ax.set_ylabel("true")
    ax.set_title(f"{title}: validation confusion (row-normalised)")
    fig.tight_layout()
    fig.savefig(out_dir / "confusion.png", dpi=90)
    plt.close(fig)

    acc = per_class_accuracy(y_true, y_pred, alphabet)
    lines = ["| class | accuracy | most confused with |", "|---|---|---|"]
    for c, a in acc.items():
        i = alphabet.index(c)
        row = cm[i].copy()
        row[i] = 0
        worst = alphabet[int(row.argmax())] if row.sum() else "-"
        lines.append(f"| {c} | {a:.3f} | {worst} |")
    (out_dir / "per_class.md").write_text("\n".join(lines) + "\n")
    (out_dir / "per_class.json").write_text(json.dumps(acc, indent=1) + "\n")
    return acc


def write_sequence_errors(out_dir: Path, images: np.ndarray, truth: list[str], pred: list[str], title: str,
                          tiles: int = 16) -> int:
    """Write errors.md (every misread: truth, reading) and errors.png (the first ``tiles`` misreads,
    labelled truth -> reading); returns the number of misreads."""
    import cv2

    out_dir.mkdir(parents=True, exist_ok=True)
    wrong = [i for i, (t, p) in enumerate(zip(truth, pred)) if t != p]
    lines = [f"# {title}: {len(wrong)} of {len(truth)} validation samples misread", "", "| # | truth | read |",
             "|---|---|---|"] + [f"| {i} | {truth[i]} | {pred[i] or '(nothing)'} |" for i in wrong]
    (out_dir / "errors.md").write_text("\n".join(lines) + "\n")
    cells = []
    for i in wrong[:tiles]:
        img = images[i].squeeze()
        img = (img * 255 if img.dtype != np.uint8 else img).astype(np.uint8)
        hh = max(32, 256 * img.shape[0] // img.shape[1])
        cell = cv2.cvtColor(cv2.resize(img, (256, hh)), cv2.COLOR_GRAY2BGR)
        cell = cv2.copyMakeBorder(cell, 0, 28, 0, 0, cv2.BORDER_CONSTANT, value=(255, 255, 255))
        cv2.putText(cell, f"{truth[i]} -> {pred[i] or '-'}", (4, hh + 20), cv2.FONT_HERSHEY_SIMPLEX, 0.5,
                    (0, 0, 200), 1)
        cells.append(cell)
    if cells:
        cells += [np.full_like(cells[0], 255)] * (-len(cells) % 4)
        grid = np.vstack([np.hstack(cells[k : k + 4]) for k in range(0, len(cells), 4)])
        cv2.imwrite(str(out_dir / "errors.png"), grid)
    return len(wrong)
