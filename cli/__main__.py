"""``python -m cli``: the same as the ``capitallens`` script."""

from cli import main

main(prog_name="capitallens")
