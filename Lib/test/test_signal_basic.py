# signals: Python handlers, KeyboardInterrupt, interrupted sleep and lock waits
import _signal as signal, _thread, time, os
print(signal.getsignal(signal.SIGINT), signal.SIG_DFL, signal.SIG_IGN, signal.NSIG)
got = []
def h(sig, frame):
    got.append((sig, type(frame).__name__))
old = signal.signal(signal.SIGUSR1, h)
print(old)
os.kill(os.getpid(), signal.SIGUSR1)
for i in range(1000): pass
print(got)
signal.raise_signal(signal.SIGUSR1); print(got[-1])
try:
    signal.raise_signal(signal.SIGINT)
except KeyboardInterrupt:
    print("KeyboardInterrupt")
def alarm(sig, frame): raise RuntimeError("alarm!")
signal.signal(signal.SIGALRM, alarm)
signal.setitimer(signal.ITIMER_REAL, 0.2)
t = time.monotonic()
try:
    time.sleep(5)
except RuntimeError as e:
    print(e, round(time.monotonic() - t, 1))
lock = _thread.allocate_lock(); lock.acquire()
signal.setitimer(signal.ITIMER_REAL, 0.2)
t = time.monotonic()
try:
    lock.acquire()
except RuntimeError as e:
    print('lock', e, round(time.monotonic() - t, 1))
signal.signal(signal.SIGALRM, lambda s, f: got.append('tick'))
signal.setitimer(signal.ITIMER_REAL, 0.2)
print(lock.acquire(timeout=0.5), got[-1])
try:
    _thread.interrupt_main()
    for i in range(100000): pass
except KeyboardInterrupt:
    print("interrupted by interrupt_main")
try: signal.signal(99999, h)
except ValueError as e: print(e)
try: signal.signal(signal.SIGUSR1, 5)
except TypeError as e: print(e)
try: signal.signal(signal.SIGKILL, h)
except OSError as e: print(e)
print(sorted(signal.valid_signals())[:5], signal.strsignal(2), signal.strsignal(signal.SIGRTMIN+1))
def worker():
    try: signal.signal(signal.SIGUSR1, h)
    except ValueError as e: print(e)
    done.release()
done = _thread.allocate_lock(); done.acquire()
_thread.start_new_thread(worker, ())
done.acquire()
