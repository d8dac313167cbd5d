# Exact IEEE 754 binary32/binary64 model (RISC-V F/D semantics), written from
# the specifications: exact rational arithmetic, then one rounding step.
# RISC-V specifics: canonical NaN results, tininess detected after rounding,
# fmin/fmax are IEEE 754-2019 minimumNumber/maximumNumber with -0 < +0,
# invalid fma (inf*0) sets NV even with a quiet-NaN addend, fcvt to integer
# saturates and raises NV (not NX) when out of range.
from fractions import Fraction as Fr
import math

NX, UF, OF, DZ, NV = 1, 2, 4, 8, 16


class Fmt:
    def __init__(self, e, m):
        self.e, self.m = e, m
        self.n = 1 + e + m
        self.bias = (1 << (e - 1)) - 1
        self.emin = 1 - self.bias
        self.emax = self.bias
        self.cnan = ((1 << e) - 1) << m | (1 << (m - 1))
        self.maxf = Fr(2) ** self.emax * (2 - Fr(2) ** -m)


S = Fmt(8, 23)
D = Fmt(11, 52)
RMS = ['rne', 'rtz', 'rdn', 'rup', 'rmm']


def decode(bits, f):
    sign = bits >> (f.n - 1) & 1
    ex = bits >> f.m & ((1 << f.e) - 1)
    fr = bits & ((1 << f.m) - 1)
    if ex == (1 << f.e) - 1:
        if fr == 0:
            return ('inf', sign)
        return ('nan', sign, not (fr >> (f.m - 1)))   # (.., is_snan)
    if ex == 0:
        if fr == 0:
            return ('zero', sign)
        return ('fin', sign, Fr(fr) * Fr(2) ** (f.emin - f.m))
    return ('fin', sign, Fr(fr + (1 << f.m)) * Fr(2) ** (ex - f.bias - f.m))


def is_snan(d): return d[0] == 'nan' and d[2]


def flog2(x):
    e = x.numerator.bit_length() - x.denominator.bit_length()
    while Fr(2) ** e > x:
        e -= 1
    while Fr(2) ** (e + 1) <= x:
        e += 1
    return e


def round_int(q, sign, rm):
    """round the non-negative rational q to an integer; returns (n, inexact)"""
    n = math.floor(q)
    r = q - n
    if rm == 'rne':
        up = r > Fr(1, 2) or (r == Fr(1, 2) and n & 1)
    elif rm == 'rtz':
        up = False
    elif rm == 'rdn':
        up = sign and r > 0
    elif rm == 'rup':
        up = (not sign) and r > 0
    elif rm == 'rmm':
        up = r >= Fr(1, 2)
    else:
        raise ValueError(rm)
    return n + (1 if up else 0), r != 0


def enc_zero(sign, f): return sign << (f.n - 1)
def enc_inf(sign, f): return sign << (f.n - 1) | ((1 << f.e) - 1) << f.m


def encode(sign, v, f):
    if v == 0:
        return enc_zero(sign, f)
    if v < Fr(2) ** f.emin:
        fr = v / Fr(2) ** (f.emin - f.m)
        assert fr.denominator == 1
        return sign << (f.n - 1) | int(fr)
    E = flog2(v)
    fr = v / Fr(2) ** (E - f.m) - (1 << f.m)
    assert fr.denominator == 1 and 0 <= fr < (1 << f.m)
    return sign << (f.n - 1) | (E + f.bias) << f.m | int(fr)


def round_frac(sign, x, f, rm):
    """round the exact positive rational x (with sign) to format f"""
    assert x > 0
    E = flog2(x)
    qu = Fr(2) ** (E - f.m)
    nu, _ = round_int(x / qu, sign, rm)
    vu = nu * qu                        # unbounded exponent range
    tiny = vu < Fr(2) ** f.emin
    q = Fr(2) ** (f.emin - f.m) if E < f.emin else qu
    n, inexact = round_int(x / q, sign, rm)
    v = n * q
    flags = NX if inexact else 0
    if v > f.maxf:
        flags = OF | NX
        to_inf = rm in ('rne', 'rmm') or (rm == 'rup' and not sign) or (rm == 'rdn' and sign)
        return (enc_inf(sign, f) if to_inf else sign << (f.n - 1) | encode(0, f.maxf, f)), flags
    if tiny and inexact:
        flags |= UF
    return encode(sign, v, f), flags


