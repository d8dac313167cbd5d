# socket.socketpair(): an echo over an AF_UNIX stream pair, from a thread and
# from a forked child; a datagram pair keeps message boundaries.
import os, socket, threading

a, b = socket.socketpair()
assert a.family == socket.AF_UNIX and a.type == socket.SOCK_STREAM

def echo(s):
    while True:
        d = s.recv(4096)
        if not d:
            break
        s.sendall(d)
    s.close()

t = threading.Thread(target=echo, args=(b,))
t.start()
payload = bytes(range(256)) * 400  # 100 KiB, more than one socket buffer
a.sendall(payload[:1000])
got = b""
while len(got) < 1000:
    got += a.recv(4096)
assert got == payload[:1000], got[:40]
# A big message in both directions at once: the sender must not deadlock.
w = threading.Thread(target=a.sendall, args=(payload,))
w.start()
got = b""
while len(got) < len(payload):
    got += a.recv(65536)
w.join()
assert got == payload
a.shutdown(socket.SHUT_WR)
assert a.recv(10) == b""  # the echo thread closed its end after our EOF
t.join()
a.close()

# Forked child on the other end.
p, c = socket.socketpair()
pid = os.fork()
if pid == 0:
    p.close()
    c.sendall(c.recv(100).upper())
    os._exit(0)
c.close()
p.sendall(b"hello from parent")
assert p.recv(100) == b"HELLO FROM PARENT"
assert os.waitpid(pid, 0)[1] == 0

# Datagrams: boundaries kept.
x, y = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
x.send(b"one"); x.send(b"two!")
assert y.recv(100) == b"one" and y.recv(100) == b"two!"
print("OK socketpair_echo")
