/* The object allocator (issue 3, "allocator"; Objects/obmalloc.c).
 *
 * Invariants checked:
 *   units   every size gets a 16-byte aligned block at least that large;
 *           PyObject_Malloc(0) gives distinct blocks; Realloc growth and
 *           shrink across classes and to and from large blocks keeps the
 *           contents and the kind; Calloc zeroes reused blocks; overflowing
 *           requests fail; GC and non-GC blocks never share a page; a
 *           freed block's first 24 bytes (the refcount header) are
 *           unchanged whether freed by its owner or by another thread;
 *           threads with no thread state (and code before the runtime
 *           exists) can allocate and free; an empty page takes another
 *           size class only after a QSBR grace period.
 *   stress  8 threads with thread states plus one without allocate, free
 *           and reallocate blocks of mixed sizes and both kinds for a
 *           bounded time, handing some to a neighbour that frees them.
 *           Every live block carries a unique stamp, intact when freed: no
 *           block is handed out twice while live.  Then, with the workers
 *           gone and the world stopped, the walker reports exactly the
 *           live blocks of each kind (besides those that existed before),
 *           including blocks of threads that have exited (and, while they
 *           run, every block they hold whenever the world is stopped);
 *           again after a
 *           second round of threads frees half of them and churns; and
 *           none of them once all are freed.
 *   fork    children forked (with the fork hooks) while a thread allocates
 *           can allocate, free and walk. */
#include "testutil.h"
#include "pycore_obmalloc.h"
#include "pycore_qsbr.h"

#include <string.h>
#include <sys/wait.h>

#ifdef _Py_ADDRESS_SANITIZER
#  include <sanitizer/asan_interface.h>
#endif

#define NWORKERS 8
#define NTHREADS (NWORKERS + 1)     /* the last one has no thread state */
#define FOREIGN NWORKERS
#define LIVE_MAX 2000
#define INBOX_MAX 512
#define PHASE1_SECONDS 1.5
#define PHASE2_SECONDS 1.0
#define PAGE_MASK (~(uintptr_t)0xFFFF)     /* 64 KiB pages */

#define KIND_NONGC _PyObmalloc_KIND_NONGC
#define KIND_GC _PyObmalloc_KIND_GC

typedef struct {
    void *p;
    uint64_t id;
    uint32_t size;
    uint32_t kind;
} entry;

typedef struct {
    pthread_mutex_t mu;
    entry items[INBOX_MAX];
    int n;
} inbox;

typedef struct {
    int index;
    uint64_t rng;
    entry live[LIVE_MAX + INBOX_MAX];
    int nlive;
    long allocs, frees, passed, reallocs;
} worker;

static worker workers[NTHREADS];
static inbox inboxes[NTHREADS];
static pthread_barrier_t phase_end;
static double deadline;
static uint64_t next_id = 1;

/* ------------------------------------------------------------------ */
/* Stamps                                                             */

static uint64_t
tail_value(uint64_t id)
{
    return id * 0x9E3779B97F4A7C15ULL;
}

/* Words 0..2 (in the header, which outlives a free) and the last 8 bytes
   name the block's holder. */
static void
stamp(entry *e)
{
    uint64_t *w = e->p;
    w[0] = e->id;
    w[1] = ~e->id;
    w[2] = ((uint64_t)e->size << 8) | e->kind;
    if (e->size >= 40) {
        uint64_t t = tail_value(e->id);
        memcpy((char *)e->p + e->size - 8, &t, 8);
    }
}

static void
verify(const entry *e)
{
    const uint64_t *w = e->p;
    CHECK(w[0] == e->id);
    CHECK(w[1] == ~e->id);
    CHECK(w[2] == (((uint64_t)e->size << 8) | e->kind));
    if (e->size >= 40) {
        uint64_t t;
        memcpy(&t, (char *)e->p + e->size - 8, 8);
        CHECK(t == tail_value(e->id));
    }
}

static uint64_t
rng_next(uint64_t *s)
{
    uint64_t x = *s;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *s = x;
    return x;
}

/* Mostly small, some up to a page-fitting class, a few large. */
static uint32_t
pick_size(uint64_t r)
{
    uint32_t pct = (uint32_t)(r % 100);
    uint32_t x = (uint32_t)(r >> 20);
    if (pct < 60) {
        return 24 + x % 105;
    }
    if (pct < 85) {
        return 129 + x % 384;
    }
    if (pct < 95) {
        return 513 + x % 3584;
    }
    if (pct < 99) {
        return 4097 + x % 12112;
    }
    return 16300 + x % 80000;
}

