"""Prints the T_LD/T_ST tables of rv64i_mem.S (the buffer contents go to stderr)."""
import sys, struct
from intmodel import *
buf = bytes([0x11,0x22,0x33,0x44,0x55,0x66,0x77,0x88, 0x99,0xaa,0xbb,0xcc,0xdd,0xee,0xff,0x00,
             0x01,0x80,0x7f,0xfe,0x00,0x00,0x00,0x80, 0xff,0xff,0xff,0x7f,0xff,0xff,0xff,0xff,
             0x00,0x00,0x00,0x00,0x00,0x00,0x00,0x80, 0xef,0xbe,0xad,0xde,0x78,0x56,0x34,0x12])
LD = {'lb': (1, True), 'lbu': (1, False), 'lh': (2, True), 'lhu': (2, False),
      'lw': (4, True), 'lwu': (4, False), 'ld': (8, True)}
def load(op, off):
    size, signed = LD[op]
    v = int.from_bytes(buf[off:off+size], 'little', signed=signed)
    return u64(v)
n = 0
out = []
def emit(s): out.append(s)
emit("    /* aligned loads: sign/zero extension */")
cases = [('lb',0),('lb',7),('lb',17),('lb',18),('lb',15),('lbu',7),('lbu',17),('lbu',14),('lbu',0),
         ('lh',0),('lh',6),('lh',16),('lh',22),('lh',30),('lhu',6),('lhu',22),('lhu',30),('lhu',2),
         ('lw',0),('lw',4),('lw',20),('lw',24),('lw',28),('lw',40),('lwu',4),('lwu',20),('lwu',28),('lwu',40),('lwu',0),
         ('ld',0),('ld',8),('ld',16),('ld',24),('ld',32),('ld',40)]
for op, off in cases:
    n += 1; emit(f"    T_LD({n}, {op}, {off}, {h(load(op, off))})")
emit("\n    /* misaligned loads inside RAM (performed in hardware, no trap) */")
cases = [('lh',1),('lh',7),('lh',15),('lh',17),('lhu',1),('lhu',23),('lhu',7),
         ('lw',1),('lw',2),('lw',3),('lw',5),('lw',6),('lw',7),('lw',21),('lwu',3),('lwu',6),('lwu',21),('lwu',25),
         ('ld',1),('ld',2),('ld',3),('ld',4),('ld',5),('ld',6),('ld',7),('ld',13),('ld',33)]
for op, off in cases:
    n += 1; emit(f"    T_LD({n}, {op}, {off}, {h(load(op, off))})")
print('\n'.join(out))
print('loads last', n, file=sys.stderr)
# stores into a 16-byte area pre-filled with A, B
A, B = 0x0706050403020100, 0x0f0e0d0c0b0a0908
out = []
emit("\n    /* stores: only the addressed bytes change (aligned and misaligned) */")
V = 0xf1e2d3c4b5a69788
ST = {'sb': 1, 'sh': 2, 'sw': 4, 'sd': 8}
cases = [('sb',0),('sb',5),('sb',15),('sh',0),('sh',6),('sh',1),('sh',7),('sh',14),('sw',0),('sw',4),('sw',12),('sw',1),('sw',3),('sw',6),('sw',11),
         ('sd',0),('sd',8),('sd',1),('sd',4),('sd',7)]
n = 100
for op, off in cases:
    m = bytearray(A.to_bytes(8,'little') + B.to_bytes(8,'little'))
    m[off:off+ST[op]] = V.to_bytes(8,'little')[:ST[op]]
    lo, hi = int.from_bytes(m[:8],'little'), int.from_bytes(m[8:],'little')
    n += 1; emit(f"    T_ST({n}, {n+1}, {op}, {off}, {h(lo)}, {h(hi)})"); n += 1
print('\n'.join(out))
print('stores last', n, file=sys.stderr)
print("buf: .byte " + ", ".join("0x%02x" % b for b in buf), file=sys.stderr)
