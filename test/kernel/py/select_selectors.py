# select.select and selectors (epoll, poll and select flavours) over pipes and
# sockets: readiness, timeouts, EOF.
import os, select, selectors, socket, time

r, w = os.pipe()
a, b = socket.socketpair()
# Nothing ready: the timeout expires.
t0 = time.monotonic()
rl, wl, xl = select.select([r, a], [], [], 0.2)
assert (rl, wl, xl) == ([], [], []), (rl, wl, xl)
assert time.monotonic() - t0 >= 0.15
# Both writable at once.
_, wl, _ = select.select([], [w, b], [], 0)
assert sorted(wl, key=id) == sorted([w, b], key=id)
os.write(w, b"x")
rl, _, _ = select.select([r, a], [], [], 1)
assert rl == [r], rl
b.send(b"y")
rl, _, _ = select.select([r, a], [], [], 1)
assert set(map(id, rl)) == {id(r), id(a)}
assert os.read(r, 1) == b"x" and a.recv(1) == b"y"
os.close(w)
rl, _, _ = select.select([r], [], [], 1)
assert rl == [r] and os.read(r, 1) == b""  # EOF is readable
os.close(r)

kinds = [selectors.SelectSelector, selectors.PollSelector, selectors.EpollSelector, selectors.DefaultSelector]
for kind in kinds:
    sel = kind()
    r, w = os.pipe()
    x, y = socket.socketpair()
    sel.register(r, selectors.EVENT_READ, "pipe")
    sel.register(x, selectors.EVENT_READ, "sock")
    assert sel.select(0.1) == []
    os.write(w, b"abc")
    ev = sel.select(1)
    assert [k.data for k, m in ev] == ["pipe"], ev
    assert os.read(r, 10) == b"abc"
    y.send(b"q")
    ev = sel.select(1)
    assert [k.data for k, m in ev] == ["sock"], ev
    x.recv(1)
    sel.modify(x, selectors.EVENT_WRITE, "sockw")
    ev = sel.select(1)
    assert [(k.data, m) for k, m in ev] == [("sockw", selectors.EVENT_WRITE)], ev
    y.close()
    sel.modify(x, selectors.EVENT_READ, "sock")
    ev = sel.select(1)
    assert [k.data for k, m in ev] == ["sock"] and x.recv(1) == b""
    sel.close(); os.close(r); os.close(w); x.close()
print("OK select_selectors", ",".join(k.__name__ for k in kinds))
