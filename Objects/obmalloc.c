/* The object allocator: PyObject_Malloc, PyObject_Calloc, PyObject_Realloc,
 * PyObject_Free and _PyObject_MallocGC (ARCHITECTURE.md section 5).
 *
 * Layout.  Arenas of 4 MiB, aligned to 4 MiB, come from mimalloc and are
 * never given back.  A bitmap indexed by address >> 22 (arena_map) says
 * whether an address lies in one: that is how a free tells a page block from
 * a large object.  Arenas are cut into 64 KiB pages, so masking a block's
 * address finds its page header.  A page holds blocks of one size class and
 * one kind (GC or non-GC).  Its header carries an allocation bitmap, one bit
 * per 16-byte granule, set for the first granule of every allocated block:
 * the walker knows exactly which blocks are live without reading freed
 * memory.  Requests above the largest class go to mimalloc behind an
 * obm_large header that keeps them on a list the walker can see.
 *
 * Type stability.  Free blocks are linked through the word at offset 24,
 * where ob_type lives, so the first 24 bytes of a freed object (ob_tid,
 * ob_flags, ob_mutex, ob_gc_bits, ob_ref_local, ob_ref_shared) are never
 * written by the allocator: a lock-free reader that increments a just-freed
 * object's count hits a count field.  Empty pages wait in the pool for a
 * heap needing their class (of either kind: the block layout is the same).
 * A page changes class only when a heap needs a page that no list can give:
 * empty pages of other classes are then retired with a QSBR goal and take
 * a new class once every thread has passed a quiescent state after it, so
 * no reader can still hold a pointer into them.  Pages never go back to
 * mimalloc.  Large objects do, through _PyMem_FreeDelayedWith, after a
 * grace period as well.
 *
 * Thread safety.
 * - Owner paths, no lock and no atomic read-modify-write: allocating from
 *   and freeing to a page owned by the calling thread's heap.  The heap is
 *   that of the thread state attached to this OS thread; a thread state is
 *   attached to one OS thread at a time, so a heap has one user at a time.
 *   Only the owner touches a page's local_free, bump, used, queue links and
 *   bitmap.
 * - Frees from any other thread are lock-free: page->owner is read with a
 *   relaxed load (a thread sees its own heap there only if it stored it, so
 *   a stale value merely sends it down the remote path) and the block is
 *   pushed onto page->remote_free with a CAS.  Pushers touch nothing else.
 *   The owner takes the whole list with an exchange when its local list runs
 *   dry, then clears the bits and counts.
 * - Under a PyMutex, always taken without detaching so that a stop-the-world
 *   never finds an attached thread inside the allocator: a pool
 *   (struct _PyObmalloc_Shared: heap registry, abandoned and empty pages, and
 *   the owner fields of pages that have no owner), the arena source, the heap
 *   used by threads with no thread state, and each shard of the large-object
 *   lists.  Lock order: notstate, interpreter pool, early pool, arena
 *   source.  Large shards are never held together with another lock.  The
 *   QSBR calls made on the way to a class change (_PyQSBR_PollMin,
 *   _PyQSBR_RequestReports) never block and run without the pool lock.
 * - The walker runs with the world stopped, so every other attached thread
 *   is at a safe point, outside the allocator.  It still takes the locks
 *   above, because threads without a thread state and ThreadFini (which runs
 *   detached) are not stopped.  It changes nothing: it copies a page's
 *   bitmap and clears the bits of the blocks waiting on the remote list.
 */
#include "Python.h"
#include "pycore_pystate.h"
#include "pycore_obmalloc.h"
#include "pycore_qsbr.h"

#include <mimalloc.h>
#include <stdbool.h>
#include <string.h>

#ifdef _Py_ADDRESS_SANITIZER
#  include <sanitizer/asan_interface.h>
#endif
#if defined(_Py_ADDRESS_SANITIZER) || defined(_Py_THREAD_SANITIZER)
#  include <malloc.h>
#endif

#define OBM_PAGE_SHIFT 16
#define OBM_PAGE_SIZE ((size_t)1 << OBM_PAGE_SHIFT)
#define OBM_ARENA_SHIFT 22
#define OBM_ARENA_SIZE ((size_t)1 << OBM_ARENA_SHIFT)
#define OBM_GRANULE_SHIFT 4
#define OBM_BITMAP_WORDS (OBM_PAGE_SIZE >> OBM_GRANULE_SHIFT >> 6)
#define OBM_ADDRESS_BITS 48
#define OBM_ARENA_MAP_WORDS \
    ((size_t)1 << (OBM_ADDRESS_BITS - OBM_ARENA_SHIFT - 6))
/* Blocks carved from a fresh page at a time: about one OS page. */
#define OBM_CARVE_BYTES 4096
/* Pages looked at per slow path in a heap's full list or a pool list. */
#define OBM_SCAN_LIMIT 8
/* Empty pages retired from other classes per page a heap cannot find, and
   the most a pool keeps waiting (16 MiB). */
#define OBM_RETIRE_BATCH 8
#define OBM_RETIRE_MAX 256
#define OBM_LARGE_SHARDS 16
#define OBM_LARGE_MAGIC 0x4c617267u

typedef struct _PyObmalloc_ThreadData obm_heap;
typedef struct _PyObmalloc_Shared obm_pool;
typedef struct _PyObmalloc_Queue obm_queue;
typedef struct _PyObmalloc_Page obm_page;

/* A free block: the object header is left alone, the link sits where
   ob_type lives. */
typedef struct obm_block {
    char header[offsetof(PyObject, ob_type)];
    struct obm_block *next;
} obm_block;

#define OBM_FREE_KEEP sizeof(obm_block)   /* bytes of a free block in use */

/* Where a page is: it is on exactly one list (or is a heap's cur page). */
enum {
    OBM_IN_NONE = 0,
    OBM_IN_CUR,
    OBM_IN_AVAIL,
    OBM_IN_FULL,
    OBM_IN_ABANDONED,
    OBM_IN_EMPTY,
    OBM_IN_RETIRED,
};

