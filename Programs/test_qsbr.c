/* QSBR and delayed frees (Python/qsbr.c, Objects/pymem.c), and the PyMem_*
 * contracts.
 *
 * Invariants checked, each exactly:
 *   1. PyMem: malloc(0) and calloc(0, n) give distinct non-NULL pointers;
 *      realloc(NULL, n) allocates; sizes above PY_SSIZE_T_MAX and
 *      overflowing calloc give NULL and leave the old block intact;
 *      blocks from mi_malloc may be passed to PyMem_Free and
 *      _PyMem_FreeDelayed (in every build, sanitizers included).
 *   2. Grace periods: a block retired while another thread is online and
 *      has not reported is not freed (freed counter unchanged, still
 *      queued); that thread is asked to report (its QSBR bit is set), and
 *      its report wakes the waiting retirer (whose bit is then set) which
 *      frees the block at its next eval-breaker check; likewise when the
 *      holding thread goes offline instead of reporting; a detached thread holds back nothing (100 blocks freed at
 *      the retirer's next safe point); a block left by an exiting thread,
 *      or retired by a thread with no thread state, waits in the
 *      interpreter's queue and another thread frees it.
 *   3. Bytes bound: 4 threads retire 1 KiB blocks for 2 s while a reader
 *      stays attached and reports only every 20 ms; no thread ever holds
 *      more than hard_limit + 1 KiB, the hard wait never times out, and
 *      every retired block is freed by the end.
 *   4. No use after free: writers swap blocks in shared cells and retire
 *      the old ones while readers validate every byte of blocks they hold
 *      until their next report (poisoning on: a freed block reads 0xDB;
 *      under ASan any early free is a heap-use-after-free report).
 *      Meanwhile 20 short-lived threads force the slot array to grow
 *      while it is being polled.  At the end: every retired block freed,
 *      slots reused (50 more threads leave the capacity unchanged).
 * Every phase is bounded in time; run also under TSan and ASan. */
#include "testutil.h"
#include "pycore_qsbr.h"

#include <mimalloc.h>
#include <sched.h>
#include <string.h>
#include <time.h>

#define MS ((PyTime_t)1000000)

static PyInterpreterState *interp;
/* Blocks retired through _PyMem_FreeDelayed by the whole test. */
static uint64_t total_retired;

static void
sleep_ns(PyTime_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000), (long)(ns % 1000000000)};
    while (nanosleep(&ts, &ts) != 0) {
    }
}

static _PyQSBR_Stats
stats(void)
{
    _PyQSBR_Stats s;
    _PyQSBR_GetStats(interp, &s);
    return s;
}

static _PyThreadStateImpl *
current(void)
{
    return (_PyThreadStateImpl *)PyThreadState_Get();
}

static void
retire(void *p, size_t size)
{
    _Py_atomic_add_uint64(&total_retired, 1);
    _PyMem_FreeDelayed(p, size);
}

/* Spins while attached, never reporting: the thread holds back
   reclamation for as long as it waits. */
static void
wait_for(int *flag, int value)
{
    while (_Py_atomic_load_int(flag) != value) {
        sched_yield();
    }
}

/* ------------------------------------------------------- 1. PyMem */

static void
test_pymem_contracts(void)
{
    void *a = PyMem_Malloc(0), *b = PyMem_Malloc(0);
    CHECK(a != NULL && b != NULL && a != b);
    void *c = PyMem_RawMalloc(0), *d = PyMem_RawCalloc(0, 16);
    void *e = PyMem_Calloc(16, 0);
    CHECK(c != NULL && d != NULL && e != NULL && c != d && d != e);
    CHECK(PyMem_Malloc((size_t)PY_SSIZE_T_MAX + 1) == NULL);
    CHECK(PyMem_RawMalloc((size_t)-1) == NULL);
    CHECK(PyMem_Calloc((size_t)1 << 40, (size_t)1 << 40) == NULL);
    CHECK(PyMem_RawCalloc((size_t)PY_SSIZE_T_MAX, 2) == NULL);
    unsigned char *z = PyMem_Calloc(100, 10);
    CHECK(z != NULL);
    for (int i = 0; i < 1000; i++) {
        CHECK(z[i] == 0);
    }
    char *r = PyMem_Realloc(NULL, 10);
    CHECK(r != NULL);
    memcpy(r, "abcdefghi", 10);
    CHECK(PyMem_Realloc(r, (size_t)PY_SSIZE_T_MAX + 1) == NULL);
    CHECK(memcmp(r, "abcdefghi", 10) == 0);
    r = PyMem_RawRealloc(r, 100000);
    CHECK(r != NULL && memcmp(r, "abcdefghi", 10) == 0);
    void *r0 = PyMem_Realloc(r, 0);
    CHECK(r0 != NULL);
    PyMem_Free(NULL);
    PyMem_RawFree(NULL);
    PyMem_Free(a);
    PyMem_Free(b);
    PyMem_RawFree(c);
    PyMem_RawFree(d);
    PyMem_Free(e);
    PyMem_Free(z);
    PyMem_Free(r0);
    /* The object allocator hands memory it took from mimalloc directly
       to PyMem_Free and _PyMem_FreeDelayed (they reroute it when the
       sanitizer builds put PyMem_* on libc). */
    PyMem_Free(mi_malloc(48));
    retire(mi_malloc(4096), 4096);
    _PyMem_ProcessDelayed(current());
    CHECK(current()->qsbr.queue.count == 0);
    printf("pymem: malloc(0)/calloc(0) unique non-NULL, oversize and "
           "overflowing calls NULL, realloc(NULL) allocates, mimalloc "
           "blocks accepted by PyMem_Free and _PyMem_FreeDelayed: ok\n");
}