static void *
alloc_kind(uint32_t kind, size_t size)
{
    return kind == KIND_GC ? _PyObject_MallocGC(size) : PyObject_Malloc(size);
}

static entry
new_entry(uint32_t kind, uint32_t size)
{
    entry e;
    e.p = alloc_kind(kind, size);
    CHECK(e.p != NULL);
    CHECK(((uintptr_t)e.p & 15) == 0);
    CHECK(_PyObmalloc_UsableSize(e.p) >= size);
    CHECK(_PyObmalloc_Kind(e.p) == (int)kind);
    e.id = _Py_atomic_add_uint64(&next_id, 1);
    e.size = size;
    e.kind = kind;
    stamp(&e);
    return e;
}

static void
free_entry(entry *e)
{
    verify(e);
    PyObject_Free(e->p);
    e->p = NULL;
}

/* ------------------------------------------------------------------ */
/* Walking                                                            */

typedef struct {
    void *p;
    size_t size;
} seen;

typedef struct {
    seen *items;
    size_t n;
    size_t cap;
} seen_set;

/* Uses libc memory only: the visitor must not allocate objects. */
static int
collect_visitor(void *block, size_t size, void *arg)
{
    seen_set *s = arg;
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 4096;
        s->items = realloc(s->items, s->cap * sizeof(seen));
        CHECK(s->items != NULL);
    }
    s->items[s->n].p = block;
    s->items[s->n].size = size;
    s->n++;
    return 0;
}

static int
compare_seen(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const seen *)a)->p;
    uintptr_t y = (uintptr_t)((const seen *)b)->p;
    return (x > y) - (x < y);
}

static int
compare_entries(const void *a, const void *b)
{
    uintptr_t x = (uintptr_t)((const entry *)a)->p;
    uintptr_t y = (uintptr_t)((const entry *)b)->p;
    return (x > y) - (x < y);
}

/* The blocks of the given kind, sorted; the world is stopped. */
static seen_set
walk_stopped(int which)
{
    seen_set s = {NULL, 0, 0};
    CHECK(_PyObmalloc_VisitAll(which, collect_visitor, &s) == 0);
    if (s.n > 0) {
        qsort(s.items, s.n, sizeof(seen), compare_seen);
    }
    for (size_t i = 1; i < s.n; i++) {
        CHECK(s.items[i - 1].p != s.items[i].p);    /* each block once */
    }
    return s;
}

static seen_set
walk(int which)
{
    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyEval_StopTheWorld(interp);
    seen_set s = walk_stopped(which);
    _PyEval_StartTheWorld(interp);
    return s;
}

static seen *
find_seen(seen_set *s, void *p)
{
    seen key = {p, 0};
    if (s->n == 0) {
        return NULL;
    }
    return bsearch(&key, s->items, s->n, sizeof(seen), compare_seen);
}

static int
contains_entry(entry *all, size_t n, void *p)
{
    entry key = {.p = p};
    return n > 0 &&
           bsearch(&key, all, n, sizeof(entry), compare_entries) != NULL;
}

static seen_set baseline[2];

/* The walker reports exactly baseline + live for each kind. */
static void
check_walk(const char *label, entry *live, size_t nlive)
{
    if (nlive > 0) {
        qsort(live, nlive, sizeof(entry), compare_entries);
    }
    for (size_t i = 1; i < nlive; i++) {
        CHECK(live[i - 1].p != live[i].p);      /* never handed out twice */
    }
    size_t found = 0, old = 0;
    for (int kind = 0; kind < 2; kind++) {
        int which = kind == KIND_GC ? _PyObmalloc_VISIT_GC
                                    : _PyObmalloc_VISIT_NONGC;
        seen_set s = walk(which);
        for (size_t i = 0; i < nlive; i++) {
            verify(&live[i]);
            if (live[i].kind != (uint32_t)kind) {
                CHECK(find_seen(&s, live[i].p) == NULL);
                continue;
            }
            seen *v = find_seen(&s, live[i].p);
            CHECK(v != NULL);
            CHECK(v->size >= live[i].size);
            found++;
        }
        for (size_t i = 0; i < s.n; i++) {
            if (!contains_entry(live, nlive, s.items[i].p)) {
                CHECK(find_seen(&baseline[kind], s.items[i].p) != NULL);
                old++;
            }
        }
        free(s.items);
    }
    CHECK(found == nlive);
    printf("walk %s: %zu live blocks found exactly (%zu older)\n",
           label, found, old);
}