struct _PyObmalloc_Page {
    /* Read by every free; written only when the page changes hands. */
    obm_heap *owner;                /* atomic; NULL when in a pool */
    uint32_t block_size;
    uint16_t cls;
    uint8_t kind;
    /* The owner's (or, with no owner, the pool lock holder's). */
    obm_block *local_free _Py_ALIGNED_CACHE_LINE;
    char *bump;                     /* first block never handed out */
    char *end;                      /* end of the last whole block */
    obm_page *next;
    obm_page *prev;
    uint64_t retire_goal;           /* OBM_IN_RETIRED: QSBR goal */
    uint32_t used;                  /* blocks out, remote frees not yet
                                       collected included */
    uint8_t where;                  /* OBM_IN_* */
    /* Pushed onto by other threads. */
    obm_block *remote_free _Py_ALIGNED_CACHE_LINE;
    uint64_t alloc_bits[OBM_BITMAP_WORDS] _Py_ALIGNED_CACHE_LINE;
};

#define OBM_PAGE_HEADER sizeof(obm_page)
#define OBM_FIT(n) \
    ((uint32_t)(((OBM_PAGE_SIZE - OBM_PAGE_HEADER) / (n)) & ~(size_t)15))

static const uint32_t class_size[_PyObmalloc_NUM_CLASSES] = {
    32, 48, 64, 80, 96, 112, 128, 144, 160, 176, 192, 208, 224, 240, 256,
    272, 288, 304, 320, 336, 352, 368, 384, 400, 416, 432, 448, 464, 480,
    496, 512,
    640, 768, 896, 1024, 1280, 1536, 1792, 2048, 2560, 3072, 3584, 4096,
    OBM_FIT(15), OBM_FIT(13), OBM_FIT(11), OBM_FIT(10), OBM_FIT(9),
    OBM_FIT(8), OBM_FIT(7), OBM_FIT(6), OBM_FIT(5), OBM_FIT(4),
};

#define OBM_MAX_SMALL OBM_FIT(4)
#define OBM_FIRST_COARSE 31     /* class of 640 */
#define OBM_FIRST_FIT 43        /* class of OBM_FIT(15) */

_Static_assert(offsetof(PyObject, ob_type) == 24,
               "the free-list link must not overlap the refcount fields");
_Static_assert(OBM_FREE_KEEP == 32, "the smallest class holds a free block");
_Static_assert(OBM_PAGE_HEADER % 64 == 0, "page header is whole lines");
_Static_assert(OBM_FIT(15) > 4096, "fitted classes follow 4096");
_Static_assert(sizeof(class_size) / sizeof(class_size[0]) ==
               _PyObmalloc_NUM_CLASSES, "class table size");

/* A large object's header, just before the object. */
typedef struct obm_large {
    struct obm_large *next;
    struct obm_large *prev;
    size_t size;                    /* usable bytes after the header */
    uint32_t kind;
    uint32_t magic;                 /* OBM_LARGE_MAGIC while allocated */
} obm_large;

_Static_assert(sizeof(obm_large) % 16 == 0, "large objects stay aligned");

/* One bit per 4 MiB of address space: set for arenas.  Set once, never
   cleared (arenas are never freed). */
static uint64_t arena_map[OBM_ARENA_MAP_WORDS];

/* Where fresh pages come from. */
static struct {
    PyMutex mutex;
    char *next;             /* next unused page of the newest arena */
    char *end;
} source;

/* The heap of threads with no attached thread state (before the runtime
   exists, foreign threads), used under its mutex. */
static struct {
    PyMutex mutex;
    obm_heap heap;
} notstate;

/* The pool used before an interpreter exists and after it is gone. */
static obm_pool early_pool;

typedef struct {
    PyMutex mutex _Py_ALIGNED_CACHE_LINE;
    obm_large *head;
} obm_large_shard;

static obm_large_shard large_shards[OBM_LARGE_SHARDS];


/* ------------------------------------------------------------------ */
/* Small helpers                                                      */

/* Locks never detach: see "Thread safety" above. */
static inline void
obm_lock(PyMutex *m)
{
    _PyMutex_LockNoDetach(m);
}

/* The bytes of a free block past the header and link are off limits under
   ASan, so that a use after free of an object is still reported. */
static inline void
asan_poison(void *p, size_t n)
{
#ifdef _Py_ADDRESS_SANITIZER
    __asan_poison_memory_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}

/* A block handed out is usable whole. */
static inline void
asan_unpoison(void *p, size_t n)
{
#ifdef _Py_ADDRESS_SANITIZER
    __asan_unpoison_memory_region(p, n);
#else
    (void)p;
    (void)n;
#endif
}

/* A free block keeps its header and link readable. */
static inline void
poison_free_block(obm_block *b, size_t block_size)
{
    asan_poison((char *)b + OBM_FREE_KEEP, block_size - OBM_FREE_KEEP);
}

/* Pages are aligned to their size, so the header is found by masking. */
static inline obm_page *
page_of(const void *p)
{
    return (obm_page *)((uintptr_t)p & ~(uintptr_t)(OBM_PAGE_SIZE - 1));
}

/* Whether p lies in an arena.  Relaxed is enough: a thread holding a
   pointer into an arena got it, through some synchronisation, from the
   thread that allocated it, which happened after the bit was set. */
static inline bool
in_arena(const void *p)
{
    uintptr_t a = (uintptr_t)p >> OBM_ARENA_SHIFT;
    if (a >= ((uintptr_t)1 << (OBM_ADDRESS_BITS - OBM_ARENA_SHIFT))) {
        return false;
    }
    uint64_t w = _Py_atomic_load_uint64_relaxed(&arena_map[a >> 6]);
    return (w >> (a & 63)) & 1;
}

/* Blocks are 16-byte multiples at 16-byte offsets: a block's first granule
   indexes its bit without a division by the block size. */
static inline size_t
granule_of(obm_page *page, const void *b)
{
    return ((uintptr_t)b - (uintptr_t)page) >> OBM_GRANULE_SHIFT;
}

/* Owner only: plain read-modify-write. */
static inline void
bit_set(obm_page *page, const void *b)
{
    size_t g = granule_of(page, b);
    page->alloc_bits[g >> 6] |= (uint64_t)1 << (g & 63);
}

