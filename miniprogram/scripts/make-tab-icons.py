"""Draws the tab bar icons (81x81 PNG, anti-aliased) without any image library.
Run: python3 scripts/make-tab-icons.py  (writes src/assets/tab/*.png)"""
import math, os, struct, zlib

SIZE, SS = 81, 4  # output size, supersampling factor
OUT = os.path.join(os.path.dirname(__file__), '..', 'src', 'assets', 'tab')


def rounded_rect(x, y, x0, y0, x1, y1, r):
    cx = min(max(x, x0 + r), x1 - r)
    cy = min(max(y, y0 + r), y1 - r)
    return x0 <= x <= x1 and y0 <= y <= y1 and (x - cx) ** 2 + (y - cy) ** 2 <= r * r


def ring_rect(x, y, x0, y0, x1, y1, r, w):
    return rounded_rect(x, y, x0, y0, x1, y1, r) and not rounded_rect(x, y, x0 + w, y0 + w, x1 - w, y1 - w, max(r - w, 0))


def card(x, y):
    # outlined card with a magnetic stripe and a small chip
    if ring_rect(x, y, 10, 20, 71, 62, 7, 5):
        return True
    if 10 <= x <= 71 and 30 <= y <= 36:
        return True
    return rounded_rect(x, y, 18, 45, 32, 54, 2)


def person(x, y):
    head = math.hypot(x - 40.5, y - 27) 
    if 9 <= head <= 14.5:
        return True
    # shoulders: upper half of an elliptical ring
    dx, dy = (x - 40.5) / 26, (y - 68) / 22
    d = math.hypot(dx, dy)
    return y <= 68 and 0.78 <= d <= 1.0


def png(path, shape, rgb):
    rows = []
    for py in range(SIZE):
        row = bytearray([0])
        for px in range(SIZE):
            hits = 0
            for sy in range(SS):
                for sx in range(SS):
                    if shape(px + (sx + 0.5) / SS, py + (sy + 0.5) / SS):
                        hits += 1
            row += bytes(rgb) + bytes([round(255 * hits / (SS * SS))])
        rows.append(bytes(row))
    raw = zlib.compress(b''.join(rows), 9)

    def chunk(kind, data):
        return struct.pack('>I', len(data)) + kind + data + struct.pack('>I', zlib.crc32(kind + data) & 0xFFFFFFFF)

    with open(path, 'wb') as f:
        f.write(b'\x89PNG\r\n\x1a\n')
        f.write(chunk(b'IHDR', struct.pack('>IIBBBBB', SIZE, SIZE, 8, 6, 0, 0, 0)))
        f.write(chunk(b'IDAT', raw))
        f.write(chunk(b'IEND', b''))


os.makedirs(OUT, exist_ok=True)
GREY, GREEN = (0x7A, 0x7E, 0x83), (0x07, 0xC1, 0x60)
for name, shape in (('topup', card), ('mine', person)):
    png(os.path.join(OUT, name + '.png'), shape, GREY)
    png(os.path.join(OUT, name + '-active.png'), shape, GREEN)
print('ok')
