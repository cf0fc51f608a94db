"""The Kivy app (``edgeocr app``): the only part of edgeocr that imports Kivy.

    app.py            the window: a tab bar, the four screens, a message line
    plate_screen.py   live camera preview, plate boxes, voted readings, CSV export (edge_app.live)
    draw_screen.py    touch canvas, live top-3, clear/undo, char/handwriting (edge_app.draw_session)
    page_screen.py    take or choose a picture, read it, copy the text (edge_app.page_reader)
    models_screen.py  the manifest's models; load a new one, validated first (edge_app.model_store)
    widgets.py        a frame view, a layout that turns with the screen, a file chooser

Every screen hands its work to plain-Python classes that run without a window; the screens only
draw what those return and show their errors on the message line.
"""