/* Freeing a block whose bit is clear is a double free or a pointer that
   never came from here: stop before the free lists are corrupted. */
static Py_NO_INLINE _Py_NO_RETURN void
bad_free(void)
{
    Py_FatalError("PyObject_Free: pointer not allocated (double free?)");
}

static inline void
bit_clear_checked(obm_page *page, const void *b)
{
    size_t g = granule_of(page, b);
    uint64_t m = (uint64_t)1 << (g & 63);
    uint64_t w = page->alloc_bits[g >> 6];
    if (_Py_unlikely((w & m) == 0)) {
        bad_free();
    }
    page->alloc_bits[g >> 6] = w & ~m;
}

/* Size to class for sizes up to 512: 16-byte steps from 32. */
static inline size_t
size_class_small(size_t size)
{
    size_t n = (size + 15) >> 4;
    return n > 2 ? n - 2 : 0;
}

/* Size to class above 512: four classes per doubling up to 4096, then the
   ten page-fitting classes. */
static size_t
size_class_big(size_t size)
{
    if (size <= 4096) {
        int e = 63 - __builtin_clzll((unsigned long long)(size - 1));
        return OBM_FIRST_COARSE + (size_t)(e - 9) * 4 +
               ((size - 1 - ((size_t)1 << e)) >> (e - 2));
    }
    size_t c = OBM_FIRST_FIT;
    while (class_size[c] < size) {
        c++;
    }
    return c;
}

/* Small sizes, the common case, need no table and no loop. */
static inline size_t
size_class(size_t size)
{
    if (_Py_likely(size <= 512)) {
        return size_class_small(size);
    }
    return size_class_big(size);
}

/* The heap of the attached thread state, or NULL. */
static inline obm_heap *
current_heap(void)
{
    PyThreadState *ts = _Py_tss_tstate;
    if (_Py_unlikely(ts == NULL)) {
        return NULL;
    }
    return &((_PyThreadStateImpl *)ts)->obmalloc;
}

/* The owner of a page.  Relaxed: see "Thread safety" above. */
static inline obm_heap *
page_owner(obm_page *page)
{
    return _Py_atomic_load_ptr_relaxed(&page->owner);
}

/* Relaxed: readers only compare it with their own heap (see above). */
static inline void
page_set_owner(obm_page *page, obm_heap *heap)
{
    _Py_atomic_store_ptr_relaxed(&page->owner, heap);
}


/* ------------------------------------------------------------------ */
/* Circular doubly linked page lists                                  */

/* Lists have no sentinel, so a page can move between lists (and owners)
   by relinking alone; at_front also makes it the new head. */
static void
list_insert(obm_page **head, obm_page *page, bool at_front)
{
    obm_page *h = *head;
    if (h == NULL) {
        page->next = page->prev = page;
        *head = page;
        return;
    }
    page->next = h;
    page->prev = h->prev;
    h->prev->next = page;
    h->prev = page;
    if (at_front) {
        *head = page;
    }
}

/* Unlinks page, moving the head on if it was the head. */
static void
list_remove(obm_page **head, obm_page *page)
{
    if (page->next == page) {
        *head = NULL;
    }
    else {
        page->prev->next = page->next;
        page->next->prev = page->prev;
        if (*head == page) {
            *head = page->next;
        }
    }
    page->next = page->prev = NULL;
}

/* Appends all of src to dst. */
static void
list_splice(obm_page **dst, obm_page **src)
{
    while (*src != NULL) {
        obm_page *page = *src;
        list_remove(src, page);
        list_insert(dst, page, false);
    }
}


/* ------------------------------------------------------------------ */
/* Arenas and fresh pages                                             */

/* Records a new arena in arena_map; -1 if its address is out of range. */
static int
arena_register(char *arena)
{
    uintptr_t a = (uintptr_t)arena >> OBM_ARENA_SHIFT;
    if (a >= ((uintptr_t)1 << (OBM_ADDRESS_BITS - OBM_ARENA_SHIFT))) {
        return -1;
    }
    _Py_atomic_or_uint64(&arena_map[a >> 6], (uint64_t)1 << (a & 63));
    return 0;
}

/* A page that has never held anything, or NULL when out of memory. */
static obm_page *
source_take(void)
{
    obm_page *page = NULL;
    obm_lock(&source.mutex);
    if (source.next == source.end) {
        char *arena = mi_malloc_aligned(OBM_ARENA_SIZE, OBM_ARENA_SIZE);
        if (arena != NULL && arena_register(arena) < 0) {
            mi_free(arena);
            arena = NULL;
        }
        if (arena != NULL) {
            source.next = arena;
            source.end = arena + OBM_ARENA_SIZE;
        }
    }
    if (source.next != source.end) {
        page = (obm_page *)source.next;
        source.next += OBM_PAGE_SIZE;
    }
    PyMutex_Unlock(&source.mutex);
    return page;
}

/* Gives a never-used page its class; its blocks are carved lazily. */
static void
page_format(obm_page *page, int kind, size_t cls)
{
    memset(page, 0, OBM_PAGE_HEADER);
    uint32_t bs = class_size[cls];
    size_t capacity = (OBM_PAGE_SIZE - OBM_PAGE_HEADER) / bs;
    page->block_size = bs;
    page->cls = (uint16_t)cls;
    page->kind = (uint8_t)kind;
    page->bump = (char *)page + OBM_PAGE_HEADER;
    page->end = page->bump + capacity * bs;
    asan_poison(page->bump, OBM_PAGE_SIZE - OBM_PAGE_HEADER);
}


/* ------------------------------------------------------------------ */
/* One page: popping, carving, collecting                             */

/* Takes the first block of the local list (which is not empty) and marks
   it allocated. */
static inline void *
page_pop(obm_page *page)
{
    obm_block *b = page->local_free;
    page->local_free = b->next;
    bit_set(page, b);
    page->used++;
    asan_unpoison(b, page->block_size);
    return b;
}

/* Threads about one OS page worth of never-used blocks onto the local
   list (which is empty).  Returns 0 when the page has none left. */
