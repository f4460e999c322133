/* Raw memory (PyMem_Raw*, PyMem_*) and delayed frees.
 *
 * Raw memory comes from the system mimalloc (ARCHITECTURE.md section 5).
 * Under AddressSanitizer or ThreadSanitizer it comes from libc instead:
 * the sanitizers intercept malloc/free but not mimalloc's internals, so
 * this is how a use after free or a race on freed memory gets reported.
 *
 * Delayed frees (_PyMem_FreeDelayed) go on the retiring thread's own queue
 * of chunks, are tagged with a QSBR goal by the same thread's next advance
 * (Python/qsbr.c), and are freed once the goal is reached.  What a thread
 * holds is bounded by bytes:
 *   process_*    set the thread's _PY_EVAL_QSBR_BIT; the eval-breaker
 *                handler reports a quiescent state and calls
 *                _PyMem_ProcessDelayed.  Opportunistic polls here too.
 *   soft_limit   every retire advances wr_seq and polls (scans the slots),
 *                and asks lagging threads to report.
 *   hard_limit   the retire blocks like a contended lock: the thread
 *                detaches (so it no longer holds anything back itself and
 *                does not hold up a stop-the-world), waits for the other
 *                threads to report, frees, and re-attaches.  The wait is
 *                capped by hard_wait_ns so that a thread stuck attached in
 *                C cannot hang the retirer forever; past the cap the
 *                retirer carries on and blocks again at its next retire,
 *                so growth is throttled to one block per cap.
 * A poll that finds a goal not reached asks the lagging threads to report
 * (sets their bit) and records the goal as the thread's waiting goal; the
 * poll that later sees it reached sets the waiting thread's bit, so memory
 * of a thread that stopped retiring is still freed at its next eval-breaker
 * check.  What can stay unprocessed is below the process_* thresholds.
 * An exiting thread hands what it cannot free yet to the interpreter's
 * queue (under its mutex), which other threads drain when they process
 * their own and _PyQSBR_InterpFini empties. */
#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_qsbr.h"
#include "pycore_time.h"

#include <mimalloc.h>
#include <time.h>

#if defined(_Py_ADDRESS_SANITIZER) || defined(_Py_THREAD_SANITIZER)
#  define PYMEM_USE_LIBC 1
#  include <sanitizer/allocator_interface.h>
#endif

/* ------------------------------------------------------------------ */
/* Backend                                                            */

static inline void *
backend_malloc(size_t size)
{
#ifdef PYMEM_USE_LIBC
    return malloc(size);
#else
    return mi_malloc(size);
#endif
}

static inline void *
backend_calloc(size_t nelem, size_t elsize)
{
#ifdef PYMEM_USE_LIBC
    return calloc(nelem, elsize);
#else
    return mi_calloc(nelem, elsize);
#endif
}

/* Under the sanitizers a block may still come from mimalloc (the object
   allocator takes its arenas and large objects from it directly and may
   retire them through _PyMem_FreeDelayed): what the sanitizer's allocator
   does not own goes back to mimalloc. */
static inline void *
backend_realloc(void *ptr, size_t size)
{
#ifdef PYMEM_USE_LIBC
    if (ptr != NULL && !__sanitizer_get_ownership(ptr)) {
        return mi_realloc(ptr, size);
    }
    return realloc(ptr, size);
#else
    return mi_realloc(ptr, size);
#endif
}

static inline void
backend_free(void *ptr)
{
#ifdef PYMEM_USE_LIBC
    if (ptr != NULL && !__sanitizer_get_ownership(ptr)) {
        mi_free(ptr);
        return;
    }
    free(ptr);
#else
    mi_free(ptr);
#endif
}

/* ------------------------------------------------------------------ */
/* PyMem_Raw* and PyMem_*                                             */

/* CPython's contract: sizes above PY_SSIZE_T_MAX fail, and 0 bytes is a
   request for a unique non-NULL pointer (asked of the backend as 1 byte,
   since malloc(0) may return NULL). */
