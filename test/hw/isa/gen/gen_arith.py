"""Generates fp_{addmul,divsqrt,fma}_{s,d}.S (usage: gen_arith.py addmul|divsqrt|fma s|d > FILE.S)."""
import sys
from fpmodel import *
from fpvals import V
FL = [(NV,'NV'),(DZ,'DZ'),(OF,'OF'),(UF,'UF'),(NX,'NX')]
def fls(x):
    return '|'.join(n for b, n in FL if x & b) or '0'
class Gen:
    def __init__(self, fmt):
        self.f = S if fmt == 's' else D
        self.sfx = fmt; self.M = fmt.upper()
        self.v = V(self.f); self.n = 0; self.out = []
        self.w = 8 if fmt == 's' else 16
    def hx(self, x): return '0x%0*x' % (self.w, x)
    def sec(self, t): self.out.append(f"\n    /* {t} */")
    def t2(self, inst, fn, rm, a, b):
        r, fl = fn(self.v[a], self.v[b], self.f, 'rne' if rm == 'dyn' else rm)
        self.n += 1
        self.out.append(f"    T_{self.M}2({self.n}, {inst}.{self.sfx}, {rm}, {self.hx(self.v[a])}, {self.hx(self.v[b])}, {self.hx(r)}, {fls(fl)})  /* {a}, {b} */")
    def t1(self, inst, fn, rm, a):
        r, fl = fn(self.v[a], self.f, 'rne' if rm == 'dyn' else rm)
        self.n += 1
        self.out.append(f"    T_{self.M}1({self.n}, {inst}.{self.sfx}, {rm}, {self.hx(self.v[a])}, {self.hx(r)}, {fls(fl)})  /* {a} */")
    def t3(self, inst, fn, rm, a, b, c):
        r, fl = fn(self.v[a], self.v[b], self.v[c], self.f, 'rne' if rm == 'dyn' else rm)
        self.n += 1
        self.out.append(f"    T_{self.M}3({self.n}, {inst}.{self.sfx}, {rm}, {self.hx(self.v[a])}, {self.hx(self.v[b])}, {self.hx(self.v[c])}, {self.hx(r)}, {fls(fl)})  /* {a}, {b}, {c} */")
fadd = lambda a, b, f, rm: add(a, b, f, rm)
fsub = lambda a, b, f, rm: add(a, b, f, rm, True)
def addmul(g):
    g.sec('fadd: ties to even / away, directed rounding, overflow per mode, sign of an exact zero')
    for rm in RMS:
        for a, b in [('ONE','HULP'),('ONEP','HULP'),('ONE','QULP'),('ONE','TQULP'),('NONE','NHULP'),
                     ('MAX','MAX'),('NMAX','NMAX'),('ONE','NONE'),('ZERO','NZERO'),('PI','E'),('MAX','HULP')]:
            g.t2('fadd', fadd, rm, a, b)
    g.sec('fadd: zeros, infinities, NaNs (canonical NaN result, NV only for sNaN), subnormals')
    for a, b in [('NZERO','NZERO'),('INF','NINF'),('NINF','INF'),('INF','ONE'),('NINF','NINF'),('QNAN','ONE'),('ONE','QNANP'),
                 ('SNAN','ONE'),('ONE','NSNAN'),('SNAN','QNAN'),('NQNAN','INF'),('MINSUB','MINSUB'),('MAXSUB','MINSUB'),('NMINN','MINNP')]:
        g.t2('fadd', fadd, 'rne', a, b)
    g.sec('fsub')
    for rm in RMS:
        for a, b in [('ONE','QULP'),('TWO','HULP'),('ONE','ONE'),('NMAX','MAX'),('MAX','NMAX'),('PI','E'),('NZERO','NZERO')]:
            g.t2('fsub', fsub, rm, a, b)
    for a, b in [('INF','INF'),('NINF','NINF'),('INF','NINF'),('NZERO','ZERO'),('ZERO','NZERO'),('SNAN','QNAN'),('QNAN','SNAN'),('MINN','MINNP'),('ONE','INF')]:
        g.t2('fsub', fsub, 'rne', a, b)
    g.sec('fmul: rounding, overflow, underflow (tininess after rounding), exact subnormal results')
    for rm in RMS:
        for a, b in [('PI','E'),('ONEP','ONEP'),('ONEP','ONEM'),('MAX','TWO'),('NMAX','TWO'),('MINNP','ONEMM'),('MINN','ONEM'),
                     ('MINSUB','HALF'),('NMINSUB','HALF'),('TINY','TINY'),('SUB3','HALF')]:
            g.t2('fmul', mul, rm, a, b)
    for a, b in [('INF','ZERO'),('ZERO','NINF'),('NINF','NTWO'),('NZERO','ONE'),('NZERO','NONE'),('QNAN','ZERO'),('SNAN','ONE'),
                 ('ONE','SNAN'),('MAXSUB','TWO'),('MINN','HALF'),('THREE','SEVEN')]:
        g.t2('fmul', mul, 'rne', a, b)