def val(d):
    return Fr(0) if d[0] == 'zero' else (-d[2] if d[1] else d[2])


def result_exact(s, zsign, f, rm):
    """s: exact signed rational result; zsign: sign to use if s == 0"""
    if s == 0:
        return enc_zero(zsign, f), 0
    return round_frac(1 if s < 0 else 0, abs(s), f, rm)


def nan_result(f, *ds):
    return f.cnan, (NV if any(is_snan(d) for d in ds) else 0)


def add(a, b, f, rm, sub=False):
    da, db = decode(a, f), decode(b, f)
    if da[0] == 'nan' or db[0] == 'nan':
        return nan_result(f, da, db)
    sb = db[1] ^ (1 if sub else 0)
    if da[0] == 'inf' or db[0] == 'inf':
        if da[0] == 'inf' and db[0] == 'inf' and da[1] != sb:
            return f.cnan, NV
        return enc_inf(da[1] if da[0] == 'inf' else sb, f), 0
    vb = val(db) * (-1 if sub else 1)
    s = val(da) + vb
    if da[0] == 'zero' and db[0] == 'zero' and da[1] == sb:
        zs = da[1]
    else:
        zs = 1 if rm == 'rdn' else 0
    return result_exact(s, zs, f, rm)


def mul(a, b, f, rm):
    da, db = decode(a, f), decode(b, f)
    if da[0] == 'nan' or db[0] == 'nan':
        return nan_result(f, da, db)
    sg = da[1] ^ db[1]
    if da[0] == 'inf' or db[0] == 'inf':
        if da[0] == 'zero' or db[0] == 'zero':
            return f.cnan, NV
        return enc_inf(sg, f), 0
    return result_exact(val(da) * val(db), sg, f, rm)


def div(a, b, f, rm):
    da, db = decode(a, f), decode(b, f)
    if da[0] == 'nan' or db[0] == 'nan':
        return nan_result(f, da, db)
    sg = da[1] ^ db[1]
    if da[0] == 'inf':
        if db[0] == 'inf':
            return f.cnan, NV
        return enc_inf(sg, f), 0
    if db[0] == 'inf':
        return enc_zero(sg, f), 0
    if db[0] == 'zero':
        if da[0] == 'zero':
            return f.cnan, NV
        return enc_inf(sg, f), DZ
    return result_exact(val(da) / val(db), sg, f, rm)


def sqrt(a, f, rm):
    da = decode(a, f)
    if da[0] == 'nan':
        return nan_result(f, da)
    if da[0] == 'zero':
        return a, 0
    if da[1]:
        return f.cnan, NV
    if da[0] == 'inf':
        return a, 0
    x = da[2]
    E = flog2(x) // 2
    q = Fr(2) ** (E - f.m)
    y = x / (q * q)                 # sqrt(x)/q = sqrt(y), in [2^m, 2^(m+1))
    n = math.isqrt(math.floor(y))
    if n * n == y:
        rem = Fr(0)
    else:
        h = (Fr(2 * n + 1, 2)) ** 2
        rem = Fr(1, 4) if y < h else (Fr(1, 2) if y == h else Fr(3, 4))
    return round_frac(0, (n + rem) * q, f, rm)


def fma(a, b, c, f, rm, negp=False, negc=False):
    da, db, dc = decode(a, f), decode(b, f), decode(c, f)
    inv = (da[0] == 'inf' and db[0] == 'zero') or (da[0] == 'zero' and db[0] == 'inf')
    if inv:
        return f.cnan, NV
    if 'nan' in (da[0], db[0], dc[0]):
        return nan_result(f, da, db, dc)
    ps = da[1] ^ db[1] ^ (1 if negp else 0)
    cs = dc[1] ^ (1 if negc else 0)
    if da[0] == 'inf' or db[0] == 'inf':
        if dc[0] == 'inf' and cs != ps:
            return f.cnan, NV
        return enc_inf(ps, f), 0
    if dc[0] == 'inf':
        return enc_inf(cs, f), 0
    p = val(da) * val(db) * (-1 if negp else 1)
    cv = val(dc) * (-1 if negc else 1)
    s = p + cv
    if p == 0 and dc[0] == 'zero' and ps == cs:
        zs = ps
    else:
        zs = 1 if rm == 'rdn' else 0
    return result_exact(s, zs, f, rm)