void *
PyMem_RawMalloc(size_t size)
{
    if (size > (size_t)PY_SSIZE_T_MAX) {
        return NULL;
    }
    return backend_malloc(size != 0 ? size : 1);
}

/* Fails rather than wraps when nelem * elsize overflows. */
void *
PyMem_RawCalloc(size_t nelem, size_t elsize)
{
    if (elsize != 0 && nelem > (size_t)PY_SSIZE_T_MAX / elsize) {
        return NULL;
    }
    if (nelem == 0 || elsize == 0) {
        nelem = 1;
        elsize = 1;
    }
    return backend_calloc(nelem, elsize);
}

/* realloc(NULL, n) is malloc(n); on failure the old block is untouched. */
void *
PyMem_RawRealloc(void *ptr, size_t new_size)
{
    if (new_size > (size_t)PY_SSIZE_T_MAX) {
        return NULL;
    }
    return backend_realloc(ptr, new_size != 0 ? new_size : 1);
}

void
PyMem_RawFree(void *ptr)
{
    backend_free(ptr);
}

/* The PyMem_* family shares the raw allocator: mimalloc is thread-safe and
   keeps per-thread heaps, so there is nothing to gain from a second one. */
void *
PyMem_Malloc(size_t size)
{
    return PyMem_RawMalloc(size);
}

void *
PyMem_Calloc(size_t nelem, size_t elsize)
{
    return PyMem_RawCalloc(nelem, elsize);
}

void *
PyMem_Realloc(void *ptr, size_t new_size)
{
    return PyMem_RawRealloc(ptr, new_size);
}

void
PyMem_Free(void *ptr)
{
    backend_free(ptr);
}

/* ------------------------------------------------------------------ */
/* Queues of retired blocks                                           */

/* The open batch is closed (one advance of wr_seq) at this size even when
   nothing else asks for it, so that goals are not all far in the past. */
#define BATCH_ITEMS 32
#define BATCH_BYTES (32 * 1024)
/* Below the soft limit an opportunistic scan is made every this many
   retires; other retires use the cached minimum only. */
#define SCAN_EVERY 16
/* Nudge laggards on the first failed poll, then on every this many. */
#define NUDGE_EVERY 16
/* Blocks freed per pass over the shared queue under its mutex. */
#define SHARED_BATCH 64

typedef struct {
    uint64_t items;
    uint64_t bytes;
} freed_acc;

/* Chunks are reused through one spare to avoid a malloc per 126 items. */
static struct _PyQSBR_ItemChunk *
chunk_new(struct _PyQSBR_Queue *q)
{
    struct _PyQSBR_ItemChunk *c = q->spare;
    if (c != NULL) {
        q->spare = NULL;
    }
    else {
        c = PyMem_RawMalloc(sizeof(*c));
        if (c == NULL) {
            return NULL;
        }
    }
    c->next = NULL;
    c->head = 0;
    c->tail = 0;
    return c;
}

static void
chunk_release(struct _PyQSBR_Queue *q, struct _PyQSBR_ItemChunk *c)
{
    if (q->spare == NULL) {
        q->spare = c;
    }
    else {
        PyMem_RawFree(c);
    }
}

/* Appends a block; goal 0 puts it in the open batch.  -1 when a new chunk
   cannot be allocated (nothing changed then). */
static int
queue_push(struct _PyQSBR_Queue *q, void *ptr, size_t size,
           void (*free_fn)(void *), uint64_t goal)
{
    struct _PyQSBR_ItemChunk *c = q->last;
    if (c == NULL || c->tail == _PyQSBR_CHUNK_ITEMS) {
        struct _PyQSBR_ItemChunk *nc = chunk_new(q);
        if (nc == NULL) {
            return -1;
        }
        if (c != NULL) {
            c->next = nc;
        }
        else {
            q->first = nc;
        }
        q->last = nc;
        c = nc;
    }
    struct _PyQSBR_Item *item = &c->items[c->tail++];
    item->ptr = ptr;
    item->goal = goal;
    item->size = size;
    item->free_fn = free_fn;
    if (goal == 0) {
        if (q->open_count == 0) {
            q->open_chunk = c;
            q->open_index = c->tail - 1;
        }
        q->open_count++;
        q->open_bytes += size;
    }
    q->count++;
    q->bytes += size;
    if (q->bytes > q->peak_bytes) {
        q->peak_bytes = q->bytes;
    }
    return 0;
}

