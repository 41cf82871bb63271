"""``python -m hvdesigner``: the same as the ``hvdesigner`` command."""

import sys

from hvdesigner.cli import main

sys.exit(main())