def fmsub(a, b, c, f, rm): return fma(a, b, c, f, rm, False, True)
def fnmsub(a, b, c, f, rm): return fma(a, b, c, f, rm, True, False)
def fnmadd(a, b, c, f, rm): return fma(a, b, c, f, rm, True, True)


def fminmax(a, b, f, is_max):
    da, db = decode(a, f), decode(b, f)
    fl = NV if is_snan(da) or is_snan(db) else 0
    if da[0] == 'nan' and db[0] == 'nan':
        return f.cnan, fl
    if da[0] == 'nan':
        return b, fl
    if db[0] == 'nan':
        return a, fl
    def key(d, bits):
        if d[0] == 'inf':
            return (-1 if d[1] else 1) * Fr(10) ** 400, 0
        return val(d), (-1 if d[1] else 1)    # -0 < +0
    ka, kb = key(da, a), key(db, b)
    if is_max:
        return (a if ka >= kb else b), fl
    return (a if ka <= kb else b), fl


def cmp(a, b, f, op):
    da, db = decode(a, f), decode(b, f)
    if da[0] == 'nan' or db[0] == 'nan':
        if op == 'feq':
            return 0, (NV if is_snan(da) or is_snan(db) else 0)
        return 0, NV
    def v(d):
        if d[0] == 'inf':
            return (-1 if d[1] else 1) * Fr(10) ** 400
        return val(d)
    x, y = v(da), v(db)
    return int({'feq': x == y, 'flt': x < y, 'fle': x <= y}[op]), 0


def fclass(a, f):
    d = decode(a, f)
    if d[0] == 'nan':
        return 1 << (8 if d[2] else 9)
    neg = d[1]
    if d[0] == 'inf':
        return 1 << (0 if neg else 7)
    if d[0] == 'zero':
        return 1 << (3 if neg else 4)
    sub = (a >> f.m & ((1 << f.e) - 1)) == 0
    if neg:
        return 1 << (2 if sub else 1)
    return 1 << (5 if sub else 6)


def f2i(a, f, rm, width, signed):
    d = decode(a, f)
    lo = -(1 << (width - 1)) if signed else 0
    hi = (1 << (width - 1)) - 1 if signed else (1 << width) - 1
    if d[0] == 'nan':
        r, fl = hi, NV
    elif d[0] == 'inf':
        r, fl = (lo if d[1] else hi), NV
    elif d[0] == 'zero':
        r, fl = 0, 0
    else:
        n, inexact = round_int(d[2], d[1], rm)
        n = -n if d[1] else n
        if n < lo or n > hi:
            r, fl = (lo if d[1] else hi), NV
        else:
            r, fl = n, (NX if inexact else 0)
    r &= (1 << width) - 1
    if width == 32 and r >> 31:          # 32-bit results are sign-extended
        r |= 0xffffffff00000000
    return r, fl


def i2f(x, f, rm, width, signed):
    x &= (1 << width) - 1
    if signed and x >> (width - 1):
        x -= 1 << width
    return result_exact(Fr(x), 0, f, rm)


def f2f(a, fa, fb, rm):
    d = decode(a, fa)
    if d[0] == 'nan':
        return nan_result(fb, d)
    if d[0] == 'inf':
        return enc_inf(d[1], fb), 0
    if d[0] == 'zero':
        return enc_zero(d[1], fb), 0
    return round_frac(d[1], d[2], fb, rm)


def tofloat_bits(x, f):
    """bits of the Python float / rational x exactly representable in f"""
    import struct
    if f is D:
        return struct.unpack('<Q', struct.pack('<d', x))[0]
    return struct.unpack('<I', struct.pack('<f', x))[0]
