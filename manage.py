#!/usr/bin/env python
"""Django's manage.py; the `gongkai` console command does the same."""

import sys

from gongkai.cli import main

if __name__ == "__main__":
    main(sys.argv)
