"""Lets ``python -m gymlink_envserver`` run the server like the ``gymlink-envserver`` command."""

import sys

from gymlink_envserver.cli import main

sys.exit(main())
