"""Prints the T_RR/T_RI tables of rv64i_alu.S, rv64i_aluw.S and rv64m.S (usage: gen_alu.py alu|aluw|m)."""
import sys
from intmodel import *
MIN = 1 << 63; MAX = (1 << 63) - 1; ONES = M64
n = [0]
out = []
def nxt():
    n[0] += 1; return n[0]
def rr(op, a, b):
    out.append(f"    T_RR({nxt()}, {op}, {h(a)}, {h(b)}, {h(OPS[op](a, b))})")
def ri(op, a, i):
    out.append(f"    T_RI({nxt()}, {op}, {h(a)}, {i}, {h(IOPS[op](u64(a), i if op[1:3] not in ('ll','rl','ra') else i))})")
def sec(t): out.append(f"\n    /* {t} */")
X = 0x123456789abcdef0
which = sys.argv[1]
if which == 'alu':
    sec('add: wrap-around, carries across bit 31/32, signed overflow ignored')
    for a, b in [(0,0),(1,1),(3,7),(ONES,1),(MAX,1),(MIN,ONES),(0xffffffff,1),(0x7fffffff,1),(X,0xedcba98765432110),(-5,3)]: rr('add', a, b)
    sec('sub')
    for a, b in [(0,0),(0,1),(MIN,1),(MAX,ONES),(0x100000000,1),(3,7),(X,X),(5,-3)]: rr('sub', a, b)
    sec('sll/srl/sra: shift amount is rs2[5:0]')
    for a, b in [(1,0),(1,1),(1,31),(1,32),(1,63),(1,64),(1,65),(X,4),(X,0xffffffffffffffc4),(ONES,63)]: rr('sll', a, b)
    for a, b in [(MIN,0),(MIN,1),(MIN,31),(MIN,32),(MIN,63),(MIN,64),(X,0x7f),(ONES,60),(0xffffffff,16)]: rr('srl', a, b)
    for a, b in [(MIN,0),(MIN,1),(MIN,31),(MIN,32),(MIN,63),(MIN,127),(X,8),(0xfedcba9876543210,0x44),(MAX,62),(0x80000000,31)]: rr('sra', a, b)
    sec('slt/sltu: signed and unsigned edge values')
    for a, b in [(0,0),(0,1),(1,0),(ONES,0),(0,ONES),(MIN,MAX),(MAX,MIN),(MIN,MIN),(ONES,ONES),(-2,ONES),(0x80000000,0x7fffffff)]: rr('slt', a, b)
    for a, b in [(0,0),(0,1),(1,0),(ONES,0),(0,ONES),(MIN,MAX),(MAX,MIN),(ONES,ONES),(-2,ONES),(0x80000000,0x7fffffff)]: rr('sltu', a, b)
    sec('xor/or/and')
    for op in ('xor','or','and'):
        for a, b in [(0xff00ff00ff00ff00,0x0ff00ff00ff00ff0),(X,ONES),(X,0),(0xf0f0f0f0f0f0f0f0,0x0f0f0f0f0f0f0f0f)]: rr(op, a, b)
    sec('addi: 12-bit sign-extended immediate')
    for a, i in [(0,0),(1,1),(0,2047),(0,-2048),(0,-1),(MAX,1),(0x7ff,2047),(0x800,-2048),(X,-1),(0xffffffff,1)]: ri('addi', a, i)
    sec('slti/sltiu: sltiu compares against the sign-extended immediate as unsigned')
    for a, i in [(0,0),(0,1),(ONES,0),(ONES,-1),(-2,-1),(MIN,-2048),(0x7ff,2047),(0x7fe,2047),(MAX,-1)]: ri('slti', a, i)
    for a, i in [(0,0),(0,1),(1,1),(0,-1),(ONES,-1),(-2,-1),(0x7ff,2047),(0x7fe,2047),(MAX,-2048),(0xfffffffffffff800,-2048),(0xfffffffffffff7ff,-2048)]: ri('sltiu', a, i)
    sec('xori/ori/andi: immediate is sign-extended to 64 bits')
    for op in ('xori','ori','andi'):
        for a, i in [(X,-1),(X,0x7ff),(X,-2048),(0,0x555),(ONES,0)]: ri(op, a, i)
    sec('slli/srli/srai: 6-bit shamt')
    for a, i in [(1,0),(1,31),(1,32),(1,63),(X,12),(X,36),(ONES,1)]: ri('slli', a, i)
    for a, i in [(MIN,0),(MIN,31),(MIN,32),(MIN,63),(X,12),(X,36),(ONES,1)]: ri('srli', a, i)
    for a, i in [(MIN,0),(MIN,31),(MIN,32),(MIN,63),(X,12),(0xfedcba9876543210,36),(MAX,1),(ONES,63)]: ri('srai', a, i)
