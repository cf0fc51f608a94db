"""Small widgets the screens share: a frame view, a layout that turns with the screen, a file chooser."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import cv2
import numpy as np
from kivy.clock import Clock
from kivy.graphics.texture import Texture
from kivy.metrics import dp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.button import Button
from kivy.uix.filechooser import FileChooserListView
from kivy.uix.image import Image
from kivy.uix.popup import Popup


def on_ui(call: Callable[[], None]) -> None:
    """Run ``call`` on the UI thread at the next frame (what worker threads hand results back with)."""
    Clock.schedule_once(lambda _dt: call(), 0)


class FrameView(Image):
    """Shows BGR frames; each is scaled to the widget's size before upload, so a 1280x720 frame is cheap."""

    def __init__(self, **kwargs):
        kwargs.setdefault("fit_mode", "contain")
        super().__init__(**kwargs)
        self.scale = 1.0  # frame pixels -> shown pixels, for drawing boxes

    def fit(self, frame: np.ndarray) -> np.ndarray:
        """The frame scaled to fit the widget (never up), as a contiguous BGR array."""
        h, w = frame.shape[:2]
        s = min(max(self.width, 1) / w, max(self.height, 1) / h, 1.0)
        self.scale = s
        if s < 1.0:
            frame = cv2.resize(frame, (max(1, int(w * s)), max(1, int(h * s))), interpolation=cv2.INTER_AREA)
        if frame.ndim == 2:
            frame = cv2.cvtColor(frame, cv2.COLOR_GRAY2BGR)
        return np.ascontiguousarray(frame)

    def show(self, bgr: np.ndarray) -> None:
        """Upload an already fitted BGR frame."""
        h, w = bgr.shape[:2]
        tex = self.texture
        if tex is None or tex.size != (w, h):
            tex = Texture.create(size=(w, h), colorfmt="bgr")
            tex.flip_vertical()
        tex.blit_buffer(bgr.tobytes(), colorfmt="bgr", bufferfmt="ubyte")
        self.texture = tex
        self.canvas.ask_update()


def draw_boxes(img: np.ndarray, boxes: list[tuple[list[int], str, bool]], scale: float) -> None:
    """Draw [x, y, w, h] boxes (frame pixels) with labels onto ``img`` (shown pixels), in place.

    ``ok`` picks green (read) or orange (seen, unreadable or unsure).
    """
    for box, label, ok in boxes:
        x, y, w, h = (int(round(v * scale)) for v in box)
        color = (60, 200, 60) if ok else (0, 150, 255)
        cv2.rectangle(img, (x, y), (x + w, y + h), color, 2)
        if label:
            (tw, th), _ = cv2.getTextSize(label, cv2.FONT_HERSHEY_SIMPLEX, 0.7, 2)
            ty = y - 6 if y - th - 8 >= 0 else y + h + th + 6
            cv2.rectangle(img, (x, ty - th - 4), (x + tw + 4, ty + 4), (255, 255, 255), -1)
            cv2.putText(img, label, (x + 2, ty), cv2.FONT_HERSHEY_SIMPLEX, 0.7, color, 2, cv2.LINE_AA)


def draw_outline(img: np.ndarray, points: list[list[int]] | None, scale: float) -> None:
    """Draw a closed outline through [x, y] points (frame pixels, e.g. a found paper's corners) onto
    ``img`` (shown pixels), in place; nothing for None."""
    if not points:
        return
    pts = np.round(np.float32(points) * scale).astype(np.int32).reshape(-1, 1, 2)
    cv2.polylines(img, [pts], True, (255, 160, 0), 2, cv2.LINE_AA)


class Turning(BoxLayout):
    """Two children side by side in landscape, stacked in portrait.

    ``landscape`` and ``portrait`` are the children's relative shares of the length in each
    orientation, first child first (the picture or canvas, then its panel).
    """

    def __init__(self, landscape: tuple[float, float], portrait: tuple[float, float], **kwargs):
        kwargs.setdefault("padding", dp(4))
        kwargs.setdefault("spacing", dp(4))
        super().__init__(**kwargs)
        self.shares = {"horizontal": landscape, "vertical": portrait}

    def on_size(self, *_):
        self.orientation = "horizontal" if self.width >= self.height else "vertical"
        for child, share in zip(reversed(self.children), self.shares[self.orientation]):
            child.size_hint = (share, 1) if self.orientation == "horizontal" else (1, share)


def button_row(*widgets) -> BoxLayout:
    """A touch-high row of buttons (or other widgets), sharing the width."""
    row = BoxLayout(size_hint_y=None, height=dp(44), spacing=dp(4))
    for w in widgets:
        row.add_widget(w)
    return row


def button(text: str, on_press: Callable[[], None], **kwargs) -> Button:
    """A touch-sized button."""
    kwargs.setdefault("size_hint_y", None)
    kwargs.setdefault("height", dp(44))
    b = Button(text=text, **kwargs)
    b.bind(on_release=lambda *_: on_press())
    return b


def choose_file(title: str, filters: list[str], start: Path, on_choice: Callable[[Path], None]) -> Popup:
    """A file chooser popup; ``on_choice`` gets the picked file."""
    box = BoxLayout(orientation="vertical")
    chooser = FileChooserListView(path=str(start), filters=filters)
    box.add_widget(chooser)
    row = BoxLayout(size_hint_y=None, height=dp(48))
    popup = Popup(title=title, content=box, size_hint=(0.95, 0.95))

    def pick() -> None:
        if chooser.selection:
            popup.dismiss()
            on_choice(Path(chooser.selection[0]))

    row.add_widget(button("Cancel", popup.dismiss))
    row.add_widget(button("Open", pick))
    box.add_widget(row)
    popup.open()
    return popup