/* ----------------------------------------------- 2. grace periods */

static int g_phase;
static int g_ack;

static void *
grace_reader(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    _PyThreadStateImpl *ts = current();
    _Py_atomic_store_int(&g_ack, 1);            /* online */
    wait_for(&g_phase, 1);
    /* Our QSBR bit was set by the retirer's poll: report the way the eval
       loop does. */
    CHECK(_Py_atomic_load_uintptr(&ts->eval_breaker) & _PY_EVAL_QSBR_BIT);
    _PyEval_CheckBreaker(&ts->base);
    _Py_atomic_store_int(&g_ack, 2);            /* reported once */
    wait_for(&g_phase, 2);
    PyThreadState *save = PyEval_SaveThread();
    _Py_atomic_store_int(&g_ack, 3);            /* offline */
    wait_for(&g_phase, 3);
    PyEval_RestoreThread(save);
    retire(PyMem_Malloc(777), 777);
    _Py_atomic_store_int(&g_ack, 4);
    wait_for(&g_phase, 4);
    PyGILState_Release(g);                      /* exits with 777 queued */
    return NULL;
}

static void *
stateless_retirer(void *arg)
{
    retire(PyMem_Malloc(555), 555);
    return NULL;
}

static void
test_grace_periods(void)
{
    _PyThreadStateImpl *me = current();
    pthread_t t;
    CHECK(pthread_create(&t, NULL, grace_reader, NULL) == 0);
    wait_for(&g_ack, 1);

    /* The reader is online and has not reported. */
    uint64_t freed0 = stats().freed_items;
    retire(PyMem_Malloc(100), 100);
    _PyMem_ProcessDelayed(me);
    CHECK(stats().freed_items == freed0);
    CHECK(me->qsbr.queue.count == 1);
    _PyMem_ProcessDelayed(me);
    CHECK(stats().freed_items == freed0);

    /* It reports, and its poll wakes us (we are waiting on that goal and
       would not retire again): the block goes at our next check. */
    _Py_atomic_store_int(&g_phase, 1);
    wait_for(&g_ack, 2);
    CHECK(_Py_atomic_load_uintptr(&me->eval_breaker) & _PY_EVAL_QSBR_BIT);
    _PyEval_CheckBreaker(&me->base);
    CHECK(stats().freed_items == freed0 + 1);
    CHECK(me->qsbr.queue.count == 0);

    /* Retired after that report: held again until the reader goes
       offline. */
    retire(PyMem_Malloc(200), 200);
    _PyMem_ProcessDelayed(me);
    CHECK(stats().freed_items == freed0 + 1);
    _Py_atomic_store_int(&g_phase, 2);
    wait_for(&g_ack, 3);
    CHECK(_Py_atomic_load_uintptr(&me->eval_breaker) & _PY_EVAL_QSBR_BIT);
    _PyEval_CheckBreaker(&me->base);
    CHECK(stats().freed_items == freed0 + 2);

    /* A detached thread holds back nothing. */
    for (int i = 0; i < 100; i++) {
        retire(PyMem_Malloc(64), 64);
    }
    _PyMem_ProcessDelayed(me);
    CHECK(stats().freed_items == freed0 + 102);
    CHECK(me->qsbr.queue.count == 0);

    /* The reader re-attaches, retires 777 bytes and exits while we stay
       online without reporting: its block must wait in the interpreter's
       queue, and our next safe point frees it. */
    _Py_atomic_store_int(&g_phase, 3);
    wait_for(&g_ack, 4);
    _Py_atomic_store_int(&g_phase, 4);
    CHECK(pthread_join(t, NULL) == 0);
    _PyQSBR_Stats s = stats();
    CHECK(s.shared_items == 1 && s.shared_bytes == 777);
    CHECK(s.freed_items == freed0 + 102);
    _PyMem_ProcessDelayed(me);
    s = stats();
    CHECK(s.shared_items == 0 && s.freed_items == freed0 + 103);

    /* A thread with no thread state retires through the shared queue,
       and still waits for us. */
    CHECK(pthread_create(&t, NULL, stateless_retirer, NULL) == 0);
    CHECK(pthread_join(t, NULL) == 0);
    s = stats();
    CHECK(s.shared_items == 1 && s.freed_items == freed0 + 103);
    _PyMem_ProcessDelayed(me);
    s = stats();
    CHECK(s.shared_items == 0 && s.freed_items == freed0 + 104);
    printf("grace periods: not freed while an online thread has not "
           "reported; freed after its report and after it went offline; "
           "detached thread held back nothing; blocks of an exited thread "
           "and of a thread without a thread state freed from the shared "
           "queue: ok\n");
}

