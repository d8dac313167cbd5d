from fpmodel import *
def mk(f, sign, exp_unbiased, mant):
    """sign, unbiased exponent (None = subnormal/zero), mantissa field"""
    ex = 0 if exp_unbiased is None else exp_unbiased + f.bias
    return sign << (f.n - 1) | ex << f.m | mant
def V(f):
    m = f.m
    v = dict(
        ONE=mk(f,0,0,0), TWO=mk(f,0,1,0), HALF=mk(f,0,-1,0), THREE=mk(f,0,1,1<<(m-1)), FOUR=mk(f,0,2,0),
        NONE=mk(f,1,0,0), NTWO=mk(f,1,1,0), NHALF=mk(f,1,-1,0), NTHREE=mk(f,1,1,1<<(m-1)),
        ONEP=mk(f,0,0,1), ONEPP=mk(f,0,0,2), ONEM=mk(f,0,-1,(1<<m)-1), ONEMM=mk(f,0,-1,(1<<m)-2),
        NONEP=mk(f,1,0,1),
        # ulp(1) = 2^-m ; half ulp = 2^-(m+1); quarter ulp
        HULP=mk(f,0,-(m+1),0), NHULP=mk(f,1,-(m+1),0), QULP=mk(f,0,-(m+2),0), TQULP=mk(f,0,-(m+1),1<<(m-1)),
        ULP=mk(f,0,-m,0),
        MAX=mk(f,0,f.emax,(1<<m)-1), NMAX=mk(f,1,f.emax,(1<<m)-1), MAXM=mk(f,0,f.emax,(1<<m)-2),
        BIG=mk(f,0,f.emax,0), NBIG=mk(f,1,f.emax,0),
        MINN=mk(f,0,f.emin,0), NMINN=mk(f,1,f.emin,0), MINNP=mk(f,0,f.emin,1),
        MAXSUB=mk(f,0,None,(1<<m)-1), MINSUB=mk(f,0,None,1), NMINSUB=mk(f,1,None,1), SUB3=mk(f,0,None,3),
        HALFSUB=mk(f,0,None,1<<(m-1)),
        ZERO=0, NZERO=1<<(f.n-1),
        INF=enc_inf(0,f), NINF=enc_inf(1,f),
        QNAN=f.cnan, NQNAN=f.cnan | 1<<(f.n-1), QNANP=f.cnan | 0x12345, SNAN=enc_inf(0,f)|1, NSNAN=enc_inf(1,f)|0x5, SNANP=enc_inf(0,f)|0x2a,
        TINY=mk(f,0,-(f.bias//2)-3,1),   # ~sqrt(min normal)/8 * (1+ulp): squares underflow inexactly
        MINNM=mk(f,0,-1,(1<<m)-2),       # 1 - 2^-(m) (for the mul below)
    )
    # specific values used by the tests
    v['THIRD_NUM'] = v['ONE']
    v['TEN'] = mk(f,0,3,1<<(m-2))
    v['SEVEN'] = mk(f,0,2,3<<(m-2))
    v['PI'] = 0x40490fdb if f is S else 0x400921fb54442d18
    v['E'] = 0x402df854 if f is S else 0x4005bf0a8b145769
    return v
def name_of(f, bits, v):
    for k, x in v.items():
        if x == bits and not k.startswith('THIRD'): return k
    return None