/* Tags every item of the open batch with `goal`. */
static void
queue_tag_open(struct _PyQSBR_Queue *q, uint64_t goal)
{
    struct _PyQSBR_ItemChunk *c = q->open_chunk;
    uint32_t i = q->open_index;
    for (size_t n = q->open_count; n > 0; n--) {
        if (i == _PyQSBR_CHUNK_ITEMS) {
            c = c->next;
            i = 0;
        }
        c->items[i++].goal = goal;
    }
    q->open_chunk = NULL;
    q->open_index = 0;
    q->open_count = 0;
    q->open_bytes = 0;
}

/* The advance is made by the thread that unlinked the blocks, after the
   unlinks: that is what makes the goal safe (Python/qsbr.c). */
static void
close_batch(struct _PyQSBR_Shared *shared, struct _PyQSBR_Queue *q)
{
    if (q->open_count != 0) {
        queue_tag_open(q, _PyQSBR_Advance(shared));
    }
}

/* The oldest item, skipping chunks emptied earlier; NULL if none. */
static struct _PyQSBR_Item *
queue_peek(struct _PyQSBR_Queue *q)
{
    if (q->count == 0) {
        return NULL;
    }
    struct _PyQSBR_ItemChunk *c = q->first;
    while (c->head == c->tail) {
        q->first = c->next;
        chunk_release(q, c);
        c = q->first;
    }
    return &c->items[c->head];
}

/* Removes the item queue_peek returned.  An emptied queue keeps its first
   chunk for the next push. */
static void
queue_pop(struct _PyQSBR_Queue *q, struct _PyQSBR_Item *out)
{
    struct _PyQSBR_ItemChunk *c = q->first;
    *out = c->items[c->head++];
    q->count--;
    q->bytes -= out->size;
    if (q->count == 0) {
        while (c->next != NULL) {
            struct _PyQSBR_ItemChunk *n = c->next;
            c->next = n->next;
            chunk_release(q, n);
        }
        c->head = 0;
        c->tail = 0;
        q->last = c;
    }
}

/* Moves every item of `from` to the end of `to`; `from` ends up empty
   except for its spare chunk. */
static void
queue_splice(struct _PyQSBR_Queue *to, struct _PyQSBR_Queue *from)
{
    assert(from->open_count == 0);
    if (from->count == 0) {
        return;
    }
    if (to->last != NULL) {
        to->last->next = from->first;
    }
    else {
        to->first = from->first;
    }
    to->last = from->last;
    to->count += from->count;
    to->bytes += from->bytes;
    if (to->bytes > to->peak_bytes) {
        to->peak_bytes = to->bytes;
    }
    from->first = NULL;
    from->last = NULL;
    from->count = 0;
    from->bytes = 0;
}

/* Frees the memory of every chunk and forgets the items (InterpFini). */
static void
queue_clear_chunks(struct _PyQSBR_Queue *q)
{
    struct _PyQSBR_ItemChunk *c = q->first;
    while (c != NULL) {
        struct _PyQSBR_ItemChunk *next = c->next;
        PyMem_RawFree(c);
        c = next;
    }
    PyMem_RawFree(q->spare);
    memset(q, 0, sizeof(*q));
}

/* Cursor for popping the items whose goal is reached: the minimum read
   sequence known so far, and whether a scan of the slots was spent. */
typedef struct {
    uint64_t rd;
    int may_scan;
    uint64_t blocked_goal;      /* first goal not reached, 0 if none */
} reach_cursor;

