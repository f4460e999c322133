/* The _heapq module: binary min-heaps (and the max-heap helpers
 * heapq.merge/nlargest use) kept in a plain list, with the algorithms
 * of heapq.py (_siftdown/_siftup) done by swaps so that the list always
 * holds every item while a comparison runs.
 *
 * Thread safety: each function runs in a critical section on the list
 * and touches its item array directly.  A comparison may run Python
 * code that mutates the list (or blocks, which releases the section),
 * so the items compared are held by new references, and after each
 * comparison the size is re-checked ("list changed size during
 * iteration") and the item array re-read before any store.  Stores
 * follow the list's protocol for lock-free readers (ARCHITECTURE
 * section 6): release stores, a NULL slot before a smaller size, new
 * items marked maybe-weakref.  heappush appends into the spare capacity
 * under the section; only when the array is full does it append through
 * PyList_Append first and then find and sift its item (see
 * heappush_repair_locked).  The module has no mutable C state. */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_critical_section.h"

/* ------------------------------------------------------------------ */
/* List access under the section                                      */

/* The list's protocol for a list first touched by a thread other than
 * its owner (mirrors list_ensure_shared in Objects/listobject.c, which
 * is static): mark the items, then the list, shared.  Lock held. */
static void
heap_ensure_shared(PyListObject *heap)
{
    PyObject *op = (PyObject *)heap;
    if ((_Py_atomic_load_uint8_relaxed(&op->ob_gc_bits) &
         _PyGC_BITS_SHARED) != 0 || _Py_IsOwnedByCurrentThread(op)) {
        return;
    }
    for (Py_ssize_t i = 0; i < Py_SIZE(heap); i++) {
        _PyObject_SetMaybeWeakref(heap->ob_item[i]);
    }
    _Py_atomic_or_uint8(&op->ob_gc_bits, _PyGC_BITS_SHARED);
}

/* Swap slots i and j (both < size); lock held.  Both items are already
 * in the list, so no sharing state changes. */
static void
heap_swap(PyListObject *heap, Py_ssize_t i, Py_ssize_t j)
{
    PyObject **items = heap->ob_item;
    PyObject *t = items[i];
    _Py_atomic_store_ptr_release(&items[i], items[j]);
    _Py_atomic_store_ptr_release(&items[j], t);
}

/* Compare heap[i] < heap[j] (max: heap[j] < heap[i]) holding both items,
 * then check the size is still n.  1/0, or -1 with an error. */
static int
heap_less(PyListObject *heap, Py_ssize_t i, Py_ssize_t j, Py_ssize_t n,
          int max)
{
    PyObject *a = Py_NewRef(heap->ob_item[max ? j : i]);
    PyObject *b = Py_NewRef(heap->ob_item[max ? i : j]);
    int r = PyObject_RichCompareBool(a, b, Py_LT);
    Py_DECREF(a);
    Py_DECREF(b);
    if (r >= 0 && Py_SIZE(heap) != n) {
        PyErr_SetString(PyExc_RuntimeError,
                        "list changed size during iteration");
        return -1;
    }
    return r;
}

/* Move heap[pos] up towards startpos while it is less than its parent
 * (heapq._siftdown).  0, or -1 with an error.  Lock held. */
static int
siftdown(PyListObject *heap, Py_ssize_t startpos, Py_ssize_t pos, int max)
{
    Py_ssize_t n = Py_SIZE(heap);
    while (pos > startpos) {
        Py_ssize_t parentpos = (pos - 1) >> 1;
        int less = heap_less(heap, pos, parentpos, n, max);
        if (less < 0) {
            return -1;
        }
        if (!less) {
            break;
        }
        heap_swap(heap, pos, parentpos);
        pos = parentpos;
    }
    return 0;
}

/* Move heap[pos] down to a leaf along the smaller children, then back
 * up (heapq._siftup).  0, or -1 with an error.  Lock held. */