/* ------------------------------------------------------------------ */
/* Unit checks                                                        */

static void
test_sizes(void)
{
    for (size_t size = 0; size <= 20000; size += size < 600 ? 1 : 7) {
        void *p = PyObject_Malloc(size);
        CHECK(p != NULL);
        CHECK(((uintptr_t)p & 15) == 0);
        size_t u = _PyObmalloc_UsableSize(p);
        CHECK(u >= size);
        if (size <= 512) {
            CHECK(u == (size <= 32 ? 32 : (size + 15) / 16 * 16));
        }
        else if (size <= 16208) {
            CHECK(u < size + size / 4 + 16);    /* classes stay tight */
        }
        memset(p, 0xAB, size);
        PyObject_Free(p);
    }
    void *a = PyObject_Malloc(0);
    void *b = PyObject_Malloc(0);
    CHECK(a != NULL && b != NULL && a != b);
    PyObject_Free(a);
    PyObject_Free(b);
    PyObject_Free(NULL);
    CHECK(PyObject_Malloc((size_t)PY_SSIZE_T_MAX + 1) == NULL);
    CHECK(PyObject_Calloc((size_t)1 << 40, (size_t)1 << 40) == NULL);
    printf("sizes: every size 0..20000 fits, aligned; Malloc(0) distinct\n");
}

static void
fill(unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = (unsigned char)(seed + i * 7);
    }
}

static void
check_fill(const unsigned char *p, size_t n, unsigned seed)
{
    for (size_t i = 0; i < n; i++) {
        CHECK(p[i] == (unsigned char)(seed + i * 7));
    }
}

static void
test_realloc_kind(uint32_t kind)
{
    static const size_t sizes[] = {
        24, 40, 300, 520, 600, 5000, 16208, 16209, 20000, 100000,
        99000, 3000, 500, 100, 24, 0, 64,
    };
    size_t old = 24;
    unsigned char *p = alloc_kind(kind, old);
    CHECK(p != NULL);
    fill(p, old, 1);
    for (size_t i = 1; i < Py_ARRAY_LENGTH(sizes); i++) {
        size_t n = sizes[i];
        unsigned char *q = PyObject_Realloc(p, n);
        CHECK(q != NULL);
        CHECK(_PyObmalloc_UsableSize(q) >= n);
        CHECK(_PyObmalloc_Kind(q) == (int)kind);
        check_fill(q, old < n ? old : n, (unsigned)i);
        fill(q, n, (unsigned)i + 1);
        p = q;
        old = n;
    }
    PyObject_Free(p);
    p = PyObject_Realloc(NULL, 50);
    CHECK(p != NULL && _PyObmalloc_Kind(p) == KIND_NONGC);
    PyObject_Free(p);
}

static void
test_realloc_calloc(void)
{
    test_realloc_kind(KIND_NONGC);
    test_realloc_kind(KIND_GC);
    for (size_t size = 8; size <= 300000; size *= 3) {
        unsigned char *p = PyObject_Malloc(size);
        CHECK(p != NULL);
        memset(p, 0xFF, size);
        PyObject_Free(p);
        p = PyObject_Calloc(size, 1);
        CHECK(p != NULL);
        for (size_t i = 0; i < size; i++) {
            CHECK(p[i] == 0);
        }
        PyObject_Free(p);
    }
    unsigned char *big = PyObject_Malloc(1 << 20);
    CHECK(big != NULL);
    fill(big, 1 << 20, 3);
    check_fill(big, 1 << 20, 3);
    PyObject_Free(big);
    printf("realloc: contents and kind kept across classes and large; "
           "calloc zeroes reused blocks\n");
}

