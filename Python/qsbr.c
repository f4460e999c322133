/* Quiescent-state-based reclamation: sequences, per-thread slots, polling.
 *
 * The interpreter keeps a write sequence wr_seq (odd, starts at 1, steps
 * of 2).  Every thread state owns a slot with its read sequence: 0 while
 * offline (detached), else the wr_seq it loaded at its last quiescent
 * state.  Memory unlinked before an advance of wr_seq to S may be freed
 * once every online slot holds a value >= S.  The queues of retired memory
 * are in Objects/pymem.c; this file only answers "has S been reached?".
 *
 * Memory order, the argument in three cases:
 *  - Online reader R reports: R's report is a release store of a value it
 *    loaded with acquire from wr_seq.  The retirer's unlink is sequenced
 *    before its seq_cst advance, so R loading a value >= S means R sees
 *    the unlink afterwards; and R's earlier reads of the retired memory
 *    happen before the poller's acquire load of R's slot, hence before the
 *    free.
 *  - Offline reader coming online: a Dekker pattern.  Attach stores its
 *    slot seq_cst and then issues a seq_cst fence before reading shared
 *    data; pollers load slots seq_cst after loading wr_seq >= S.  Either
 *    the poller sees the slot (and waits for it), or the attaching thread
 *    sees the unlink.
 *  - Going offline: a release store of 0 publishes the reader's earlier
 *    reads to the poller that loads the 0.
 *
 * Slots are in fixed chunks of SLOTS_PER_CHUNK cache lines that never move,
 * pushed on a list that pollers walk without a lock; they are freed only by
 * _PyQSBR_InterpFini, so a poller never reads freed memory.  A slot given up
 * by an exiting thread goes on a free list and is reused. */
#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_qsbr.h"

#define QSBR_INITIAL 1
#define QSBR_INCR 2
#define SLOTS_PER_CHUNK 16

struct _PyQSBR_SlotChunk {
    struct _PyQSBR_Slot slots[SLOTS_PER_CHUNK];
    struct _PyQSBR_SlotChunk *next;     /* older chunk; set before publish */
    void *alloc_base;                   /* what PyMem_RawFree takes */
};

/* ------------------------------------------------------------------ */
/* Interpreter                                                        */

/* Defaults tuned so that a Python-level retire-heavy loop is drained at
   eval-breaker checks long before the soft limit is reached. */
static void
default_config(_PyQSBR_Config *config)
{
    config->process_items = _PyQSBR_DEFAULT_PROCESS_ITEMS;
    config->process_bytes = _PyQSBR_DEFAULT_PROCESS_BYTES;
    config->soft_limit = _PyQSBR_DEFAULT_SOFT_LIMIT;
    config->hard_limit = _PyQSBR_DEFAULT_HARD_LIMIT;
    config->hard_wait_ns = _PyQSBR_DEFAULT_HARD_WAIT_NS;
    config->poison = 0;
}

/* wr_seq and rd_seq both start at 1: no goal (always >= 3) is reached
   before the first poll. */
int
_PyQSBR_InterpInit(PyInterpreterState *interp)
{
    struct _PyQSBR_Shared *shared = &interp->qsbr;
    memset(shared, 0, sizeof(*shared));
    shared->wr_seq = QSBR_INITIAL;
    shared->rd_seq = QSBR_INITIAL;
    shared->interp = interp;
    default_config(&shared->config);
    return 0;
}

/* Every thread has gone through _PyQSBR_ThreadFini, or is abandoned: no
   one reads anything any more, so every queued block is freed and the
   slot chunks with them. */
void
_PyQSBR_InterpFini(PyInterpreterState *interp)
{
    struct _PyQSBR_Shared *shared = &interp->qsbr;
    _PyMem_DelayedInterpFini(interp);
    _Py_FOR_EACH_TSTATE(interp, t) {
        _Py_atomic_store_ptr_release(&t->qsbr.slot, NULL);
    }
    struct _PyQSBR_SlotChunk *chunk = shared->slot_chunks;
    while (chunk != NULL) {
        struct _PyQSBR_SlotChunk *next = chunk->next;
        PyMem_RawFree(chunk->alloc_base);
        chunk = next;
    }
    shared->slot_chunks = NULL;
    shared->free_slots = NULL;
    shared->nslots = 0;
    shared->nslots_used = 0;
}

/* ------------------------------------------------------------------ */
/* Slots                                                              */

/* A zeroed chunk aligned to a cache line; its slots go on the free list
   and the chunk is published for pollers.  shared->mutex held. */