def divsqrt(g):
    g.sec('fdiv: rounding, overflow, underflow')
    for rm in RMS:
        for a, b in [('ONE','THREE'),('TWO','THREE'),('NONE','THREE'),('ONE','SEVEN'),('MAX','HALF'),('NMAX','HALF'),('MINN','THREE'),
                     ('MINSUB','TWO'),('PI','E')]:
            g.t2('fdiv', div, rm, a, b)
    g.sec('fdiv: divide by zero (DZ), invalid (NV), exact results')
    for a, b in [('ONE','ZERO'),('NONE','ZERO'),('ONE','NZERO'),('NMINSUB','NZERO'),('ZERO','ZERO'),('NZERO','ZERO'),('INF','INF'),('INF','ZERO'),('NINF','ZERO'),
                 ('ZERO','INF'),('NONE','INF'),('NZERO','ONE'),('SNAN','ONE'),('QNAN','ZERO'),('ONE','QNAN'),('TEN','FOUR'),('MINN','TWO'),('MAX','MAX')]:
        g.t2('fdiv', div, 'rne', a, b)
    g.sec('fsqrt: rounding')
    for rm in RMS:
        for a in ['TWO','THREE','TEN','ONEP','ONEM','MAX','MINSUB','PI']:
            g.t1('fsqrt', sqrt, rm, a)
    g.sec('fsqrt: exact, signed zero, negative (NV), infinities, NaNs')
    for a in ['FOUR','ZERO','NZERO','INF','NINF','NONE','NMINSUB','QNAN','SNAN','NQNAN','MINN','HALFSUB']:
        g.t1('fsqrt', sqrt, 'rne', a)
def fmas(g):
    g.sec('fmadd: single rounding of a*b+c (fused), overflow, underflow, sign of zero')
    for rm in RMS:
        for a, b, c in [('ONEP','ONEP','NONE'),('ONEP','ONEM','NONE'),('PI','E','ONE'),('MAX','TWO','NMAX'),('MAX','TWO','ZERO'),
                        ('ONE','ONE','NONE'),('ONE','HULP','ONE'),('MINSUB','HALF','ZERO'),('NONE','HULP','NONE'),('TINY','TINY','NZERO')]:
            g.t3('fmadd', fma, rm, a, b, c)
    g.sec('fmadd: invalid operations and NaNs (inf*0 is NV even with a quiet NaN addend)')
    for a, b, c in [('INF','ZERO','QNAN'),('ZERO','NINF','ONE'),('INF','ONE','NINF'),('INF','ONE','INF'),('ONE','ONE','SNAN'),
                    ('QNAN','ONE','ONE'),('ONE','QNAN','SNAN'),('NZERO','ONE','NZERO'),('ZERO','ONE','NZERO'),('ONE','ONE','INF'),('MINN','HALF','ZERO')]:
        g.t3('fmadd', fma, 'rne', a, b, c)
    for inst, fn in [('fmsub', fmsub), ('fnmsub', fnmsub), ('fnmadd', fnmadd)]:
        g.sec(f'{inst}')
        for rm in RMS:
            for a, b, c in [('PI','E','ONE'),('ONE','ONE','ONE'),('ONEP','ONEP','ONE'),('ONE','HULP','NONE'),('NMAX','TWO','MAX')]:
                g.t3(inst, fn, rm, a, b, c)
        for a, b, c in [('INF','ZERO','QNAN'),('INF','ONE','INF'),('NINF','ONE','INF'),('ZERO','ONE','ZERO'),('NZERO','ONE','ZERO'),('SNAN','ONE','ONE')]:
            g.t3(inst, fn, 'rne', a, b, c)
HDR = {
 'addmul': "fadd, fsub and fmul",
 'divsqrt': "fdiv and fsqrt",
 'fma': "fmadd, fmsub, fnmsub and fnmadd",
}
def main():
    which, fmt = sys.argv[1], sys.argv[2]
    g = Gen(fmt)
    {'addmul': addmul, 'divsqrt': divsqrt, 'fma': fmas}[which](g)
    prec = 'single' if fmt == 's' else 'double'
    print(f"""/* fp_{which}_{fmt}.S - {prec}-precision {HDR[which]} in every static
 * rounding mode (rne, rtz, rdn, rup, rmm) with the exception flags each case
 * must raise, and the IEEE 754 special cases (zeros, infinities, NaNs,
 * subnormals).  Every check clears fflags, runs one instruction and compares
 * the whole result register (singles must be NaN-boxed) and fflags.
 * Expected values: exact rational arithmetic rounded once per IEEE 754-2008 as
 * required by the F/D chapters (canonical NaN results, tininess detected after
 * rounding, fused multiply-add rounds once); operands and results are given
 * as bit patterns, the comment names the operands.
 */
#include "isa.h"

ISA_BEGIN""")
    print('\n'.join(g.out))
    print("\nISA_PASS")
    print(f'{which} {fmt}: {g.n} checks', file=sys.stderr)
if __name__ == "__main__":
    main()
