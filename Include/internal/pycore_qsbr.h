/* Quiescent-state-based reclamation (Python/qsbr.c) and delayed frees
 * (Objects/pymem.c).
 *
 * Memory a lock-free reader may still be looking at is retired with
 * _PyMem_FreeDelayed and freed once every attached thread has passed a
 * quiescent state (ARCHITECTURE.md section 5).
 *
 * Sequences.  The interpreter's write sequence `wr_seq` starts at 1 and
 * moves in steps of 2, so it is odd and never 0.  Every thread state owns a
 * slot holding its read sequence: 0 while the thread is offline (detached),
 * otherwise the value of wr_seq it loaded at its last quiescent state.
 * Retired memory is tagged with a goal S, a value wr_seq reached after the
 * memory was unlinked; it may be freed once every online slot holds a value
 * >= S.  `rd_seq` caches the last minimum computed over the slots.
 *
 * Delayed frees go on the retiring thread's own queue.  Items retired since
 * the thread last advanced wr_seq form the open batch (goal 0); the batch
 * is closed, and its items tagged, by an advance made by that same thread,
 * which is what orders the unlinks before the goal (see Python/qsbr.c).
 *
 * Bytes held are bounded per thread: past `process_*` the thread's
 * _PY_EVAL_QSBR_BIT is set; past `soft_limit` every retire advances and
 * polls; past `hard_limit` a retire blocks, detached, until the other
 * threads report (Objects/pymem.c, hard_reclaim). */
#ifndef Py_INTERNAL_QSBR_H
#define Py_INTERNAL_QSBR_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include <stdint.h>

struct _PyThreadStateImpl;

/* A thread's read sequence, alone in its cache line so that one thread's
   reports do not slow down another's.  Slots live in chunks that never move
   and are freed only by _PyQSBR_InterpFini; a slot given up by an exiting
   thread is reused by the next new thread. */
struct _PyQSBR_Slot {
    uint64_t seq;                       /* atomic: 0 offline, else odd */
    struct _PyQSBR_Slot *next_free;     /* free list; shared.mutex held */
    int in_use;                         /* shared.mutex held */
} _Py_ALIGNED_CACHE_LINE;

/* One retired block.  goal == 0: in the open batch, not tagged yet. */
struct _PyQSBR_Item {
    void *ptr;
    uint64_t goal;
    size_t size;
    void (*free_fn)(void *);            /* NULL: PyMem_Free */
};

/* Items per chunk: a chunk is just under 4 KiB. */
#define _PyQSBR_CHUNK_ITEMS 126

struct _PyQSBR_ItemChunk {
    struct _PyQSBR_ItemChunk *next;
    uint32_t head;                      /* first item not yet freed */
    uint32_t tail;                      /* one past the last item */
    struct _PyQSBR_Item items[_PyQSBR_CHUNK_ITEMS];
};

/* A FIFO of retired blocks; goals never decrease from head to tail except
   where an exited thread's items were appended to the shared queue. */
struct _PyQSBR_Queue {
    struct _PyQSBR_ItemChunk *first;
    struct _PyQSBR_ItemChunk *last;
    struct _PyQSBR_ItemChunk *spare;    /* one empty chunk kept for reuse */
    size_t count;                       /* items not yet freed */
    size_t bytes;                       /* their sizes */
    size_t peak_bytes;                  /* high-water mark of `bytes` */
    /* The open batch: the last open_count items, from (open_chunk,
       open_index) to the tail. */
    struct _PyQSBR_ItemChunk *open_chunk;
    uint32_t open_index;
    size_t open_count;
    size_t open_bytes;
};

/* Tunables; per interpreter, read with relaxed loads.  Set by
   _PyQSBR_InterpInit, changed by _PyQSBR_SetConfig (tests). */