static int
siftup(PyListObject *heap, Py_ssize_t pos, int max)
{
    Py_ssize_t endpos = Py_SIZE(heap);
    Py_ssize_t startpos = pos;
    Py_ssize_t limit = endpos >> 1;
    while (pos < limit) {
        Py_ssize_t childpos = 2 * pos + 1;
        Py_ssize_t rightpos = childpos + 1;
        if (rightpos < endpos) {
            int less = heap_less(heap, childpos, rightpos, endpos, max);
            if (less < 0) {
                return -1;
            }
            if (!less) {
                childpos = rightpos;
            }
        }
        if (Py_SIZE(heap) != endpos) {
            PyErr_SetString(PyExc_RuntimeError,
                            "list changed size during iteration");
            return -1;
        }
        heap_swap(heap, pos, childpos);
        pos = childpos;
    }
    return siftdown(heap, startpos, pos, max);
}

/* Store a new item (an owned reference, stolen) in slot i < size and
 * return the owned reference that was there.  Lock held. */
static PyObject *
heap_exchange(PyListObject *heap, Py_ssize_t i, PyObject *item)
{
    PyObject *old = heap->ob_item[i];
    if ((_Py_atomic_load_uint8_relaxed(&((PyObject *)heap)->ob_gc_bits) &
         _PyGC_BITS_SHARED) != 0) {
        _PyObject_SetMaybeWeakref(item);
    }
    _Py_atomic_store_ptr_release(&heap->ob_item[i], item);
    return old;
}

/* ------------------------------------------------------------------ */
/* Functions                                                           */

/* heap must be a list: 0, or -1 with TypeError naming the function. */
static int
check_heap(PyObject *heap, const char *fmt)
{
    if (!PyList_Check(heap)) {
        PyErr_Format(PyExc_TypeError, fmt, Py_TYPE(heap)->tp_name);
        return -1;
    }
    return 0;
}

/* Append item (borrowed) in the spare capacity of the item array and
 * sift it up, as one step under the section.  Returns 1 if done, 0 if
 * the array is full (nothing changed), -1 with an error.  Lock held.
 * The list API offers no append for a caller already holding the lock,
 * so this follows the list's store protocol itself: the slot past the
 * size is NULL, the item is published before the size. */
static int
heappush_locked(PyListObject *heap, PyObject *item)
{
    Py_ssize_t n = Py_SIZE(heap);
    if (heap->ob_item == NULL || heap->allocated <= n) {
        return 0;
    }
    if ((_Py_atomic_load_uint8_relaxed(&((PyObject *)heap)->ob_gc_bits) &
         _PyGC_BITS_SHARED) != 0) {
        _PyObject_SetMaybeWeakref(item);
    }
    _Py_atomic_store_ptr_release(&heap->ob_item[n], Py_NewRef(item));
    _Py_atomic_store_ssize_release(&heap->ob_base.ob_size, n + 1);
    return siftdown(heap, 0, n, 0) < 0 ? -1 : 1;
}

/* Sift up the item a full array made us append through PyList_Append:
 * find it (by identity, from the end) and sift it.  Another thread may
 * have moved or popped it meanwhile; every such move keeps the only
 * possible violation at the item itself (it may be below its parent),
 * which the sift repairs.  0, or -1 with an error.  Lock held. */
static int
heappush_repair_locked(PyListObject *heap, PyObject *item)
{
    for (Py_ssize_t i = Py_SIZE(heap) - 1; i >= 0; i--) {
        if (heap->ob_item[i] == item) {
            return siftdown(heap, 0, i, 0);
        }
    }
    return 0;
}

