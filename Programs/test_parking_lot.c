/* Parking-lot semantics (Python/parking_lot.c), with plain pthreads that
 * have no thread state.
 *
 * Invariants checked, each exactly:
 *   - Park returns Py_PARK_AGAIN when the value differs (sizes 1/2/4/8);
 *   - Unpark with nobody parked still runs the callback, with park_arg NULL;
 *   - Park times out (Py_PARK_TIMEOUT, elapsed >= the timeout);
 *   - unparking one by one wakes each parked thread exactly once, the
 *     callback sees has_more_waiters true for all but the last, and runs
 *     before the woken thread returns;
 *   - UnparkAll wakes every parked thread;
 *   - Unpark on other addresses (some sharing a bucket) wakes nobody;
 *   - with timeouts racing unparks, the number of Py_PARK_OK returns
 *     equals the number of unparks that found a waiter;
 *   - after fork, the child's parking lot is empty and usable.
 *
 * "Parked" is made exact without peeking inside: workers park on a gate
 * word that reads 0; once the main thread stores 1 there and then takes
 * the bucket lock (any Unpark call does), every worker is either queued
 * or will get Py_PARK_AGAIN.  So the queued set is frozen and countable. */
#include "testutil.h"
#include "pycore_lock.h"
#include "pycore_parking_lot.h"

#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MS ((PyTime_t)1000000)
#define NUM_PARKERS 6

/* Sleeps at least `ns`, resuming after interruptions. */
static void
sleep_ns(PyTime_t ns)
{
    struct timespec ts = { (time_t)(ns / 1000000000), (long)(ns % 1000000000) };
    while (nanosleep(&ts, &ts) != 0) {
    }
}

/* ------------------------------------------------------------ callbacks */

/* What an unpark callback saw. */
struct unpark_record {
    int calls;
    void *park_arg;
    int has_more;
};

static void
record_cb(void *arg, void *park_arg, int has_more_waiters)
{
    struct unpark_record *rec = (struct unpark_record *)arg;
    rec->calls++;
    rec->park_arg = park_arg;
    rec->has_more = has_more_waiters;
}

/* ------------------------------------------------------- simple checks */

/* Park checks the value under its bucket lock and refuses to sleep when it
   differs, for every supported size. */
static void
test_again(void)
{
    uint8_t v8 = 1, e8 = 2;
    uint16_t v16 = 1, e16 = 2;
    uint32_t v32 = 1, e32 = 2;
    uint64_t v64 = 1, e64 = 2;
    CHECK(_PyParkingLot_Park(&v8, &e8, 1, -1, NULL, 0) == Py_PARK_AGAIN);
    CHECK(_PyParkingLot_Park(&v16, &e16, 2, -1, NULL, 0) == Py_PARK_AGAIN);
    CHECK(_PyParkingLot_Park(&v32, &e32, 4, -1, NULL, 1) == Py_PARK_AGAIN);
    CHECK(_PyParkingLot_Park(&v64, &e64, 8, -1, NULL, 1) == Py_PARK_AGAIN);
    printf("again: differing values return Py_PARK_AGAIN for sizes 1/2/4/8\n");
}

/* With nobody parked the callback still runs (so a lock can clear its
   has-parked bit), with park_arg NULL and no more waiters. */
static void
test_unpark_nobody(void)
{
    uint32_t word = 0;
    struct unpark_record rec = { 0, &rec, 1 };
    _PyParkingLot_Unpark(&word, record_cb, &rec);
    CHECK(rec.calls == 1);
    CHECK(rec.park_arg == NULL);
    CHECK(rec.has_more == 0);
    _PyParkingLot_Unpark(&word, NULL, NULL);
    _PyParkingLot_UnparkAll(&word);
    printf("unpark-nobody: callback ran once with park_arg NULL\n");
}