static int
grow_slots(struct _PyQSBR_Shared *shared)
{
    size_t size = sizeof(struct _PyQSBR_SlotChunk) + _Py_CACHE_LINE - 1;
    void *base = PyMem_RawCalloc(1, size);
    if (base == NULL) {
        return -1;
    }
    struct _PyQSBR_SlotChunk *chunk = _Py_ALIGN_UP(base, _Py_CACHE_LINE);
    chunk->alloc_base = base;
    for (int i = SLOTS_PER_CHUNK - 1; i >= 0; i--) {
        chunk->slots[i].next_free = shared->free_slots;
        shared->free_slots = &chunk->slots[i];
    }
    chunk->next = shared->slot_chunks;
    _Py_atomic_store_ptr_release(&shared->slot_chunks, chunk);
    _Py_atomic_store_uint64(&shared->nslots,
                            shared->nslots + SLOTS_PER_CHUNK);
    return 0;
}

/* An offline slot for a new thread state, or NULL when out of memory. */
static struct _PyQSBR_Slot *
alloc_slot(struct _PyQSBR_Shared *shared)
{
    struct _PyQSBR_Slot *slot = NULL;
    _PyMutex_LockNoDetach(&shared->mutex);
    if (shared->free_slots != NULL || grow_slots(shared) == 0) {
        slot = shared->free_slots;
        shared->free_slots = slot->next_free;
        slot->next_free = NULL;
        slot->in_use = 1;
        _Py_atomic_store_uint64(&shared->nslots_used,
                                shared->nslots_used + 1);
    }
    PyMutex_Unlock(&shared->mutex);
    return slot;
}

/* The slot is offline (0), so pollers already ignore it. */
static void
free_slot(struct _PyQSBR_Shared *shared, struct _PyQSBR_Slot *slot)
{
    _PyMutex_LockNoDetach(&shared->mutex);
    assert(slot->in_use);
    slot->in_use = 0;
    slot->next_free = shared->free_slots;
    shared->free_slots = slot;
    _Py_atomic_store_uint64(&shared->nslots_used, shared->nslots_used - 1);
    PyMutex_Unlock(&shared->mutex);
}

/* The owner reads its own slot pointer: only ThreadInit and ThreadFini
   write it, never while the thread runs, so relaxed is enough. */
static inline struct _PyQSBR_Slot *
own_slot(_PyThreadStateImpl *tstate)
{
    return _Py_atomic_load_ptr_relaxed(&tstate->qsbr.slot);
}

/* The new thread starts offline; it comes online at its first attach. */
int
_PyQSBR_ThreadInit(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_Shared *shared = &tstate->base.interp->qsbr;
    struct _PyQSBR_Slot *slot = alloc_slot(shared);
    if (slot == NULL) {
        return -1;
    }
    /* Field by field: `slot` and `waiting_goal` may already be read
       (atomically) through the thread list, which holds this thread state,
       by _PyQSBR_RequestReports and wake_waiters; the release store of the
       slot publishes the rest. */
    struct _PyQSBR_ThreadData *d = &tstate->qsbr;
    d->shared = shared;
    memset(&d->queue, 0, sizeof(d->queue));
    d->failed_polls = 0;
    d->retires_since_poll = 0;
    d->in_hard_reclaim = 0;
    _Py_atomic_store_uint64(&d->waiting_goal, 0);
    _Py_atomic_store_ptr_release(&d->slot, slot);
    return 0;
}

/* Called detached, so the slot is offline; pending frees are handed on
   before the slot is given up. */
void
_PyQSBR_ThreadFini(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_Slot *slot = own_slot(tstate);
    if (slot == NULL) {
        return;
    }
    _Py_atomic_store_uint64_release(&slot->seq, 0);
    _PyMem_DelayedThreadFini(tstate);
    _PyQSBR_SetWaiting(tstate, 0);
    _Py_atomic_store_ptr_release(&tstate->qsbr.slot, NULL);
    free_slot(tstate->qsbr.shared, slot);
}

/* ------------------------------------------------------------------ */
/* Online, offline, quiescent                                         */

/* Seq_cst store then seq_cst fence: the Dekker half that pairs with the
   pollers' seq_cst loads of the slots (see the top of this file). */
void
_PyQSBR_Attach(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_Slot *slot = own_slot(tstate);
    if (slot == NULL) {
        return;
    }
    uint64_t seq = _Py_atomic_load_uint64(&tstate->qsbr.shared->wr_seq);
    _Py_atomic_store_uint64(&slot->seq, seq);
    _Py_atomic_fence_seq_cst();
}

/* The store releases whatever the thread read before going offline to a
   poller that sees the 0.  Going offline may be what a waiting thread
   needs, so if there is one we poll for it: the seq_cst store and load
   pair with _PyQSBR_SetWaiting's add and re-poll, so either we see the
   waiter or its re-poll sees our 0. */