/* heappush(heap, item): append, then sift the new last item up. */
static PyObject *
heapq_heappush(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("heappush", nargs, 2, 2)) {
        return NULL;
    }
    PyObject *heap = args[0], *item = args[1];
    if (check_heap(heap, "heappush() argument 1 must be list, not %.200s")
        < 0) {
        return NULL;
    }
    int rc;
    Py_BEGIN_CRITICAL_SECTION(heap);
    heap_ensure_shared((PyListObject *)heap);
    rc = heappush_locked((PyListObject *)heap, item);
    Py_END_CRITICAL_SECTION();
    if (rc == 0) {
        /* The array is full: let the list grow it. */
        if (PyList_Append(heap, item) < 0) {
            return NULL;
        }
        Py_BEGIN_CRITICAL_SECTION(heap);
        heap_ensure_shared((PyListObject *)heap);
        rc = heappush_repair_locked((PyListObject *)heap, item);
        Py_END_CRITICAL_SECTION();
    }
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* Pop the smallest (max: largest) item.  New reference. */
static PyObject *
heappop_common(PyObject *heap, int max)
{
    PyListObject *lst = (PyListObject *)heap;
    PyObject *result = NULL;
    int rc = 0;
    Py_BEGIN_CRITICAL_SECTION(heap);
    heap_ensure_shared(lst);
    Py_ssize_t n = Py_SIZE(lst);
    if (n == 0) {
        rc = -1;
    }
    else {
        /* Remove the last item: NULL the slot, then shrink. */
        PyObject *last = lst->ob_item[n - 1];
        _Py_atomic_store_ptr_release(&lst->ob_item[n - 1], NULL);
        _Py_atomic_store_ssize_release(&lst->ob_base.ob_size, n - 1);
        if (n == 1) {
            result = last;
        }
        else {
            result = heap_exchange(lst, 0, last);
            if (siftup(lst, 0, max) < 0) {
                Py_CLEAR(result);
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    if (rc < 0) {
        PyErr_SetString(PyExc_IndexError, "index out of range");
    }
    return result;
}

/* heappop(heap) / _heappop_max(heap).  New reference. */
static PyObject *
heapq_heappop(PyObject *m, PyObject *heap)
{
    if (check_heap(heap, "heappop() argument must be list, not %.200s") < 0) {
        return NULL;
    }
    return heappop_common(heap, 0);
}

static PyObject *
heapq_heappop_max(PyObject *m, PyObject *heap)
{
    if (check_heap(heap, "_heappop_max() argument must be list, not %.200s")
        < 0) {
        return NULL;
    }
    return heappop_common(heap, 1);
}

/* Replace the root with item and sift it down; return the old root.
 * New reference. */
static PyObject *
heapreplace_common(PyObject *heap, PyObject *item, int max)
{
    PyListObject *lst = (PyListObject *)heap;
    PyObject *result = NULL;
    Py_BEGIN_CRITICAL_SECTION(heap);
    heap_ensure_shared(lst);
    if (Py_SIZE(lst) == 0) {
        PyErr_SetString(PyExc_IndexError, "index out of range");
    }
    else {
        result = heap_exchange(lst, 0, Py_NewRef(item));
        if (siftup(lst, 0, max) < 0) {
            Py_CLEAR(result);
        }
    }
    Py_END_CRITICAL_SECTION();
    return result;
}

/* heapreplace(heap, item) / _heapreplace_max.  New reference. */
static PyObject *
heapq_heapreplace(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("heapreplace", nargs, 2, 2)) {
        return NULL;
    }
    if (check_heap(args[0],
                   "heapreplace() argument 1 must be list, not %.200s") < 0) {
        return NULL;
    }
    return heapreplace_common(args[0], args[1], 0);
}

static PyObject *
heapq_heapreplace_max(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("_heapreplace_max", nargs, 2, 2)) {
        return NULL;
    }
    if (check_heap(args[0],
                   "_heapreplace_max() argument 1 must be list, not %.200s")
        < 0) {
        return NULL;
    }
    return heapreplace_common(args[0], args[1], 1);
}

/* heappushpop(heap, item): if the root is smaller than item, swap them
 * and sift; return whichever is smaller.  New reference. */
static PyObject *
heapq_heappushpop(PyObject *m, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("heappushpop", nargs, 2, 2)) {
        return NULL;
    }
    PyObject *heap = args[0], *item = args[1];
    if (check_heap(heap, "heappushpop() argument 1 must be list, not %.200s")
        < 0) {
        return NULL;
    }
    PyListObject *lst = (PyListObject *)heap;
    PyObject *result = NULL;
    Py_BEGIN_CRITICAL_SECTION(heap);
    heap_ensure_shared(lst);
    if (Py_SIZE(lst) == 0) {
        result = Py_NewRef(item);
    }
    else {
        PyObject *top = Py_NewRef(lst->ob_item[0]);
        int less = PyObject_RichCompareBool(top, item, Py_LT);
        Py_DECREF(top);
        if (less == 0) {
            result = Py_NewRef(item);
        }
        else if (less > 0) {
            if (Py_SIZE(lst) == 0) {
                PyErr_SetString(PyExc_IndexError, "index out of range");
            }
            else {
                result = heap_exchange(lst, 0, Py_NewRef(item));
                if (siftup(lst, 0, 0) < 0) {
                    Py_CLEAR(result);
                }
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    return result;
}

/* Floyd's heapify: sift down every internal node, last first.  The
 * result does not depend on the order of independent subtrees. */
static PyObject *
heapify_common(PyObject *heap, int max)
{
    PyListObject *lst = (PyListObject *)heap;
    int rc = 0;
    Py_BEGIN_CRITICAL_SECTION(heap);
    heap_ensure_shared(lst);
    Py_ssize_t n = Py_SIZE(lst);
    for (Py_ssize_t i = n / 2 - 1; i >= 0; i--) {
        if (siftup(lst, i, max) < 0) {
            rc = -1;
            break;
        }
    }
    Py_END_CRITICAL_SECTION();
    if (rc < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* heapify(heap) / _heapify_max(heap).  Returns None. */
static PyObject *
heapq_heapify(PyObject *m, PyObject *heap)
{
    if (check_heap(heap, "heapify() argument must be list, not %.200s") < 0) {
        return NULL;
    }
    return heapify_common(heap, 0);
}

static PyObject *
heapq_heapify_max(PyObject *m, PyObject *heap)
{
    if (check_heap(heap, "_heapify_max() argument must be list, not %.200s")
        < 0) {
        return NULL;
    }
    return heapify_common(heap, 1);
}

/* ------------------------------------------------------------------ */
/* Module                                                              */

#define HSIG1 "($module, heap, /)\n--\n\n"
#define HSIG2 "($module, heap, item, /)\n--\n\n"

static PyMethodDef heapq_methods[] = {
    {"heappush", (PyCFunction)(void (*)(void))heapq_heappush, METH_FASTCALL,
     "heappush" HSIG2 "Push item onto heap, maintaining the heap invariant."},
    {"heappushpop", (PyCFunction)(void (*)(void))heapq_heappushpop,
     METH_FASTCALL,
     "heappushpop" HSIG2
     "Push item on the heap, then pop and return the smallest item from "
     "the heap.\n\n"
     "The combined action runs more efficiently than heappush() followed "
     "by\na separate call to heappop()."},
    {"heappop", heapq_heappop, METH_O,
     "heappop" HSIG1
     "Pop the smallest item off the heap, maintaining the heap invariant."},
    {"heapreplace", (PyCFunction)(void (*)(void))heapq_heapreplace,
     METH_FASTCALL,
     "heapreplace" HSIG2
     "Pop and return the current smallest value, and add the new item.\n\n"
     "This is more efficient than heappop() followed by heappush(), and "
     "can be\n"
     "more appropriate when using a fixed-size heap.  Note that the value\n"
     "returned may be larger than item!  That constrains reasonable uses "
     "of\n"
     "this routine unless written as part of a conditional replacement:\n\n"
     "    if item > heap[0]:\n"
     "        item = heapreplace(heap, item)"},
    {"heapify", heapq_heapify, METH_O,
     "heapify" HSIG1
     "Transform list into a heap, in-place, in O(len(heap)) time."},
    {"_heappop_max", heapq_heappop_max, METH_O,
     "_heappop_max" HSIG1 "Maxheap variant of heappop."},
    {"_heapreplace_max", (PyCFunction)(void (*)(void))heapq_heapreplace_max,
     METH_FASTCALL,
     "_heapreplace_max" HSIG2 "Maxheap variant of heapreplace."},
    {"_heapify_max", heapq_heapify_max, METH_O,
     "_heapify_max" HSIG1 "Maxheap variant of heapify."},
    {NULL}
};

/* heapq.__about__ (the same text heapq.py carries). */
static const char heapq_about[] =
    "Heap queues\n"
    "\n"
    "[explanation by François Pinard]\n"
    "\n"
    "Heaps are arrays for which a[k] <= a[2*k+1] and a[k] <= a[2*k+2] for\n"
    "all k, counting elements from 0.  For the sake of comparison,\n"
    "non-existing elements are considered to be infinite.  The interesting\n"
    "property of a heap is that a[0] is always its smallest element.\n"
    "\n"
    "The strange invariant above is meant to be an efficient memory\n"
    "representation for a tournament.  The numbers below are `k', not a[k]:\n"
    "\n"
    "                                   0\n"
    "\n"
    "                  1                                 2\n"
    "\n"
    "          3               4                5               6\n"
    "\n"
    "      7       8       9       10      11      12      13      14\n"
    "\n"
    "    15 16   17 18   19 20   21 22   23 24   25 26   27 28   29 30\n"
    "\n"
    "\n"
    "In the tree above, each cell `k' is topping `2*k+1' and `2*k+2'.  In\n"
    "a usual binary tournament we see in sports, each cell is the winner\n"
    "over the two cells it tops, and we can trace the winner down the tree\n"
    "to see all opponents s/he had.  However, in many computer applications\n"
    "of such tournaments, we do not need to trace the history of a winner.\n"
    "To be more memory efficient, when a winner is promoted, we try to\n"
    "replace it by something else at a lower level, and the rule becomes\n"
    "that a cell and the two cells it tops contain three different items,\n"
    "but the top cell \"wins\" over the two topped cells.\n"
    "\n"
    "If this heap invariant is protected at all time, index 0 is clearly\n"
    "the overall winner.  The simplest algorithmic way to remove it and\n"
    "find the \"next\" winner is to move some loser (let's say cell 30 in the\n"
    "diagram above) into the 0 position, and then percolate this new 0 down\n"
    "the tree, exchanging values, until the invariant is re-established.\n"
    "This is clearly logarithmic on the total number of items in the tree.\n"
    "By iterating over all items, you get an O(n ln n) sort.\n"
    "\n"
    "A nice feature of this sort is that you can efficiently insert new\n"
    "items while the sort is going on, provided that the inserted items are\n"
    "not \"better\" than the last 0'th element you extracted.  This is\n"
    "especially useful in simulation contexts, where the tree holds all\n"
    "incoming events, and the \"win\" condition means the smallest scheduled\n"
    "time.  When an event schedule other events for execution, they are\n"
    "scheduled into the future, so they can easily go into the heap.  So, a\n"
    "heap is a good structure for implementing schedulers (this is what I\n"
    "used for my MIDI sequencer :-).\n"
    "\n"
    "Various structures for implementing schedulers have been extensively\n"
    "studied, and heaps are good for this, as they are reasonably speedy,\n"
    "the speed is almost constant, and the worst case is not much different\n"
    "than the average case.  However, there are other representations which\n"
    "are more efficient overall, yet the worst cases might be terrible.\n"
    "\n"
    "Heaps are also very useful in big disk sorts.  You most probably all\n"
    "know that a big sort implies producing \"runs\" (which are pre-sorted\n"
    "sequences, which size is usually related to the amount of CPU memory),\n"
    "followed by a merging passes for these runs, which merging is often\n"
    "very cleverly organised[1].  It is very important that the initial\n"
    "sort produces the longest runs possible.  Tournaments are a good way\n"
    "to that.  If, using all the memory available to hold a tournament, you\n"
    "replace and percolate items that happen to fit the current run, you'll\n"
    "produce runs which are twice the size of the memory for random input,\n"
    "and much better for input fuzzily ordered.\n"
    "\n"
    "Moreover, if you output the 0'th item on disk and get an input which\n"
    "may not fit in the current tournament (because the value \"wins\" over\n"
    "the last output value), it cannot fit in the heap, so the size of the\n"
    "heap decreases.  The freed memory could be cleverly reused immediately\n"
    "for progressively building a second heap, which grows at exactly the\n"
    "same rate the first heap is melting.  When the first heap completely\n"
    "vanishes, you switch heaps and start a new run.  Clever and quite\n"
    "effective!\n"
    "\n"
    "In a word, heaps are useful memory structures to know.  I use them in\n"
    "a few applications, and I think it is good to keep a `heap' module\n"
    "around. :-)\n"
    "\n"
    "--------------------\n"
    "[1] The disk balancing algorithms which are current, nowadays, are\n"
    "more annoying than clever, and this is a consequence of the seeking\n"
    "capabilities of the disks.  On devices which cannot seek, like big\n"
    "tape drives, the story was quite different, and one had to be very\n"
    "clever to ensure (far in advance) that each tape movement will be the\n"
    "most effective possible (that is, will best participate at\n"
    "\"progressing\" the merge).  Some tapes were even able to read\n"
    "backwards, and this was also used to avoid the rewinding time.\n"
    "Believe me, real good tape sorts were quite spectacular to watch!\n"
    "From all times, sorting has always been a Great Art! :-)\n";

static const char heapq_doc[] =
    "Heap queue algorithm (a.k.a. priority queue).\n"
    "\n"
    "Heaps are arrays for which a[k] <= a[2*k+1] and a[k] <= a[2*k+2] for\n"
    "all k, counting elements from 0.  For the sake of comparison,\n"
    "non-existing elements are considered to be infinite.  The interesting\n"
    "property of a heap is that a[0] is always its smallest element.\n"
    "\n"
    "Usage:\n"
    "\n"
    "heap = []            # creates an empty heap\n"
    "heappush(heap, item) # pushes a new item on the heap\n"
    "item = heappop(heap) # pops the smallest item from the heap\n"
    "item = heap[0]       # smallest item on the heap without popping it\n"
    "heapify(x)           # transforms list into a heap, in-place, in linear time\n"
    "item = heapreplace(heap, item) # pops and returns smallest item, and adds\n"
    "                               # new item; the heap size is unchanged\n"
    "\n"
    "Our API differs from textbook heap algorithms as follows:\n"
    "\n"
    "- We use 0-based indexing.  This makes the relationship between the\n"
    "  index for a node and the indexes for its children slightly less\n"
    "  obvious, but is more suitable since Python uses 0-based indexing.\n"
    "\n"
    "- Our heappop() method returns the smallest item, not the largest.\n"
    "\n"
    "These two make it possible to view the heap as a regular Python list\n"
    "without surprises: heap[0] is the smallest item, and heap.sort()\n"
    "maintains the heap invariant!\n";

static PyModuleDef heapq_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "_heapq",
    .m_doc = heapq_doc,
    .m_size = 0,
    .m_methods = heapq_methods,
};

/* Create the _heapq module.  Returns a new reference. */
PyMODINIT_FUNC
PyInit__heapq(void)
{
    PyObject *m = PyModule_Create(&heapq_module);
    if (m == NULL) {
        return NULL;
    }
    if (PyModule_AddStringConstant(m, "__about__", heapq_about) < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