/* A park nobody ends times out, no earlier than asked. */
static void
test_timeouts(void)
{
    uint32_t word = 7, expected = 7;
    PyTime_t t0 = _PyTime_MonotonicNs();
    int ret = _PyParkingLot_Park(&word, &expected, 4, 20 * MS, NULL, 0);
    PyTime_t elapsed = _PyTime_MonotonicNs() - t0;
    CHECK(ret == Py_PARK_TIMEOUT);
    CHECK(elapsed >= 20 * MS);
    CHECK(_PyParkingLot_Park(&word, &expected, 4, 0, NULL, 1) ==
          Py_PARK_TIMEOUT);
    /* Nothing may be left queued by the timed-out parks. */
    struct unpark_record rec = { 0, NULL, 0 };
    _PyParkingLot_Unpark(&word, record_cb, &rec);
    CHECK(rec.calls == 1 && rec.park_arg == NULL);
    printf("timeouts: 20 ms park returned Py_PARK_TIMEOUT after %.1f ms\n",
           (double)elapsed / MS);
}

/* ------------------------------------------------------ gated parkers */

/* One parked worker: its park_arg is its own slot, which the unpark
   callback marks before the wake-up. */
struct parker {
    pthread_t thread;
    uint32_t *gate;
    int *arrived;
    int marked;          /* written by the callback under the bucket lock */
    int saw_marked;      /* what the worker read after waking */
    int ret;
};

static void *
parker_main(void *arg)
{
    struct parker *p = (struct parker *)arg;
    uint32_t zero = 0;
    _Py_atomic_add_int(p->arrived, 1);
    p->ret = _PyParkingLot_Park(p->gate, &zero, sizeof(zero), -1, p, 1);
    p->saw_marked = p->marked;
    return NULL;
}

/* Starts n parkers on *gate (which reads 0), waits until each is about to
   park and gives them time to queue, then freezes the queue: stores 1 to
   the gate, and the caller's next parking-lot call on the gate address
   takes the bucket lock. */
static void
start_gated_parkers(struct parker *ps, int n, uint32_t *gate, int *arrived)
{
    _Py_atomic_store_uint32(gate, 0);
    _Py_atomic_store_int(arrived, 0);
    for (int i = 0; i < n; i++) {
        ps[i] = (struct parker){ .gate = gate, .arrived = arrived };
        CHECK(pthread_create(&ps[i].thread, NULL, parker_main, &ps[i]) == 0);
    }
    while (_Py_atomic_load_int(arrived) < n) {
        sleep_ns(MS);
    }
    sleep_ns(50 * MS);
    _Py_atomic_store_uint32(gate, 1);
}

/* Joins the parkers; counts those that were woken (Py_PARK_OK) and checks
   that the rest only ever saw the changed gate. */
static int
join_parkers(struct parker *ps, int n)
{
    int woken = 0;
    for (int i = 0; i < n; i++) {
        CHECK(pthread_join(ps[i].thread, NULL) == 0);
        CHECK(ps[i].ret == Py_PARK_OK || ps[i].ret == Py_PARK_AGAIN);
        if (ps[i].ret == Py_PARK_OK) {
            CHECK(ps[i].saw_marked == 1);
            woken++;
        }
        else {
            CHECK(ps[i].marked == 0);
        }
    }
    return woken;
}

/* Marks the woken parker and records has_more in the caller's record. */
static void
mark_cb(void *arg, void *park_arg, int has_more_waiters)
{
    record_cb(arg, park_arg, has_more_waiters);
    if (park_arg != NULL) {
        ((struct parker *)park_arg)->marked++;
    }
}

/* Unparking one at a time wakes each queued thread exactly once, and only
   the last wake-up reports no more waiters. */