static void
test_kinds_separate(void)
{
    enum { N = 3000 };
    static void *gc[N], *nongc[N];
    for (int i = 0; i < N; i++) {
        size_t size = 32 + (size_t)(i % 7) * 48;
        gc[i] = _PyObject_MallocGC(size);
        nongc[i] = PyObject_Malloc(size);
        CHECK(gc[i] != NULL && nongc[i] != NULL);
    }
    /* A page holding a GC block never holds a non-GC one. */
    uintptr_t *gc_pages = malloc(N * sizeof(uintptr_t));
    CHECK(gc_pages != NULL);
    for (int i = 0; i < N; i++) {
        gc_pages[i] = (uintptr_t)gc[i] & PAGE_MASK;
        CHECK(_PyObmalloc_Kind(gc[i]) == KIND_GC);
        CHECK(_PyObmalloc_Kind(nongc[i]) == KIND_NONGC);
    }
    for (int i = 0; i < N; i++) {
        uintptr_t page = (uintptr_t)nongc[i] & PAGE_MASK;
        for (int j = 0; j < N; j++) {
            CHECK(gc_pages[j] != page);
        }
    }
    free(gc_pages);
    for (int i = 0; i < N; i++) {
        PyObject_Free(gc[i]);
        PyObject_Free(nongc[i]);
    }
    printf("kinds: GC and non-GC blocks never share a page\n");
}

/* --- header preservation -------------------------------------------- */

static const size_t header_sizes[] = {0, 32, 48, 200, 512, 700, 4000, 9000,
                                      16208};

static void
header_fill(unsigned char *p, size_t usable)
{
    for (size_t i = 0; i < usable; i++) {
        p[i] = (unsigned char)(0x5A ^ i);
    }
}

static void
header_check(unsigned char *p)
{
    for (size_t i = 0; i < 24; i++) {
        CHECK(p[i] == (unsigned char)(0x5A ^ i));
    }
#ifdef _Py_ADDRESS_SANITIZER
    /* The rest of a free block is poisoned past the free-list link. */
    size_t usable = _PyObmalloc_UsableSize(p);
    (void)usable;
    CHECK(!__asan_address_is_poisoned(p));
    CHECK(__asan_address_is_poisoned(p + 32) || usable == 32);
#endif
}

static void *header_block;

static void *
header_remote_free(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    PyObject_Free(header_block);
    PyGILState_Release(g);
    return NULL;
}

static void
test_header_preserved(void)
{
    for (size_t i = 0; i < Py_ARRAY_LENGTH(header_sizes); i++) {
        size_t size = header_sizes[i];
        /* Freed by the owner. */
        unsigned char *p = PyObject_Malloc(size);
        CHECK(p != NULL);
        header_fill(p, _PyObmalloc_UsableSize(p));
        PyObject_Free(p);
        header_check(p);

        /* Freed by another thread (the remote path). */
        p = _PyObject_MallocGC(size);
        CHECK(p != NULL);
        header_fill(p, _PyObmalloc_UsableSize(p));
        header_block = p;
        pthread_t t;
        Py_BEGIN_ALLOW_THREADS
        test_start_threads(&t, 1, header_remote_free, NULL, 0);
        test_join_threads(&t, 1);
        Py_END_ALLOW_THREADS
        header_check(p);
    }
    printf("header: first 24 bytes of a freed block unchanged, local and "
           "remote frees\n");
}

/* --- no thread state ------------------------------------------------- */

static entry foreign_kept[4];

static void *
no_tstate_thread(void *arg)
{
    CHECK(PyThreadState_GetUnchecked() == NULL);
    for (int round = 0; round < 2000; round++) {
        entry e = new_entry(round & 1, 24 + (uint32_t)(round % 300));
        void *q = PyObject_Realloc(e.p, e.size + 64);
        CHECK(q != NULL);
        e.p = q;
        verify(&e);
        free_entry(&e);
    }
    for (int i = 0; i < 4; i++) {
        foreign_kept[i] = new_entry(i & 1, i == 3 ? 50000 : 100);
    }
    return NULL;
}

static void
test_no_tstate(void)
{
    pthread_t t;
    Py_BEGIN_ALLOW_THREADS
    test_start_threads(&t, 1, no_tstate_thread, NULL, 0);
    test_join_threads(&t, 1);
    Py_END_ALLOW_THREADS
    /* Freed by a thread that has a state: remote frees into the locked
       heap's pages. */
    for (int i = 0; i < 4; i++) {
        free_entry(&foreign_kept[i]);
    }
    printf("no tstate: allocate, reallocate and free without a thread "
           "state\n");
}

/* --- class change after a grace period -------------------------------- */

static int
in_pages(uintptr_t *pages, int npages, void *p)
{
    for (int i = 0; i < npages; i++) {
        if (pages[i] == ((uintptr_t)p & PAGE_MASK)) {
            return 1;
        }
    }
    return 0;
}

