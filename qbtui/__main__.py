"""`python -m qbtui`."""

from qbtui.cli import main

raise SystemExit(main())
