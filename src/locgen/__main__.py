"""Allow ``python -m locgen``."""

from locgen.cli import main

main()
