"""Static figures that read well without a kernel (on GitHub, or printed).

- :mod:`.strips`: before/after strips (every lesson).
- :mod:`.face`: edited heads and edit grids (lessons 01 and 02).
- :mod:`.colour`: look grids and strips (lessons 05 and 06).
"""

from .strips import image_strip
