"""Prints the dynamic/static rounding-mode tables of fp_rounding.S."""
import sys
from fractions import Fraction as Fr
from fpmodel import *
from fpvals import V
from gen_arith import fls
Sv, Dv = V(S), V(D)
out = []; n = [0]
def emit(s): out.append(s)
def nx(): n[0] += 1; return n[0]
hs = lambda x: '0x%08x' % x
hd = lambda x: '0x%016x' % x
def cases(rm, mode):
    r, fl = add(Sv['ONE'], Sv['HULP'], S, mode);            emit(f"    T_S2({nx()}, fadd.s, {rm}, {hs(Sv['ONE'])}, {hs(Sv['HULP'])}, {hs(r)}, {fls(fl)})  /* 1 + 2^-24 */")
    r, fl = add(Sv['NONE'], Sv['NHULP'], S, mode);          emit(f"    T_S2({nx()}, fadd.s, {rm}, {hs(Sv['NONE'])}, {hs(Sv['NHULP'])}, {hs(r)}, {fls(fl)})  /* -1 - 2^-24 */")
    r, fl = add(Dv['ONE'], Dv['NONE'], D, mode);            emit(f"    T_D2({nx()}, fsub.d, {rm}, {hd(Dv['ONE'])}, {hd(Dv['ONE'])}, {hd(add(Dv['ONE'], Dv['ONE'], D, mode, True)[0])}, 0)  /* 1 - 1: -0 only in rdn */")
    r, fl = mul(Dv['PI'], Dv['E'], D, mode);                emit(f"    T_D2({nx()}, fmul.d, {rm}, {hd(Dv['PI'])}, {hd(Dv['E'])}, {hd(r)}, {fls(fl)})  /* pi * e */")
    r, fl = mul(Dv['NMAX'], Dv['TWO'], D, mode);            emit(f"    T_D2({nx()}, fmul.d, {rm}, {hd(Dv['NMAX'])}, {hd(Dv['TWO'])}, {hd(r)}, {fls(fl)})  /* -MAX * 2 */")
    r, fl = div(Sv['ONE'], Sv['THREE'], S, mode);           emit(f"    T_S2({nx()}, fdiv.s, {rm}, {hs(Sv['ONE'])}, {hs(Sv['THREE'])}, {hs(r)}, {fls(fl)})  /* 1 / 3 */")
    r, fl = sqrt(Dv['TWO'], D, mode);                       emit(f"    T_D1({nx()}, fsqrt.d, {rm}, {hd(Dv['TWO'])}, {hd(r)}, {fls(fl)})  /* sqrt 2 */")
    r, fl = fma(Sv['PI'], Sv['E'], Sv['NONE'], S, mode);    emit(f"    T_S3({nx()}, fmadd.s, {rm}, {hs(Sv['PI'])}, {hs(Sv['E'])}, {hs(Sv['NONE'])}, {hs(r)}, {fls(fl)})  /* pi*e - 1 */")
    r, fl = fnmadd(Dv['MINSUB'], Dv['HALF'], Dv['ZERO'], D, mode); emit(f"    T_D3({nx()}, fnmadd.d, {rm}, {hd(Dv['MINSUB'])}, {hd(Dv['HALF'])}, {hd(Dv['ZERO'])}, {hd(r)}, {fls(fl)})  /* -(minsub/2) - 0 */")
    x = 0xc0200000                                           # -2.5f
    r, fl = f2i(x, S, mode, 32, True);                       emit(f"    T_S1X({nx()}, fcvt.w.s, {rm}, {hs(x)}, 0x{r:x}, {fls(fl)})  /* -2.5 */")
    x = 0x4004000000000000                                   # 2.5
    r, fl = f2i(x, D, mode, 64, False);                      emit(f"    T_D1X({nx()}, fcvt.lu.d, {rm}, {hd(x)}, 0x{r:x}, {fls(fl)})  /* 2.5 */")
    x = 0x3fd5555555555555
    r, fl = f2f(x, D, S, mode);                              emit(f"    T_D1({nx()}, fcvt.s.d, {rm}, {hd(x)}, 0xffffffff{r:08x}, {fls(fl)})  /* 1/3 */")
    x = (1 << 24) + 1
    r, fl = i2f(x, S, mode, 64, True);                       emit(f"    T_XS({nx()}, fcvt.s.l, {rm}, 0x{x:x}, {hs(r)}, {fls(fl)})  /* 2^24 + 1 */")
    x = (1 << 64) - 1
    r, fl = i2f(x, D, mode, 64, False);                      emit(f"    T_XD({nx()}, fcvt.d.lu, {rm}, 0x{x:x}, {hd(r)}, {fls(fl)})  /* 2^64 - 1 */")
for i, mode in enumerate(RMS):
    emit(f"\n    /* frm = {i} ({mode}): dynamic rounding (rm field 111) uses it */")
    emit(f"    fsrmi {i}")
    cases('dyn', mode)
    emit(f"    frrm a0")
    emit(f"    ICHECK(a0, {i}, {nx()})                    /* frm is not changed by FP instructions */")
# static modes override frm: run with frm = rup (3) / rdn (2)
for fr, mode in [(3, 'rtz'), (2, 'rne'), (4, 'rdn'), (0, 'rup'), (1, 'rmm')]:
    emit(f"\n    /* static rm = {mode} overrides frm = {fr} */")
    emit(f"    fsrmi {fr}")
    cases(mode, mode)
print('\n'.join(out))
print('last', n[0], file=sys.stderr)
