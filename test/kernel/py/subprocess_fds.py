# subprocess: run and Popen with pipes, communicate, timeouts, and pass_fds
# (which descriptors the child keeps: only 0-2 and the passed ones).
import os, subprocess, sys

r = subprocess.run(["sh", "-c", "read x; echo got:$x; echo err >&2; exit 3"], input=b"hello\n", capture_output=True)
assert (r.returncode, r.stdout, r.stderr) == (3, b"got:hello\n", b"err\n"), r
p = subprocess.Popen(["cat"], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
big = b"0123456789abcdef" * 20000  # 320 KB: communicate must interleave write and read
out, err = p.communicate(big)
assert out == big and p.returncode == 0
p = subprocess.Popen(["sleep", "10"])
try:
    p.communicate(timeout=0.5)
    raise AssertionError("no timeout")
except subprocess.TimeoutExpired:
    p.kill()
    p.wait()
assert p.returncode == -9, p.returncode
try:
    subprocess.run(["sleep", "10"], timeout=0.5)
    raise AssertionError("no timeout")
except subprocess.TimeoutExpired:
    pass

# The child probes descriptors with fstat (listing /proc/self/fd would open one more).
LIST = "import os\ndef ok(fd):\n try: os.fstat(fd); return True\n except OSError: return False\nprint(*[fd for fd in range(256) if ok(fd)])"
def child_fds(**kw):
    out = subprocess.run([sys.executable, "-c", LIST], stdout=subprocess.PIPE, **kw).stdout.decode().split()
    return [int(x) for x in out]

# test_subprocess test_pass_fds: open many descriptors, pass some of them.
fds = []
for _ in range(9):
    rr, ww = os.pipe()
    fds += [rr, ww]
for fd in fds:
    os.set_inheritable(fd, True)
for keep in (fds[:1], fds[3:5], fds[-1:], fds[::3], []):
    got = child_fds(pass_fds=keep, close_fds=True)
    assert got == [0, 1, 2] + sorted(keep), (keep, got)
# CPython's test_subprocess test_pass_fds: each descriptor passed alone, the
# others closed; and pass_fds with close_fds=False (overridden, with a warning).
import warnings
for fd in fds:
    got = child_fds(pass_fds=(fd,), close_fds=True)
    assert fd in got and not set(got) & (set(fds) - {fd}), (fd, got)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter("always")
        assert subprocess.call([sys.executable, "-c", "pass"], close_fds=False, pass_fds=(fd,)) == 0
    assert any("overriding close_fds" in str(x.message) for x in w), [str(x.message) for x in w]
# close_fds=False: every inheritable descriptor stays.
def inheritable():
    out = []
    for fd in range(3, 256):
        try:
            if os.get_inheritable(fd):
                out.append(fd)
        except OSError:
            pass
    return out
# (Descriptors the parent itself inherited count too, hence inheritable().)
got = child_fds(close_fds=False)
assert got == [0, 1, 2] + inheritable(), (got, fds)
# Non-inheritable ones are closed at exec even without close_fds.
for fd in fds[1::2]:
    os.set_inheritable(fd, False)
got = child_fds(close_fds=False)
assert got == [0, 1, 2] + inheritable() and not set(got) & set(fds[1::2]), (got, fds)
# A passed descriptor works in the child.
rr, ww = os.pipe()
subprocess.run([sys.executable, "-c", "import os,sys; os.write(int(sys.argv[1]), b'via-fd\\n')", str(ww)], pass_fds=[ww], check=True)
os.close(ww)
assert os.read(rr, 100) == b"via-fd\n"

# The rest of test_subprocess's pass_fds family. A lister that checks only the
# descriptors named on its command line (or 0..255).
STATUS = "import os,sys\nfds=[]\nfor fd in map(int, sys.argv[1:] or range(256)):\n try: os.fstat(fd); fds.append(fd)\n except OSError: pass\nprint(','.join(map(str, fds)))"
# test_pass_fds_redirected: passed descriptors that are also the child's stdin/stdout/stderr stay open too.
pf = [os.open(os.devnull, os.O_RDWR) for _ in range(2)]
r2, w2 = os.pipe()
pf.insert(1, w2)
with subprocess.Popen([sys.executable, "-c", STATUS], stdin=pf[0], stdout=pf[1], stderr=pf[2], close_fds=True, pass_fds=pf):
    out = os.read(r2, 1024)
got = {int(x) for x in out.split(b",")}
assert got == {0, 1, 2} | set(pf), (got, pf)
for fd in pf + [r2]:
    os.close(fd)
# test_pass_fds_inheritable: a non-inheritable passed descriptor is made inheritable in the child only.
inh, non = os.pipe()
os.set_inheritable(inh, True)
os.set_inheritable(non, False)
out = subprocess.run([sys.executable, "-c", STATUS, str(inh), str(non)], stdout=subprocess.PIPE, close_fds=True, pass_fds=(inh, non)).stdout
assert set(map(int, out.split(b","))) == {inh, non}, out
assert os.get_inheritable(inh) and not os.get_inheritable(non)
os.close(inh); os.close(non)
# test_close_fds_when_max_fd_is_lowered: descriptors above a lowered RLIMIT_NOFILE are closed too.
import resource
high = [os.open(os.devnull, os.O_RDONLY) for _ in range(40)]
for fd in high[:14]:
    os.close(fd)
high = high[14:]
for fd in high:
    os.set_inheritable(fd, True)
cur, mx = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (min(high) + 2, mx))
try:
    inner = f"import subprocess, sys; subprocess.Popen([sys.executable, '-c', {STATUS!r}] + [str(x) for x in range({max(high) + 1})], close_fds=True).wait()"
    out = subprocess.run([sys.executable, "-c", inner], stdout=subprocess.PIPE, close_fds=False).stdout
finally:
    resource.setrlimit(resource.RLIMIT_NOFILE, (cur, mx))
left = set(map(int, out.split(b",")))
assert left == {0, 1, 2}, (left, high)
for fd in high:
    os.close(fd)
print("OK subprocess_fds")
