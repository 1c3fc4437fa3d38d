"""Google Cloud client modules, imported in one place: they ship no type information.

Importing this module costs about half a second; callers import it inside the
functions that talk to Google Cloud, not at start-up.
"""

from google.cloud import pubsub_v1, storage  # type: ignore[attr-defined]

__all__ = ["pubsub_v1", "storage"]
