# os.openpty and pty.spawn: the slave is a terminal with a name under /dev/pts,
# the line discipline echoes and translates, and pty.spawn relays a child's output.
import os, pty, subprocess, sys, termios, tty

m, s = os.openpty()
assert os.isatty(s) and os.ttyname(s).startswith("/dev/pts/"), os.ttyname(s)
os.write(m, b"abc\n")
assert os.read(s, 100) == b"abc\n"
# Echo (ECHO is on by default) comes back on the master, with \n -> \r\n.
assert os.read(m, 100) == b"abc\r\n"
os.write(s, b"out\n")
assert os.read(m, 100) == b"out\r\n"   # ONLCR
tty.setraw(s)
os.write(s, b"raw\n")
assert os.read(m, 100) == b"raw\n"
os.close(s); os.close(m)

# pty.spawn in a child python, so that its relay has a pipe as stdout we can read.
code = ("import pty,sys; st = pty.spawn([sys.executable, '-c', "
        "'import os,sys; print(\"tty\", os.isatty(0), os.isatty(1), os.ttyname(1).startswith(\"/dev/pts/\")); sys.exit(7)']); "
        "sys.stderr.write('status %d' % st)")
r = subprocess.run([sys.executable, "-c", code], capture_output=True, timeout=60)
assert r.stdout == b"tty True True True\r\n", r
assert r.stderr == b"status %d" % (7 << 8), r
print("OK pty_spawn")
