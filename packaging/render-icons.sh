#!/usr/bin/env bash
# Renders the icon files under assets/ from assets/schemadesk.svg:
#   schemadesk-{16,32,48,64,128,256,512}.png  (rsvg-convert, from librsvg2-bin)
#   schemadesk.ico   (Windows: PNG entries 16-256)
#   schemadesk.icns  (macOS: PNG entries 16-512)
# Run after editing the SVG, then commit the results (builds do not render icons).
set -euo pipefail
cd "$(dirname "$0")/../assets"
for size in 16 32 48 64 128 256 512; do
  rsvg-convert -w "$size" -h "$size" schemadesk.svg -o "schemadesk-$size.png"
done
python3 - <<'PY'
import struct

def png(size):
    with open(f"schemadesk-{size}.png", "rb") as f:
        return f.read()

# ICO: a directory of PNG images (supported since Windows Vista); 256 is written as 0.
sizes = [16, 32, 48, 64, 128, 256]
blobs = [png(s) for s in sizes]
header = struct.pack("<HHH", 0, 1, len(sizes))
offset = 6 + 16 * len(sizes)
entries = b""
for s, b in zip(sizes, blobs):
    entries += struct.pack("<BBBBHHII", s % 256, s % 256, 0, 0, 1, 32, len(b), offset)
    offset += len(b)
with open("schemadesk.ico", "wb") as f:
    f.write(header + entries + b"".join(blobs))

# ICNS: PNG-encoded entries by OSType.
types = [("icp4", 16), ("icp5", 32), ("icp6", 64), ("ic07", 128), ("ic08", 256), ("ic09", 512)]
body = b"".join(t.encode() + struct.pack(">I", 8 + len(png(s))) + png(s) for t, s in types)
with open("schemadesk.icns", "wb") as f:
    f.write(b"icns" + struct.pack(">I", 8 + len(body)) + body)
PY
ls -l schemadesk*