/* ---------------------------------------------------- 3. bytes bound */

#define BOUND_RETIRERS 4
#define BOUND_BLOCK 1024
#define BOUND_SECONDS 2.0

static int bound_stop;
static size_t bound_peak[BOUND_RETIRERS];
static uint64_t bound_count[BOUND_RETIRERS];
static uint64_t bound_reports;

static void *
bound_retirer(void *arg)
{
    int i = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    _PyThreadStateImpl *ts = current();
    uint64_t n = 0;
    while (!_Py_atomic_load_int_relaxed(&bound_stop)) {
        char *p = PyMem_Malloc(BOUND_BLOCK);
        CHECK(p != NULL);
        memset(p, i, BOUND_BLOCK);
        retire(p, BOUND_BLOCK);
        n++;
        _PyEval_CheckBreaker(&ts->base);
    }
    bound_peak[i] = ts->qsbr.queue.peak_bytes;
    bound_count[i] = n;
    PyGILState_Release(g);
    return NULL;
}

/* Attached throughout, reporting only every 20 ms: the laggard. */
static void *
bound_reader(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    _PyThreadStateImpl *ts = current();
    while (!_Py_atomic_load_int_relaxed(&bound_stop)) {
        sleep_ns(20 * MS);
        _PyQSBR_QuiescentState(ts);
        _Py_atomic_add_uint64(&bound_reports, 1);
    }
    PyGILState_Release(g);
    return NULL;
}

static void
test_bytes_bound(void)
{
    _PyQSBR_Config saved, cfg;
    _PyQSBR_GetConfig(interp, &saved);
    cfg = saved;
    cfg.process_items = 256;
    cfg.process_bytes = 64 * 1024;
    cfg.soft_limit = 512 * 1024;
    cfg.hard_limit = 4 * 1024 * 1024;
    cfg.hard_wait_ns = 5000 * MS;
    _PyQSBR_SetConfig(interp, &cfg);
    _PyQSBR_Stats s0 = stats();

    pthread_t t[BOUND_RETIRERS + 1];
    CHECK(pthread_create(&t[BOUND_RETIRERS], NULL, bound_reader, NULL) == 0);
    for (int i = 0; i < BOUND_RETIRERS; i++) {
        CHECK(pthread_create(&t[i], NULL, bound_retirer,
                             (void *)(intptr_t)i) == 0);
    }
    Py_BEGIN_ALLOW_THREADS
    sleep_ns((PyTime_t)(BOUND_SECONDS * 1e9));
    _Py_atomic_store_int(&bound_stop, 1);
    test_join_threads(t, BOUND_RETIRERS + 1);
    Py_END_ALLOW_THREADS
    _PyMem_ProcessDelayed(current());

    _PyQSBR_Stats s = stats();
    size_t peak = 0;
    uint64_t n = 0;
    for (int i = 0; i < BOUND_RETIRERS; i++) {
        peak = Py_MAX(peak, bound_peak[i]);
        n += bound_count[i];
    }
    CHECK(peak <= cfg.hard_limit + BOUND_BLOCK);
    CHECK(s.hard_timeouts == s0.hard_timeouts);
    CHECK(s.freed_items - s0.freed_items == n);
    CHECK(s.shared_items == 0);
    printf("bytes bound: %d threads retired %llu x %d B in %.0f s, reader "
           "reported %llu times; max held by one thread %zu KiB <= hard "
           "limit %llu KiB + 1 block; %llu hard waits, 0 timeouts; all "
           "freed: ok\n", BOUND_RETIRERS, (unsigned long long)n, BOUND_BLOCK,
           BOUND_SECONDS, (unsigned long long)bound_reports, peak / 1024,
           (unsigned long long)(cfg.hard_limit / 1024),
           (unsigned long long)(s.hard_waits - s0.hard_waits));
    _PyQSBR_SetConfig(interp, &saved);
}