enum { CC_NA = 6000, CC_MAXPAGES = 64 };

typedef struct {
    void *blocks[CC_NA];
    uintptr_t pages[CC_MAXPAGES];
    int npages;
} page_set;

static void
fill_page_set(page_set *ps, size_t size)
{
    ps->npages = 0;
    for (int i = 0; i < CC_NA; i++) {
        ps->blocks[i] = PyObject_Malloc(size);
        CHECK(ps->blocks[i] != NULL);
        if (!in_pages(ps->pages, ps->npages, ps->blocks[i])) {
            CHECK(ps->npages < CC_MAXPAGES);
            ps->pages[ps->npages++] = (uintptr_t)ps->blocks[i] & PAGE_MASK;
        }
    }
}

static void *
fill_and_exit(void *arg)
{
    PyGILState_STATE g = PyGILState_Ensure();
    fill_page_set(arg, 80);
    PyGILState_Release(g);      /* its pages go to the pool, still in use */
    return NULL;
}

static void
test_class_change(PyThreadState *tstate)
{
    enum { NB = 8000 };
    static page_set own, exited;
    static void *b[2][NB];
    /* 48-byte pages emptied by their owner, and 80-byte pages of a thread
       that exited, emptied afterwards by remote frees. */
    fill_page_set(&own, 48);
    pthread_t t;
    Py_BEGIN_ALLOW_THREADS
    test_start_threads(&t, 1, fill_and_exit, &exited, 0);
    test_join_threads(&t, 1);
    Py_END_ALLOW_THREADS
    for (int i = 0; i < CC_NA; i++) {
        PyObject_Free(own.blocks[i]);
        PyObject_Free(exited.blocks[i]);
    }
    /* Needing many 1 KiB pages retires the empty pages, but no thread has
       passed a quiescent state since: none may hold 1 KiB blocks yet. */
    for (int i = 0; i < NB; i++) {
        b[0][i] = PyObject_Malloc(1024);
        CHECK(b[0][i] != NULL);
        CHECK(!in_pages(own.pages, own.npages, b[0][i]));
        CHECK(!in_pages(exited.pages, exited.npages, b[0][i]));
    }
    /* What the eval loop does at a safe point: the grace period ends. */
    CHECK(_PyEval_CheckBreaker(tstate) == 0);
    _PyQSBR_QuiescentState((_PyThreadStateImpl *)tstate);
    int reused = 0, reused_exited = 0;
    for (int i = 0; i < NB; i++) {
        b[1][i] = PyObject_Malloc(1024);
        CHECK(b[1][i] != NULL);
        if (in_pages(own.pages, own.npages, b[1][i])) {
            CHECK(_PyObmalloc_UsableSize(b[1][i]) == 1024);
            reused++;
        }
        if (in_pages(exited.pages, exited.npages, b[1][i])) {
            CHECK(_PyObmalloc_UsableSize(b[1][i]) == 1024);
            reused_exited++;
        }
    }
    CHECK(reused > 0);
    CHECK(reused_exited > 0);
    for (int k = 0; k < 2; k++) {
        for (int i = 0; i < NB; i++) {
            PyObject_Free(b[k][i]);
        }
    }
    printf("class change: emptied pages (own, and of an exited thread) hold "
           "1 KiB blocks only after a quiescent state (%d and %d blocks "
           "reused them)\n", reused, reused_exited);
}

static void
test_walk_small(void)
{
    entry e[3] = {
        new_entry(KIND_GC, 64), new_entry(KIND_NONGC, 64),
        new_entry(KIND_GC, 70000),
    };
    seen_set gc = walk(_PyObmalloc_VISIT_GC);
    seen_set nongc = walk(_PyObmalloc_VISIT_NONGC);
    seen_set both = walk(_PyObmalloc_VISIT_GC | _PyObmalloc_VISIT_NONGC);
    CHECK(find_seen(&gc, e[0].p) && !find_seen(&nongc, e[0].p));
    CHECK(find_seen(&nongc, e[1].p) && !find_seen(&gc, e[1].p));
    CHECK(find_seen(&gc, e[2].p) && !find_seen(&nongc, e[2].p));
    CHECK(both.n == gc.n + nongc.n);
    free(gc.items);
    free(nongc.items);
    free(both.items);
    for (int i = 0; i < 3; i++) {
        free_entry(&e[i]);
    }
    gc = walk(_PyObmalloc_VISIT_GC | _PyObmalloc_VISIT_NONGC);
    for (int i = 0; i < 3; i++) {
        CHECK(find_seen(&gc, e[i].p) == NULL);
    }
    free(gc.items);
    printf("walk: finds GC, non-GC and large blocks by kind, not freed "
           "ones\n");
}

