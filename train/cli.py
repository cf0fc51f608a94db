"""``edgeocr train ...`` arguments (no TensorFlow import until a model is trained)."""

from __future__ import annotations

import argparse

from .data.plate_text import PRESETS
from .strategy import STRATEGIES


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register ``edgeocr train``."""
    p = sub.add_parser("train", help="train a model (needs the [train] extra)",
                       description="Train a model on the desktop; convert it with 'edgeocr convert'.")
    models = p.add_subparsers(dest="model", required=True, metavar="MODEL")
    c = models.add_parser("char", help="62-class handwritten character CNN")
    c.add_argument("--out", required=True, metavar="DIR", help="run folder for the model and report")
    c.add_argument("--mnist", metavar="DIR", help="folder with the MNIST IDX .gz files")
    c.add_argument("--real", metavar="DIR", help="handwritten-chars folder (labels.csv); its train split is used")
    c.add_argument("--per-glyph", type=int, default=30, help="augmented renders per font glyph (default 30)")
    c.add_argument("--real-copies", type=int, default=12, help="jittered copies per real character (default 12)")
    c.add_argument("--stroke-copies", type=int, default=8,
                   help="jittered touch-stroke tracings per training-font glyph (default 8; 0: none)")
    c.add_argument("--printed-strokes", type=int, default=0,
                   help="jittered touch-stroke tracings per glyph of about 50 printed faces (default 0: none)")
    c.add_argument("--epochs", type=int, default=12)
    c.add_argument("--batch", type=int, default=256, help="batch size per replica")
    c.add_argument("--width", type=int, default=32, help="channels of the first layer (default 32)")
    c.add_argument("--convs", type=int, default=1, help="conv layers before each of the first two poolings (default 1)")
    c.add_argument("--strategy", choices=STRATEGIES, default="default", help="tf.distribute strategy")
    c.add_argument("--seed", type=int, default=0)
    c.add_argument("--mnist-limit", type=int, default=None, help="use at most this many MNIST digits")
    c.add_argument("--steps-per-epoch", type=int, default=None, help="cap steps per epoch (quick runs)")
    pl = models.add_parser("plate", help="licence-plate reader: conv CRNN + CTC on synthetic plates")
    pl.add_argument("--out", required=True, metavar="DIR", help="run folder for the model and report")
    pl.add_argument("--count", type=int, default=100_000, help="realistic training plates (default 100000)")
    pl.add_argument("--digits5", type=int, default=20_000, help="digits5 training plates (default 20000)")
    pl.add_argument("--val", type=int, default=4000, help="validation plates in held-out fonts (default 4000)")
    pl.add_argument("--epochs", type=int, default=8)
    pl.add_argument("--batch", type=int, default=128, help="batch size per replica")
    pl.add_argument("--width", type=int, default=14, help="channels of the first layer (default 14)")
    pl.add_argument("--strategy", choices=STRATEGIES, default="default", help="tf.distribute strategy")
    pl.add_argument("--seed", type=int, default=0)
    pl.add_argument("--workers", type=int, default=2, help="processes drawing plates (default 2)")
    pl.add_argument("--steps-per-epoch", type=int, default=None, help="cap steps per epoch (quick runs)")
    pl.add_argument("--real-crops", metavar="DIR", help="also train on the labelled real crops of this "
                    "edgeocr train plate-crops folder (every 10th photo's crops validate)")
    pl.add_argument("--real-repeat", type=int, default=20, help="times each real crop is drawn, jittered (default 20)")
    pl.add_argument("--init", metavar="MODEL", help="start from this plate.keras (fine-tuning)")
    pl.add_argument("--lr", type=float, default=2e-3, help="peak learning rate after warm-up (default 0.002)")
    hw = models.add_parser("handwriting", help="handwritten word/line reader: conv CRNN + CTC")
    hw.add_argument("--out", required=True, metavar="DIR", help="run folder for the model and report")
    hw.add_argument("--mnist", metavar="DIR", help="folder with the MNIST IDX .gz files (digits for composed words)")
    hw.add_argument("--real", metavar="DIR", help="handwritten-chars folder (labels.csv); its train split is used")
    hw.add_argument("--count", type=int, default=72_000, help="training words (default 72000)")
    hw.add_argument("--val", type=int, default=3000, help="validation words (default 3000)")
    hw.add_argument("--epochs", type=int, default=6)
    hw.add_argument("--batch", type=int, default=128, help="batch size per replica")
    hw.add_argument("--width", type=int, default=16, help="channels of the first layer (default 16)")
    hw.add_argument("--strategy", choices=STRATEGIES, default="default", help="tf.distribute strategy")
    hw.add_argument("--seed", type=int, default=0)
    hw.add_argument("--workers", type=int, default=2, help="processes drawing words (default 2)")
    hw.add_argument("--steps-per-epoch", type=int, default=None, help="cap steps per epoch (quick runs)")
    hw.add_argument("--init", metavar="MODEL", help="start from this handwriting.keras (fine-tuning)")
    hw.add_argument("--lr", type=float, default=2e-3, help="peak learning rate after warm-up (default 0.002)")
    pg = models.add_parser("page", help="printed-line reader for book pages: conv CRNN + CTC")
    pg.add_argument("--out", required=True, metavar="DIR", help="run folder for the model and report")
    pg.add_argument("--count", type=int, default=90_000, help="training lines (default 90000)")
    pg.add_argument("--val", type=int, default=2000, help="validation lines in held-out faces (default 2000)")
    pg.add_argument("--epochs", type=int, default=2)
    pg.add_argument("--batch", type=int, default=64, help="batch size per replica")
    pg.add_argument("--width", type=int, default=16, help="channels of the first layer (default 16)")
    pg.add_argument("--strategy", choices=STRATEGIES, default="default", help="tf.distribute strategy")
    pg.add_argument("--seed", type=int, default=0)
    pg.add_argument("--workers", type=int, default=2, help="processes setting lines (default 2)")
    pg.add_argument("--steps-per-epoch", type=int, default=None, help="cap steps per epoch (quick runs)")
    pg.add_argument("--init", metavar="MODEL", help="start from this page.keras (fine-tuning; the meta records it)")
    pg.add_argument("--lr", type=float, default=2e-3, help="peak learning rate after warm-up (default 0.002)")
    for drawn in (c, pl, hw, pg):
        drawn.add_argument("--cache", metavar="DIR", help="the data cache shared by runs (default "
                           "$EDGEOCR_DATA_CACHE or ~/.cache/edgeocr/data); renders are keyed by what shapes them")
        share = 0.0 if drawn is c else 0.5  # character cells: see CharConfig.augment
        drawn.add_argument("--augment", type=float, default=share, metavar="SHARE",
                           help=f"share of each batch jittered on the fly (default {share:g}; 0: none)")
    dt = models.add_parser("plate-detector", help="plate finder: heatmap + box head on real street photos")
    dt.add_argument("--photos", required=True, metavar="DIR", help="plate-photos folder (boxes.csv, images/)")
    dt.add_argument("--out", required=True, metavar="DIR", help="run folder for the model and its meta")
    dt.add_argument("--synthetic", type=int, default=400, help="rendered plates pasted into the photos (default 400)")
    dt.add_argument("--epochs", type=int, default=30)
    dt.add_argument("--batch", type=int, default=16, help="batch size per replica")
    dt.add_argument("--width", type=int, default=16, help="channels of the first layer (default 16)")
    dt.add_argument("--strategy", choices=STRATEGIES, default="default", help="tf.distribute strategy")
    dt.add_argument("--seed", type=int, default=0)
    dt.add_argument("--steps-per-epoch", type=int, default=None, help="cap steps per epoch (quick runs)")
    dt.add_argument("--limit", type=int, default=None, help="use at most this many photos per split (quick runs)")
    dt.add_argument("--init", metavar="MODEL", help="start from this plate_detector.keras (fine-tuning)")
    dt.add_argument("--lr", type=float, default=2e-3, help="peak learning rate after warm-up (default 0.002)")
    lc = models.add_parser("plate-crops", help="crop plate-photos' train plates and label them by agreement "
                           "(RapidOCR as teacher and our reader)")
    lc.add_argument("--photos", required=True, metavar="DIR", help="plate-photos folder (boxes.csv, images/)")
    lc.add_argument("--out", required=True, metavar="DIR", help="where crops/ and labels.csv go")
    lc.add_argument("--min-width", type=int, default=24, help="skip plates narrower than this, px (default 24)")
    lc.add_argument("--models", metavar="DIR", help="models folder of the reader that must agree (default: shipped)")
    d = models.add_parser("plate-data", help="write a synthetic licence-plate data set (images + labels.csv)")
    d.add_argument("--preset", required=True, choices=PRESETS,
                   help="digits5: the reference spec (64x128 gray, five digits); us, eu, br, world: realistic")
    d.add_argument("--count", type=int, default=60_000, help="number of images (default 60000)")
    d.add_argument("--out", required=True, metavar="DIR")
    d.add_argument("--seed", type=int, default=0)
    d.add_argument("--workers", type=int, default=1, help="processes drawing plates (default 1)")


TRAINERS = {  # model -> (module, function); imported when that model is trained
    "char": ("char_train", "train_char"),
    "plate": ("plate_train", "train_plate"),
    "handwriting": ("hw_train", "train_handwriting"),
    "page": ("page_train", "train_page"),
    "plate-detector": ("platedet_train", "train_platedet"),
}


def run(args: argparse.Namespace) -> int:
    """Run ``edgeocr train``: the model's typed config from ``args``, then its trainer (which validates it)."""
    import importlib

    if args.model == "plate-data":
        from .data.plates import write_plate_data

        print(f"wrote {write_plate_data(args.preset, args.count, args.out, args.seed, args.workers)}")
        return 0
    if args.model == "plate-crops":
        from edge_app.families.plate.reader import PlateReader

        from .data.plate_crops import label_crops, rapidocr_teacher

        teacher = rapidocr_teacher()
        reader = PlateReader(args.models, detector=None)

        def ours(crop):
            d, shares = reader.decode_with_beam(reader.scores([crop])[0])  # one beam search for both
            return (d.text if d else ""), dict(shares)

        counts = label_crops(args.photos, args.out, teacher, ours, args.min_width)
        print(", ".join(f"{k} {v}" for k, v in counts.items()) + f"; wrote {args.out}/labels.csv")
        return 0
    from .config import CONFIGS

    module, function = TRAINERS[args.model]
    cfg = CONFIGS[args.model].from_args(args)
    getattr(importlib.import_module(f".{module}", __package__), function)(cfg)
    return 0
