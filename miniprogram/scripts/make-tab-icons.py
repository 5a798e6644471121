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


def invoice(x, y):
    # outlined sheet of paper with a zigzag (torn) bottom edge and three text lines
    inside_outer = 15 <= x <= 66 and 9 <= y <= 72 - zig(x, 0)
    inside_inner = 20 <= x <= 61 and 14 <= y <= 67 - zig(x, 0)
    if inside_outer and not inside_inner:
        return True
    if 27 <= x <= 54 and (24 <= y <= 28.5 or 35 <= y <= 39.5):
        return True
    return 27 <= x <= 44 and 46 <= y <= 50.5


def zig(x, _):
    # teeth 8 px wide, 5 px deep
    t = ((x - 15) % 8) / 8
    return 5 * (1 - abs(2 * t - 1))


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
for name, shape in (('topup', card), ('invoice', invoice), ('mine', person)):
    png(os.path.join(OUT, name + '.png'), shape, GREY)
    png(os.path.join(OUT, name + '-active.png'), shape, GREEN)
print('ok')