elif which == 'aluw':
    sec('addw/subw: 32-bit result sign-extended, upper source bits ignored')
    for a, b in [(0,0),(1,1),(0x7fffffff,1),(0xffffffff,1),(0xffffffff,0xffffffff),(0x80000000,ONES),(0xdeadbeef00000001,0x1234567800000002),(X,0),(-1,0x100000000),(0x7fffffff,0x80000000)]: rr('addw', a, b)
    for a, b in [(0,0),(0,1),(0x80000000,1),(0x7fffffff,ONES),(0x100000000,1),(0xabcdef0012345678,0x1111111100000008),(3,7),(0xffffffff,0x7fffffff)]: rr('subw', a, b)
    sec('sllw/srlw/sraw: shift amount is rs2[4:0], operate on rs1[31:0], result sign-extended')
    for a, b in [(1,0),(1,1),(1,31),(1,32),(1,33),(1,63),(X,4),(0xffffffff00000001,31),(0x12345678,0xffffffffffffffe8),(0x00000000ffffffff,16)]: rr('sllw', a, b)
    for a, b in [(0x80000000,0),(0x80000000,1),(0x80000000,31),(0x80000000,32),(0x80000000,33),(0xffffffff80000000,0),(0xffffffff00000000,4),(X,0x1f),(0xdeadbeef,8),(ONES,63),(0x87654321,0x24)]: rr('srlw', a, b)
    for a, b in [(0x80000000,0),(0x80000000,1),(0x80000000,31),(0x80000000,32),(0x7fffffff,1),(0x7fffffff,30),(0x00000000ffff0000,8),(0x7fffffff00000000,4),(X,0x1f),(0xdeadbeef,0x3c),(0x87654321,36)]: rr('sraw', a, b)
    sec('addiw/slliw/srliw/sraiw')
    for a, i in [(0,0),(0x7fffffff,1),(0xffffffff,1),(0xffffffff,0),(0x123456789,0),(0x80000000,-1),(0,-2048),(0x7ffff800,2047),(X,0)]: ri('addiw', a, i)
    for a, i in [(1,0),(1,31),(0xffffffff00000001,30),(0x87654321,4),(X,16),(0x1ffffffff,0)]: ri('slliw', a, i)
    for a, i in [(0x80000000,0),(0x80000000,31),(0x80000000,1),(0xffffffff00000000,0),(0x87654321,4),(X,16),(ONES,31)]: ri('srliw', a, i)
    for a, i in [(0x80000000,0),(0x80000000,31),(0x80000000,1),(0x7fffffff,31),(0x7fffffff,1),(0x87654321,4),(X,16),(0xffffffff7fffffff,0)]: ri('sraiw', a, i)
elif which == 'm':
    sec('mul: low 64 bits')
    for a, b in [(0,0),(1,1),(3,7),(ONES,ONES),(ONES,1),(MIN,ONES),(MAX,MAX),(MIN,2),(X,0xfedcba9876543210),(0x100000000,0x100000000),(-3,5)]: rr('mul', a, b)
    sec('mulh: signed x signed, high 64 bits')
    for a, b in [(0,0),(1,1),(ONES,ONES),(ONES,1),(MIN,MIN),(MIN,ONES),(MAX,MAX),(MIN,MAX),(X,0xfedcba9876543210),(-3,5),(0x100000000,0x100000000)]: rr('mulh', a, b)
    sec('mulhsu: signed rs1 x unsigned rs2')
    for a, b in [(0,0),(1,1),(ONES,ONES),(ONES,1),(1,ONES),(MIN,ONES),(MIN,MIN),(MAX,ONES),(X,0xfedcba9876543210),(-3,5),(0xfedcba9876543210,X)]: rr('mulhsu', a, b)
    sec('mulhu: unsigned x unsigned')
    for a, b in [(0,0),(1,1),(ONES,ONES),(ONES,1),(MIN,MIN),(MIN,2),(MAX,MAX),(X,0xfedcba9876543210),(0x100000000,0x100000000),(ONES,2)]: rr('mulhu', a, b)
    sec('mulw: low 32 bits of the product, sign-extended')
    for a, b in [(0,0),(3,7),(0x7fffffff,2),(0xffffffff,0xffffffff),(0x10000,0x10000),(0x12345678_00000003,0x9abc0000_00000005),(0x80000000,ONES),(-3,5),(0x8000,0x10000)]: rr('mulw', a, b)
    sec('div/divu/rem/remu incl. divide by zero and signed overflow')
    for op in ('div','rem'):
        for a, b in [(20,6),(-20,6),(20,-6),(-20,-6),(0,5),(5,0),(-5,0),(0,0),(MIN,ONES),(MIN,1),(MIN,MIN),(MAX,MIN),(MIN,2),(X,0x100000000),(1,ONES)]: rr(op, a, b)
    for op in ('divu','remu'):
        for a, b in [(20,6),(-20,6),(20,-6),(0,5),(5,0),(ONES,0),(0,0),(MIN,ONES),(ONES,ONES),(ONES,1),(ONES,2),(X,0x100000000)]: rr(op, a, b)
    sec('divw/divuw/remw/remuw: operate on rs[31:0], results sign-extended')
    for op in ('divw','remw'):
        for a, b in [(20,6),(-20,6),(20,-6),(-20,-6),(5,0),(0xffffffff_fffffffb,0),(0x12345678_00000005,0),(0x80000000,0xffffffff),(0x80000000,1),(0x1_00000014,0x3_00000006),(0x7fffffff,0x80000000),(0,0)]: rr(op, a, b)
    for op in ('divuw','remuw'):
        for a, b in [(20,6),(0xfffffffc,2),(0xffffffec,6),(5,0),(0x80000000,0),(0x12345678_80000005,0),(0x80000000,0xffffffff),(0xffffffff,0xffffffff),(0xffffffff,1),(0x1_00000014,0x3_00000006),(0,0)]: rr(op, a, b)
print('\n'.join(out))
print('/* last check', n[0], '*/', file=sys.stderr)
