"""Generates fp_cvt_{fi,if}_{s,d}.S and fp_cvt_sd.S.
usage: python3 gen_cvt.py s|d fi|if|sd > FILE.S"""
import sys
from fractions import Fraction as Fr
from fpmodel import *
from fpvals import V
from gen_arith import Gen, fls
def fb(x, f):   # bits of the rational x in format f (must be exact or it rounds rne)
    if x == 0: return 0
    r, fl = round_frac(1 if x < 0 else 0, abs(Fr(x)), f, 'rne')
    return r
HEADERS = {
    's fi': '''\
/* fp_cvt_fi_s.S - single-precision to integer conversions fcvt.w.s, fcvt.wu.s,
 * fcvt.l.s, fcvt.lu.s: rounding in every static mode (NX when inexact), and
 * the saturation rules of the F chapter: NaN -> largest positive integer,
 * +inf / too large -> largest, -inf / too small -> smallest (0 for unsigned),
 * with NV and without NX; 32-bit results (also wu) are sign-extended.  The
 * range test applies to the rounded value (e.g. -0.5 -> 0 is valid for wu in
 * rne/rtz/rup but -1 is out of range in rdn).
 */
''',
    's if': '''\
/* fp_cvt_if_s.S - integer to single-precision conversions fcvt.s.w, fcvt.s.wu,
 * fcvt.s.l, fcvt.s.lu: exact values, rounding of integers wider than the
 * 24-bit significand in every static mode (NX), and the W forms use only the
 * low 32 bits of the source register.
 */
''',
    'd fi': '''\
/* fp_cvt_fi_d.S - double-precision to integer conversions fcvt.w.d, fcvt.wu.d,
 * fcvt.l.d, fcvt.lu.d: rounding in every static mode, saturation of NaN,
 * infinities and out-of-range values with NV (no NX), range checks after
 * rounding (e.g. 2^31 - 0.5 is in range for fcvt.w.d only when rounding
 * down), sign-extended 32-bit results.
 */
''',
    'd if': '''\
/* fp_cvt_if_d.S - integer to double-precision conversions fcvt.d.w, fcvt.d.wu
 * (always exact, low 32 bits of the source), fcvt.d.l, fcvt.d.lu (rounding of
 * integers wider than 53 bits in every static mode).
 */
''',
    'd sd': '''\
/* fp_cvt_sd.S - fcvt.s.d (rounding, overflow, underflow with tininess after
 * rounding, NaN-boxed result, canonical NaN) in every static mode, and
 * fcvt.d.s (exact; sNaN raises NV, NaNs become the canonical NaN).
 */
''',
}


