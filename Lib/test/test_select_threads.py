# One select.poll and one select.epoll object shared by many threads:
# concurrent register/modify/unregister while another thread polls.
# Invariant: no crash, the final registrations are exactly what the
# threads left behind, and concurrent poll() calls on one poll object
# either run or raise 3.11's RuntimeError.
import os
import select
import threading

N = 6
pipes = [os.pipe() for _ in range(N)]
p = select.poll()
ep = select.epoll()
stop = threading.Event()
errors = []


def churn(k):
    r, w = pipes[k]
    for i in range(300):
        p.register(r, select.POLLIN)
        p.modify(r, select.POLLIN | select.POLLPRI)
        ep.register(r, select.EPOLLIN)
        ep.modify(r, select.EPOLLIN | select.EPOLLPRI)
        ep.unregister(r)
        if i != 299:
            p.unregister(r)


def poller():
    while not stop.is_set():
        try:
            p.poll(0)
        except RuntimeError as e:
            if str(e) != 'concurrent poll() invocation':
                errors.append(e)
        ep.poll(0)


pollers = [threading.Thread(target=poller) for _ in range(2)]
for t in pollers:
    t.start()
workers = [threading.Thread(target=churn, args=(k,)) for k in range(N)]
for t in workers:
    t.start()
for t in workers:
    t.join()
stop.set()
for t in pollers:
    t.join()
print(errors)
for r, w in pipes:
    os.write(w, b'.')
ready = sorted(fd for fd, ev in p.poll(1000))
print(ready == sorted(r for r, w in pipes))
print(ep.poll(0))
for r, w in pipes:
    p.unregister(r)
    os.close(r)
    os.close(w)
ep.close()
print(p.poll(0))