/* ------------------------------------------------------------------ */
/* Stress                                                             */

static void
inbox_drain(worker *w, int keep)
{
    inbox *in = &inboxes[w->index];
    entry local[INBOX_MAX];
    pthread_mutex_lock(&in->mu);
    int n = in->n;
    memcpy(local, in->items, (size_t)n * sizeof(entry));
    in->n = 0;
    pthread_mutex_unlock(&in->mu);
    for (int i = 0; i < n; i++) {
        if (keep) {
            verify(&local[i]);
            w->live[w->nlive++] = local[i];
        }
        else {
            free_entry(&local[i]);
            w->frees++;
        }
    }
}

/* Hands a block to the next thread, which will free it; 0 if its inbox
   is full. */
static int
inbox_pass(worker *w, entry *e)
{
    inbox *in = &inboxes[(w->index + 1) % NTHREADS];
    int ok = 0;
    pthread_mutex_lock(&in->mu);
    if (in->n < INBOX_MAX) {
        in->items[in->n++] = *e;
        ok = 1;
    }
    pthread_mutex_unlock(&in->mu);
    return ok;
}

static void
worker_step(worker *w)
{
    uint64_t r = rng_next(&w->rng);
    int op = (int)(r % 100);
    if (w->nlive == 0 || (op < 52 && w->nlive < LIVE_MAX)) {
        uint32_t kind = (uint32_t)((r >> 8) & 1);
        w->live[w->nlive++] = new_entry(kind, pick_size(r >> 12));
        w->allocs++;
        return;
    }
    int i = (int)((r >> 16) % (uint64_t)w->nlive);
    entry *e = &w->live[i];
    verify(e);
    if (op >= 95) {
        uint32_t size = pick_size(r >> 24);
        uint64_t w2 = ((uint64_t)e->size << 8) | e->kind;
        uint64_t *q = PyObject_Realloc(e->p, size);
        CHECK(q != NULL);
        CHECK(_PyObmalloc_Kind(q) == (int)e->kind);
        /* The common prefix (all sizes are >= 24) moved intact. */
        CHECK(q[0] == e->id && q[1] == ~e->id && q[2] == w2);
        e->p = q;
        e->size = size;
        stamp(e);
        w->reallocs++;
        return;
    }
    entry taken = *e;
    w->live[i] = w->live[--w->nlive];
    if (op >= 80 && inbox_pass(w, &taken)) {
        w->passed++;
        return;
    }
    free_entry(&taken);
    w->frees++;
}

/* Churn until the deadline, then (after everyone stopped passing blocks)
   take what was passed to us and leave all of it live. */
static void
worker_run(worker *w)
{
    PyThreadState *ts = PyThreadState_GetUnchecked();
    while (test_seconds() < deadline) {
        for (int i = 0; i < 64; i++) {
            worker_step(w);
        }
        inbox_drain(w, 0);
        if (ts != NULL) {
            /* What the eval loop does: report quiescent states, so the
               delayed frees of large blocks drain, and stop when the
               world is stopped. */
            CHECK(_PyEval_CheckBreaker(ts) == 0);
        }
    }
    if (ts != NULL) {
        Py_BEGIN_ALLOW_THREADS
        pthread_barrier_wait(&phase_end);
        Py_END_ALLOW_THREADS
    }
    else {
        pthread_barrier_wait(&phase_end);
    }
    inbox_drain(w, 1);
}

/* Round 2 starts by freeing every other block a thread of round 1 left
   (remote frees into pages that are now in the pool) and keeping the
   rest. */
static void
worker_take_leftovers(worker *w, entry *left, int nleft)
{
    for (int i = 0; i < nleft; i++) {
        if (i % 2 == 0) {
            free_entry(&left[i]);
            w->frees++;
        }
        else {
            verify(&left[i]);
            w->live[w->nlive++] = left[i];
        }
    }
}

/* While the workers run: stop them (at their eval-breaker checks, where
   every block they hold is stamped) and check that the walker reports each
   block they hold or have been passed by one another, by kind.  The thread
   with no state keeps running, freeing into their pages meanwhile. */