def main():
    fmt, grp = sys.argv[1], sys.argv[2]
    g = Gen(fmt); f = g.f; T = g.M
    def f2i_(inst, rm, x, width, signed, note):
        bits = x if isinstance(x, int) and not isinstance(x, bool) and note.startswith('bits') else fb(x, f)
        r, fl = f2i(bits, f, 'rne' if rm == 'dyn' else rm, width, signed)
        g.n += 1
        g.out.append(f"    T_{T}1X({g.n}, {inst}, {rm}, {g.hx(bits)}, {h64(r)}, {fls(fl)})  /* {note} */")
    def i2f_(inst, rm, x, width, signed):
        r, fl = i2f(x, f, rm, width, signed)
        g.n += 1
        if f is D and width == 32:      # exact: the assembler takes no rounding mode
            g.out.append(f"    T_X{T}E({g.n}, {inst}, {h64(x)}, {g.hx(r)}, {fls(fl)})")
        else:
            g.out.append(f"    T_X{T}({g.n}, {inst}, {rm}, {h64(x)}, {g.hx(r)}, {fls(fl)})")
    h64 = lambda x: '0x%x' % (x & (1 << 64) - 1)
    s = fmt
    # float -> integer
    rvals = [Fr(5, 2), Fr(-5, 2), Fr(3, 2), Fr(-1, 2), Fr(1, 4) + Fr(1, 8), Fr(-7, 4), Fr(7)]
    for inst, width, signed in ([(f'fcvt.w.{s}', 32, True), (f'fcvt.wu.{s}', 32, False), (f'fcvt.l.{s}', 64, True), (f'fcvt.lu.{s}', 64, False)] if grp == 'fi' else []):
        g.sec(f'{inst}: rounding in every mode')
        for rm in RMS:
            for x in (rvals if signed else [Fr(5, 2), Fr(3, 2), Fr(-1, 2), Fr(-2, 5) if False else Fr(-3, 8), Fr(7, 4)]):
                f2i_(inst, rm, x, width, signed, str(x))
        g.sec(f'{inst}: NaN, infinities and out-of-range inputs saturate with NV (not NX)')
        lim = 1 << (width - 1) if signed else 1 << width
        specials = [('bits NaN', f.cnan), ('bits sNaN', enc_inf(0, f) | 1), ('bits -qNaN', f.cnan | 1 << (f.n - 1)),
                    ('bits +inf', enc_inf(0, f)), ('bits -inf', enc_inf(1, f)), ('bits MAX', encode(0, f.maxf, f)), ('bits -MAX', encode(1, f.maxf, f)),
                    ('bits -0', 1 << (f.n - 1)), ('bits MINSUB', 1), ('bits -MINSUB', 1 << (f.n - 1) | 1)]
        for note, bits in specials:
            f2i_(inst, 'rtz', bits, width, signed, note)
        # range boundaries: the largest representable values below the limit, the limit itself
        below = Fr(lim) - Fr(lim) / (1 << (f.m + 1))
        edge = [Fr(lim), below, Fr(-1)]
        if signed: edge += [Fr(-lim), -Fr(lim) - Fr(lim) / (1 << f.m)]
        if f is D and width == 32:
            edge += [Fr(lim) - Fr(1, 2), Fr(lim) - Fr(3, 4), -Fr(lim) - Fr(1, 2)] if signed else [Fr(lim) - Fr(1, 2), Fr(lim) - Fr(1, 4), Fr(-1, 2), Fr(-1, 1) + Fr(1, 4)]
        for x in edge:
            for rm in (['rne', 'rtz', 'rup', 'rdn'] if x.denominator != 1 else ['rne']):
                f2i_(inst, rm, x, width, signed, f'{x}')
    # integer -> float
    M = f.m + 1   # precision
    for inst, width, signed in ([(f'fcvt.{s}.w', 32, True), (f'fcvt.{s}.wu', 32, False), (f'fcvt.{s}.l', 64, True), (f'fcvt.{s}.lu', 64, False)] if grp == 'if' else []):
        g.sec(f'{inst}: exact values, then rounding in every mode (only the low {width} bits of the source are used)')
        exact = [0, 1, (1 << 64) - 1, 0x123456780000000a, 0x80000000, (1 << 64) - (1 << 31), 1 << (width - 1)]
        for x in exact:
            i2f_(inst, 'rne', x, width, signed)
        if width > M or (width == 32 and f is S):
            inex = [(1 << M) + 1, (1 << M) + 3, (1 << M) + 2, -((1 << M) + 1), (1 << width) - 1, (1 << (width - 1)) - 1, ((1 << (width - 1)) + 1) | 0xabcd00000000 << (width == 32)]
            for rm in RMS:
                for x in inex:
                    i2f_(inst, rm, x & ((1 << 64) - 1), width, signed)
        else:
            for x in [(1 << width) - 1, (1 << (width - 1)) - 1, -3 & ((1 << 64) - 1), 0xdeadbeef, 0x7654321]:
                i2f_(inst, 'rne', x, width, signed)
    if grp == 'sd':
        g.sec('fcvt.s.d: rounding, overflow and underflow in every mode')
        Dv = V(D); Sv = V(S)
        def sd(rm, bits, note):
            r, fl = f2f(bits, D, S, rm)
            g.n += 1
            g.out.append(f"    T_D1({g.n}, fcvt.s.d, {rm}, {g.hx(bits)}, 0xffffffff{r:08x}, {fls(fl)})  /* {note} */")
        vals = [(Fr(1) + Fr(1, 1 << 24), '1+2^-24 (tie)'), (Fr(1) + Fr(1, 1 << 24) + Fr(1, 1 << 52), '1+2^-24+2^-52'),
                (Fr(1, 3), '1/3'), (-Fr(1, 3), '-1/3'), (S.maxf + Fr(2) ** 103, 'FLT_MAX + half ulp (tie)'),
                (S.maxf + Fr(2) ** 102, 'FLT_MAX + quarter ulp'), (-Fr(2) ** 128, '-2^128'),
                (Fr(2) ** -150, '2^-150 (tie)'), (Fr(3) * Fr(2) ** -151, '1.5 * 2^-150'), (-Fr(1, 10) ** 40, '-1e-40'),
                (Fr(2) ** -126 - Fr(2) ** -151, 'just below FLT_MIN'), (Fr(1, 10) ** 50, '1e-50')]
        for rm in RMS:
            for x, note in vals:
                sd(rm, fb(x, D), note)
        for note, bits in [('sNaN', Dv['SNAN']), ('qNaN payload', Dv['QNANP']), ('-qNaN', Dv['NQNAN']), ('-inf', Dv['NINF']), ('-0', Dv['NZERO']),
                           ('DBL_MAX', Dv['MAX']), ('2^-149', fb(Fr(2) ** -149, D)), ('FLT_MAX', fb(S.maxf, D)), ('-FLT_MIN', fb(-Fr(2) ** -126, D)), ('DBL_MINSUB', 1)]:
            sd('rne', bits, note)
        g.sec('fcvt.d.s: always exact; sNaN gives NV and the canonical NaN')
        for note, bits in [('1.0f', Sv['ONE']), ('FLT_MINSUB', Sv['MINSUB']), ('-FLT_MAXSUB', Sv['MAXSUB'] | 1 << 31), ('FLT_MAX', Sv['MAX']),
                           ('sNaN', Sv['SNAN']), ('qNaN payload', Sv['QNANP']), ('-inf', Sv['NINF']), ('-0', Sv['NZERO']), ('pi', Sv['PI'])]:
            r, fl = f2f(bits, S, D, 'rne')
            g.n += 1
            g.out.append(f"    T_DS({g.n}, fcvt.d.s, 0x{bits:08x}, 0x{r:016x}, {fls(fl)})  /* {note} */")
    print(HEADERS[fmt + ' ' + grp] + '#include "isa.h"\n\nISA_BEGIN')
    print('\n'.join(g.out))
    print('\nISA_PASS')
    print(f'cvt {fmt} {grp}: {g.n}', file=sys.stderr)
main()
