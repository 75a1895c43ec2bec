"""The `gongkai` console command.

`gongkai COMMAND ...` runs any Django management command (migrate, runserver, createsuperuser …) and the
project's own commands. Hyphenated names are accepted for the project's commands: `gongkai parse-document`
runs the management command `parse_document`. `gongkai serve` runs the production server (`gongkai.server`).
"""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1 and argv[1] == "serve":
        # The production server: production settings by default, and no Django in the server's master process.
        from gongkai.server import main as serve

        serve(argv[2:])
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings.dev")
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
