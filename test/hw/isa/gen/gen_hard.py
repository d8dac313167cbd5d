"""Generates fp_hard_{s,d}.S (usage: gen_hard.py s|d > FILE.S)."""
import sys, random
from fractions import Fraction as Fr
from fpmodel import *
from fpvals import V, mk
from gen_arith import Gen, fls
fmt = sys.argv[1]
g = Gen(fmt); f = g.f; v = g.v; M = g.M; sfx = fmt
random.seed(2024 if fmt == 's' else 4242)
def t3(inst, fn, rm, a, b, c, note):
    r, fl = fn(a, b, c, f, rm); g.n += 1
    g.out.append(f"    T_{M}3({g.n}, {inst}.{sfx}, {rm}, {g.hx(a)}, {g.hx(b)}, {g.hx(c)}, {g.hx(r)}, {fls(fl)})  /* {note} */")
def t2(inst, fn, rm, a, b, note):
    r, fl = fn(a, b, f, rm); g.n += 1
    g.out.append(f"    T_{M}2({g.n}, {inst}.{sfx}, {rm}, {g.hx(a)}, {g.hx(b)}, {g.hx(r)}, {fls(fl)})  /* {note} */")
def t1(inst, fn, rm, a, note):
    r, fl = fn(a, f, rm); g.n += 1
    g.out.append(f"    T_{M}1({g.n}, {inst}.{sfx}, {rm}, {g.hx(a)}, {g.hx(r)}, {fls(fl)})  /* {note} */")
fb = lambda x: round_frac(1 if x < 0 else 0, abs(Fr(x)), f, 'rne')[0]
m = f.m
ONE, MINSUB, NMINSUB = v['ONE'], v['MINSUB'], v['NMINSUB']
fadd = lambda a, b, f, rm: add(a, b, f, rm)

g.sec('fmadd: the product is far below the addend: only its sign and stickiness matter')
for rm in RMS:
    t3('fmadd', fma, rm, MINSUB, MINSUB, ONE, 'minsub*minsub + 1')
    t3('fmadd', fma, rm, NMINSUB, MINSUB, ONE, '-minsub*minsub + 1')
    t3('fmadd', fma, rm, MINSUB, MINSUB, v['NONE'], 'minsub*minsub - 1')
    t3('fmadd', fma, rm, v['MINN'], v['MINN'], v['MAX'], 'minn*minn + MAX')
g.sec('fmadd: results that a non-fused multiply-then-add gets wrong (product rounding)')
def exact_fma(a, b, c): return fma(a, b, c, f, 'rne')
def unfused(a, b, c, rm):
    p, _ = mul(a, b, f, rm); return add(p, c, f, rm)
def via_wider(a, b, c, rm):
    # compute in a format with twice+ precision (like f32 fma done in f64), then round again
    W = D if f is S else Fmt(15, 112)
    enc = lambda x: round_frac(1 if x < 0 else 0, abs(x), W, 'rne')[0]
    da, db, dc = decode(a, f), decode(b, f), decode(c, f)
    if 'fin' not in (da[0],) or db[0] != 'fin' or dc[0] not in ('fin',): return None
    s = val(da) * val(db) + val(dc)
    if s == 0: return None
    w = decode(enc(s), W)
    if w[0] != 'fin': return None
    return round_frac(w[1], w[2], f, rm)
found = {'unfused': 0, 'wider': 0}
tries = 0
while found['unfused'] < 15 and tries < 400000:
    tries += 1
    rm = RMS[tries % 5]
    ea = random.randint(-3, 3); eb = random.randint(-3, 3)
    a = mk(f, random.getrandbits(1), ea, random.getrandbits(m))
    b = mk(f, random.getrandbits(1), eb, random.getrandbits(m))
    kind = random.random()
    p, _ = mul(a, b, f, 'rtz')
    pd = decode(p, f)
    if kind < 0.5:
        # addend cancels most of the product
        c = p ^ (1 << (f.n - 1))
        c ^= random.getrandbits(2)
    else:
        # addend dominates, product lands near a rounding boundary of c
        ec = pd[2] if pd[0] == 'fin' else Fr(1)
        c = mk(f, random.getrandbits(1), flog2(ec) + m + 1 - random.randint(0, 3), random.getrandbits(m))
    r = fma(a, b, c, f, rm)
    if found['unfused'] < 15 and unfused(a, b, c, rm) != r:
        found['unfused'] += 1
        t3('fmadd', fma, rm, a, b, c, 'differs from mul-then-add')
        continue
print('search', found, tries, file=sys.stderr)
# constructed double-rounding traps: p = a*b = 2^(-p) (1 - i^2 u^2) with
# u = 2^-m (a = 1 + i u, b = 2^-(m+1) (1 - i u)), c = 1 + k u, so that
# p + c = T - i^2 2^-(3m+1) lies just below the tie point T between two
# neighbours c and c + ulp, or (with a negative product) just above the tie
# point between c - ulp and c.  Rounding p + c first to 2p+1 bits would land
# exactly on the tie, and round-to-nearest-even / ties-away would then pick
# the wrong neighbour for odd (rne) or any (rmm) k.
g.sec('fmadd: results within a few units of the 2p-th bit of a rounding tie (single rounding vs. rounding twice)')
u = Fr(1, 1 << m)
cases = []
for i in (1, 3):
    for k, sg, scale in ((1, 0, 0), (5, 1, 3), (2, 0, -2)):
        a = fb(1 + i * u)
        b = fb(Fr(1, 1 << (m + 1)) * (1 - i * u) * Fr(2) ** scale)
        c = fb((1 + k * u) * Fr(2) ** scale)
        if sg: a |= 1 << (f.n - 1); c |= 1 << (f.n - 1)
        cases.append((a, b, c, f'below a tie: i={i} k={k}'))
        # above a tie: c - p = c - ulp/2 + tiny
        cases.append((a ^ 1 << (f.n - 1), b, c, f'above a tie: i={i} k={k}'))