static int
page_carve(obm_page *page)
{
    size_t bs = page->block_size;
    size_t left = (size_t)(page->end - page->bump) / bs;
    if (left == 0) {
        return 0;
    }
    size_t n = bs >= OBM_CARVE_BYTES ? 1 : OBM_CARVE_BYTES / bs;
    if (n > left) {
        n = left;
    }
    obm_block *next = NULL;
    char *last = page->bump + (n - 1) * bs;
    for (char *p = last; p >= page->bump; p -= bs) {
        obm_block *b = (obm_block *)p;
        asan_unpoison(b, OBM_FREE_KEEP);
        b->next = next;
        next = b;
    }
    page->local_free = next;
    page->bump += n * bs;
    return 1;
}

/* Moves the blocks other threads freed onto the local list.  The caller
   owns the page (or holds the pool lock for an unowned one).  The exchange
   is an acquire: it sees the link each pusher wrote before its CAS. */
static size_t
page_collect(obm_page *page)
{
    /* Relaxed: a push missed here is collected next time. */
    if (_Py_atomic_load_ptr_relaxed(&page->remote_free) == NULL) {
        return 0;
    }
    obm_block *list = _Py_atomic_exchange_ptr(&page->remote_free, NULL);
    obm_block *last = NULL;
    size_t n = 0;
    for (obm_block *b = list; b != NULL; b = b->next) {
        bit_clear_checked(page, b);
        last = b;
        n++;
    }
    if (last != NULL) {
        last->next = page->local_free;
        page->local_free = list;
        page->used -= (uint32_t)n;
    }
    return n;
}

/* Makes sure the local list is not empty; 0 if the page is really full. */
static int
page_refill(obm_page *page)
{
    if (page->local_free != NULL) {
        return 1;
    }
    if (page_collect(page) > 0) {
        return 1;
    }
    return page_carve(page);
}

/* Whether an unowned page has a block to give (pool lock held). */
static bool
page_has_room(obm_page *page)
{
    /* Relaxed: a push missed here only means the page is passed over. */
    return page->local_free != NULL || page->bump < page->end ||
           _Py_atomic_load_ptr_relaxed(&page->remote_free) != NULL;
}

/* A free by another thread, or by one with no thread state. */
static void
page_free_remote(obm_page *page, obm_block *b)
{
    poison_free_block(b, page->block_size);
    obm_block *head = _Py_atomic_load_ptr_relaxed(&page->remote_free);
    do {
        b->next = head;
    } while (!_Py_atomic_compare_exchange_ptr(&page->remote_free, &head, b));
}


/* ------------------------------------------------------------------ */
/* Pools and heap registration                                        */

/* Where heaps register and exited threads leave their pages: the
   interpreter's pool once it exists. */
static obm_pool *
default_pool(void)
{
    PyInterpreterState *interp = _PyInterpreterState_Main();
    return interp != NULL ? &interp->obmalloc : &early_pool;
}

/* Puts a heap where the walker finds it. */
static void
register_heap(obm_heap *heap, obm_pool *pool)
{
    obm_lock(&pool->mutex);
    heap->reg_prev = NULL;
    heap->reg_next = pool->heaps;
    if (pool->heaps != NULL) {
        pool->heaps->reg_prev = heap;
    }
    pool->heaps = heap;
    heap->shared = pool;
    PyMutex_Unlock(&pool->mutex);
}

/* The inverse of register_heap (pool lock held). */
static void
unregister_heap(obm_pool *pool, obm_heap *heap)
{
    if (heap->reg_prev != NULL) {
        heap->reg_prev->reg_next = heap->reg_next;
    }
    else {
        pool->heaps = heap->reg_next;
    }
    if (heap->reg_next != NULL) {
        heap->reg_next->reg_prev = heap->reg_prev;
    }
    heap->reg_next = heap->reg_prev = NULL;
    heap->shared = NULL;
}

/* Hands an owned page to the pool (lock held): its remote frees are taken
   first, so an empty page is known to be empty. */
static void
pool_put(obm_pool *pool, obm_page *page)
{
    page_collect(page);
    page_set_owner(page, NULL);
    if (page->used == 0) {
        page->where = OBM_IN_EMPTY;
        list_insert(&pool->empty[page->cls], page, false);
    }
    else {
        page->where = OBM_IN_ABANDONED;
        list_insert(&pool->abandoned[page->kind][page->cls], page, false);
    }
}

/* An owned page whose last block was freed goes back to the pool. */
static void
pool_release_empty(obm_pool *pool, obm_page *page)
{
    obm_lock(&pool->mutex);
    pool_put(pool, page);
    PyMutex_Unlock(&pool->mutex);
}

/* Takes a page of (kind, cls) with room from the pool: an exited thread's
   page first, then an empty one.  The caller becomes the owner. */
static obm_page *
pool_adopt(obm_pool *pool, obm_heap *heap, int kind, size_t cls)
{
    obm_page *page = NULL;
    obm_lock(&pool->mutex);
    obm_page **ab = &pool->abandoned[kind][cls];
    for (int i = 0; i < OBM_SCAN_LIMIT && *ab != NULL; i++) {
        if (page_has_room(*ab)) {
            page = *ab;
            list_remove(ab, page);
            break;
        }
        *ab = (*ab)->next;
    }
    if (page == NULL && pool->empty[cls] != NULL) {
        page = pool->empty[cls];
        list_remove(&pool->empty[cls], page);
        page->kind = (uint8_t)kind;
    }
    if (page != NULL) {
        page->where = OBM_IN_NONE;
        page_set_owner(page, heap);
    }
    PyMutex_Unlock(&pool->mutex);
    return page;
}


/* The QSBR state that times class changes in a pool: the interpreter's.
   The early pool has none, and its empty pages keep their class. */
static struct _PyQSBR_Shared *
pool_qsbr(obm_pool *pool, PyInterpreterState **interp)
{
    *interp = _PyInterpreterState_Main();
    if (*interp == NULL || pool != &(*interp)->obmalloc) {
        return NULL;
    }
    return &(*interp)->qsbr;
}

/* Abandoned pages of class c that other threads have since emptied become
   empty pages (pool lock held).  A few per call, rotating through the
   lists. */
