#!/usr/bin/env python3
"""Mutation check (a test of the tests): for every check in a .S file, flip
its expected value (and, for FP checks, separately its expected fflags) and
verify that the program then fails with exactly that check's code.

usage: mutate.py FILE.S [extra qemu args]    (J=jobs, RUNNER=tsix to use tsix)
"""
import re, sys, subprocess, os, tempfile, concurrent.futures as cf
R = os.path.abspath(os.path.join(os.path.dirname(__file__), '../../../..'))
TMP = os.path.join(tempfile.gettempdir(), 'isa-mutate')
IDX = {  # macro -> (index of code arg, index of expected arg)
 'ICHECK': (2, 1), 'T_RR': (0, 4), 'T_RI': (0, 4),
 'T_S2': (0, 5), 'T_D2': (0, 5), 'T_S3': (0, 6), 'T_D3': (0, 6), 'T_S1': (0, 4), 'T_D1': (0, 4),
 'T_S2N': (0, 4), 'T_D2N': (0, 4), 'T_S2X': (0, 4), 'T_D2X': (0, 4), 'T_S1X': (0, 4), 'T_D1X': (0, 4),
 'T_XS': (0, 4), 'T_XD': (0, 4), 'T_XDE': (0, 3), 'T_DS': (0, 3), 'T_S1C': (0, 3), 'T_D1C': (0, 3),
 'FCHECK_S': (3, 1), 'FCHECK_D': (3, 1), 'FCHECK_RAW': (3, 1), 'XCHECK': (3, 1),
 'CHECK_TRAPPED': (1, 0), 'T_BR': (0, 4), 'T_LD': (0, 3), 'T_AMO': (0, 6), 'T_ST': (0, 4), 'CHECK': (2, 1),
}
FLAGIDX = {'T_S2': 6, 'T_D2': 6, 'T_S3': 7, 'T_D3': 7, 'T_S1': 5, 'T_D1': 5, 'T_S2N': 5, 'T_D2N': 5,
 'T_S2X': 5, 'T_D2X': 5, 'T_S1X': 5, 'T_D1X': 5, 'T_XS': 5, 'T_XD': 5, 'T_XDE': 4, 'T_DS': 4, 'FCHECK_S': 2, 'FCHECK_D': 2, 'FCHECK_RAW': 2, 'XCHECK': 2}
pat = re.compile(r'\b(' + '|'.join(sorted(IDX, key=len, reverse=True)) + r')\(([^()]*(?:\([^()]*\)[^()]*)*)\)')
def split_args(s):
    out, depth, cur = [], 0, ''
    for ch in s:
        if ch == ',' and depth == 0: out.append(cur); cur = ''; continue
        depth += ch == '('; depth -= ch == ')'; cur += ch
    out.append(cur); return out
def build_run(text, tag, extra):
    d = tempfile.mkdtemp(dir=TMP)
    src = os.path.join(d, 'm.S'); open(src, 'w').write(text)
    elf = os.path.join(d, 'm.elf')
    r = subprocess.run(['riscv64-linux-gnu-gcc', '-march=rv64gc', '-mabi=lp64d', '-mcmodel=medany', '-nostdlib', '-nostartfiles', '-static', '-ffreestanding', '-fno-pic', '-no-pie', '-O1', '-I', R + '/test/hw/common', '-I', R + '/test/hw/isa', '-T', R + '/test/hw/common/link.ld', '-Wl,-z,norelro', '-Wl,--build-id=none', '-Wl,--no-warn-rwx-segments', '-o', elf, src], capture_output=True, text=True)
    if r.returncode: return 'build failed: ' + r.stderr.replace(chr(10),' ')[:200]
    if os.environ.get('RUNNER') == 'tsix':
        r = subprocess.run(['timeout', '60', 'node', R + '/bin/tsix.js', 'machine', '--bare', elf], capture_output=True, text=True)
        subprocess.run(['rm', '-rf', d])
        return r.returncode
    r = subprocess.run(['timeout', '20', 'qemu-system-riscv64', '-M', 'virt', '-bios', 'none', '-nographic', '-monitor', 'none', '-serial', 'stdio', '-m', '128M'] + extra + ['-kernel', elf], capture_output=True, text=True)
    subprocess.run(['rm', '-rf', d])
    return r.returncode
def main():
    os.makedirs(TMP, exist_ok=True)
    f = sys.argv[1]; extra = sys.argv[2:]
    text = open(f).read()
    muts = []
    codes = []
    for m in pat.finditer(text):
        name, args = m.group(1), split_args(m.group(2))
        ci, ei = IDX[name]
        try: code = int(args[ci].strip(), 0)
        except ValueError: continue   # macro definitions etc.
        codes.append(code)
        new = list(args); new[ei] = ' ((' + args[ei].strip() + ') ^ 1)'
        if name == 'CHECK_TRAPPED': new[ei] = ' ((' + args[ei].strip() + ') ^ 0x10)'
        muts.append((code, text[:m.start()] + name + '(' + ','.join(new) + ')' + text[m.end():]))
        if name in ('T_ST', 'T_AMO'):
            code2 = int(args[1].strip(), 0); codes.append(code2)
            k = 5 if name == 'T_ST' else 7
            new = list(args); new[k] = ' ((' + args[k].strip() + ') ^ 1)'
            muts.append((code2, text[:m.start()] + name + '(' + ','.join(new) + ')' + text[m.end():]))
        if name in FLAGIDX:
            fi = FLAGIDX[name]; new = list(args); new[fi] = ' ((' + args[fi].strip() + ') ^ 1)'
            muts.append((code, text[:m.start()] + name + '(' + ','.join(new) + ')' + text[m.end():]))
    dup = sorted({c for c in codes if codes.count(c) > 1})
    print(f'{f}: {len(codes)} checks, max code {max(codes)}, duplicates {dup}, out of range {[c for c in codes if not 1 <= c <= 239]}')
    st0 = build_run(text, 0, extra)
    print('  unmodified program: status', st0)
    if st0 != 0: return
    bad = 0
    with cf.ThreadPoolExecutor(int(os.environ.get('J', '8'))) as ex:
        for (code, t), st in zip(muts, ex.map(lambda mt: build_run(mt[1], mt[0], extra), muts)):
            if st != code:
                bad += 1; print(f'  mutation of check {code}: status {st}')
    print(f'  {len(muts)} mutations, {bad} not detected with the right code')
main()
