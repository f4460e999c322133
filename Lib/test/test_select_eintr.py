# PEP 475: a signal during select/poll/epoll runs the handler and the wait
# resumes for the time left; a handler that raises interrupts the wait.
import os
import select
import signal
import time

if not hasattr(signal, 'setitimer'):
    print('SKIP: signal.setitimer not available')
    raise SystemExit(0)

r, w = os.pipe()
got = []
signal.signal(signal.SIGALRM, lambda *a: got.append(1))


def poll_once(timeout_ms):
    p = select.poll()
    p.register(r)
    return p.poll(timeout_ms)


def epoll_once(timeout):
    with select.epoll() as e:
        e.register(r)
        return e.poll(timeout)


for name, fn in [('select', lambda: select.select([r], [], [], 0.6)),
                 ('poll', lambda: poll_once(600)),
                 ('epoll', lambda: epoll_once(0.6))]:
    got.clear()
    signal.setitimer(signal.ITIMER_REAL, 0.2)
    t = time.monotonic()
    res = fn()
    elapsed = time.monotonic() - t
    print(name, res, got, elapsed >= 0.55)


def boom(*a):
    raise KeyboardInterrupt


signal.signal(signal.SIGALRM, boom)
signal.setitimer(signal.ITIMER_REAL, 0.2)
t = time.monotonic()
try:
    select.select([r], [], [], 30)
except KeyboardInterrupt:
    print('interrupted', time.monotonic() - t < 20)
signal.signal(signal.SIGALRM, signal.SIG_DFL)