for a, b, c, note in cases:
    for rm in (['rne', 'rmm', 'rtz', 'rdn', 'rup'] if 'k=1 ' in note + ' ' or 'k=2 ' in note + ' ' else ['rne', 'rmm']):
        t3('fmadd', fma, rm, a, b, c, note)
g.sec('fnmsub / fmsub / fnmadd with a tiny product: direction of the sticky bit')
for rm in RMS:
    t3('fnmsub', fnmsub, rm, MINSUB, MINSUB, ONE, '-(minsub*minsub) + 1')
    t3('fmsub', fmsub, rm, MINSUB, MINSUB, ONE, 'minsub*minsub - 1')
    t3('fnmadd', fnmadd, rm, MINSUB, MINSUB, v['NONE'], '-(minsub*minsub) + 1')
g.sec('fadd / fsub: far-apart operands (sticky bit), exact and inexact large sums')
for rm in RMS:
    t2('fadd', fadd, rm, ONE, MINSUB, '1 + minsub')
    t2('fadd', fadd, rm, v['NONE'], MINSUB, '-1 + minsub')
    t2('fsub', lambda a, b, f, rm: add(a, b, f, rm, True), rm, ONE, MINSUB, '1 - minsub')
    t2('fadd', fadd, rm, v['MAX'], MINSUB, 'MAX + minsub')
    t2('fadd', fadd, rm, fb(2 ** (m + 1)), ONE, '2^(p) + 1 (tie)')
    t2('fadd', fadd, rm, fb(2 ** (m + 1)), fb(3), '2^(p) + 3 (tie)')
    t2('fadd', fadd, rm, fb(2 ** m), ONE, '2^(p-1) + 1 (exact)')
g.sec('fmul: products needing the full double-width significand')
for rm in RMS:
    t2('fmul', mul, rm, v['ONEP'], v['ONEP'], '(1+u)^2')
    t2('fmul', mul, rm, v['ONEM'], v['ONEM'], '(1-u/2)^2')
    t2('fmul', mul, rm, v['ONEP'], v['NONEP'], '-(1+u)^2')
    t2('fmul', mul, rm, mk(f, 0, 0, (1 << m) - 1), mk(f, 0, 0, (1 << m) - 1), '(2-u)^2')
    t2('fmul', mul, rm, v['MAXSUB'], v['ONEP'], 'maxsub * (1+u)')
g.sec('fdiv: directed rounding, results near 1, exact quotients')
for rm in RMS:
    t2('fdiv', div, rm, v['ONEP'], v['ONEPP'], '(1+u)/(1+2u)')
    t2('fdiv', div, rm, v['ONE'], v['TEN'], '1/10')
    t2('fdiv', div, rm, v['NTWO'], v['THREE'], '-2/3')
    t2('fdiv', div, rm, v['MAX'], v['MAXM'], 'MAX/(MAX-ulp)')
    t2('fdiv', div, rm, v['MINSUB'], v['THREE'], 'minsub/3')
g.sec('fsqrt: directed rounding just above and below 1, exact roots')
for rm in RMS:
    t1('fsqrt', sqrt, rm, v['ONEP'], 'sqrt(1+u)')
    t1('fsqrt', sqrt, rm, v['ONEM'], 'sqrt(1-u/2)')
    t1('fsqrt', sqrt, rm, v['NZERO'], 'sqrt(-0)')
t1('fsqrt', sqrt, 'rne', MINSUB, 'sqrt(minsub)')
t1('fsqrt', sqrt, 'rup', fb(Fr(9, 4)), 'sqrt(2.25) exact')
t1('fsqrt', sqrt, 'rdn', fb(Fr(2) ** (f.emax - 1)), 'sqrt(2^(emax-1))')
print(f"""/* fp_hard_{fmt}.S - {'single' if f is S else 'double'}-precision cases that are easy to get wrong when the
 * floating-point unit is emulated without fused multiply-add or directed
 * rounding in the host: fma results that differ from multiply-then-add or
 * from rounding twice through a wider format, products far below the addend
 * (only the sticky bit remains), far-apart addends, products needing the
 * full double-width significand, and directed rounding of div/sqrt near 1.
 * Some fma cases come from a seeded search for inputs where the two wrong
 * methods disagree with the exactly rounded result (exact rational
 * arithmetic, rounded once per IEEE 754-2008 and the F/D chapters).
 */
#include "isa.h"

ISA_BEGIN""")
print('\n'.join(g.out))
print("\nISA_PASS")
print(f'hard {fmt}: {g.n}', file=sys.stderr)