static void
pool_reclaim_abandoned(obm_pool *pool, size_t c)
{
    for (int k = 0; k < _PyObmalloc_NUM_KINDS; k++) {
        obm_page **list = &pool->abandoned[k][c];
        for (int i = 0; i < OBM_SCAN_LIMIT && *list != NULL; i++) {
            obm_page *page = *list;
            page_collect(page);
            if (page->used == 0) {
                list_remove(list, page);
                page->where = OBM_IN_EMPTY;
                list_insert(&pool->empty[c], page, false);
            }
            else {
                *list = page->next;
            }
        }
    }
}

/* Moves up to OBM_RETIRE_BATCH empty pages of classes other than cls to the
   retired list (pool lock held), all tagged with one goal taken after they
   were unlinked: every free into them happened before.  Returns the goal,
   0 if no page moved. */
static uint64_t
pool_retire_some(obm_pool *pool, struct _PyQSBR_Shared *qsbr, size_t cls)
{
    obm_page *batch = NULL;
    size_t n = 0;
    size_t limit = OBM_RETIRE_BATCH;
    if (pool->nretired + limit > OBM_RETIRE_MAX) {
        limit = pool->nretired < OBM_RETIRE_MAX
                ? OBM_RETIRE_MAX - pool->nretired : 0;
    }
    for (size_t i = 0; i < _PyObmalloc_NUM_CLASSES && n < limit; i++) {
        size_t c = (pool->retire_cursor + i) % _PyObmalloc_NUM_CLASSES;
        while (c != cls && pool->empty[c] != NULL && n < limit) {
            obm_page *page = pool->empty[c];
            list_remove(&pool->empty[c], page);
            list_insert(&batch, page, false);
            n++;
        }
    }
    pool->retire_cursor = (pool->retire_cursor + 1) % _PyObmalloc_NUM_CLASSES;
    if (n == 0) {
        return 0;
    }
    uint64_t goal = _PyQSBR_Advance(qsbr);
    obm_page *page = batch;
    do {
        page->retire_goal = goal;
        page->where = OBM_IN_RETIRED;
        page = page->next;
    } while (page != batch);
    list_splice(&pool->retired, &batch);
    pool->nretired += n;
    return goal;
}

/* For a heap that found no page of cls anywhere: the oldest retired page
   if its grace period is over (the caller formats it), and more empty
   pages of other classes retired for next time. */
static obm_page *
pool_recycle(obm_pool *pool, size_t cls)
{
    PyInterpreterState *interp;
    struct _PyQSBR_Shared *qsbr = pool_qsbr(pool, &interp);
    if (qsbr == NULL) {
        return NULL;
    }
    obm_lock(&pool->mutex);
    uint64_t goal = pool->retired != NULL ? pool->retired->retire_goal : 0;
    pool_reclaim_abandoned(pool, pool->retire_cursor);
    uint64_t new_goal = pool_retire_some(pool, qsbr, cls);
    PyMutex_Unlock(&pool->mutex);
    if (new_goal != 0) {
        _PyQSBR_RequestReports(interp, new_goal);
    }
    if (goal == 0 || (!_PyQSBR_GoalReachedCached(qsbr, goal) &&
                      _PyQSBR_PollMin(qsbr) < goal)) {
        return NULL;
    }
    obm_lock(&pool->mutex);
    obm_page *page = pool->retired;
    if (page != NULL && page->retire_goal <= goal) {
        list_remove(&pool->retired, page);
        pool->nretired--;
        page->where = OBM_IN_NONE;
    }
    else {
        page = NULL;
    }
    PyMutex_Unlock(&pool->mutex);
    return page;
}


/* ------------------------------------------------------------------ */
/* Heaps                                                              */

/* A page of the heap's full list that has been freed into since. */
static obm_page *
heap_sweep_full(obm_queue *q)
{
    for (int i = 0; i < OBM_SCAN_LIMIT && q->full != NULL; i++) {
        obm_page *page = q->full;
        /* Relaxed: a push missed here is found by a later sweep. */
        if (page->local_free != NULL ||
            _Py_atomic_load_ptr_relaxed(&page->remote_free) != NULL) {
            list_remove(&q->full, page);
            return page;
        }
        q->full = page->next;
    }
    return NULL;
}

/* The next page to allocate from once cur is full: one with free blocks
   from the heap, the pool, or a fresh one. */
static obm_page *
heap_next_page(obm_heap *heap, obm_queue *q, int kind, size_t cls)
{
    obm_page *page;
    while ((page = q->avail) != NULL) {
        list_remove(&q->avail, page);
        if (page_refill(page)) {
            return page;
        }
        page->where = OBM_IN_FULL;
        list_insert(&q->full, page, false);
    }
    page = heap_sweep_full(q);
    if (page != NULL && page_refill(page)) {
        return page;
    }
    if (page != NULL) {
        list_insert(&q->full, page, false);
    }
    page = pool_adopt(heap->shared, heap, kind, cls);
    if (page != NULL && page_refill(page)) {
        return page;
    }
    if (page != NULL) {
        page->where = OBM_IN_FULL;
        list_insert(&q->full, page, false);
    }
    page = pool_recycle(heap->shared, cls);
    if (page == NULL) {
        page = source_take();
    }
    if (page == NULL) {
        return NULL;
    }
    page_format(page, kind, cls);
    page_set_owner(page, heap);
    page_carve(page);
    return page;
}

/* The local list of cur is empty: refill it or move on to another page. */
static Py_NO_INLINE void *
heap_alloc_slow(obm_heap *heap, int kind, size_t cls)
{
    if (heap->shared == NULL) {
        register_heap(heap, default_pool());
    }
    obm_queue *q = &heap->queues[kind][cls];
    obm_page *page = q->cur;
    if (page != NULL && page_refill(page)) {
        return page_pop(page);
    }
    if (page != NULL) {
        page->where = OBM_IN_FULL;
        list_insert(&q->full, page, false);
        q->cur = NULL;
    }
    page = heap_next_page(heap, q, kind, cls);
    if (page == NULL) {
        return NULL;
    }
    page->where = OBM_IN_CUR;
    q->cur = page;
    return page_pop(page);
}

