# Compiled patterns shared by many threads: each thread runs match,
# search, findall, sub, split and finditer on one Pattern at the same time
# and checks every result against the one computed before the threads
# started; then threads share one scanner and together must see every
# match exactly once.  Uses only _thread and time (threading may not be
# importable yet).  Exit status 0 = pass; runs the same on python3.11.
import _thread
import sys
import time

sys.path.insert(0, __file__.rpartition('/')[0])
from test_re_support import load_re

re = load_re()

NTHREADS = 8
ROUNDS = 200
failures = []


def run_threads(func, n=NTHREADS, timeout=120.0):
    """Starts n threads running func(index) and waits for all of them."""
    done = [_thread.allocate_lock() for _ in range(n)]
    for lk in done:
        lk.acquire()

    def body(i):
        try:
            func(i)
        except BaseException as e:
            failures.append('thread %d raised %r' % (i, e))
        finally:
            done[i].release()

    for i in range(n):
        _thread.start_new_thread(body, (i,))
    deadline = time.monotonic() + timeout
    for lk in done:
        if not lk.acquire(timeout=max(0.0, deadline - time.monotonic())):
            failures.append('timed out')
            return


WORDS = re.compile(r'(?P<word>[a-z]+)(?:-(\d+))?')
SUBJECTS = ['alpha-1 beta gamma-22 delta' * (k + 1) for k in range(NTHREADS)]
BSUBJECTS = [s.encode() for s in SUBJECTS]
BWORDS = re.compile(rb'([a-z]+)(?:-(\d+))?')


def results(k):
    s = SUBJECTS[k]
    m = WORDS.search(s, 3)
    return (WORDS.match(s).regs, m.groupdict(), WORDS.findall(s),
            WORDS.sub(r'<\g<word>:\2>', s), WORDS.split(s, 3),
            [x.span() for x in WORDS.finditer(s)],
            WORDS.subn(lambda x: x.group(1).upper(), s),
            BWORDS.findall(BSUBJECTS[k]),
            BWORDS.sub(b'_', bytearray(BSUBJECTS[k])),
            re.fullmatch(r'(?:\w+(?:-\d+)? ?)+', s) is not None,
            re.match('(a|b)*', 'ab' * 2000).end())


EXPECTED = [results(k) for k in range(NTHREADS)]


def worker(i):
    for r in range(ROUNDS):
        k = (i + r) % NTHREADS
        got = results(k)
        if got != EXPECTED[k]:
            failures.append('thread %d round %d subject %d: wrong result'
                            % (i, r, k))
            return


run_threads(worker)

# One scanner, many threads: every match seen once, none twice.
TEXT = ' '.join('w%d' % n for n in range(5000))
sc = re.compile(r'w(\d+)').scanner(TEXT)
seen = [[] for _ in range(NTHREADS)]


def consumer(i):
    while True:
        m = sc.search()
        if m is None:
            return
        seen[i].append(int(m.group(1)))


run_threads(consumer)
allseen = sorted(n for part in seen for n in part)
if allseen != list(range(5000)):
    failures.append('scanner: %d matches seen, %d distinct'
                    % (len(allseen), len(set(allseen))))

for f in failures[:10]:
    print('FAIL:', f)
print('ok' if not failures else '%d failures' % len(failures))
sys.exit(1 if failures else 0)