typedef struct {
    uint64_t process_items; /* queue this long: set _PY_EVAL_QSBR_BIT */
    uint64_t process_bytes; /* or holding this many bytes */
    uint64_t soft_limit;    /* bytes: advance and poll on every retire */
    uint64_t hard_limit;    /* bytes: block (detached) until it drains */
    int64_t hard_wait_ns;   /* longest such block; then carry on */
    int poison;             /* fill blocks with 0xDB just before freeing */
} _PyQSBR_Config;

#define _PyQSBR_DEFAULT_PROCESS_ITEMS 256
#define _PyQSBR_DEFAULT_PROCESS_BYTES (256 * 1024)
#define _PyQSBR_DEFAULT_SOFT_LIMIT (1024 * 1024)
#define _PyQSBR_DEFAULT_HARD_LIMIT (64 * 1024 * 1024)
#define _PyQSBR_DEFAULT_HARD_WAIT_NS (100 * 1000 * 1000)

struct _PyQSBR_SlotChunk;

/* Embedded by value in PyInterpreterState as `qsbr`.  The padding keeps
   the two hot sequences in cache lines of their own. */
struct _PyQSBR_Shared {
    char _pad0[_Py_CACHE_LINE];
    uint64_t wr_seq;                    /* atomic; odd */
    char _pad1[_Py_CACHE_LINE - sizeof(uint64_t)];
    uint64_t rd_seq;                    /* atomic; only grows */
    char _pad2[_Py_CACHE_LINE - sizeof(uint64_t)];

    /* Guards the slot free list, slot allocation and `queue`. */
    PyMutex mutex;
    struct _PyQSBR_SlotChunk *slot_chunks;  /* atomic: pollers walk it */
    struct _PyQSBR_Slot *free_slots;
    uint64_t nslots;                    /* capacity; atomic reads */
    uint64_t nslots_used;               /* atomic reads */

    /* Frees left behind by exited threads and by callers without a
       thread state; queue_count mirrors queue.count for a lock-free peek. */
    struct _PyQSBR_Queue queue;
    uint64_t queue_count;               /* atomic */
    uint64_t queue_bytes;               /* atomic */

    _PyQSBR_Config config;

    /* Threads whose queue waits on a goal (waiting_goal != 0): a poll that
       raises rd_seq to their goal sets their _PY_EVAL_QSBR_BIT, so a thread
       that stopped retiring still gets its memory back. */
    uint64_t nwaiters;                  /* atomic */
    PyInterpreterState *interp;         /* the interpreter embedding this */

    /* Statistics: relaxed atomic adds, at most once per processing pass. */
    uint64_t freed_items;
    uint64_t freed_bytes;
    uint64_t hard_waits;
    uint64_t hard_timeouts;
    uint64_t nudges;
    uint64_t wakeups;
};

/* Embedded by value in _PyThreadStateImpl as `qsbr`.  Only the owning
   thread touches it, except `slot`, which is atomic. */
struct _PyQSBR_ThreadData {
    struct _PyQSBR_Slot *slot;          /* NULL outside ThreadInit..Fini */
    struct _PyQSBR_Shared *shared;
    struct _PyQSBR_Queue queue;         /* this thread's delayed frees */
    uint64_t waiting_goal;              /* atomic: first blocked goal or 0 */
    uint32_t failed_polls;              /* rate-limits nudges */
    uint32_t retires_since_poll;        /* rate-limits opportunistic scans */
    int in_hard_reclaim;                /* no nested blocking */
};

PyAPI_FUNC(int) _PyQSBR_InterpInit(PyInterpreterState *interp);
PyAPI_FUNC(void) _PyQSBR_InterpFini(PyInterpreterState *interp);
/* The thread state is linked into the interpreter but not attached yet. */
PyAPI_FUNC(int) _PyQSBR_ThreadInit(struct _PyThreadStateImpl *tstate);
/* Detached; its pending delayed frees must not be lost. */
PyAPI_FUNC(void) _PyQSBR_ThreadFini(struct _PyThreadStateImpl *tstate);
/* Online when attaching, offline when detaching: a detached thread never
   holds back reclamation. */