void
_PyQSBR_Detach(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_Slot *slot = own_slot(tstate);
    if (slot == NULL) {
        return;
    }
    struct _PyQSBR_Shared *shared = tstate->qsbr.shared;
    _Py_atomic_store_uint64(&slot->seq, 0);
    if (_Py_atomic_load_uint64(&shared->nwaiters) != 0) {
        _PyQSBR_PollMin(shared);
    }
}

/* One acquire load and one release store.  Only for an online thread: an
   offline one must come back through _PyQSBR_Attach and its fence. */
void
_PyQSBR_QuiescentState(_PyThreadStateImpl *tstate)
{
    struct _PyQSBR_Slot *slot = own_slot(tstate);
    if (slot == NULL) {
        return;
    }
    assert(_Py_atomic_load_uint64_relaxed(&slot->seq) != 0);
    uint64_t seq = _Py_atomic_load_uint64_acquire(
        &tstate->qsbr.shared->wr_seq);
    _Py_atomic_store_uint64_release(&slot->seq, seq);
}

/* ------------------------------------------------------------------ */
/* Advancing and polling                                              */

/* Seq_cst read-modify-write: it releases every unlink the caller made
   before it, and later RMWs by any thread extend its release sequence. */
uint64_t
_PyQSBR_Advance(struct _PyQSBR_Shared *shared)
{
    return _Py_atomic_add_uint64(&shared->wr_seq, QSBR_INCR) + QSBR_INCR;
}

/* The thread list is walked under threads_mutex (thread states stay
   allocated while listed), try-lock only: this runs on retire paths that
   must not block.  A miss costs the waiter a delay, not correctness: its
   blocks are still freed at its next retire, safe point or exit. */
static void
wake_waiters(struct _PyQSBR_Shared *shared, uint64_t rd)
{
    PyInterpreterState *interp = shared->interp;
    if (!_PyMutex_TryLock(&interp->threads_mutex)) {
        return;
    }
    uint64_t n = 0;
    _Py_FOR_EACH_TSTATE(interp, t) {
        uint64_t goal = _Py_atomic_load_uint64(&t->qsbr.waiting_goal);
        /* Relaxed: a stale bit only costs one redundant OR. */
        uintptr_t bits = _Py_atomic_load_uintptr_relaxed(&t->eval_breaker);
        if (goal != 0 && goal <= rd && !(bits & _PY_EVAL_QSBR_BIT)) {
            _PyEval_SetBreakerBit(t, _PY_EVAL_QSBR_BIT);
            n++;
        }
    }
    PyMutex_Unlock(&interp->threads_mutex);
    if (n != 0) {
        _Py_atomic_add_uint64_relaxed(&shared->wakeups, n);
    }
}

/* rd_seq only grows: a smaller minimum seen later (a thread that came
   online with an older wr_seq) does not make earlier answers wrong, by the
   Dekker argument at the top of the file. */
static uint64_t
raise_rd_seq(struct _PyQSBR_Shared *shared, uint64_t min)
{
    uint64_t old = _Py_atomic_load_uint64(&shared->rd_seq);
    while (old < min) {
        if (_Py_atomic_compare_exchange_uint64(&shared->rd_seq, &old, min)) {
            if (_Py_atomic_load_uint64(&shared->nwaiters) != 0) {
                wake_waiters(shared, min);
            }
            return min;
        }
    }
    return old;
}

/* A new waiter polls once more after registering: a thread that went
   offline or reported (and polled) between our failed poll and the
   registration did not see us. */
void
_PyQSBR_SetWaiting(_PyThreadStateImpl *tstate, uint64_t goal)
{
    struct _PyQSBR_ThreadData *d = &tstate->qsbr;
    /* Relaxed: only the owner writes it. */
    uint64_t old = _Py_atomic_load_uint64_relaxed(&d->waiting_goal);
    if (old == goal) {
        return;
    }
    _Py_atomic_store_uint64(&d->waiting_goal, goal);
    if (goal == 0) {
        _Py_atomic_add_uint64(&d->shared->nwaiters, (uint64_t)-1);
    }
    else if (old == 0) {
        _Py_atomic_add_uint64(&d->shared->nwaiters, 1);
        if (_PyQSBR_PollMin(d->shared) >= goal) {
            _PyEval_SetBreakerBit(tstate, _PY_EVAL_QSBR_BIT);
        }
    }
}

/* wr_seq is loaded before the slots, so a thread that comes online after
   its slot was read is covered by the Dekker pattern, not by the minimum. */
