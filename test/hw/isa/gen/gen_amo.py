"""Prints the T_AMO table of rv64a.S."""
import sys
from intmodel import *
def opf(name, bits):
    m = (1 << bits) - 1
    sg = (lambda x: s32(x)) if bits == 32 else (lambda x: s64(x))
    return {
     'swap': lambda a, b: b, 'add': lambda a, b: (a + b) & m, 'xor': lambda a, b: a ^ b,
     'and': lambda a, b: a & b, 'or': lambda a, b: a | b,
     'min': lambda a, b: a if sg(a) <= sg(b) else b, 'max': lambda a, b: a if sg(a) >= sg(b) else b,
     'minu': lambda a, b: min(a, b), 'maxu': lambda a, b: max(a, b)}[name]
n = 0
out = []
MEM = [0x8000000080000001, 0x7fffffff00000005, 0xfffffffffffffffe]
SRC = [0x00000000ffffffff, 0x1234567880000000, 0x0000000000000003, 0x7fffffffffffffff]
sfx = ['', '.aq', '.rl', '.aqrl']
k = 0
for name in ['swap','add','xor','and','or','min','max','minu','maxu']:
    out.append(f"\n    /* amo{name}.w / amo{name}.d */")
    for width, off in [(32, 0), (32, 4), (64, 0)]:
        cases = [(MEM[0], SRC[0]), (MEM[1], SRC[1]), (MEM[2], SRC[2])] if width == 32 else [(MEM[0], SRC[3]), (MEM[1], SRC[0]), (MEM[2], SRC[1])]
        if name in ('min','max','minu','maxu') and width == 32:
            cases = cases + [(0x0000000100000002, 0xffffffff00000001)]
        for init, src in cases:
            if width == 32:
                old = (init >> (8*off)) & M32
                new = opf(name, 32)(old, src & M32)
                mem = (init & ~(M32 << (8*off))) | (new << (8*off))
                rd = sext32(old)
            else:
                old = init; new = opf(name, 64)(old, src); mem = new; rd = old
            inst = f"amo{name}.{'w' if width == 32 else 'd'}{sfx[k % 4]}"; k += 1
            n += 1
            out.append(f"    T_AMO({n}, {n+1}, {inst}, {off}, {h(init)}, {h(src)}, {h(rd)}, {h(mem)})")
            n += 1
print('\n'.join(out))
print('last', n, file=sys.stderr)
