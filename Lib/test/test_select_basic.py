# select.select, poll and epoll on pipes; constants; 3.11's errors.
import os
import select
import threading

print([n for n in dir(select) if not n.startswith('_')])
print(select.error is OSError, select.PIPE_BUF, select.POLLIN, select.POLLOUT,
      select.EPOLLIN, select.EPOLLOUT, select.EPOLLET, select.EPOLL_CLOEXEC)

r, w = os.pipe()


class FD:
    def __init__(self, fd):
        self.fd = fd

    def fileno(self):
        return self.fd


# select.select
print(select.select([r], [], [], 0))
print(select.select([r], [w], [], 0) == ([], [w], []))
os.write(w, b'x')
rl, wl, xl = select.select([r, FD(r)], (w,), [], 1.5)
print(len(rl), rl[0] == r, type(rl[1]).__name__, wl == [w], xl)
print(select.select([], [], [], 0.0), select.select([], [], [], -0.0))
print(select.select(iter([r]), [], [], None) == ([r], [], []))

# poll
p = select.poll()
print(type(p).__name__, p.poll(0))
p.register(r, select.POLLIN)
p.register(FD(w))
res = sorted(p.poll(100))
print(res == sorted([(r, select.POLLIN), (w, select.POLLOUT)]))
p.modify(w, select.POLLIN)
print(p.poll(0) == [(r, select.POLLIN)])
p.unregister(w)
os.read(r, 1)
print(p.poll(1.5), p.poll(None if False else 0), p.poll(-0.0))

# epoll
ep = select.epoll()
print(type(ep).__name__, ep.closed, ep.fileno() >= 0)
ep.register(r, select.EPOLLIN)
ep.register(w, select.EPOLLOUT)
print(ep.poll(0) == [(w, select.EPOLLOUT)])
os.write(w, b'y')
print(sorted(ep.poll(1)) == sorted([(r, select.EPOLLIN), (w, select.EPOLLOUT)]))
print(len(ep.poll(timeout=0, maxevents=1)))
ep.modify(w, select.EPOLLIN)
print(ep.poll(0) == [(r, select.EPOLLIN)])
ep.unregister(w)
ep.close()
ep.close()
print(ep.closed)
with select.epoll() as e2:
    e2.register(r)
    print(e2.poll(0) == [(r, select.EPOLLIN)])
print(e2.closed)
e3 = select.epoll.fromfd(os.dup(r))
print(type(e3).__name__)
e3.close()

# a poll() woken by another thread's write
p2 = select.poll()
r2, w2 = os.pipe()
p2.register(r2, select.POLLIN)
t = threading.Timer(0.05, os.write, (w2, b'z'))
t.start()
print(p2.poll(5000) == [(r2, select.POLLIN)])
t.join()
t = threading.Timer(0.05, os.write, (w2, b'z'))
t.start()
print(select.select([r2], [], [], 5)[0] == [r2])
t.join()

e = select.epoll()
cases = [
    'select.select([], [], [], -1)', 'select.select([-1], [], [], 0)',
    'select.select(["x"], [], [], 0)', 'select.select(1, [], [], 0)',
    'select.select([], [], [], "x")', 'select.select([0] * 2000, [], [], 0)',
    'select.select([], [], [], float("nan"))',
    'select.select([], [], [], 1e100)',
    'p.register(-1)', 'p.modify(99, 1)', 'p.unregister(99)',
    'p.poll("x")', 'p.register(r, 2**40)', 'p.register(r, -1)',
    'p.register(r, 1.5)', 'p.poll(2**80)',
    'select.epoll(-2)', 'select.epoll(sizehint=0)', 'select.epoll(flags=5)',
    'e.register(-1)', 'e.unregister(99)', 'e.modify(99, 1)',
    'e.poll(0, 0)', 'e.poll("x")', 'e.register(r, 1.5)',
    'e.register("x")', 'e.register(r); e.register(r)',
    'ep.fileno()', 'ep.register(r)', 'ep.poll(0)', 'ep.__enter__()',
]
for c in cases:
    try:
        exec(c)
        print(c, 'no error')
    except Exception as ex:
        print(c, type(ex).__name__, ex)
e.close()
for fd in (r, w, r2, w2):
    os.close(fd)

# Two poll() calls on one poll object at once: 3.11's RuntimeError.
p3 = select.poll()
r3, w3 = os.pipe()
p3.register(r3, select.POLLIN)
started = threading.Event()


def waiter():
    started.set()
    p3.poll(5000)


t = threading.Thread(target=waiter)
t.start()
started.wait()
import time
time.sleep(0.1)
try:
    p3.poll(0)
    print('no error')
except RuntimeError as ex:
    print('RuntimeError', ex)
os.write(w3, b'!')
t.join()
print(p3.poll(0) == [(r3, select.POLLIN)])
os.close(r3)
os.close(w3)
