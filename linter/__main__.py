"""`python -m linter` runs the command line."""
from .cli import main

main()
