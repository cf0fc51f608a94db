"""``python -m edge_app`` runs the ``edgeocr`` command."""

import sys

from .cli import main

sys.exit(main())