/* The fast path: the first block of the current page's local list. */
static inline void *
heap_alloc(obm_heap *heap, int kind, size_t cls)
{
    obm_page *page = heap->queues[kind][cls].cur;
    if (_Py_likely(page != NULL && page->local_free != NULL)) {
        return page_pop(page);
    }
    return heap_alloc_slow(heap, kind, cls);
}

/* After a local free: a full page has room again, an empty one that is not
   cur goes back to the pool. */
static Py_NO_INLINE void
heap_free_slow(obm_heap *heap, obm_page *page)
{
    obm_queue *q = &heap->queues[page->kind][page->cls];
    if (page->where == OBM_IN_FULL) {
        list_remove(&q->full, page);
        page->where = OBM_IN_AVAIL;
        list_insert(&q->avail, page, true);
    }
    if (page->used == 0 && page->where == OBM_IN_AVAIL) {
        list_remove(&q->avail, page);
        pool_release_empty(heap->shared, page);
    }
}

/* The owner's free: no atomics; the link goes after the header. */
static inline void
heap_free_local(obm_heap *heap, obm_page *page, obm_block *b)
{
    bit_clear_checked(page, b);
    poison_free_block(b, page->block_size);
    b->next = page->local_free;
    page->local_free = b;
    page->used--;
    if (_Py_unlikely(page->used == 0 || page->where == OBM_IN_FULL)) {
        heap_free_slow(heap, page);
    }
}

/* Gives every page of a queue to the pool (pool lock held). */
static void
heap_abandon_queue(obm_pool *pool, obm_queue *q)
{
    if (q->cur != NULL) {
        pool_put(pool, q->cur);
        q->cur = NULL;
    }
    obm_page **lists[2] = {&q->avail, &q->full};
    for (int i = 0; i < 2; i++) {
        while (*lists[i] != NULL) {
            obm_page *page = *lists[i];
            list_remove(lists[i], page);
            pool_put(pool, page);
        }
    }
}

/* Allocation with no thread state: the shared heap, under its lock.  Frees
   into its pages always take the remote path. */
static Py_NO_INLINE void *
notstate_alloc(int kind, size_t cls)
{
    obm_lock(&notstate.mutex);
    void *p = heap_alloc(&notstate.heap, kind, cls);
    PyMutex_Unlock(&notstate.mutex);
    return p;
}


/* ------------------------------------------------------------------ */
/* Large objects                                                      */

/* Large objects come from mimalloc, or from libc under a sanitizer (as raw
   memory does, Objects/pymem.c) so that ASan sees a use after free and TSan
   sees the memory change hands. */
#if defined(_Py_ADDRESS_SANITIZER) || defined(_Py_THREAD_SANITIZER)
#  define large_backend_malloc malloc
#  define large_backend_usable_size malloc_usable_size
#  define large_backend_free free
#else
#  define large_backend_malloc mi_malloc
#  define large_backend_usable_size mi_usable_size
#  define large_backend_free mi_free
#endif

/* Spreads large objects over shards by address, so threads freeing large
   objects rarely meet on one lock. */
static obm_large_shard *
large_shard(obm_large *h)
{
    uint64_t x = (uint64_t)(uintptr_t)h >> 12;
    return &large_shards[(x * 0x9E3779B97F4A7C15ULL) >> 60];
}

/* Above the largest class: straight from the backend, on a list the
   walker can see. */
static Py_NO_INLINE void *
large_alloc(int kind, size_t size)
{
    if (size > (size_t)PY_SSIZE_T_MAX - sizeof(obm_large)) {
        return NULL;
    }
    obm_large *h = large_backend_malloc(sizeof(obm_large) + size);
    if (h == NULL) {
        return NULL;
    }
    h->size = large_backend_usable_size(h) - sizeof(obm_large);
    h->kind = (uint32_t)kind;
    h->magic = OBM_LARGE_MAGIC;
    obm_large_shard *s = large_shard(h);
    obm_lock(&s->mutex);
    h->prev = NULL;
    h->next = s->head;
    if (s->head != NULL) {
        s->head->prev = h;
    }
    s->head = h;
    PyMutex_Unlock(&s->mutex);
    return h + 1;
}

/* The header of a large object; a pointer from nowhere fails loudly. */
static obm_large *
large_header(void *p)
{
    obm_large *h = (obm_large *)p - 1;
    if (h->magic != OBM_LARGE_MAGIC) {
        bad_free();
    }
    return h;
}

/* Unlinks the object and hands its memory back after a QSBR grace period:
   lock-free readers may still look at its header. */
static Py_NO_INLINE void
large_free(void *p)
{
    obm_large *h = large_header(p);
    obm_large_shard *s = large_shard(h);
    obm_lock(&s->mutex);
    if (h->prev != NULL) {
        h->prev->next = h->next;
    }
    else {
        s->head = h->next;
    }
    if (h->next != NULL) {
        h->next->prev = h->prev;
    }
    h->magic = 0;
    PyMutex_Unlock(&s->mutex);
    _PyMem_FreeDelayedWith(h, sizeof(obm_large) + h->size,
                           large_backend_free);
}


/* ------------------------------------------------------------------ */
/* Public entry points                                                */

/* Small requests from the attached thread's heap (or the locked heap when
   there is none), large ones from the backend. */
static inline void *
object_alloc(int kind, size_t size)
{
    if (_Py_likely(size <= OBM_MAX_SMALL)) {
        size_t cls = size_class(size);
        obm_heap *heap = current_heap();
        if (_Py_likely(heap != NULL)) {
            return heap_alloc(heap, kind, cls);
        }
        return notstate_alloc(kind, cls);
    }
    return large_alloc(kind, size);
}

/* Memory for an object that the GC does not track. */
void *
PyObject_Malloc(size_t size)
{
    return object_alloc(_PyObmalloc_KIND_NONGC, size);
}

/* Memory for a GC object: on GC pages, which the collector walks. */
void *
_PyObject_MallocGC(size_t size)
{
    return object_alloc(_PyObmalloc_KIND_GC, size);
}

