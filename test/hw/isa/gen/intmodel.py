# Independent model of RV64I/M integer semantics, written from the spec text.
M64 = (1 << 64) - 1
M32 = (1 << 32) - 1
def u64(x): return x & M64
def s64(x):
    x &= M64
    return x - (1 << 64) if x >> 63 else x
def s32(x):
    x &= M32
    return x - (1 << 32) if x >> 31 else x
def sext32(x): return u64(s32(x))
def sext12(x):
    x &= 0xfff
    return x - 0x1000 if x >> 11 else x

OPS = {
 'add': lambda a, b: u64(a + b),
 'sub': lambda a, b: u64(a - b),
 'sll': lambda a, b: u64(a << (b & 63)),
 'srl': lambda a, b: u64(a) >> (b & 63),
 'sra': lambda a, b: u64(s64(a) >> (b & 63)),
 'slt': lambda a, b: int(s64(a) < s64(b)),
 'sltu': lambda a, b: int(u64(a) < u64(b)),
 'xor': lambda a, b: u64(a ^ b),
 'or': lambda a, b: u64(a | b),
 'and': lambda a, b: u64(a & b),
 'addw': lambda a, b: sext32(a + b),
 'subw': lambda a, b: sext32(a - b),
 'sllw': lambda a, b: sext32((a & M32) << (b & 31)),
 'srlw': lambda a, b: sext32((a & M32) >> (b & 31)),
 'sraw': lambda a, b: sext32(s32(a) >> (b & 31)),
}
def mulh(a, b): return u64((s64(a) * s64(b)) >> 64)
def mulhsu(a, b): return u64((s64(a) * u64(b)) >> 64)
def mulhu(a, b): return u64((u64(a) * u64(b)) >> 64)
def tdiv(a, b):  # truncating division
    q = abs(a) // abs(b)
    return q if (a < 0) == (b < 0) else -q
def div(a, b):
    a, b = s64(a), s64(b)
    if b == 0: return M64
    if a == -(1 << 63) and b == -1: return u64(a)
    return u64(tdiv(a, b))
def rem(a, b):
    a, b = s64(a), s64(b)
    if b == 0: return u64(a)
    if a == -(1 << 63) and b == -1: return 0
    return u64(a - tdiv(a, b) * b)
def divu(a, b):
    a, b = u64(a), u64(b)
    return M64 if b == 0 else a // b
def remu(a, b):
    a, b = u64(a), u64(b)
    return a if b == 0 else a % b
def divw(a, b):
    a, b = s32(a), s32(b)
    if b == 0: return M64
    if a == -(1 << 31) and b == -1: return sext32(a)
    return sext32(tdiv(a, b))
def remw(a, b):
    a, b = s32(a), s32(b)
    if b == 0: return sext32(a)
    if a == -(1 << 31) and b == -1: return 0
    return sext32(a - tdiv(a, b) * b)
def divuw(a, b):
    a, b = a & M32, b & M32
    return M64 if b == 0 else sext32(a // b)
def remuw(a, b):
    a, b = a & M32, b & M32
    return sext32(a) if b == 0 else sext32(a % b)
OPS.update({
 'mul': lambda a, b: u64(a * b), 'mulh': mulh, 'mulhsu': mulhsu, 'mulhu': mulhu,
 'mulw': lambda a, b: sext32(a * b),
 'div': div, 'divu': divu, 'rem': rem, 'remu': remu,
 'divw': divw, 'divuw': divuw, 'remw': remw, 'remuw': remuw,
})
IOPS = {
 'addi': lambda a, i: u64(a + sext12(i)),
 'slti': lambda a, i: int(s64(a) < sext12(i)),
 'sltiu': lambda a, i: int(u64(a) < u64(sext12(i))),
 'xori': lambda a, i: u64(a ^ u64(sext12(i))),
 'ori': lambda a, i: u64(a | u64(sext12(i))),
 'andi': lambda a, i: u64(a & u64(sext12(i))),
 'slli': lambda a, i: u64(a << i),
 'srli': lambda a, i: u64(a) >> i,
 'srai': lambda a, i: u64(s64(a) >> i),
 'addiw': lambda a, i: sext32(a + sext12(i)),
 'slliw': lambda a, i: sext32((a & M32) << i),
 'srliw': lambda a, i: sext32((a & M32) >> i),
 'sraiw': lambda a, i: sext32(s32(a) >> i),
}
def h(x): return '0x%x' % u64(x)
def imm(i):  # assembler syntax for a 12-bit immediate given as signed
    return str(i)