/* ------------------------------------------------ 4. use after free */

#define NCELLS 4
#define UAF_WRITERS 2
#define UAF_READERS 3
#define UAF_SECONDS 2.0
#define CHURN_THREADS 20
#define HELD_MAX 8
#define BLOCK_MAGIC 0x5AFE5AFE5AFE5AFEull

typedef struct {
    uint64_t magic;
    uint64_t gen;
    size_t size;                /* whole block */
    unsigned char data[];
} block;

static block *cells[NCELLS];
static int uaf_stop;
static uint64_t uaf_reads;
static uint64_t uaf_bad;
static int churn_online;
static int churn_go;

static block *
new_block(uint64_t gen)
{
    size_t size = sizeof(block) + 64 + (size_t)(gen * 2654435761u % 1984);
    block *b = PyMem_Malloc(size);
    CHECK(b != NULL);
    b->magic = BLOCK_MAGIC;
    b->gen = gen;
    b->size = size;
    memset(b->data, (int)(gen & 0xFF), size - sizeof(block));
    return b;
}

/* Every byte, so that poisoning or ASan would notice any early free. */
static int
block_ok(const block *b)
{
    if (b->magic != BLOCK_MAGIC) {
        return 0;
    }
    unsigned char want = (unsigned char)(b->gen & 0xFF);
    for (size_t i = 0; i < b->size - sizeof(block); i++) {
        if (b->data[i] != want) {
            return 0;
        }
    }
    return 1;
}

static void *
uaf_writer(void *arg)
{
    int w = (int)(intptr_t)arg;
    PyGILState_STATE g = PyGILState_Ensure();
    PyThreadState *ts = PyThreadState_Get();
    uint64_t gen = (uint64_t)w << 40;
    for (uint64_t n = 0; !_Py_atomic_load_int_relaxed(&uaf_stop); n++) {
        block *b = new_block(++gen);
        block *old = _Py_atomic_exchange_ptr(&cells[n % NCELLS], b);
        retire(old, old->size);
        if (n % 8 == 0) {
            _PyEval_CheckBreaker(ts);
        }
        if (n % 512 == 0) {
            Py_BEGIN_ALLOW_THREADS
            sched_yield();
            Py_END_ALLOW_THREADS
        }
    }
    PyGILState_Release(g);
    return NULL;
}

/* Holds up to HELD_MAX blocks across iterations, re-validating them, and
   drops them all just before each report. */
static void *
uaf_reader(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    _PyThreadStateImpl *ts = current();
    const block *held[HELD_MAX];
    uint64_t reads = 0, bad = 0;
    for (uint64_t n = 0; !_Py_atomic_load_int_relaxed(&uaf_stop); n++) {
        int nheld = 0;
        for (int k = 0; k < HELD_MAX; k++) {
            held[nheld++] = _Py_atomic_load_ptr_acquire(&cells[k % NCELLS]);
            for (int j = 0; j < nheld; j++) {
                bad += !block_ok(held[j]);
                reads++;
            }
        }
        if (n % 64 == 63) {
            Py_BEGIN_ALLOW_THREADS
            sched_yield();
            Py_END_ALLOW_THREADS
        }
        else {
            _PyQSBR_QuiescentState(ts);
            _PyEval_CheckBreaker(&ts->base);
        }
    }
    _Py_atomic_add_uint64(&uaf_reads, reads);
    _Py_atomic_add_uint64(&uaf_bad, bad);
    PyGILState_Release(g);
    return NULL;
}

/* A short-lived thread: comes online, waits until CHURN_THREADS are, so
   the slot array has to grow while others poll it, then reads and
   retires a little and exits. */
