"""Cross-validation of fpmodel.py against the host's IEEE 754 hardware
(x86-64 SSE/FMA through C fenv) on random operands in the four IEEE rounding
modes: add, sub, mul, div, sqrt and the four fused multiply-adds, results and
exception flags.  Known difference: for inf*0 + qNaN x86 does not raise
invalid, RISC-V requires NV (fpmodel follows RISC-V).

usage: python3 xval.py [seed] [cases per op and format]
"""
import os, random, subprocess, sys, tempfile
from fpmodel import *

def host_tool(name):
    """compile gen/<name>.c for the host (once) and return the binary path"""
    here = os.path.dirname(os.path.abspath(__file__))
    exe = os.path.join(tempfile.gettempdir(), 'isa-' + name)
    src = os.path.join(here, name + '.c')
    if not os.path.exists(exe) or os.path.getmtime(exe) < os.path.getmtime(src):
        subprocess.run(['gcc', '-O1', '-mfma', '-frounding-math', '-o', exe, src, '-lm'], check=True)
    return exe
random.seed(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
def rnd(f):
    k = random.random()
    sign = random.getrandbits(1)
    if k < 0.08: return random.choice([0, enc_inf(0,f), f.cnan, 1, (1<<f.m)-1, 1<<f.m, encode(0,f.maxf,f), encode(0,Fr(1),f), enc_zero(1,f) ^ 0, (((1<<f.e)-1)<<f.m)|1]) | (sign << (f.n-1))
    if k < 0.25: ex = random.choice([0, 1, 2, (1<<f.e)-2, (1<<f.e)-3, f.bias, f.bias-1, f.bias+1])
    elif k < 0.4: ex = random.randint(0, f.m + 3)
    else: ex = random.randint(1, (1<<f.e)-2)
    if random.random() < 0.3:
        fr = random.choice([0, 1, (1<<f.m)-1, 1<<(f.m-1), (1<<(f.m-1))+1, random.getrandbits(4), ((1<<f.m)-1) ^ random.getrandbits(4)])
    else:
        fr = random.getrandbits(f.m)
    return sign << (f.n-1) | ex << f.m | fr
def near(a, f):
    # a value with exponent close to a's for cancellation / halfway cases
    ex = (a >> f.m) & ((1<<f.e)-1)
    ex = max(0, min((1<<f.e)-2, ex + random.randint(-f.m-2, 3)))
    return random.getrandbits(1) << (f.n-1) | ex << f.m | random.getrandbits(f.m)
def main():
    cases = []
    ops = {'add': lambda a,b,c,f,rm: add(a,b,f,rm), 'sub': lambda a,b,c,f,rm: add(a,b,f,rm,True),
           'mul': lambda a,b,c,f,rm: mul(a,b,f,rm), 'div': lambda a,b,c,f,rm: div(a,b,f,rm),
           'sqrt': lambda a,b,c,f,rm: sqrt(a,f,rm), 'fma': lambda a,b,c,f,rm: fma(a,b,c,f,rm),
           'fmsub': lambda a,b,c,f,rm: fmsub(a,b,c,f,rm), 'fnmsub': lambda a,b,c,f,rm: fnmsub(a,b,c,f,rm),
           'fnmadd': lambda a,b,c,f,rm: fnmadd(a,b,c,f,rm)}
    N = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
    for op in ops:
        for fn, f in (('s', S), ('d', D)):
            for i in range(N):
                rm = random.choice(['rne','rtz','rdn','rup'])
                a = rnd(f); b = near(a, f) if random.random() < 0.5 else rnd(f); c = rnd(f)
                if op.startswith('f') and random.random() < 0.5:
                    # addend close to -product for cancellation
                    p, _ = mul(a, b, f, 'rtz')
                    c = p ^ (1 << (f.n-1)) ^ random.getrandbits(3)
                if op == 'sqrt' and random.random() < 0.3:
                    p, _ = mul(a, a, f, 'rne'); a = p & ~(1 << (f.n-1))
                cases.append((op, fn, rm, a, b, c))
    inp = ''.join(f"{op} {fn} {rm} {a:x} {b:x} {c:x}\n" for op, fn, rm, a, b, c in cases)
    out = subprocess.run([host_tool('hostfp')], input=inp, capture_output=True, text=True).stdout.split('\n')
    bad = 0
    for (op, fn, rm, a, b, c), line in zip(cases, out):
        f = S if fn == 's' else D
        r, fl = ops[op](a, b, c, f, rm)
        hr, hfl = line.split(); hr = int(hr, 16); hfl = int(hfl)
        isnan = lambda x: decode(x, f)[0] == 'nan'
        if (r != hr and not (isnan(r) and isnan(hr))) or fl != hfl:
            bad += 1
            if bad < 15: print('MISMATCH', op, fn, rm, hex(a), hex(b), hex(c), 'model', hex(r), fl, 'host', hex(hr), hfl)
    print(len(cases), 'cases', bad, 'mismatches')
    
if __name__ == "__main__":
    main()