/* Fails rather than wraps when nelem * elsize overflows. */
void *
PyObject_Calloc(size_t nelem, size_t elsize)
{
    if (elsize != 0 && nelem > (size_t)PY_SSIZE_T_MAX / elsize) {
        return NULL;
    }
    size_t size = nelem * elsize;
    void *p = PyObject_Malloc(size);
    if (p != NULL) {
        memset(p, 0, size);
    }
    return p;
}

/* The owner frees without atomics; anyone else pushes onto the page's
   remote list. */
void
PyObject_Free(void *p)
{
    if (p == NULL) {
        return;
    }
    if (_Py_unlikely(!in_arena(p))) {
        large_free(p);
        return;
    }
    obm_page *page = page_of(p);
    obm_heap *heap = current_heap();
    if (_Py_likely(heap != NULL && page_owner(page) == heap)) {
        heap_free_local(heap, page, (obm_block *)p);
    }
    else {
        page_free_remote(page, (obm_block *)p);
    }
}

/* What PyObject_Realloc may grow into in place (tests, sys.getsizeof). */
size_t
_PyObmalloc_UsableSize(void *p)
{
    if (in_arena(p)) {
        return page_of(p)->block_size;
    }
    return large_header(p)->size;
}

/* Whether a block sits on GC pages (tests, sanity checks). */
int
_PyObmalloc_Kind(void *p)
{
    if (in_arena(p)) {
        return page_of(p)->kind;
    }
    return (int)large_header(p)->kind;
}

/* Keeps the block when the new size still fits and wastes at most a
   quarter of it (or stays in its class); otherwise moves, keeping the kind
   so a GC object stays walkable as one. */
void *
PyObject_Realloc(void *p, size_t size)
{
    if (p == NULL) {
        return PyObject_Malloc(size);
    }
    size_t old = _PyObmalloc_UsableSize(p);
    if (size <= old) {
        if (size >= old - old / 4) {
            return p;
        }
        if (in_arena(p) && size_class(size) == page_of(p)->cls) {
            return p;
        }
    }
    void *q = object_alloc(_PyObmalloc_Kind(p), size);
    if (q == NULL) {
        return NULL;
    }
    memcpy(q, p, size < old ? size : old);
    PyObject_Free(p);
    return q;
}


/* ------------------------------------------------------------------ */
/* Thread and interpreter life cycle                                  */

/* The pool starts zeroed (empty lists, unlocked mutex): nothing to do. */
int
_PyObmalloc_InterpInit(PyInterpreterState *interp)
{
    (void)interp;
    return 0;
}

/* Whatever the interpreter's pool holds (pages, heaps still registered)
   moves to the early pool, so nothing is lost to later frees or walks. */
void
_PyObmalloc_InterpFini(PyInterpreterState *interp)
{
    obm_pool *pool = &interp->obmalloc;
    obm_lock(&notstate.mutex);
    obm_lock(&pool->mutex);
    obm_lock(&early_pool.mutex);
    while (pool->heaps != NULL) {
        obm_heap *heap = pool->heaps;
        unregister_heap(pool, heap);
        heap->reg_prev = NULL;
        heap->reg_next = early_pool.heaps;
        if (early_pool.heaps != NULL) {
            early_pool.heaps->reg_prev = heap;
        }
        early_pool.heaps = heap;
        heap->shared = &early_pool;
    }
    for (size_t c = 0; c < _PyObmalloc_NUM_CLASSES; c++) {
        for (int k = 0; k < _PyObmalloc_NUM_KINDS; k++) {
            list_splice(&early_pool.abandoned[k][c], &pool->abandoned[k][c]);
        }
        list_splice(&early_pool.empty[c], &pool->empty[c]);
    }
    /* No thread is left to hold a pointer into a retired page: it goes
       back, as an empty page of its old class, with the others. */
    while (pool->retired != NULL) {
        obm_page *page = pool->retired;
        list_remove(&pool->retired, page);
        page->where = OBM_IN_EMPTY;
        list_insert(&early_pool.empty[page->cls], page, false);
    }
    pool->nretired = 0;
    PyMutex_Unlock(&early_pool.mutex);
    PyMutex_Unlock(&pool->mutex);
    PyMutex_Unlock(&notstate.mutex);
}

/* Registers the heap now, so the walker sees it from the start; a heap
   that missed this registers at its first slow path. */
int
_PyObmalloc_ThreadInit(_PyThreadStateImpl *tstate)
{
    obm_heap *heap = &tstate->obmalloc;
    if (heap->shared == NULL) {
        PyInterpreterState *interp = tstate->base.interp;
        register_heap(heap, interp != NULL ? &interp->obmalloc : &early_pool);
    }
    return 0;
}

/* The thread state is dead (detached, never to run again): every page goes
   to the pool; its live blocks stay valid and are freed through the remote
   path from then on. */
void
_PyObmalloc_ThreadFini(_PyThreadStateImpl *tstate)
{
    obm_heap *heap = &tstate->obmalloc;
    obm_pool *pool = heap->shared;
    if (pool == NULL) {
        return;
    }
    obm_lock(&pool->mutex);
    for (int k = 0; k < _PyObmalloc_NUM_KINDS; k++) {
        for (size_t c = 0; c < _PyObmalloc_NUM_CLASSES; c++) {
            heap_abandon_queue(pool, &heap->queues[k][c]);
        }
    }
    unregister_heap(pool, heap);
    PyMutex_Unlock(&pool->mutex);
}


/* Every allocator lock, in lock order; *n receives how many. */
static void
all_locks(PyMutex **locks, int *n)
{
    int i = 0;
    PyInterpreterState *interp = _PyInterpreterState_Main();
    locks[i++] = &notstate.mutex;
    if (interp != NULL) {
        locks[i++] = &interp->obmalloc.mutex;
    }
    locks[i++] = &early_pool.mutex;
    locks[i++] = &source.mutex;
    for (int s = 0; s < OBM_LARGE_SHARDS; s++) {
        locks[i++] = &large_shards[s].mutex;
    }
    *n = i;
}

#define OBM_NLOCKS (OBM_LARGE_SHARDS + 4)

/* With the world stopped only threads without an attached thread state
   can be inside the allocator, and only under one of these locks: holding
   them all, fork() copies consistent lists. */
