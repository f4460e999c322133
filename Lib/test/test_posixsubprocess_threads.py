# fork_exec from several threads at once, half with a preexec_fn (the
# stop-the-world fork path), while other threads allocate: every child
# must exec and report nothing on the errpipe; no deadlock, no crash.
import os
import threading
import _posixsubprocess

def spawn(pre):
    c2pread, c2pwrite = os.pipe()
    er, ew = os.pipe()
    _posixsubprocess.fork_exec(['/bin/echo', 'x'], (b'/bin/echo',), True, (ew,), None, None,
        -1, -1, c2pread, c2pwrite, -1, -1, er, ew, True, False, -1, None, None, None, -1, pre, False)
    os.close(c2pwrite); os.close(ew)
    e = os.read(er, 100); os.close(er)
    out = b''
    while True:
        p = os.read(c2pread, 100)
        if not p: break
        out += p
    os.close(c2pread)
    return out, e
stop = False
shared = []
def churn():
    while not stop:
        shared.append([i for i in range(50)])
        if len(shared) > 100: shared.clear()
results = []
def worker(n):
    for i in range(20):
        results.append(spawn((lambda: None) if i % 2 else None))
ch = [threading.Thread(target=churn) for _ in range(2)]
for t in ch: t.start()
ws = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
for t in ws: t.start()
for t in ws: t.join()
stop = True
for t in ch: t.join()
print(len(results), all(r == (b'x\n', b'') for r in results))
