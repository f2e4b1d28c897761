"""`python -m factcmp` runs the command-line interface."""

from factcmp.cli import main

if __name__ == "__main__":
    main()