void
_PyObmalloc_BeforeFork(void)
{
    PyMutex *locks[OBM_NLOCKS];
    int n;
    all_locks(locks, &n);
    for (int i = 0; i < n; i++) {
        obm_lock(locks[i]);
    }
}

void
_PyObmalloc_AfterForkParent(void)
{
    PyMutex *locks[OBM_NLOCKS];
    int n;
    all_locks(locks, &n);
    for (int i = n - 1; i >= 0; i--) {
        PyMutex_Unlock(locks[i]);
    }
}

/* Waiters parked in the parent do not exist here: reset, do not unlock. */
void
_PyObmalloc_AfterForkChild(void)
{
    PyMutex *locks[OBM_NLOCKS];
    int n;
    all_locks(locks, &n);
    for (int i = 0; i < n; i++) {
        _Py_atomic_store_uint8(&locks[i]->_bits, _Py_UNLOCKED);
    }
}


/* ------------------------------------------------------------------ */
/* The walker                                                         */

typedef struct {
    int which;
    _PyObmalloc_visitor visit;
    void *arg;
} obm_walk;

/* Whether the caller asked for blocks of this kind. */
static bool
walk_wants(obm_walk *w, int kind)
{
    int bit = kind == _PyObmalloc_KIND_GC ? _PyObmalloc_VISIT_GC
                                          : _PyObmalloc_VISIT_NONGC;
    return (w->which & bit) != 0;
}

/* Visits the allocated blocks of one page: the bitmap minus the blocks
   waiting on the remote list.  Only pushes can race with this (from threads
   with no thread state), and a list only grows at its head, so the chain
   from the loaded head is stable. */
static int
walk_page(obm_walk *w, obm_page *page)
{
    if (page->used == 0 || !walk_wants(w, page->kind)) {
        return 0;
    }
    uint64_t bits[OBM_BITMAP_WORDS];
    memcpy(bits, page->alloc_bits, sizeof(bits));
    size_t n = 0;
    for (obm_block *b = _Py_atomic_load_ptr_acquire(&page->remote_free);
         b != NULL; b = b->next) {
        size_t g = granule_of(page, b);
        if (++n > page->used || !(bits[g >> 6] & ((uint64_t)1 << (g & 63)))) {
            bad_free();     /* a block freed twice: the list is a cycle */
        }
        bits[g >> 6] &= ~((uint64_t)1 << (g & 63));
    }
    for (size_t i = 0; i < OBM_BITMAP_WORDS; i++) {
        uint64_t word = bits[i];
        while (word != 0) {
            size_t g = i * 64 + (size_t)__builtin_ctzll(word);
            word &= word - 1;
            int res = w->visit((char *)page + (g << OBM_GRANULE_SHIFT),
                               page->block_size, w->arg);
            if (res != 0) {
                return res;
            }
        }
    }
    return 0;
}

/* Every page of a circular list. */
static int
walk_list(obm_walk *w, obm_page *head)
{
    obm_page *page = head;
    if (page == NULL) {
        return 0;
    }
    do {
        int res = walk_page(w, page);
        if (res != 0) {
            return res;
        }
        page = page->next;
    } while (page != head);
    return 0;
}

/* Every page a heap owns: cur, avail and full of each queue. */
static int
walk_heap(obm_walk *w, obm_heap *heap)
{
    for (int k = 0; k < _PyObmalloc_NUM_KINDS; k++) {
        for (size_t c = 0; c < _PyObmalloc_NUM_CLASSES; c++) {
            obm_queue *q = &heap->queues[k][c];
            int res = 0;
            if (q->cur != NULL) {
                res = walk_page(w, q->cur);
            }
            if (res == 0) {
                res = walk_list(w, q->avail);
            }
            if (res == 0) {
                res = walk_list(w, q->full);
            }
            if (res != 0) {
                return res;
            }
        }
    }
    return 0;
}

/* The heaps registered with a pool and its abandoned pages (empty and
   retired pages hold nothing); pool lock held. */
static int
walk_pool(obm_walk *w, obm_pool *pool)
{
    for (obm_heap *heap = pool->heaps; heap != NULL; heap = heap->reg_next) {
        int res = walk_heap(w, heap);
        if (res != 0) {
            return res;
        }
    }
    for (int k = 0; k < _PyObmalloc_NUM_KINDS; k++) {
        for (size_t c = 0; c < _PyObmalloc_NUM_CLASSES; c++) {
            int res = walk_list(w, pool->abandoned[k][c]);
            if (res != 0) {
                return res;
            }
        }
    }
    return 0;
}

/* Large objects, one shard lock at a time. */
static int
walk_large(obm_walk *w)
{
    for (int i = 0; i < OBM_LARGE_SHARDS; i++) {
        obm_large_shard *s = &large_shards[i];
        int res = 0;
        obm_lock(&s->mutex);
        for (obm_large *h = s->head; h != NULL && res == 0; h = h->next) {
            if (walk_wants(w, (int)h->kind)) {
                res = w->visit(h + 1, h->size, w->arg);
            }
        }
        PyMutex_Unlock(&s->mutex);
        if (res != 0) {
            return res;
        }
    }
    return 0;
}

/* Takes every lock a thread that is not stopped could hold (see "Thread
   safety"), in order, then visits heaps, pools and large objects. */
int
_PyObmalloc_VisitAll(int which, _PyObmalloc_visitor visit, void *arg)
{
    obm_walk w = {which, visit, arg};
    PyInterpreterState *interp = _PyInterpreterState_Main();
    obm_pool *pools[2];
    int npools = 0;
    if (interp != NULL) {
        pools[npools++] = &interp->obmalloc;
    }
    pools[npools++] = &early_pool;

    obm_lock(&notstate.mutex);
    for (int i = 0; i < npools; i++) {
        obm_lock(&pools[i]->mutex);
    }
    int res = 0;
    for (int i = 0; i < npools && res == 0; i++) {
        res = walk_pool(&w, pools[i]);
    }
    for (int i = npools - 1; i >= 0; i--) {
        PyMutex_Unlock(&pools[i]->mutex);
    }
    PyMutex_Unlock(&notstate.mutex);
    if (res == 0) {
        res = walk_large(&w);
    }
    return res;
}