static void
cursor_init(reach_cursor *cur, struct _PyQSBR_Shared *shared, int may_scan)
{
    cur->rd = _Py_atomic_load_uint64_acquire(&shared->rd_seq);
    cur->may_scan = may_scan;
    cur->blocked_goal = 0;
}

/* Pops the oldest item if its goal is reached (scanning the slots at most
   once per cursor).  Returns 0 at an empty queue, the open batch, or an
   unreached goal. */
static int
pop_reached(struct _PyQSBR_Shared *shared, struct _PyQSBR_Queue *q,
            reach_cursor *cur, struct _PyQSBR_Item *out)
{
    struct _PyQSBR_Item *item = queue_peek(q);
    if (item == NULL || item->goal == 0) {
        return 0;
    }
    if (item->goal > cur->rd) {
        if (cur->may_scan) {
            cur->may_scan = 0;
            cur->rd = _PyQSBR_PollMin(shared);
        }
        if (item->goal > cur->rd) {
            cur->blocked_goal = item->goal;
            return 0;
        }
    }
    queue_pop(q, out);
    return 1;
}

/* Poisoning (tests) makes a reader that still holds the block see 0xDB
   even where no sanitizer watches. */
static void
free_item(struct _PyQSBR_Item *item, int poison, freed_acc *acc)
{
    if (poison && item->size != 0) {
        memset(item->ptr, 0xDB, item->size);
    }
    if (item->free_fn != NULL) {
        item->free_fn(item->ptr);
    }
    else {
        PyMem_Free(item->ptr);
    }
    acc->items++;
    acc->bytes += item->size;
}

static void
publish_freed(struct _PyQSBR_Shared *shared, const freed_acc *acc)
{
    if (acc->items != 0) {
        _Py_atomic_add_uint64_relaxed(&shared->freed_items, acc->items);
        _Py_atomic_add_uint64_relaxed(&shared->freed_bytes, acc->bytes);
    }
}

/* Relaxed: tunables change only in tests, between phases. */
static inline int
config_poison(struct _PyQSBR_Shared *shared)
{
    return _Py_atomic_load_int_relaxed(&shared->config.poison);
}

/* ------------------------------------------------------------------ */
/* The interpreter's queue                                            */

/* Mirrors for lock-free peeks and stats; shared->mutex held. */
static void
shared_publish_counts(struct _PyQSBR_Shared *shared)
{
    _Py_atomic_store_uint64_relaxed(&shared->queue_count,
                                    shared->queue.count);
    _Py_atomic_store_uint64_relaxed(&shared->queue_bytes,
                                    shared->queue.bytes);
}

/* Frees reached items of the interpreter's queue, SHARED_BATCH at a time,
   calling free functions outside the mutex (a free function may take its
   own locks, and those may be held by code that retires memory).  Never
   waits for the mutex. */
static void
process_shared(struct _PyQSBR_Shared *shared, int may_scan)
{
    /* Relaxed: an item pushed just now is found by a later pass. */
    if (_Py_atomic_load_uint64_relaxed(&shared->queue_count) == 0) {
        return;
    }
    int poison = config_poison(shared);
    freed_acc acc = {0, 0};
    reach_cursor cur;
    cursor_init(&cur, shared, may_scan);
    struct _PyQSBR_Item batch[SHARED_BATCH];
    int n = 0;
    do {
        if (!_PyMutex_TryLock(&shared->mutex)) {
            break;
        }
        n = 0;
        while (n < SHARED_BATCH &&
               pop_reached(shared, &shared->queue, &cur, &batch[n])) {
            n++;
        }
        shared_publish_counts(shared);
        PyMutex_Unlock(&shared->mutex);
        for (int i = 0; i < n; i++) {
            free_item(&batch[i], poison, &acc);
        }
    } while (n == SHARED_BATCH);
    publish_freed(shared, &acc);
}

/* ------------------------------------------------------------------ */
/* Waiting for a goal                                                 */

static void
sleep_ns(int64_t ns)
{
    struct timespec ts = {(time_t)(ns / 1000000000),
                          (long)(ns % 1000000000)};
    nanosleep(&ts, NULL);
}