static void *
churn_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    _PyThreadStateImpl *ts = current();
    _Py_atomic_add_int(&churn_online, 1);
    while (!_Py_atomic_load_int(&churn_go)) {
        _PyQSBR_QuiescentState(ts);
        sched_yield();
    }
    for (int k = 0; k < 16; k++) {
        const block *b = _Py_atomic_load_ptr_acquire(&cells[k % NCELLS]);
        if (!block_ok(b)) {
            _Py_atomic_add_uint64(&uaf_bad, 1);
        }
        _PyQSBR_QuiescentState(ts);
        retire(PyMem_Malloc(128), 128);
    }
    PyGILState_Release(g);
    return NULL;
}

static void *
short_thread(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    retire(PyMem_Malloc(32), 32);
    PyGILState_Release(g);
    return NULL;
}

static void
test_use_after_free(void)
{
    _PyQSBR_Config saved, cfg;
    _PyQSBR_GetConfig(interp, &saved);
    cfg = saved;
    cfg.poison = 1;
    _PyQSBR_SetConfig(interp, &cfg);
    uint64_t freed0 = stats().freed_items;
    uint64_t retired0 = _Py_atomic_load_uint64(&total_retired);
    for (int i = 0; i < NCELLS; i++) {
        cells[i] = new_block((uint64_t)i);
    }

    pthread_t t[UAF_WRITERS + UAF_READERS], churn[CHURN_THREADS];
    for (int i = 0; i < UAF_WRITERS + UAF_READERS; i++) {
        CHECK(pthread_create(&t[i], NULL,
                             i < UAF_WRITERS ? uaf_writer : uaf_reader,
                             (void *)(intptr_t)i) == 0);
    }
    uint64_t capacity = 0;
    Py_BEGIN_ALLOW_THREADS
    sleep_ns(200 * MS);
    test_start_threads(churn, CHURN_THREADS, churn_thread, NULL, 0);
    while (_Py_atomic_load_int(&churn_online) < CHURN_THREADS) {
        sleep_ns(1 * MS);
    }
    capacity = stats().slots_capacity;
    _Py_atomic_store_int(&churn_go, 1);
    test_join_threads(churn, CHURN_THREADS);
    sleep_ns((PyTime_t)(UAF_SECONDS * 1e9));
    _Py_atomic_store_int(&uaf_stop, 1);
    test_join_threads(t, UAF_WRITERS + UAF_READERS);
    Py_END_ALLOW_THREADS
    CHECK(capacity >= 32);      /* 1 + 5 + 20 threads online at once */

    for (int i = 0; i < NCELLS; i++) {
        CHECK(block_ok(cells[i]));
        retire(cells[i], cells[i]->size);
    }
    _PyMem_ProcessDelayed(current());
    _PyQSBR_Stats s = stats();
    CHECK(_Py_atomic_load_uint64(&uaf_bad) == 0);
    uint64_t retired = _Py_atomic_load_uint64(&total_retired) - retired0;
    CHECK(s.freed_items - freed0 == retired);
    CHECK(s.shared_items == 0);
    CHECK(s.slots_used == 1);

    for (int i = 0; i < 50; i++) {
        pthread_t one;
        CHECK(pthread_create(&one, NULL, short_thread, NULL) == 0);
        Py_BEGIN_ALLOW_THREADS
        CHECK(pthread_join(one, NULL) == 0);
        Py_END_ALLOW_THREADS
    }
    _PyMem_ProcessDelayed(current());
    s = stats();
    CHECK(s.slots_capacity == capacity && s.slots_used == 1);
    CHECK(s.freed_items - freed0 == retired + 50);
    printf("use after free: %d writers, %d readers for %.0f s, %llu block "
           "validations, 0 saw a freed block; %llu retired, all freed; "
           "slots grew to %llu under polling and were reused by 50 more "
           "threads: ok\n", UAF_WRITERS, UAF_READERS, UAF_SECONDS,
           (unsigned long long)_Py_atomic_load_uint64(&uaf_reads),
           (unsigned long long)(retired + 50),
           (unsigned long long)capacity);
    _PyQSBR_SetConfig(interp, &saved);
}

int
main(void)
{
    PyThreadState *tstate = _PyRuntime_InitCore();
    CHECK(tstate != NULL);
    interp = tstate->interp;
    test_pymem_contracts();
    test_grace_periods();
    test_bytes_bound();
    test_use_after_free();
    _PyQSBR_Stats s = stats();
    CHECK(s.wr_seq % 2 == 1 && s.rd_seq % 2 == 1 && s.rd_seq <= s.wr_seq);
    _PyRuntime_FiniCore();
    printf("test_qsbr: ok\n");
    return 0;
}