static void
check_walk_running(void)
{
    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyEval_StopTheWorld(interp);
    seen_set s[2] = {walk_stopped(_PyObmalloc_VISIT_NONGC),
                     walk_stopped(_PyObmalloc_VISIT_GC)};
    for (int i = 0; i < NWORKERS; i++) {
        worker *w = &workers[i];
        for (int j = 0; j < w->nlive; j++) {
            verify(&w->live[j]);
            CHECK(find_seen(&s[w->live[j].kind], w->live[j].p) != NULL);
            CHECK(find_seen(&s[!w->live[j].kind], w->live[j].p) == NULL);
        }
        if (i == (FOREIGN + 1) % NTHREADS) {
            continue;   /* fed by the thread that is not stopped */
        }
        inbox *in = &inboxes[i];
        pthread_mutex_lock(&in->mu);
        for (int j = 0; j < in->n; j++) {
            verify(&in->items[j]);
            CHECK(find_seen(&s[in->items[j].kind], in->items[j].p) != NULL);
        }
        pthread_mutex_unlock(&in->mu);
    }
    _PyEval_StartTheWorld(interp);
    free(s[0].items);
    free(s[1].items);
}

static entry leftovers[NTHREADS][LIVE_MAX + INBOX_MAX];
static int nleftovers[NTHREADS];
static int round_no;

static void *
worker_main(void *arg)
{
    worker *w = arg;
    int has_state = w->index != FOREIGN;
    PyGILState_STATE g = PyGILState_UNLOCKED;
    if (has_state) {
        g = PyGILState_Ensure();
    }
    if (round_no == 2) {
        int from = (w->index + 1) % NTHREADS;
        worker_take_leftovers(w, leftovers[from], nleftovers[from]);
    }
    worker_run(w);
    if (has_state) {
        PyGILState_Release(g);  /* the thread state and its heap go away */
    }
    return NULL;
}

static void
run_round(int round, double seconds)
{
    round_no = round;
    CHECK(pthread_barrier_init(&phase_end, NULL, NTHREADS) == 0);
    for (int i = 0; i < NTHREADS; i++) {
        worker *w = &workers[i];
        memset(w, 0, sizeof(*w));
        w->index = i;
        w->rng = 0x1234567ULL * (uint64_t)(i + 1) + (uint64_t)round * 77;
    }
    deadline = test_seconds() + seconds;
    pthread_t t[NTHREADS];
    Py_BEGIN_ALLOW_THREADS
    test_start_threads(t, NTHREADS, worker_main, workers, sizeof(worker));
    Py_END_ALLOW_THREADS
    int walks = 0;
    while (test_seconds() < deadline - 0.15) {
        Py_BEGIN_ALLOW_THREADS
        usleep(100 * 1000);
        Py_END_ALLOW_THREADS
        check_walk_running();
        walks++;
    }
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(t, NTHREADS);
    Py_END_ALLOW_THREADS
    CHECK(pthread_barrier_destroy(&phase_end) == 0);

    long allocs = 0, frees = 0, passed = 0, reallocs = 0;
    for (int i = 0; i < NTHREADS; i++) {
        worker *w = &workers[i];
        memcpy(leftovers[i], w->live, (size_t)w->nlive * sizeof(entry));
        nleftovers[i] = w->nlive;
        allocs += w->allocs;
        frees += w->frees;
        passed += w->passed;
        reallocs += w->reallocs;
    }
    printf("round %d: %ld allocs, %ld frees (%ld by another thread), "
           "%ld reallocs, stamps intact; %d walks with the world stopped "
           "found every block held\n", round, allocs, frees, passed,
           reallocs, walks);
}

static void
check_leftovers(const char *label)
{
    static entry all[NTHREADS * (LIVE_MAX + INBOX_MAX)];
    size_t n = 0;
    for (int i = 0; i < NTHREADS; i++) {
        memcpy(all + n, leftovers[i], (size_t)nleftovers[i] * sizeof(entry));
        n += (size_t)nleftovers[i];
    }
    check_walk(label, all, n);
}

