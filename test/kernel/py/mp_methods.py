# multiprocessing with each start method (fork, spawn, forkserver): a Pool's
# map and a Queue between processes.
import multiprocessing as mp, os, sys

def square(x):
    return x * x

def producer(q, n):
    for i in range(n):
        q.put((os.getpid(), i))
    q.put(None)

if __name__ == "__main__":
    methods = sys.argv[1:] or ["fork", "spawn", "forkserver"]
    for method in methods:
        ctx = mp.get_context(method)
        with ctx.Pool(2) as pool:
            assert pool.map(square, range(20)) == [x * x for x in range(20)]
        q = ctx.Queue()
        p = ctx.Process(target=producer, args=(q, 50))
        p.start()
        got = []
        while (item := q.get(timeout=60)) is not None:
            got.append(item)
        p.join(60)
        assert p.exitcode == 0, p.exitcode
        assert [i for _, i in got] == list(range(50))
        assert {pid for pid, _ in got} == {p.pid} and p.pid != os.getpid()
        print("OK mp", method)
