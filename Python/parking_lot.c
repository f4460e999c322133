/* The parking lot: threads sleep on an address until another thread wakes
 * them (Include/internal/pycore_parking_lot.h).
 *
 * A fixed table of buckets is indexed by a hash of the address.  Each bucket
 * holds a FIFO queue of the threads waiting on any address that hashes
 * there, guarded by a _PyRawMutex (so the parking lot needs no thread state
 * and never parks on itself).  Every waiter lives on its own stack while it
 * waits and sleeps on its own one-shot semaphore, a futex word.
 *
 * The hand-shake that makes timeouts safe: only the bucket's lock holder
 * takes an entry out of a queue.  An unparker dequeues the entry and marks
 * it `dequeued` under the lock, then posts its semaphore after releasing
 * the lock.  A waiter whose wait timed out re-takes the lock: if it is
 * still queued it removes itself and reports a timeout; if it was dequeued
 * a post is on its way, so it waits for that post (the entry lives on its
 * stack and must stay valid until then) and reports a wake-up.  Each park
 * therefore consumes exactly one post or none. */
#include "Python.h"
#include "pycore_lock.h"
#include "pycore_parking_lot.h"
#include "pycore_signal.h"
#include "pycore_pystate.h"
#include "pycore_time.h"

#ifndef __linux__
#  error "the parking lot sleeps on Linux futexes"
#endif

#include <errno.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

/* ------------------------------------------------------------ semaphore */

/* The values of a waiter's semaphore word.  Exactly one thread (the owner
   of the entry) waits on it and at most one post is made per park. */
enum {
    SEMA_EMPTY = 0,
    SEMA_POSTED = 1,
    SEMA_SLEEPING = 2,   /* the owner is (about to be) inside futex_wait */
};

typedef struct {
    uint32_t word;
} parking_sema;

/* Sleeps while *word == expected, until woken or the absolute monotonic
   `deadline` (or forever if deadline < 0).  Spurious returns are fine: the
   caller re-checks the word.  Returns 0 or the call's errno (EINTR when a
   signal handler ran). */
static int
futex_wait(uint32_t *word, uint32_t expected, PyTime_t deadline)
{
    struct timespec ts;
    struct timespec *tsp = NULL;
    if (deadline >= 0) {
        ts.tv_sec = (time_t)(deadline / 1000000000);
        ts.tv_nsec = (long)(deadline % 1000000000);
        tsp = &ts;
    }
    /* FUTEX_WAIT_BITSET takes an absolute CLOCK_MONOTONIC deadline, so a
       spurious wake-up does not stretch the total wait. */
    long r = syscall(SYS_futex, word, FUTEX_WAIT_BITSET | FUTEX_PRIVATE_FLAG,
                     expected, tsp, NULL, FUTEX_BITSET_MATCH_ANY);
    return r == -1 ? errno : 0;
}

/* Wakes the thread sleeping on `word`, if any.  Calling it on memory that
   has since been reused is harmless: futex waiters tolerate spurious
   wake-ups, and an unmapped address only makes the call fail. */
static void
futex_wake_one(uint32_t *word)
{
    syscall(SYS_futex, word, FUTEX_WAKE | FUTEX_PRIVATE_FLAG, 1,
            NULL, NULL, 0);
}

/* Waits for the post, until `deadline` (absolute monotonic ns, < 0 for
   none).  Returns 1 when the post was consumed, 0 on timeout (the word is
   then back to EMPTY and a later post stays pending), -1 when `intr` and
   a signal is pending (same state as a timeout). */
static int
sema_wait(parking_sema *s, PyTime_t deadline, int intr)
{
    for (;;) {
        uint32_t v = _Py_atomic_load_uint32(&s->word);
        if (v == SEMA_POSTED) {
            _Py_atomic_store_uint32(&s->word, SEMA_EMPTY);
            return 1;
        }
        if (v == SEMA_EMPTY) {
            if (!_Py_atomic_compare_exchange_uint32(&s->word, &v,
                                                    SEMA_SLEEPING)) {
                continue;   /* a post arrived */
            }
        }
        if (deadline >= 0 && _PyTime_MonotonicNs() >= deadline) {
            v = _Py_atomic_exchange_uint32(&s->word, SEMA_EMPTY);
            return v == SEMA_POSTED;
        }
        if (intr && _PyOS_SignalsPending()) {
            v = _Py_atomic_exchange_uint32(&s->word, SEMA_EMPTY);
            return v == SEMA_POSTED ? 1 : -1;
        }
        (void)futex_wait(&s->word, SEMA_SLEEPING, deadline);
    }
}

