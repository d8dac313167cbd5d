"""Prints the fsgnj/fmin/fmax/compare/fclass tables of rvf.S and rvd.S (usage: gen_misc.py s|d FIRST_CODE)."""
import sys
from fpmodel import *
from fpvals import V
from gen_arith import Gen, fls
def sgnj(a, b, f, kind):
    sa = 1 << (f.n - 1)
    if kind == 'fsgnj': s = b & sa
    elif kind == 'fsgnjn': s = (b & sa) ^ sa
    else: s = (a ^ b) & sa
    return (a & ~sa) | s, 0
def t2n(g, inst, fn, a, b):
    r, fl = fn(g.v[a], g.v[b], g.f)
    g.n += 1
    g.out.append(f"    T_{g.M}2N({g.n}, {inst}.{g.sfx}, {g.hx(g.v[a])}, {g.hx(g.v[b])}, {g.hx(r)}, {fls(fl)})  /* {a}, {b} */")
def t2x(g, inst, fn, a, b):
    r, fl = fn(g.v[a], g.v[b], g.f)
    g.n += 1
    g.out.append(f"    T_{g.M}2X({g.n}, {inst}.{g.sfx}, {g.hx(g.v[a])}, {g.hx(g.v[b])}, {r}, {fls(fl)})  /* {a}, {b} */")
def t1c(g, a):
    r = fclass(g.v[a], g.f)
    g.n += 1
    g.out.append(f"    T_{g.M}1C({g.n}, fclass.{g.sfx}, {g.hx(g.v[a])}, 0x{r:03x})  /* {a} */")
def misc(g, start):
    g.n = start
    g.sec('fsgnj / fsgnjn / fsgnjx: sign bit only, no canonicalisation, no flags even for sNaN')
    for k in ['fsgnj', 'fsgnjn', 'fsgnjx']:
        for a, b in [('ONE','NONE'),('NONE','ONE'),('NONE','NTWO'),('ONE','TWO'),('INF','NZERO'),('SNANP','NONE'),('QNANP','NQNAN'),('NMINSUB','ZERO')]:
            t2n(g, k, lambda a, b, f, k=k: sgnj(a, b, f, k), a, b)
    g.sec('fmin / fmax: -0 < +0, one NaN operand returns the other, two NaNs give the canonical NaN, sNaN sets NV')
    for k, ismax in [('fmin', False), ('fmax', True)]:
        for a, b in [('ONE','TWO'),('TWO','ONE'),('NONE','NTWO'),('NZERO','ZERO'),('ZERO','NZERO'),('NINF','INF'),('INF','MAX'),
                     ('QNAN','ONE'),('ONE','QNANP'),('SNAN','ONE'),('NONE','SNANP'),('QNAN','QNAN'),('SNAN','QNAN'),('NQNAN','NSNAN'),
                     ('MINSUB','NMINSUB'),('MINSUB','MINN')]:
            t2n(g, k, lambda a, b, f, m=ismax: fminmax(a, b, f, m), a, b)
    g.sec('feq (quiet: NV only for sNaN) / flt, fle (signalling: NV for any NaN)')
    for k in ['feq', 'flt', 'fle']:
        for a, b in [('ONE','ONE'),('ONE','TWO'),('TWO','ONE'),('ZERO','NZERO'),('NZERO','ZERO'),('NONE','ONE'),('NINF','INF'),('INF','INF'),
                     ('MINSUB','ZERO'),('NMAX','NINF'),('QNAN','ONE'),('ONE','QNAN'),('SNAN','ONE'),('QNAN','QNAN'),('NSNAN','SNAN')]:
            t2x(g, k, lambda a, b, f, k=k: cmp(a, b, f, k), a, b)
    g.sec('fclass: one bit for each of the 10 classes')
    for a in ['NINF','NONE','NMAX','NMINN','NMINSUB','NZERO','ZERO','MINSUB','MAXSUB','MINN','ONE','MAX','INF','SNAN','SNANP','NSNAN','QNAN','QNANP','NQNAN']:
        t1c(g, a)
if __name__ == '__main__':
    g = Gen(sys.argv[1])
    misc(g, int(sys.argv[2]))
    print('\n'.join(g.out))
    print('last', g.n, file=sys.stderr)
