"""Prints the T_BR table of rv64i_branch.S."""
import sys
from intmodel import *
MIN = 1 << 63; MAX = (1 << 63) - 1; ONES = M64
cond = {'beq': lambda a,b: a==b, 'bne': lambda a,b: a!=b, 'blt': lambda a,b: s64(a)<s64(b),
        'bge': lambda a,b: s64(a)>=s64(b), 'bltu': lambda a,b: u64(a)<u64(b), 'bgeu': lambda a,b: u64(a)>=u64(b)}
pairs = [(0,0),(1,0),(0,1),(ONES,0),(0,ONES),(ONES,ONES),(MIN,MAX),(MAX,MIN),(MIN,MIN),(ONES,1),(1,ONES),
         (0x100000000,0),(0x80000000,0xffffffff80000000),(ONES,-2),(-2,ONES)]
n = 0
for op in cond:
    print(f"\n    /* {op} */")
    for a, b in pairs:
        n += 1
        print(f"    T_BR({n}, {op}, {h(a)}, {h(b)}, {int(cond[op](u64(a),u64(b)))})")
print('last', n, file=sys.stderr)