/* Hands the one post of this park to the waiter.  The exchange is the
   release that publishes everything the unparker wrote into the entry. */
static void
sema_post(parking_sema *s)
{
    uint32_t old = _Py_atomic_exchange_uint32(&s->word, SEMA_POSTED);
    if (old == SEMA_SLEEPING) {
        futex_wake_one(&s->word);
    }
}

/* -------------------------------------------------------------- buckets */

/* One waiting thread; lives on the waiter's stack for one park. */
struct wait_entry {
    struct wait_entry *prev;
    struct wait_entry *next;
    const void *addr;
    void *park_arg;
    int dequeued;          /* set by an unparker, under the bucket lock */
    parking_sema sema;
};

/* A queue of waiters (a circular list around `head`) and its lock.  Each
   bucket gets its own cache line so that unrelated locks do not share. */
typedef struct {
    _PyRawMutex mutex;
    struct wait_entry head;
} _Py_ALIGNED_CACHE_LINE bucket_t;

/* Prime, so that addresses with a common stride spread over all buckets. */
#define NUM_BUCKETS 257

/* Guarded bucket by bucket by each bucket's mutex.  An empty queue is
   either all-zero links (never used since start or since a fork) or links
   pointing at the head itself. */
static bucket_t buckets[NUM_BUCKETS];

/* Objects are at least 8-byte aligned, so the low bits carry nothing; the
   multiplication mixes the rest before the modulus. */
static bucket_t *
bucket_for(const void *addr)
{
    uint64_t h = (uint64_t)(uintptr_t)addr >> 3;
    h *= UINT64_C(0x9E3779B97F4A7C15);
    h ^= h >> 32;
    return &buckets[h % NUM_BUCKETS];
}

/* The list head of an empty bucket may still be zero-filled: make it a
   proper empty circle before use.  Called with the bucket lock held. */
static void
bucket_ensure_init(bucket_t *b)
{
    if (b->head.next == NULL) {
        b->head.next = &b->head;
        b->head.prev = &b->head;
    }
}

/* Appends at the tail, so waiters on one address are woken in FIFO order.
   Bucket lock held. */
static void
enqueue(bucket_t *b, struct wait_entry *we)
{
    bucket_ensure_init(b);
    we->next = &b->head;
    we->prev = b->head.prev;
    b->head.prev->next = we;
    b->head.prev = we;
}

/* Bucket lock held. */
static void
unlink_entry(struct wait_entry *we)
{
    we->prev->next = we->next;
    we->next->prev = we->prev;
    we->prev = NULL;
    we->next = NULL;
}

/* The first waiter on `addr` after `from` (exclusive), or NULL.  Bucket
   lock held. */
static struct wait_entry *
find_waiter(bucket_t *b, struct wait_entry *from, const void *addr)
{
    bucket_ensure_init(b);
    for (struct wait_entry *we = from->next; we != &b->head; we = we->next) {
        if (we->addr == addr) {
            return we;
        }
    }
    return NULL;
}

/* Compares the value at `addr` with `expected`.  Other threads write the
   value with atomics, so it is read with one atomic load of its size. */
static int
value_matches(const void *addr, const void *expected, size_t size)
{
    switch (size) {
    case 1:
        return _Py_atomic_load_uint8((const uint8_t *)addr) ==
               *(const uint8_t *)expected;
    case 2:
        return _Py_atomic_load_uint16((const uint16_t *)addr) ==
               *(const uint16_t *)expected;
    case 4:
        return _Py_atomic_load_uint32((const uint32_t *)addr) ==
               *(const uint32_t *)expected;
    case 8:
        return _Py_atomic_load_uint64((const uint64_t *)addr) ==
               *(const uint64_t *)expected;
    default:
        Py_FatalError("_PyParkingLot_Park: size must be 1, 2, 4 or 8");
    }
}

/* ------------------------------------------------------ thread states */

/* The thread state to detach while parked: the caller's, if it asked and
   the thread is attached; NULL otherwise (no thread state at all is fine:
   raw locks and foreign threads park too). */
static PyThreadState *
detach_if_attached(int detach)
{
    if (!detach) {
        return NULL;
    }
    PyThreadState *tstate = _PyThreadState_GET();
    if (tstate == NULL) {
        return NULL;
    }
    _PyThreadStateImpl *ts = (_PyThreadStateImpl *)tstate;
    /* Relaxed: only this thread moves its own state out of ATTACHED, so
       if it reads ATTACHED that is the current value. */
    if (_Py_atomic_load_int_relaxed(&ts->state) != _Py_THREAD_ATTACHED) {
        return NULL;
    }
    _PyThreadState_Detach(tstate);
    return tstate;
}