uint64_t
_PyQSBR_PollMin(struct _PyQSBR_Shared *shared)
{
    uint64_t min = _Py_atomic_load_uint64(&shared->wr_seq);
    struct _PyQSBR_SlotChunk *chunk =
        _Py_atomic_load_ptr_acquire(&shared->slot_chunks);
    for (; chunk != NULL; chunk = chunk->next) {
        for (int i = 0; i < SLOTS_PER_CHUNK; i++) {
            uint64_t seq = _Py_atomic_load_uint64(&chunk->slots[i].seq);
            if (seq != 0 && seq < min) {
                min = seq;
            }
        }
    }
    return raise_rd_seq(shared, min);
}

/* Thread states stay allocated while they are on the list and
   threads_mutex is held, so setting their bits is safe.  Try-lock only:
   this runs on retire paths that must not block. */
void
_PyQSBR_RequestReports(PyInterpreterState *interp, uint64_t goal)
{
    if (!_PyMutex_TryLock(&interp->threads_mutex)) {
        return;
    }
    uint64_t n = 0;
    _Py_FOR_EACH_TSTATE(interp, t) {
        struct _PyQSBR_Slot *slot = _Py_atomic_load_ptr_acquire(&t->qsbr.slot);
        if (slot == NULL) {
            continue;
        }
        uint64_t seq = _Py_atomic_load_uint64(&slot->seq);
        /* Relaxed: a stale bit only costs one redundant OR. */
        uintptr_t bits = _Py_atomic_load_uintptr_relaxed(&t->eval_breaker);
        if (seq != 0 && seq < goal && !(bits & _PY_EVAL_QSBR_BIT)) {
            _PyEval_SetBreakerBit(t, _PY_EVAL_QSBR_BIT);
            n++;
        }
    }
    PyMutex_Unlock(&interp->threads_mutex);
    if (n != 0) {
        _Py_atomic_add_uint64_relaxed(&interp->qsbr.nudges, n);
    }
}

/* ------------------------------------------------------------------ */
/* Tests and benchmarks                                               */

/* Counters are read relaxed: a snapshot for reporting, not for
   synchronisation (tests synchronise through their own handshakes). */
void
_PyQSBR_GetStats(PyInterpreterState *interp, _PyQSBR_Stats *stats)
{
    struct _PyQSBR_Shared *s = &interp->qsbr;
    stats->wr_seq = _Py_atomic_load_uint64(&s->wr_seq);
    stats->rd_seq = _Py_atomic_load_uint64(&s->rd_seq);
    stats->freed_items = _Py_atomic_load_uint64_relaxed(&s->freed_items);
    stats->freed_bytes = _Py_atomic_load_uint64_relaxed(&s->freed_bytes);
    stats->shared_items = _Py_atomic_load_uint64_relaxed(&s->queue_count);
    stats->shared_bytes = _Py_atomic_load_uint64_relaxed(&s->queue_bytes);
    stats->slots_capacity = _Py_atomic_load_uint64_relaxed(&s->nslots);
    stats->slots_used = _Py_atomic_load_uint64_relaxed(&s->nslots_used);
    stats->hard_waits = _Py_atomic_load_uint64_relaxed(&s->hard_waits);
    stats->hard_timeouts = _Py_atomic_load_uint64_relaxed(&s->hard_timeouts);
    stats->nudges = _Py_atomic_load_uint64_relaxed(&s->nudges);
    stats->wakeups = _Py_atomic_load_uint64_relaxed(&s->wakeups);
}

/* Relaxed field by field: each tunable is independent and read relaxed
   on the retire path. */
void
_PyQSBR_GetConfig(PyInterpreterState *interp, _PyQSBR_Config *config)
{
    _PyQSBR_Config *c = &interp->qsbr.config;
    config->process_items = _Py_atomic_load_uint64_relaxed(&c->process_items);
    config->process_bytes = _Py_atomic_load_uint64_relaxed(&c->process_bytes);
    config->soft_limit = _Py_atomic_load_uint64_relaxed(&c->soft_limit);
    config->hard_limit = _Py_atomic_load_uint64_relaxed(&c->hard_limit);
    config->hard_wait_ns = _Py_atomic_load_int64_relaxed(&c->hard_wait_ns);
    config->poison = _Py_atomic_load_int_relaxed(&c->poison);
}

void
_PyQSBR_SetConfig(PyInterpreterState *interp, const _PyQSBR_Config *config)
{
    _PyQSBR_Config *c = &interp->qsbr.config;
    _Py_atomic_store_uint64_relaxed(&c->process_items, config->process_items);
    _Py_atomic_store_uint64_relaxed(&c->process_bytes, config->process_bytes);
    _Py_atomic_store_uint64_relaxed(&c->soft_limit, config->soft_limit);
    _Py_atomic_store_uint64_relaxed(&c->hard_limit, config->hard_limit);
    _Py_atomic_store_int64_relaxed(&c->hard_wait_ns, config->hard_wait_ns);
    _Py_atomic_store_int_relaxed(&c->poison, config->poison);
}