static void
test_unpark_one_by_one(void)
{
    static uint32_t gate;
    static int arrived;
    struct parker ps[NUM_PARKERS];
    start_gated_parkers(ps, NUM_PARKERS, &gate, &arrived);

    /* has_more is exact: the queue was frozen before the first call. */
    int more[NUM_PARKERS];
    int found = 0;
    for (;;) {
        struct unpark_record rec = { 0, NULL, 0 };
        _PyParkingLot_Unpark(&gate, mark_cb, &rec);
        CHECK(rec.calls == 1);
        if (rec.park_arg == NULL) {
            CHECK(rec.has_more == 0);
            break;
        }
        CHECK(found < NUM_PARKERS);
        more[found++] = rec.has_more;
    }
    for (int k = 0; k < found; k++) {
        CHECK(more[k] == (k < found - 1));
    }
    int woken = join_parkers(ps, NUM_PARKERS);
    CHECK(woken == found);
    for (int i = 0; i < NUM_PARKERS; i++) {
        CHECK(ps[i].marked == (ps[i].ret == Py_PARK_OK));
    }
    printf("unpark-one: %d of %d parked threads woken exactly once each, "
           "has_more exact\n", woken, NUM_PARKERS);
    CHECK(woken >= 1);
}

/* UnparkAll wakes every queued thread; the queue is empty afterwards. */
static void
test_unpark_all(void)
{
    static uint32_t gate;
    static int arrived;
    struct parker ps[NUM_PARKERS];
    start_gated_parkers(ps, NUM_PARKERS, &gate, &arrived);

    _PyParkingLot_UnparkAll(&gate);
    struct unpark_record rec = { 0, NULL, 0 };
    _PyParkingLot_Unpark(&gate, record_cb, &rec);
    CHECK(rec.park_arg == NULL);

    int woken = 0;
    for (int i = 0; i < NUM_PARKERS; i++) {
        CHECK(pthread_join(ps[i].thread, NULL) == 0);
        CHECK(ps[i].ret == Py_PARK_OK || ps[i].ret == Py_PARK_AGAIN);
        woken += ps[i].ret == Py_PARK_OK;
    }
    CHECK(woken >= 1);
    printf("unpark-all: %d of %d parked threads woken, none left queued\n",
           woken, NUM_PARKERS);
}

/* Unparks on many other addresses (more than there are buckets, so some
   share the gate's bucket) must not wake the gate's waiter. */
static void
test_other_addresses(void)
{
    static uint32_t gate;
    static int arrived;
    static uint32_t others[300];
    struct parker p;
    int woken = 0;

    /* Retried in the unlikely case the parker saw the gate closed. */
    for (int attempt = 0; attempt < 10 && !woken; attempt++) {
        start_gated_parkers(&p, 1, &gate, &arrived);
        for (size_t i = 0; i < Py_ARRAY_LENGTH(others); i++) {
            struct unpark_record rec = { 0, &rec, 1 };
            _PyParkingLot_Unpark(&others[i], record_cb, &rec);
            CHECK(rec.calls == 1 && rec.park_arg == NULL);
            _PyParkingLot_UnparkAll(&others[i]);
        }
        struct unpark_record rec = { 0, NULL, 0 };
        _PyParkingLot_Unpark(&gate, mark_cb, &rec);
        woken = join_parkers(&p, 1);
        CHECK(woken == (rec.park_arg != NULL));
    }
    CHECK(woken == 1);
    printf("other-addresses: 300 foreign unparks left the waiter parked\n");
}

/* ---------------------------------------------------- timeout vs unpark */

#define RACE_PARKERS 4
#define RACE_PARKS 20000

struct race_state {
    uint32_t word;            /* always 0: every park may sleep */
    int parkers_done;
    int64_t parked_ok;        /* Py_PARK_OK returns */
    int64_t timed_out;
    int64_t unparked;         /* unparks that found a waiter */
};

static void *
race_parker(void *arg)
{
    struct race_state *st = (struct race_state *)arg;
    uint32_t zero = 0;
    unsigned int seed = (unsigned int)(uintptr_t)&zero;
    for (int i = 0; i < RACE_PARKS; i++) {
        PyTime_t timeout = (PyTime_t)(rand_r(&seed) % 50) * 1000;
        int ret = _PyParkingLot_Park(&st->word, &zero, sizeof(zero), timeout,
                                     st, 0);
        if (ret == Py_PARK_OK) {
            _Py_atomic_add_int64(&st->parked_ok, 1);
        }
        else {
            CHECK(ret == Py_PARK_TIMEOUT);
            _Py_atomic_add_int64(&st->timed_out, 1);
        }
    }
    _Py_atomic_add_int(&st->parkers_done, 1);
    return NULL;
}