PyAPI_FUNC(void) _PyQSBR_Attach(struct _PyThreadStateImpl *tstate);
PyAPI_FUNC(void) _PyQSBR_Detach(struct _PyThreadStateImpl *tstate);
/* Report a quiescent state (no borrowed pointers held); called at every
   eval-breaker check, so it must be cheap. */
PyAPI_FUNC(void) _PyQSBR_QuiescentState(struct _PyThreadStateImpl *tstate);

/* Advances wr_seq; returns the new value. */
PyAPI_FUNC(uint64_t) _PyQSBR_Advance(struct _PyQSBR_Shared *shared);
/* Returns the minimum read sequence over online threads (wr_seq if none
   is online) and raises rd_seq to it, waking waiting threads whose goal
   that reaches.  Scans every slot. */
PyAPI_FUNC(uint64_t) _PyQSBR_PollMin(struct _PyQSBR_Shared *shared);
/* Sets _PY_EVAL_QSBR_BIT on attached threads that have not reported
   `goal` yet, so they report at their next eval-breaker check.  Never
   blocks: does nothing if the thread list is busy. */
PyAPI_FUNC(void) _PyQSBR_RequestReports(PyInterpreterState *interp,
                                        uint64_t goal);

/* Records the first goal the thread's queue waits on (0: none); the
   owning thread only. */
PyAPI_FUNC(void) _PyQSBR_SetWaiting(struct _PyThreadStateImpl *tstate,
                                    uint64_t goal);

/* True if `goal` is known to be reached without scanning. */
static inline int
_PyQSBR_GoalReachedCached(struct _PyQSBR_Shared *shared, uint64_t goal)
{
    return goal <= _Py_atomic_load_uint64_acquire(&shared->rd_seq);
}

/* Retire raw memory (PyMem_* family); freed after a grace period.  May
   block, detached like a contended PyMutex_Lock, when the thread holds more
   than the hard limit: callers must not keep borrowed pointers to shared
   memory across it. */
PyAPI_FUNC(void) _PyMem_FreeDelayed(void *ptr, size_t size);
/* The same, freed with free_fn(ptr) instead of PyMem_Free. */
PyAPI_FUNC(void) _PyMem_FreeDelayedWith(void *ptr, size_t size,
                                        void (*free_fn)(void *));
/* Free what has passed its grace period; called at safe points (the
   calling thread holds no borrowed pointers, so it reports a quiescent
   state itself after closing its open batch). */
PyAPI_FUNC(void) _PyMem_ProcessDelayed(struct _PyThreadStateImpl *tstate);

/* Used by Python/qsbr.c: the thread is exiting (detached); frees what it
   can and hands the rest to the interpreter's queue. */
PyAPI_FUNC(void) _PyMem_DelayedThreadFini(struct _PyThreadStateImpl *tstate);
/* No thread is left: frees every queued block. */
PyAPI_FUNC(void) _PyMem_DelayedInterpFini(PyInterpreterState *interp);

/* For tests and benchmarks. */
typedef struct {
    uint64_t wr_seq;
    uint64_t rd_seq;
    uint64_t freed_items;
    uint64_t freed_bytes;
    uint64_t shared_items;      /* in the interpreter's queue */
    uint64_t shared_bytes;
    uint64_t slots_capacity;
    uint64_t slots_used;
    uint64_t hard_waits;        /* retires that blocked at the hard limit */
    uint64_t hard_timeouts;     /* ... and gave up after hard_wait_ns */
    uint64_t nudges;            /* threads asked to report */
    uint64_t wakeups;           /* waiting threads told their goal came */
} _PyQSBR_Stats;

PyAPI_FUNC(void) _PyQSBR_GetStats(PyInterpreterState *interp,
                                  _PyQSBR_Stats *stats);
PyAPI_FUNC(void) _PyQSBR_GetConfig(PyInterpreterState *interp,
                                   _PyQSBR_Config *config);
PyAPI_FUNC(void) _PyQSBR_SetConfig(PyInterpreterState *interp,
                                   const _PyQSBR_Config *config);

#endif /* !Py_INTERNAL_QSBR_H */