/* Waits until `goal` is reached or hard_wait_ns passes; 1 if reached.  If
   `tstate` is the calling thread's attached state it is detached for the
   wait: offline it holds nothing back itself, and a stop-the-world is not
   held up.  Lagging threads are asked to report. */
static int
wait_for_goal(struct _PyQSBR_Shared *shared, PyInterpreterState *interp,
              _PyThreadStateImpl *tstate, uint64_t goal)
{
    int detached = 0;
    if (tstate != NULL && _PyThreadState_GET() == &tstate->base) {
        _PyThreadState_Detach(&tstate->base);
        detached = 1;
    }
    int64_t wait = _Py_atomic_load_int64_relaxed(&shared->config.hard_wait_ns);
    PyTime_t deadline = _PyTime_Add(_PyTime_MonotonicNs(), wait);
    int64_t backoff = 10 * 1000;
    int reached = 0;
    for (uint32_t n = 0;; n++) {
        if (_PyQSBR_PollMin(shared) >= goal) {
            reached = 1;
            break;
        }
        if (n % NUDGE_EVERY == 0) {
            _PyQSBR_RequestReports(interp, goal);
        }
        if (_PyTime_MonotonicNs() >= deadline) {
            break;
        }
        sleep_ns(backoff);
        backoff = Py_MIN(backoff * 2, 1000 * 1000);
    }
    if (detached) {
        _PyThreadState_Attach(&tstate->base);
    }
    return reached;
}

/* ------------------------------------------------------------------ */
/* A thread's queue                                                   */

/* Frees what is reached; returns the first unreached goal (0 if none)
   after asking laggards to report, rate-limited. */
static uint64_t
reclaim(_PyThreadStateImpl *tstate, int may_scan)
{
    struct _PyQSBR_ThreadData *d = &tstate->qsbr;
    struct _PyQSBR_Shared *shared = d->shared;
    int poison = config_poison(shared);
    freed_acc acc = {0, 0};
    reach_cursor cur;
    cursor_init(&cur, shared, may_scan);
    struct _PyQSBR_Item item;
    while (pop_reached(shared, &d->queue, &cur, &item)) {
        free_item(&item, poison, &acc);
    }
    publish_freed(shared, &acc);
    if (cur.blocked_goal != 0 && may_scan) {
        _PyQSBR_SetWaiting(tstate, cur.blocked_goal);
        if (d->failed_polls++ % NUDGE_EVERY == 0) {
            _PyQSBR_RequestReports(tstate->base.interp, cur.blocked_goal);
        }
    }
    else if (cur.blocked_goal == 0) {
        _PyQSBR_SetWaiting(tstate, 0);
        d->failed_polls = 0;
    }
    process_shared(shared, may_scan);
    return cur.blocked_goal;
}

/* Asks the eval-breaker handler to call _PyMem_ProcessDelayed. */
static void
request_processing(_PyThreadStateImpl *tstate)
{
    /* Relaxed: only this thread clears the bit. */
    uintptr_t bits = _Py_atomic_load_uintptr_relaxed(&tstate->eval_breaker);
    if (!(bits & _PY_EVAL_QSBR_BIT)) {
        _PyEval_SetBreakerBit(tstate, _PY_EVAL_QSBR_BIT);
    }
}

/* Past the hard limit: everything is tagged, then the thread waits
   detached for the newest goal (see the top of the file). */
static void
hard_reclaim(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_ThreadData *d = &tstate->qsbr;
    struct _PyQSBR_Shared *shared = d->shared;
    if (d->in_hard_reclaim) {
        return;
    }
    if (tstate->critical_section != 0) {
        /* Blocking detaches, and detaching suspends the caller's critical
           sections: a list or dict resize that retires its old array would
           lose its atomicity half-way (items lost or duplicated).  Leave
           the wait to a later retire made outside any critical section and
           ask for processing at the next safe point. */
        request_processing(tstate);
        return;
    }
    d->in_hard_reclaim = 1;
    close_batch(shared, &d->queue);
    uint64_t goal = _Py_atomic_load_uint64(&shared->wr_seq);
    _Py_atomic_add_uint64_relaxed(&shared->hard_waits, 1);
    if (!wait_for_goal(shared, tstate->base.interp, tstate, goal)) {
        _Py_atomic_add_uint64_relaxed(&shared->hard_timeouts, 1);
    }
    reclaim(tstate, 1);
    d->in_hard_reclaim = 0;
}

