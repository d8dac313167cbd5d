# A TCP echo server and client over loopback, on 127.0.0.1 and on ::1:
# several concurrent clients, ephemeral ports, getpeername, ECONNREFUSED.
import socket, threading

def serve(srv, n):
    def one(conn):
        with conn:
            while True:
                d = conn.recv(4096)
                if not d:
                    return
                conn.sendall(d)
    ts = []
    for _ in range(n):
        conn, _addr = srv.accept()
        t = threading.Thread(target=one, args=(conn,))
        t.start()
        ts.append(t)
    for t in ts:
        t.join()

for family, host in ((socket.AF_INET, "127.0.0.1"), (socket.AF_INET6, "::1")):
    srv = socket.socket(family, socket.SOCK_STREAM)
    srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    srv.bind((host, 0))
    port = srv.getsockname()[1]
    assert port > 0
    srv.listen(8)
    N = 4
    st = threading.Thread(target=serve, args=(srv, N))
    st.start()
    results = {}
    def client(i):
        with socket.create_connection((host, port)) as c:
            c.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            assert c.getpeername()[1] == port
            msg = (f"client {i} ".encode()) * 5000
            c.sendall(msg)
            c.shutdown(socket.SHUT_WR)
            got = b""
            while True:
                d = c.recv(65536)
                if not d:
                    break
                got += d
            results[i] = got == msg
    cs = [threading.Thread(target=client, args=(i,)) for i in range(N)]
    for t in cs: t.start()
    for t in cs: t.join()
    st.join()
    assert results == {i: True for i in range(N)}, results
    srv.close()
    # Nobody listens there any more.
    try:
        socket.create_connection((host, port), timeout=5)
        raise AssertionError("connect to a closed port succeeded")
    except ConnectionRefusedError:
        pass
    print("OK tcp_echo", host)