/* ------------------------------------------------------------------ API */

/* After the wait timed out (or was interrupted): either take ourselves
   off the queue and return `res`, or, if an unparker got there first,
   wait for its post. */
static int
resolve_timeout(bucket_t *b, struct wait_entry *we, int res)
{
    _PyRawMutex_Lock(&b->mutex);
    int dequeued = we->dequeued;
    if (!dequeued) {
        unlink_entry(we);
    }
    _PyRawMutex_Unlock(&b->mutex);
    if (!dequeued) {
        return res;
    }
    sema_wait(&we->sema, -1, 0);
    return Py_PARK_OK;
}

/* Parks until unparked or timed out.  The value check and the enqueue are
   one step under the bucket lock, and unparkers take the same lock, so a
   thread that changes the value and then unparks cannot miss us.  The
   thread state is detached only after the entry is queued and re-attached
   only once the entry is no longer referenced by anyone: detach and attach
   may themselves park (nested parks each use their own stack entry). */
int
_PyParkingLot_Park(const void *addr, const void *expected, size_t size,
                   PyTime_t timeout_ns, void *park_arg, int flags)
{
    struct wait_entry we = {
        .addr = addr,
        .park_arg = park_arg,
        .dequeued = 0,
        .sema = { SEMA_EMPTY },
    };
    PyTime_t deadline = -1;
    if (timeout_ns >= 0) {
        deadline = _PyTime_Add(_PyTime_MonotonicNs(), timeout_ns);
    }

    bucket_t *b = bucket_for(addr);
    _PyRawMutex_Lock(&b->mutex);
    if (!value_matches(addr, expected, size)) {
        _PyRawMutex_Unlock(&b->mutex);
        return Py_PARK_AGAIN;
    }
    enqueue(b, &we);
    _PyRawMutex_Unlock(&b->mutex);

    PyThreadState *detached = detach_if_attached(flags & _Py_PARK_DETACH);
    int intr = (flags & _Py_PARK_INTERRUPTIBLE) && _PyOS_IsMainThread();
    int res = Py_PARK_OK;
    int w = sema_wait(&we.sema, deadline, intr);
    if (w <= 0) {
        res = resolve_timeout(b, &we, w < 0 ? Py_PARK_INTR : Py_PARK_TIMEOUT);
    }
    if (detached != NULL) {
        _PyThreadState_Attach(detached);
    }
    return res;
}

/* Wakes the oldest waiter on `addr`.  `fn` sees the waiter's park_arg (or
   NULL) and whether others remain while the bucket lock still keeps new
   parkers out, so a lock can set its state and hand itself over in one
   step.  The post happens after the lock is released, so the woken thread
   does not immediately block on the bucket. */
void
_PyParkingLot_Unpark(const void *addr, _Py_unpark_fn_t *fn, void *arg)
{
    bucket_t *b = bucket_for(addr);
    _PyRawMutex_Lock(&b->mutex);
    struct wait_entry *we = find_waiter(b, &b->head, addr);
    int has_more = 0;
    if (we != NULL) {
        has_more = find_waiter(b, we, addr) != NULL;
        unlink_entry(we);
        we->dequeued = 1;
    }
    if (fn != NULL) {
        fn(arg, we != NULL ? we->park_arg : NULL, has_more);
    }
    _PyRawMutex_Unlock(&b->mutex);
    if (we != NULL) {
        sema_post(&we->sema);
    }
}

/* Wakes every waiter on `addr` (PyEvent notify).  They are moved to a
   private list under the lock and posted after it is dropped. */
void
_PyParkingLot_UnparkAll(const void *addr)
{
    bucket_t *b = bucket_for(addr);
    struct wait_entry *woken = NULL;

    _PyRawMutex_Lock(&b->mutex);
    struct wait_entry *we = find_waiter(b, &b->head, addr);
    while (we != NULL) {
        struct wait_entry *next = find_waiter(b, we, addr);
        unlink_entry(we);
        we->dequeued = 1;
        we->next = woken;    /* reuse the link for the private list */
        woken = we;
        we = next;
    }
    _PyRawMutex_Unlock(&b->mutex);

    while (woken != NULL) {
        /* Read the link before the post: after it the entry may be gone. */
        struct wait_entry *next = woken->next;
        sema_post(&woken->sema);
        woken = next;
    }
}

/* In a fork child only the forking thread exists: every queued entry
   belonged to a thread that is gone, and a bucket lock may have been held
   by one of them.  Start from empty buckets. */
void
_PyParkingLot_AfterFork(void)
{
    memset(buckets, 0, sizeof(buckets));
}