/* Keeps the thread's holdings bounded after each retire. */
static void
after_retire(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_ThreadData *d = &tstate->qsbr;
    struct _PyQSBR_Queue *q = &d->queue;
    _PyQSBR_Config *c = &d->shared->config;
    /* Relaxed loads of the tunables: see config_poison. */
    uint64_t soft = _Py_atomic_load_uint64_relaxed(&c->soft_limit);
    uint64_t pitems = _Py_atomic_load_uint64_relaxed(&c->process_items);
    uint64_t pbytes = _Py_atomic_load_uint64_relaxed(&c->process_bytes);
    if (q->bytes >= soft) {
        close_batch(d->shared, q);
        reclaim(tstate, 1);
        if (q->bytes >= _Py_atomic_load_uint64_relaxed(&c->hard_limit)) {
            hard_reclaim(tstate);
        }
    }
    else {
        if (q->open_count >= BATCH_ITEMS || q->open_bytes >= BATCH_BYTES) {
            close_batch(d->shared, q);
        }
        if (q->count < pitems && q->bytes < pbytes) {
            return;
        }
        int scan = ++d->retires_since_poll >= SCAN_EVERY;
        if (scan) {
            d->retires_since_poll = 0;
        }
        reclaim(tstate, scan);
    }
    if (q->count >= pitems || q->bytes >= pbytes) {
        request_processing(tstate);
    }
}

/* No attached thread state: the block goes to the interpreter's queue,
   tagged at once.  Without a runtime there are no readers at all. */
static void
free_delayed_shared(void *ptr, size_t size, void (*free_fn)(void *))
{
    struct _PyQSBR_Item item = {ptr, 0, size, free_fn};
    freed_acc acc = {0, 0};
    PyInterpreterState *interp = _PyInterpreterState_Main();
    if (interp == NULL) {
        free_item(&item, 0, &acc);
        return;
    }
    struct _PyQSBR_Shared *shared = &interp->qsbr;
    _PyMutex_LockNoDetach(&shared->mutex);
    /* Advancing under the mutex keeps goals in queue order. */
    uint64_t goal = _PyQSBR_Advance(shared);
    int err = queue_push(&shared->queue, ptr, size, free_fn, goal);
    shared_publish_counts(shared);
    PyMutex_Unlock(&shared->mutex);
    if (err < 0) {
        /* Out of memory for a chunk: wait instead, or leak. */
        if (wait_for_goal(shared, interp, NULL, goal)) {
            free_item(&item, config_poison(shared), &acc);
            publish_freed(shared, &acc);
        }
        return;
    }
    process_shared(shared, 1);
}

/* Out of memory for a chunk with a thread state: tag this one block with
   its own advance and wait for it (detached), or leak it on timeout. */
static void
free_delayed_unqueued(_PyThreadStateImpl *tstate, void *ptr, size_t size,
                      void (*free_fn)(void *))
{
    struct _PyQSBR_Shared *shared = tstate->qsbr.shared;
    struct _PyQSBR_Item item = {ptr, 0, size, free_fn};
    freed_acc acc = {0, 0};
    uint64_t goal = _PyQSBR_Advance(shared);
    if (wait_for_goal(shared, tstate->base.interp, tstate, goal)) {
        free_item(&item, config_poison(shared), &acc);
        publish_freed(shared, &acc);
    }
}

/* The fast path is a push onto the thread's own queue: no lock, no
   atomic read-modify-write (those come once per batch). */