static void
count_cb(void *arg, void *park_arg, int Py_UNUSED(has_more_waiters))
{
    struct race_state *st = (struct race_state *)arg;
    if (park_arg != NULL) {
        CHECK(park_arg == st);
        /* Under the bucket lock, but read racily by nobody: still atomic
           for symmetry with the parkers' counters. */
        _Py_atomic_add_int64(&st->unparked, 1);
    }
}

static void *
race_unparker(void *arg)
{
    struct race_state *st = (struct race_state *)arg;
    while (_Py_atomic_load_int(&st->parkers_done) < RACE_PARKERS) {
        _PyParkingLot_Unpark(&st->word, count_cb, st);
    }
    return NULL;
}

/* Every wake-up handed out by an unparker is received exactly once, even
   when the waiter's timeout fires at the same moment. */
static void
test_timeout_race(void)
{
    static struct race_state st;
    pthread_t parkers[RACE_PARKERS], unparker;
    for (int i = 0; i < RACE_PARKERS; i++) {
        CHECK(pthread_create(&parkers[i], NULL, race_parker, &st) == 0);
    }
    CHECK(pthread_create(&unparker, NULL, race_unparker, &st) == 0);
    for (int i = 0; i < RACE_PARKERS; i++) {
        CHECK(pthread_join(parkers[i], NULL) == 0);
    }
    CHECK(pthread_join(unparker, NULL) == 0);
    int64_t ok = _Py_atomic_load_int64(&st.parked_ok);
    int64_t to = _Py_atomic_load_int64(&st.timed_out);
    int64_t un = _Py_atomic_load_int64(&st.unparked);
    CHECK(ok + to == (int64_t)RACE_PARKERS * RACE_PARKS);
    CHECK(ok == un);
    printf("timeout-race: %lld parks, %lld woken == %lld successful "
           "unparks, %lld timed out\n",
           (long long)(ok + to), (long long)ok, (long long)un,
           (long long)to);
}

/* ---------------------------------------------------------------- fork */

/* The child: its parking lot must be empty (the parent's parked thread
   does not exist here) and fully usable. */
static int
fork_child(uint32_t *gate)
{
    _PyParkingLot_AfterFork();
    struct unpark_record rec = { 0, &rec, 1 };
    _PyParkingLot_Unpark(gate, record_cb, &rec);
    if (rec.calls != 1 || rec.park_arg != NULL) {
        return 2;
    }
    uint32_t word = 0, zero = 0;
    if (_PyParkingLot_Park(&word, &zero, 4, MS, NULL, 0) != Py_PARK_TIMEOUT) {
        return 3;
    }
    return 0;
}

static void
test_fork(void)
{
    static uint32_t gate;
    static int arrived;
    struct parker p;
    start_gated_parkers(&p, 1, &gate, &arrived);

    fflush(stdout);
    pid_t pid = fork();
    CHECK(pid >= 0);
    if (pid == 0) {
        _exit(fork_child(&gate));
    }
    int status = 0;
    CHECK(waitpid(pid, &status, 0) == pid);
    CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);

    _PyParkingLot_Unpark(&gate, mark_cb, &(struct unpark_record){ 0 });
    join_parkers(&p, 1);
    printf("fork: child's parking lot starts empty and works\n");
}

int
main(void)
{
    /* A deadlock must fail the test, not hang it. */
    alarm(120);
    test_again();
    test_unpark_nobody();
    test_timeouts();
    test_unpark_one_by_one();
    test_unpark_all();
    test_other_addresses();
    test_timeout_race();
    test_fork();
    printf("test_parking_lot: all checks passed\n");
    return 0;
}
