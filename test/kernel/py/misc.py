# shutil.copy2 (data, mode, times, user.* xattrs), os.sched_getaffinity, and the
# CPU-time clock of a thread from pthread_getcpuclockid.
import os, shutil, tempfile, threading, time

d = tempfile.mkdtemp()
src, dst = os.path.join(d, "a"), os.path.join(d, "b")
with open(src, "wb") as f:
    f.write(b"data" * 1000)
os.chmod(src, 0o640)
os.utime(src, ns=(1_000_000_000_123_456_789, 1_100_000_000_987_654_321))
os.setxattr(src, "user.tag", b"v1")
shutil.copy2(src, dst)
a, b = os.stat(src), os.stat(dst)
assert open(dst, "rb").read() == b"data" * 1000
assert oct(b.st_mode & 0o777) == "0o640"
assert b.st_mtime_ns == a.st_mtime_ns == 1_100_000_000_987_654_321, (a.st_mtime_ns, b.st_mtime_ns)
assert os.getxattr(dst, "user.tag") == b"v1"
shutil.rmtree(d)

cpus = os.sched_getaffinity(0)
assert cpus == set(range(os.cpu_count())), (cpus, os.cpu_count())
os.sched_setaffinity(0, {0})
assert os.sched_getaffinity(0) == {0}
os.sched_setaffinity(0, cpus)

cid = time.pthread_getcpuclockid(threading.get_ident())
t0 = time.clock_gettime(cid)
x = 0
for i in range(200000):
    x += i
t1 = time.clock_gettime(cid)
assert 0 < t0 < t1, (t0, t1)
# A sleeping thread's own clock barely moves while ours is measured.
box = {}
def sleeper():
    box["id"] = time.pthread_getcpuclockid(threading.get_ident())
    time.sleep(0.5)
th = threading.Thread(target=sleeper); th.start()
while "id" not in box:
    time.sleep(0.01)
s0 = time.clock_gettime(box["id"])
time.sleep(0.2)
s1 = time.clock_gettime(box["id"])
assert s1 - s0 < 0.05, (s0, s1)
th.join()
print("OK misc")