static void
test_stress(void)
{
    for (int i = 0; i < NTHREADS; i++) {
        CHECK(pthread_mutex_init(&inboxes[i].mu, NULL) == 0);
    }
    baseline[KIND_GC] = walk(_PyObmalloc_VISIT_GC);
    baseline[KIND_NONGC] = walk(_PyObmalloc_VISIT_NONGC);

    run_round(1, PHASE1_SECONDS);
    check_leftovers("after round 1, all threads exited");
    run_round(2, PHASE2_SECONDS);
    check_leftovers("after round 2, all threads exited");

    for (int i = 0; i < NTHREADS; i++) {
        for (int j = 0; j < nleftovers[i]; j++) {
            free_entry(&leftovers[i][j]);
        }
        nleftovers[i] = 0;
    }
    check_walk("after freeing everything", NULL, 0);
    free(baseline[0].items);
    free(baseline[1].items);
}

/* --- fork ------------------------------------------------------------ */

static int fork_stop;

/* Keeps the locked heap (and the pool and arena locks behind it) busy. */
static void *
fork_churn(void *arg)
{
    uint64_t rng = 42;
    static void *held[256];
    while (!_Py_atomic_load_int(&fork_stop)) {
        int i = (int)(rng_next(&rng) % 256);
        PyObject_Free(held[i]);
        held[i] = alloc_kind((uint32_t)(rng & 1), 24 + rng % 3000);
        CHECK(held[i] != NULL);
    }
    for (int i = 0; i < 256; i++) {
        PyObject_Free(held[i]);
    }
    return NULL;
}

static int
count_visitor(void *block, size_t size, void *arg)
{
    (*(size_t *)arg)++;
    return 0;
}

/* The child of a fork taken while another thread allocates: with the
   fork hooks every lock is free and every list whole. */
static void
fork_child(void)
{
    _PyObmalloc_AfterForkChild();
    alarm(10);
    for (int round = 0; round < 5; round++) {
        static void *p[2000];
        for (int i = 0; i < 2000; i++) {
            p[i] = alloc_kind((uint32_t)(i & 1), 24 + (size_t)(i * 37) % 9000);
            CHECK(p[i] != NULL);
        }
        for (int i = 0; i < 2000; i++) {
            PyObject_Free(p[i]);
        }
    }
    size_t n = 0;
    CHECK(_PyObmalloc_VisitAll(_PyObmalloc_VISIT_GC | _PyObmalloc_VISIT_NONGC,
                               count_visitor, &n) == 0);
    _exit(0);
}

static void
test_fork(void)
{
    enum { NFORKS = 10 };
    pthread_t t;
    _Py_atomic_store_int(&fork_stop, 0);
    test_start_threads(&t, 1, fork_churn, NULL, 0);
    PyInterpreterState *interp = _PyInterpreterState_GET();
    for (int i = 0; i < NFORKS; i++) {
        _PyEval_StopTheWorld(interp);
        _PyObmalloc_BeforeFork();
        pid_t pid = fork();
        CHECK(pid >= 0);
        if (pid == 0) {
            fork_child();
        }
        _PyObmalloc_AfterForkParent();
        _PyEval_StartTheWorld(interp);
        int status;
        Py_BEGIN_ALLOW_THREADS
        CHECK(waitpid(pid, &status, 0) == pid);
        Py_END_ALLOW_THREADS
        CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    }
    _Py_atomic_store_int(&fork_stop, 1);
    Py_BEGIN_ALLOW_THREADS
    test_join_threads(&t, 1);
    Py_END_ALLOW_THREADS
    printf("fork: %d children forked while a thread allocates could "
           "allocate, free and walk\n", NFORKS);
}

int
main(void)
{
    /* Before the runtime exists there is no thread state: the locked heap
       serves these, and they must stay valid and walkable afterwards. */
    entry early[3] = {
        new_entry(KIND_NONGC, 100), new_entry(KIND_GC, 48),
        new_entry(KIND_GC, 40000),
    };
    PyThreadState *tstate = _PyRuntime_InitCore();
    CHECK(tstate != NULL);

    test_sizes();
    test_realloc_calloc();
    test_kinds_separate();
    test_header_preserved();
    test_no_tstate();
    test_class_change(tstate);
    test_walk_small();

    seen_set s = walk(_PyObmalloc_VISIT_GC | _PyObmalloc_VISIT_NONGC);
    for (int i = 0; i < 3; i++) {
        CHECK(find_seen(&s, early[i].p) != NULL);
    }
    free(s.items);
    printf("early: blocks allocated before the runtime existed are "
           "walked\n");

    test_stress();
    test_fork();

    for (int i = 0; i < 3; i++) {
        free_entry(&early[i]);
    }
    printf("ok\n");
    return 0;
}
