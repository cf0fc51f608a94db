"""Plate screen: live preview with plate boxes, the voted readings list, CSV export, FPS and timings."""

from __future__ import annotations

import time
from datetime import datetime
from pathlib import Path

from kivy.app import App
from kivy.clock import Clock
from kivy.metrics import dp, sp
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen
from kivy.uix.scrollview import ScrollView

from ..errors import EdgeOCRError
from ..files import atomic_write_bytes
from ..live import LivePlates
from .widgets import FrameView, Turning, button, button_row, draw_boxes

LABEL_HZ = 4  # stats and list refreshes per second (label textures are costly to re-render)


class PlateScreen(Screen):
    """Reads plates from the app's camera while shown; stops the camera when left."""

    def __init__(self, **kwargs):
        super().__init__(name="plate", **kwargs)
        self.live: LivePlates | None = None
        self.reader = None
        self.shown_seq = 0
        self.first_frame_at: float | None = None  # perf_counter when the first frame was drawn
        self._last_labels = 0.0
        self._message: str | None = None
        body = Turning(landscape=(0.68, 0.32), portrait=(0.6, 0.4))
        self.view = FrameView()
        body.add_widget(self.view)
        side = BoxLayout(orientation="vertical", spacing=dp(4))
        self.stats = Label(text="camera off", font_size=sp(13), size_hint_y=None, height=dp(54),
                           halign="left", valign="top")
        self.stats.bind(size=lambda w, s: setattr(w, "text_size", s))
        side.add_widget(self.stats)
        self.readings = Label(text="", font_size=sp(16), size_hint_y=None, halign="left", valign="top",
                              markup=True)
        self.readings.bind(texture_size=lambda w, s: setattr(w, "height", max(s[1], dp(40))),
                           width=lambda w, v: setattr(w, "text_size", (v, None)))
        scroll = ScrollView()
        scroll.add_widget(self.readings)
        side.add_widget(scroll)
        self.toggle = button("Stop", self.toggle_camera)
        side.add_widget(button_row(self.toggle, button("Clear", self.clear), button("Export CSV", self.export_csv)))
        body.add_widget(side)
        self.add_widget(body)

    # -- camera lifecycle -------------------------------------------------------------------------
    def on_enter(self, *_):
        if self.manager is not None and self.manager.current == self.name:  # not when merely added first
            self.start()

    def on_leave(self, *_):
        self.stop()

    def start(self) -> None:
        """Open the camera and start reading (errors go to the message line)."""
        app = App.get_running_app()
        if self.live is not None:
            return
        try:
            if self.reader is None:
                from ..plate_reader import PlateReader

                self.reader = PlateReader(app.models_dir, app.threads)
            source = app.make_source()
        except EdgeOCRError as exc:
            app.show_message(f"Plate: {exc}", error=True)
            return
        self.live = LivePlates(source, self.reader, pace_fps=app.replay_fps if not source.live else None)
        self.live.start()
        self._message = None
        self.toggle.text = "Stop"
        Clock.schedule_interval(self.tick, 0)

    def stop(self) -> None:
        """Stop reading and release the camera."""
        Clock.unschedule(self.tick)
        if self.live is not None:
            self.live.stop()
            self.live = None
        self.toggle.text = "Start"
        self.stats.text = "camera off"

    def toggle_camera(self) -> None:
        self.stop() if self.live is not None else self.start()

    def reload(self) -> None:
        """A plate model was replaced: load it again on the next start."""
        running = self.live is not None
        self.stop()
        self.reader = None
        if running:
            self.start()

    # -- drawing ----------------------------------------------------------------------------------
    def tick(self, _dt: float) -> None:
        """Draw the newest read frame (if new) and refresh the labels a few times a second."""
        live = self.live
        if live is None:
            return
        snap = live.snapshot()
        if snap.message != self._message:
            self._message = snap.message
            if snap.message:
                failed = not snap.running and not snap.message.endswith("replay ended")
                App.get_running_app().show_message(f"Camera: {snap.message}", error=failed)
        if snap.frame is not None and snap.seq != self.shown_seq:
            t0 = time.perf_counter()
            img = self.view.fit(snap.frame)
            boxes = []
            stable = {tuple(s.box): s for s in snap.stable}
            for it in snap.result.items if snap.result else []:
                s = stable.get(tuple(it.box))
                label = "?" if it.unreadable else (f"{s.text} {s.confidence:.2f}" if s else it.text)
                boxes.append((it.box, label, not it.unreadable))
            draw_boxes(img, boxes, self.view.scale)
            self.view.show(img)
            self.shown_seq = snap.seq
            live.note_draw((time.perf_counter() - t0) * 1000.0)
            if self.first_frame_at is None:
                self.first_frame_at = time.perf_counter()
                App.get_running_app().first_frame_shown()
        now = time.perf_counter()
        if now - self._last_labels >= 1.0 / LABEL_HZ:
            self._last_labels = now
            t = snap.timings_ms
            self.stats.text = (f"{snap.fps:.1f} FPS   dropped {snap.dropped}\n"
                               + "  ".join(f"{k} {t[k]:.1f}" for k in ("capture", "find", "read", "draw") if k in t)
                               + " ms")
            rows = sorted(snap.log, key=lambda r: r.last_seen, reverse=True)
            self.readings.text = "\n".join(f"[b]{r.text}[/b]  {r.confidence:.2f}  {r.last_seen[11:]}" for r in rows)
            if not snap.running:
                self.stop()

    # -- list -------------------------------------------------------------------------------------
    def clear(self) -> None:
        if self.live is not None:
            self.live.clear_log()
        self.readings.text = ""

    def export_csv(self) -> Path | None:
        """Write the readings list to a CSV in the app's export folder; says where on the message line."""
        app = App.get_running_app()
        text = self.live.log_csv() if self.live is not None else ""
        rows = text.count("\n") - 1  # less the header
        if rows < 1:
            app.show_message("Plate: no readings to export yet")
            return None
        dest = Path(app.export_dir) / f"plates-{datetime.now():%Y%m%d-%H%M%S}.csv"
        try:
            atomic_write_bytes(dest, text.encode("utf-8"))
        except OSError as exc:
            app.show_message(f"Plate: cannot write {dest}: {exc.strerror or exc}", error=True)
            return None
        app.show_message(f"Plate: {rows} readings saved to {dest}")
        return dest
