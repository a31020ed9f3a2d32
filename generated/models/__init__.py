"""Pydantic v2 models of the ModelArts v1 visualization-job API (generated; see models.py).

The typing quirk: `job_id`, `status` and `create_time` arrive as JSON integers (Table 3's Long/Byte)
or as strings of decimal digits (the create page's sample). The models accept both and keep what was sent;
`int(value)` is the one way to get the integer, whichever encoding the server used.
"""

from .models import *  # noqa: F401,F403