void
_PyMem_FreeDelayedWith(void *ptr, size_t size, void (*free_fn)(void *))
{
    if (ptr == NULL) {
        return;
    }
    _PyThreadStateImpl *tstate = (_PyThreadStateImpl *)_PyThreadState_GET();
    /* Relaxed: our own field, written only at thread init and exit. */
    if (tstate == NULL ||
        _Py_atomic_load_ptr_relaxed(&tstate->qsbr.slot) == NULL) {
        free_delayed_shared(ptr, size, free_fn);
        return;
    }
    if (queue_push(&tstate->qsbr.queue, ptr, size, free_fn, 0) < 0) {
        free_delayed_unqueued(tstate, ptr, size, free_fn);
        return;
    }
    after_retire(tstate);
}

void
_PyMem_FreeDelayed(void *ptr, size_t size)
{
    _PyMem_FreeDelayedWith(ptr, size, NULL);
}

/* At a safe point the thread holds no borrowed pointers, so after closing
   its open batch it reports again: its own slot then never holds back its
   own frees, and a lone thread frees everything at once. */
void
_PyMem_ProcessDelayed(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_Slot *slot = _Py_atomic_load_ptr_relaxed(&tstate->qsbr.slot);
    if (slot == NULL) {
        return;
    }
    /* Relaxed: only this thread clears the bit; a nudge arriving after the
       clear is answered by the report below. */
    uintptr_t bits = _Py_atomic_load_uintptr_relaxed(&tstate->eval_breaker);
    if (bits & _PY_EVAL_QSBR_BIT) {
        _PyEval_ClearBreakerBit(tstate, _PY_EVAL_QSBR_BIT);
    }
    struct _PyQSBR_Queue *q = &tstate->qsbr.queue;
    if (q->open_count != 0) {
        close_batch(tstate->qsbr.shared, q);
    }
    /* Relaxed: our own slot, written only by this thread. */
    if (_Py_atomic_load_uint64_relaxed(&slot->seq) != 0) {
        _PyQSBR_QuiescentState(tstate);
    }
    reclaim(tstate, 1);
    /* Often we are here because a waiting thread asked us to report: a
       poll now raises rd_seq and wakes it, even if it has stopped
       retiring. */
    if (_Py_atomic_load_uint64(&tstate->qsbr.shared->nwaiters) != 0) {
        _PyQSBR_PollMin(tstate->qsbr.shared);
    }
}

/* ------------------------------------------------------------------ */
/* Thread and interpreter teardown                                    */

/* The thread is offline, so only other threads can hold its blocks back;
   what they do is spliced whole onto the interpreter's queue. */
void
_PyMem_DelayedThreadFini(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_ThreadData *d = &tstate->qsbr;
    struct _PyQSBR_Shared *shared = d->shared;
    struct _PyQSBR_Queue *q = &d->queue;
    close_batch(shared, q);
    reclaim(tstate, 1);
    if (q->count != 0) {
        _PyMutex_LockNoDetach(&shared->mutex);
        queue_splice(&shared->queue, q);
        shared_publish_counts(shared);
        PyMutex_Unlock(&shared->mutex);
    }
    queue_clear_chunks(q);
}

/* Frees everything: no thread can read anything any more.  Queues of
   threads never finalized are taken over first. */
void
_PyMem_DelayedInterpFini(PyInterpreterState *interp)
{
    struct _PyQSBR_Shared *shared = &interp->qsbr;
    _Py_FOR_EACH_TSTATE(interp, t) {
        if (t->qsbr.shared == shared) {
            queue_tag_open(&t->qsbr.queue, 1);
            queue_splice(&shared->queue, &t->qsbr.queue);
            queue_clear_chunks(&t->qsbr.queue);
        }
    }
    freed_acc acc = {0, 0};
    struct _PyQSBR_Item item;
    while (queue_peek(&shared->queue) != NULL) {
        queue_pop(&shared->queue, &item);
        free_item(&item, 0, &acc);
    }
    publish_freed(shared, &acc);
    queue_clear_chunks(&shared->queue);
    shared_publish_counts(shared);
}
