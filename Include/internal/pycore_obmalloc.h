/* The object allocator (Objects/obmalloc.c).
 *
 * Type-stable and walkable (ARCHITECTURE.md section 5).  Objects live in
 * 64 KiB pages carved from 4 MiB arenas that come from mimalloc and never go
 * back.  A page holds blocks of one size class and one kind (GC or non-GC)
 * and belongs to one heap: the heap of a thread state, or the locked heap
 * used when no thread state is attached.  When a thread state goes away its
 * pages move to the shared pool of its interpreter, from which other threads
 * adopt them.  Objects above the largest size class come from mimalloc
 * directly, behind a small header that keeps them on a list for the walker.
 * Objects/obmalloc.c explains the locking. */
#ifndef Py_INTERNAL_OBMALLOC_H
#define Py_INTERNAL_OBMALLOC_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

struct _PyThreadStateImpl;
struct _PyObmalloc_Page;        /* private to Objects/obmalloc.c */

/* Kinds of object memory; GC and non-GC objects never share a page. */
#define _PyObmalloc_KIND_NONGC 0
#define _PyObmalloc_KIND_GC 1
#define _PyObmalloc_NUM_KINDS 2

/* Size classes: 32..512 bytes in 16-byte steps, four per doubling up to
   4 KiB, then sizes that fit 15..4 blocks in a page (checked in
   Objects/obmalloc.c). */
#define _PyObmalloc_NUM_CLASSES 53

/* The pages a heap owns for one (kind, size class).  `cur` is the page
   allocations come from; `avail` and `full` are circular doubly linked
   lists through the pages themselves: pages with free blocks, and pages
   that had none when last looked at. */
struct _PyObmalloc_Queue {
    struct _PyObmalloc_Page *cur;
    struct _PyObmalloc_Page *avail;
    struct _PyObmalloc_Page *full;
};

/* Embedded by value in _PyThreadStateImpl as `obmalloc`: the thread's heap.
   Only the thread the state is attached to touches the queues (or anyone
   while the world is stopped, or ThreadFini once the state is dead). */
struct _PyObmalloc_ThreadData {
    struct _PyObmalloc_Queue queues[_PyObmalloc_NUM_KINDS]
                                   [_PyObmalloc_NUM_CLASSES];
    /* The pool the heap is registered with (NULL until registered) and the
       links of its registry; both guarded by that pool's mutex. */
    struct _PyObmalloc_Shared *shared;
    struct _PyObmalloc_ThreadData *reg_next;
    struct _PyObmalloc_ThreadData *reg_prev;
};

/* Embedded by value in PyInterpreterState as `obmalloc`: the shared pool.
   `mutex` guards everything here.  `abandoned` holds pages of exited
   threads that still have live blocks, by kind and class; `empty` holds
   pages with no live block, by class (any kind may adopt them); `retired`
   holds empty pages leaving their class, oldest first, each waiting for a
   QSBR goal before it may take another.  All lists are circular doubly
   linked through the pages. */
struct _PyObmalloc_Shared {
    PyMutex mutex;
    struct _PyObmalloc_ThreadData *heaps;
    struct _PyObmalloc_Page *abandoned[_PyObmalloc_NUM_KINDS]
                                      [_PyObmalloc_NUM_CLASSES];
    struct _PyObmalloc_Page *empty[_PyObmalloc_NUM_CLASSES];
    struct _PyObmalloc_Page *retired;
    size_t nretired;
    size_t retire_cursor;           /* class the next retirement starts at */
};

PyAPI_FUNC(int) _PyObmalloc_InterpInit(PyInterpreterState *interp);
PyAPI_FUNC(void) _PyObmalloc_InterpFini(PyInterpreterState *interp);
PyAPI_FUNC(int) _PyObmalloc_ThreadInit(struct _PyThreadStateImpl *tstate);
/* The thread is exiting: its pages go to the shared pool. */
PyAPI_FUNC(void) _PyObmalloc_ThreadFini(struct _PyThreadStateImpl *tstate);

/* Around fork(), called with the world stopped: Before takes every
   allocator lock (threads without a thread state may hold one), AfterParent
   releases them, AfterChild resets them in the only thread left. */
PyAPI_FUNC(void) _PyObmalloc_BeforeFork(void);
PyAPI_FUNC(void) _PyObmalloc_AfterForkParent(void);
PyAPI_FUNC(void) _PyObmalloc_AfterForkChild(void);

/* Memory for a GC-tracked object (PyObject_Malloc is the non-GC one). */
PyAPI_FUNC(void *) _PyObject_MallocGC(size_t size);

/* The bytes usable in an object block (>= the size asked for). */
PyAPI_FUNC(size_t) _PyObmalloc_UsableSize(void *block);
/* _PyObmalloc_KIND_GC or _PyObmalloc_KIND_NONGC for an object block. */
PyAPI_FUNC(int) _PyObmalloc_Kind(void *block);

/* Calls visit(block, size, arg) for every allocated block of the selected
   kinds, including those in pages of exited threads; stops early and returns
   the visitor's value if it is non-zero.  The world must be stopped, and
   the visitor must not allocate or free objects (it may use PyMem_*).
   Threads with no thread state must not free objects meanwhile. */
#define _PyObmalloc_VISIT_GC 1
#define _PyObmalloc_VISIT_NONGC 2
typedef int (*_PyObmalloc_visitor)(void *block, size_t size, void *arg);
PyAPI_FUNC(int) _PyObmalloc_VisitAll(int which, _PyObmalloc_visitor visit,
                                     void *arg);

#endif /* !Py_INTERNAL_OBMALLOC_H */
