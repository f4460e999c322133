/* list: a growable array of references.
 *
 * Thread safety (ARCHITECTURE sections 6 and 10):
 *
 *  - Every mutation runs in a critical section on the list.  A mutation
 *    never calls code that can run Python (comparisons, __del__ through a
 *    decref) while it relies on state it read earlier: items it removes are
 *    collected and released after the critical section ends, and loops
 *    that compare items re-read the size each step.
 *
 *  - Item reads take no lock (list_get_item_ref): load the size, the
 *    array pointer (acquire), check the index against the capacity stored
 *    in front of that array, load the slot, conditionally increment the
 *    item (_Py_TryIncref fails on an object that may be dead), and check
 *    the slot still holds it.  Any failure retries under the lock.  Slots
 *    at or beyond the size are always NULL, so a stale size can only make
 *    the reader see NULL and retry.
 *
 *  - A list becomes "shared" (_PyGC_BITS_SHARED) the first time a thread
 *    other than its owner touches it; that thread takes the lock for the
 *    first access, and the locked path marks the list.  Only the owner
 *    reads without the lock before that.  Once shared, a replaced item
 *    array is retired with _PyMem_FreeDelayed (lock-free readers may still
 *    be reading it), and every object stored in the list gets shared state
 *    MAYBE_WEAKREF so that its owner never frees it without atomics.
 *
 *  - Iterators keep their list until they are deallocated (exhaustion only
 *    sets the index to -1), so two threads exhausting one iterator never
 *    release the list twice; concurrent next() calls may repeat or skip an
 *    item.
 *
 *  - sort() empties the list while it sorts the saved array, then checks
 *    that nobody stored anything meanwhile ("list modified during sort").
 */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_critical_section.h"
#include "pycore_qsbr.h"
#include "pycore_long.h"
#include "pycore_list.h"
#include "pycore_unicodeobject.h"

/* ------------------------------------------------------ item arrays */

/* The capacity lives in front of the items, so a lock-free reader can
   bounds-check whichever array it loaded. */
typedef struct {
    Py_ssize_t allocated;
    PyObject *ob_item[];
} _PyListArray;

static inline _PyListArray *
array_of(PyObject **ob_item)
{
    return (_PyListArray *)((char *)ob_item - offsetof(_PyListArray,
                                                       ob_item));
}

static inline Py_ssize_t
array_capacity(PyObject **ob_item)
{
    return array_of(ob_item)->allocated;
}

/* A new array of `capacity` NULL slots. */
static PyObject **
array_new(Py_ssize_t capacity)
{
    if ((size_t)capacity > (PY_SSIZE_T_MAX - sizeof(_PyListArray)) /
                           sizeof(PyObject *)) {
        return NULL;
    }
    _PyListArray *a = PyMem_Calloc(1, sizeof(_PyListArray) +
                                   (size_t)capacity * sizeof(PyObject *));
    if (a == NULL) {
        return NULL;
    }
    a->allocated = capacity;
    return a->ob_item;
}

static inline int
list_is_shared(PyListObject *self)
{
    return (_Py_atomic_load_uint8_relaxed(&self->ob_base.ob_base.ob_gc_bits)
            & _PyGC_BITS_SHARED) != 0;
}

/* Frees an array no longer reachable from the list: after a grace period
   if lock-free readers may hold it. */
static void
array_free(PyListObject *self, PyObject **ob_item)
{
    if (ob_item == NULL) {
        return;
    }
    _PyListArray *a = array_of(ob_item);
    if (list_is_shared(self)) {
        _PyMem_FreeDelayed(a, sizeof(_PyListArray) +
                           (size_t)a->allocated * sizeof(PyObject *));
    }
    else {
        PyMem_Free(a);
    }
}

/* Called with the lock held at the start of every locked operation: a
   thread other than the owner marks the list shared, and the items
   already in it become safe for lock-free readers. */
static void
list_ensure_shared(PyListObject *self)
{
    if (list_is_shared(self) || _Py_IsOwnedByCurrentThread((PyObject *)self)) {
        return;
    }
    Py_ssize_t n = Py_SIZE(self);
    for (Py_ssize_t i = 0; i < n; i++) {
        _PyObject_SetMaybeWeakref(self->ob_item[i]);
    }
    _Py_atomic_or_uint8(&self->ob_base.ob_base.ob_gc_bits,
                        _PyGC_BITS_SHARED);
}

/* Stores v (an owned reference) in slot i; lock held. */
static inline void
list_store(PyListObject *self, Py_ssize_t i, PyObject *v)
{
    if (v != NULL && list_is_shared(self)) {
        _PyObject_SetMaybeWeakref(v);
    }
    _Py_atomic_store_ptr_release(&self->ob_item[i], v);
}

static inline void
list_set_size(PyListObject *self, Py_ssize_t n)
{
    _Py_atomic_store_ssize_release(&self->ob_base.ob_size, n);
}

/* Replaces the item array by one of capacity `cap` holding the first
   `keep` items; lock held. */
static int
list_realloc(PyListObject *self, Py_ssize_t cap, Py_ssize_t keep)
{
    PyObject **old = self->ob_item;
    PyObject **items = NULL;
    if (cap > 0) {
        items = array_new(cap);
        if (items == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        if (keep > 0) {
            memcpy(items, old, (size_t)keep * sizeof(PyObject *));
        }
    }
    _Py_atomic_store_ptr_release(&self->ob_item, items);
    _Py_atomic_store_ssize_relaxed(&self->allocated, cap);
    array_free(self, old);
    return 0;
}

/* Makes room for newsize items (over-allocating when growing) and sets
   the size.  Slots [oldsize, newsize) are NULL; when shrinking, the
   caller has already cleared slots [newsize, oldsize).  Lock held. */
static int
list_resize(PyListObject *self, Py_ssize_t newsize)
{
    Py_ssize_t allocated = self->allocated;
    Py_ssize_t oldsize = Py_SIZE(self);
    if (allocated >= newsize && newsize >= (allocated >> 1) &&
        self->ob_item != NULL) {
        list_set_size(self, newsize);
        return 0;
    }
    size_t new_allocated = ((size_t)newsize + ((size_t)newsize >> 3) + 6) &
                           ~(size_t)3;
    if ((size_t)newsize - (size_t)oldsize >
        new_allocated - (size_t)newsize) {
        new_allocated = ((size_t)newsize + 3) & ~(size_t)3;
    }
    if (newsize == 0) {
        new_allocated = 0;
    }
    if (new_allocated > (size_t)PY_SSIZE_T_MAX / sizeof(PyObject *)) {
        PyErr_NoMemory();
        return -1;
    }
    if (list_realloc(self, (Py_ssize_t)new_allocated,
                     Py_MIN(oldsize, newsize)) < 0) {
        return -1;
    }
    list_set_size(self, newsize);
    return 0;
}

/* ------------------------------------------------------ creation */

PyObject *
PyList_New(Py_ssize_t size)
{
    if (size < 0) {
        PyErr_BadInternalCall();
        return NULL;
    }
    PyListObject *op = PyObject_GC_New(PyListObject, &PyList_Type);
    if (op == NULL) {
        return NULL;
    }
    op->ob_item = NULL;
    op->allocated = 0;
    op->ob_base.ob_size = 0;
    if (size > 0) {
        op->ob_item = array_new(size);
        if (op->ob_item == NULL) {
            Py_DECREF(op);
            return PyErr_NoMemory();
        }
        op->allocated = size;
    }
    op->ob_base.ob_size = size;
    PyObject_GC_Track(op);
    return (PyObject *)op;
}

/* A new list holding new references to items[0:n]. */
static PyObject *
list_from_array(PyObject *const *items, Py_ssize_t n)
{
    PyObject *res = PyList_New(n);
    if (res == NULL) {
        return NULL;
    }
    PyObject **dst = ((PyListObject *)res)->ob_item;
    for (Py_ssize_t i = 0; i < n; i++) {
        dst[i] = Py_NewRef(items[i]);
    }
    return res;
}

/* Releases the references in items[0:n] and the block holding them
   (a plain PyMem block, not a list array). */
static void
decref_array(PyObject **items, Py_ssize_t n)
{
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_XDECREF(items[i]);
    }
}

static void
list_dealloc(PyObject *op)
{
    PyListObject *self = (PyListObject *)op;
    PyObject_GC_UnTrack(op);
    PyObject **items = self->ob_item;
    Py_ssize_t n = Py_SIZE(self);
    self->ob_item = NULL;
    self->ob_base.ob_size = 0;
    self->allocated = 0;
    if (items != NULL) {
        decref_array(items, n);
        /* No reader can hold the array: readers hold a reference to the
           list, and there is none left. */
        PyMem_Free(array_of(items));
    }
    Py_TYPE(op)->tp_free(op);
}

static int
list_traverse(PyObject *op, visitproc visit, void *arg)
{
    PyListObject *self = (PyListObject *)op;
    for (Py_ssize_t i = Py_SIZE(self); --i >= 0;) {
        Py_VISIT(self->ob_item[i]);
    }
    return 0;
}

/* Empties the list; the items are released after the lock is dropped. */
static void
list_clear_impl(PyListObject *self)
{
    PyObject **items;
    Py_ssize_t n;
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    items = self->ob_item;
    n = Py_SIZE(self);
    list_set_size(self, 0);
    _Py_atomic_store_ptr_release(&self->ob_item, NULL);
    _Py_atomic_store_ssize_relaxed(&self->allocated, 0);
    Py_END_CRITICAL_SECTION();
    if (items == NULL) {
        return;
    }
    /* The old array may still be read lock-free: drop the references
       first (each slot is ours), then retire it. */
    decref_array(items, n);
    array_free(self, items);
}

static int
list_tp_clear(PyObject *op)
{
    list_clear_impl((PyListObject *)op);
    return 0;
}

int
PyList_Clear(PyObject *list)
{
    if (!PyList_Check(list)) {
        PyErr_BadInternalCall();
        return -1;
    }
    list_clear_impl((PyListObject *)list);
    return 0;
}

/* ------------------------------------------------------ item access */

Py_ssize_t
PyList_Size(PyObject *op)
{
    if (!PyList_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return PyList_GET_SIZE(op);
}

static inline int
valid_index(Py_ssize_t i, Py_ssize_t limit)
{
    return (size_t)i < (size_t)limit;
}

/* Locked read of item i: new reference, or NULL (no exception) if i is
   out of range. */
static PyObject *
list_get_item_locked(PyListObject *self, Py_ssize_t i)
{
    PyObject *item = NULL;
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    if (valid_index(i, Py_SIZE(self))) {
        item = Py_NewRef(self->ob_item[i]);
    }
    Py_END_CRITICAL_SECTION();
    return item;
}

/* Lock-free read of item i (see the top of the file): new reference, or
   NULL (no exception) if i is out of range. */
static PyObject *
list_get_item_ref(PyListObject *self, Py_ssize_t i)
{
    if (!_Py_IsOwnedByCurrentThread((PyObject *)self) &&
        !list_is_shared(self)) {
        return list_get_item_locked(self, i);
    }
    Py_ssize_t size = PyList_GET_SIZE(self);
    if (!valid_index(i, size)) {
        return NULL;
    }
    PyObject **ob_item = _Py_atomic_load_ptr_acquire(&self->ob_item);
    if (ob_item == NULL || !valid_index(i, array_capacity(ob_item))) {
        return list_get_item_locked(self, i);
    }
    PyObject *item = _Py_atomic_load_ptr_acquire(&ob_item[i]);
    if (item == NULL || !_Py_TryIncref(item)) {
        return list_get_item_locked(self, i);
    }
    if (_Py_atomic_load_ptr_acquire(&ob_item[i]) != item) {
        Py_DECREF(item);
        return list_get_item_locked(self, i);
    }
    return item;
}

PyObject *
PyList_GetItemRef(PyObject *op, Py_ssize_t i)
{
    if (!PyList_Check(op)) {
        PyErr_SetString(PyExc_TypeError, "expected a list");
        return NULL;
    }
    PyObject *item = list_get_item_ref((PyListObject *)op, i);
    if (item == NULL) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
    }
    return item;
}

/* Borrowed: only safe while no other thread can remove the item. */
PyObject *
PyList_GetItem(PyObject *op, Py_ssize_t i)
{
    if (!PyList_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    PyListObject *self = (PyListObject *)op;
    if (!_Py_IsOwnedByCurrentThread(op) && !list_is_shared(self)) {
        /* From now on the owner retires replaced arrays through QSBR, so
           at least the array we read stays valid. */
        Py_BEGIN_CRITICAL_SECTION(self);
        list_ensure_shared(self);
        Py_END_CRITICAL_SECTION();
    }
    if (!valid_index(i, PyList_GET_SIZE(op))) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return NULL;
    }
    PyObject **ob_item = _Py_atomic_load_ptr_acquire(&self->ob_item);
    if (ob_item == NULL || !valid_index(i, array_capacity(ob_item))) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
        return NULL;
    }
    return _Py_atomic_load_ptr_acquire(&ob_item[i]);
}

/* Stores newitem at i (steals it); the old item is released after the
   lock is dropped.  Sets IndexError when out of range. */
static int
list_ass_item_impl(PyListObject *self, Py_ssize_t i, PyObject *newitem)
{
    PyObject *old = NULL;
    int ok = 0;
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    if (valid_index(i, Py_SIZE(self))) {
        old = self->ob_item[i];
        list_store(self, i, newitem);
        ok = 1;
    }
    Py_END_CRITICAL_SECTION();
    if (!ok) {
        Py_XDECREF(newitem);
        PyErr_SetString(PyExc_IndexError,
                        "list assignment index out of range");
        return -1;
    }
    Py_XDECREF(old);
    return 0;
}

int
PyList_SetItem(PyObject *op, Py_ssize_t i, PyObject *newitem)
{
    if (!PyList_Check(op)) {
        Py_XDECREF(newitem);
        PyErr_BadInternalCall();
        return -1;
    }
    return list_ass_item_impl((PyListObject *)op, i, newitem);
}

/* Appends v (steals it); lock held. */
static int
list_append_locked(PyListObject *self, PyObject *v)
{
    Py_ssize_t n = Py_SIZE(self);
    if (n < self->allocated && self->ob_item != NULL) {
        list_store(self, n, v);
        list_set_size(self, n + 1);
        return 0;
    }
    if (n == PY_SSIZE_T_MAX) {
        Py_DECREF(v);
        PyErr_SetString(PyExc_OverflowError,
                        "cannot add more objects to list");
        return -1;
    }
    if (list_resize(self, n + 1) < 0) {
        Py_DECREF(v);
        return -1;
    }
    list_store(self, n, v);
    return 0;
}

/* Appends v, stealing the reference. */
static int
list_append_steal(PyListObject *self, PyObject *v)
{
    int r;
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    r = list_append_locked(self, v);
    Py_END_CRITICAL_SECTION();
    return r;
}

int
PyList_Append(PyObject *op, PyObject *newitem)
{
    if (!PyList_Check(op) || newitem == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    return list_append_steal((PyListObject *)op, Py_NewRef(newitem));
}

/* Inserts v (new reference taken) before index where; lock held. */
static int
list_insert_locked(PyListObject *self, Py_ssize_t where, PyObject *v)
{
    Py_ssize_t n = Py_SIZE(self);
    if (n == PY_SSIZE_T_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        "cannot add more objects to list");
        return -1;
    }
    if (where < 0) {
        where += n;
        if (where < 0) {
            where = 0;
        }
    }
    if (where > n) {
        where = n;
    }
    if (list_resize(self, n + 1) < 0) {
        return -1;
    }
    PyObject **items = self->ob_item;
    for (Py_ssize_t i = n; --i >= where;) {
        _Py_atomic_store_ptr_release(&items[i + 1], items[i]);
    }
    list_store(self, where, Py_NewRef(v));
    return 0;
}

int
PyList_Insert(PyObject *op, Py_ssize_t where, PyObject *newitem)
{
    if (!PyList_Check(op) || newitem == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    int r;
    Py_BEGIN_CRITICAL_SECTION(op);
    list_ensure_shared((PyListObject *)op);
    r = list_insert_locked((PyListObject *)op, where, newitem);
    Py_END_CRITICAL_SECTION();
    return r;
}

/* ------------------------------------------------------ slices */

/* A new list with items [ilow, ihigh) (clamped); lock held. */
static PyObject *
list_slice_locked(PyListObject *self, Py_ssize_t ilow, Py_ssize_t ihigh)
{
    Py_ssize_t n = Py_SIZE(self);
    if (ilow < 0) {
        ilow = 0;
    }
    else if (ilow > n) {
        ilow = n;
    }
    if (ihigh < ilow) {
        ihigh = ilow;
    }
    else if (ihigh > n) {
        ihigh = n;
    }
    return list_from_array(self->ob_item + ilow, ihigh - ilow);
}

PyObject *
PyList_GetSlice(PyObject *op, Py_ssize_t ilow, Py_ssize_t ihigh)
{
    if (!PyList_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(op);
    list_ensure_shared((PyListObject *)op);
    res = list_slice_locked((PyListObject *)op, ilow, ihigh);
    Py_END_CRITICAL_SECTION();
    return res;
}

/* Replaces items [ilow, ihigh) with v[0:nv] (borrowed references, taken
   here); the removed items go to *removed (a PyMem block the caller
   releases with decref_array + PyMem_Free) and their count to *nremoved.
   Lock held. */
static int
list_ass_slice_locked(PyListObject *self, Py_ssize_t ilow, Py_ssize_t ihigh,
                      PyObject *const *v, Py_ssize_t nv,
                      PyObject ***removed, Py_ssize_t *nremoved)
{
    Py_ssize_t n = Py_SIZE(self);
    *removed = NULL;
    *nremoved = 0;
    if (ilow < 0) {
        ilow = 0;
    }
    else if (ilow > n) {
        ilow = n;
    }
    if (ihigh < ilow) {
        ihigh = ilow;
    }
    else if (ihigh > n) {
        ihigh = n;
    }
    Py_ssize_t norig = ihigh - ilow;
    Py_ssize_t d = nv - norig;
    if (norig > 0) {
        PyObject **rm = PyMem_Malloc((size_t)norig * sizeof(PyObject *));
        if (rm == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        memcpy(rm, self->ob_item + ilow, (size_t)norig * sizeof(PyObject *));
        *removed = rm;
        *nremoved = norig;
    }
    if (d > 0) {
        if (n > PY_SSIZE_T_MAX - d) {
            PyErr_NoMemory();
            goto fail;
        }
        if (list_resize(self, n + d) < 0) {
            goto fail;
        }
    }
    PyObject **items = self->ob_item;
    if (d < 0) {
        /* Shift the tail left, then clear the vacated slots. */
        for (Py_ssize_t i = ihigh; i < n; i++) {
            _Py_atomic_store_ptr_release(&items[i + d], items[i]);
        }
        for (Py_ssize_t i = n + d; i < n; i++) {
            _Py_atomic_store_ptr_release(&items[i], NULL);
        }
    }
    else if (d > 0) {
        for (Py_ssize_t i = n; --i >= ihigh;) {
            _Py_atomic_store_ptr_release(&items[i + d], items[i]);
        }
    }
    for (Py_ssize_t k = 0; k < nv; k++) {
        list_store(self, ilow + k, Py_NewRef(v[k]));
    }
    if (d < 0) {
        /* Shrink (may reallocate); the cleared tail is already NULL. */
        if (list_resize(self, n + d) < 0) {
            /* The size is what matters; keep the bigger array. */
            PyErr_Clear();
            list_set_size(self, n + d);
        }
    }
    return 0;
fail:
    PyMem_Free(*removed);
    *removed = NULL;
    *nremoved = 0;
    return -1;
}

static void
release_removed(PyObject **removed, Py_ssize_t n)
{
    if (removed != NULL) {
        decref_array(removed, n);
        PyMem_Free(removed);
    }
}

/* a[ilow:ihigh] = v (v NULL deletes).  v is snapshotted first: it may be
   the list itself, or any iterable. */
static int
list_ass_slice(PyListObject *self, Py_ssize_t ilow, Py_ssize_t ihigh,
               PyObject *v)
{
    PyObject *seq = NULL;
    PyObject *const *items = NULL;
    Py_ssize_t nv = 0;
    if (v != NULL) {
        if (PyList_Check(v)) {
            seq = PyList_AsTuple(v);
        }
        else {
            seq = PySequence_Fast(v, "can only assign an iterable");
            if (seq != NULL && PyList_Check(seq)) {
                Py_SETREF(seq, PyList_AsTuple(seq));
            }
        }
        if (seq == NULL) {
            return -1;
        }
        items = _PyTuple_ITEMS(seq);
        nv = PyTuple_GET_SIZE(seq);
    }
    PyObject **removed;
    Py_ssize_t nremoved;
    int r;
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    r = list_ass_slice_locked(self, ilow, ihigh, items, nv, &removed,
                              &nremoved);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(seq);
    if (r == 0) {
        release_removed(removed, nremoved);
    }
    return r;
}

int
PyList_SetSlice(PyObject *op, Py_ssize_t ilow, Py_ssize_t ihigh,
                PyObject *v)
{
    if (!PyList_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return list_ass_slice((PyListObject *)op, ilow, ihigh, v);
}

/* ------------------------------------------------------ conversions */

PyObject *
PyList_AsTuple(PyObject *op)
{
    if (!PyList_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    PyObject *res;
    Py_BEGIN_CRITICAL_SECTION(op);
    list_ensure_shared((PyListObject *)op);
    res = _PyTuple_FromArray(((PyListObject *)op)->ob_item, Py_SIZE(op));
    Py_END_CRITICAL_SECTION();
    return res;
}

/* Appends every item of iterable (list.extend). */
static int
list_extend_impl(PyListObject *self, PyObject *iterable)
{
    if (PyList_CheckExact(iterable) || PyTuple_CheckExact(iterable)) {
        PyObject *snap = PyList_CheckExact(iterable)
                         ? PyList_AsTuple(iterable) : Py_NewRef(iterable);
        if (snap == NULL) {
            return -1;
        }
        Py_ssize_t k = PyTuple_GET_SIZE(snap);
        int r = 0;
        Py_BEGIN_CRITICAL_SECTION(self);
        list_ensure_shared(self);
        Py_ssize_t n = Py_SIZE(self);
        if (k > 0 && n > PY_SSIZE_T_MAX - k) {
            PyErr_NoMemory();
            r = -1;
        }
        else if (k > 0 && list_resize(self, n + k) == 0) {
            /* Publish the items before the size readers may see. */
            list_set_size(self, n);
            for (Py_ssize_t i = 0; i < k; i++) {
                list_store(self, n + i,
                           Py_NewRef(PyTuple_GET_ITEM(snap, i)));
            }
            list_set_size(self, n + k);
        }
        else if (k > 0) {
            r = -1;
        }
        Py_END_CRITICAL_SECTION();
        Py_DECREF(snap);
        return r;
    }
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        return -1;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        if (list_append_steal(self, item) < 0) {
            Py_DECREF(it);
            return -1;
        }
    }
    Py_DECREF(it);
    return PyErr_Occurred() ? -1 : 0;
}

int
PyList_Extend(PyObject *list, PyObject *iterable)
{
    if (!PyList_Check(list)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return list_extend_impl((PyListObject *)list, iterable);
}

PyObject *
_PyList_Extend(PyListObject *self, PyObject *iterable)
{
    if (list_extend_impl(self, iterable) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------ sorting */

/* A natural merge sort in the timsort family: the input is cut into
   maximal runs (strictly descending runs are reversed in place, which
   keeps it stable), short runs are extended to `minrun` with binary
   insertion sort, and runs are merged from a stack that keeps the run
   lengths balanced (each run longer than the sum of the two above it),
   so the work is O(n log n) and O(n) on presorted input.  Keys and
   values move together when a key function was given. */

typedef struct {
    PyObject **keys;
    PyObject **values;      /* NULL when there is no key function */
} sortslice;

typedef struct {
    /* key comparison: 1 if a < b, 0 if not, -1 on error */
    int (*lt)(PyObject *a, PyObject *b);
    PyObject **tmpkeys;
    PyObject **tmpvalues;
    Py_ssize_t tmpcap;
} sortstate;

static int
lt_generic(PyObject *a, PyObject *b)
{
    return PyObject_RichCompareBool(a, b, Py_LT);
}

static int
lt_str(PyObject *a, PyObject *b)
{
    return PyUnicode_Compare(a, b) < 0;
}

static int
lt_int(PyObject *a, PyObject *b)
{
    return _PyLong_Compare(a, b) < 0;
}

static int
lt_float(PyObject *a, PyObject *b)
{
    return PyFloat_AS_DOUBLE(a) < PyFloat_AS_DOUBLE(b);
}

static inline void
ss_swap(sortslice *s, Py_ssize_t i, Py_ssize_t j)
{
    PyObject *t = s->keys[i];
    s->keys[i] = s->keys[j];
    s->keys[j] = t;
    if (s->values) {
        t = s->values[i];
        s->values[i] = s->values[j];
        s->values[j] = t;
    }
}

static void
ss_reverse(sortslice *s, Py_ssize_t lo, Py_ssize_t hi)
{
    for (hi--; lo < hi; lo++, hi--) {
        ss_swap(s, lo, hi);
    }
}

/* Binary insertion sort of [lo, hi) where [lo, start) is sorted. */
static int
binary_insertion(sortstate *st, sortslice *s, Py_ssize_t lo, Py_ssize_t hi,
                 Py_ssize_t start)
{
    for (; start < hi; start++) {
        PyObject *pivot = s->keys[start];
        PyObject *pval = s->values ? s->values[start] : NULL;
        Py_ssize_t l = lo, r = start;
        while (l < r) {
            Py_ssize_t m = l + ((r - l) >> 1);
            int c = st->lt(pivot, s->keys[m]);
            if (c < 0) {
                return -1;
            }
            if (c) {
                r = m;
            }
            else {
                l = m + 1;
            }
        }
        memmove(&s->keys[l + 1], &s->keys[l],
                (size_t)(start - l) * sizeof(PyObject *));
        s->keys[l] = pivot;
        if (s->values) {
            memmove(&s->values[l + 1], &s->values[l],
                    (size_t)(start - l) * sizeof(PyObject *));
            s->values[l] = pval;
        }
    }
    return 0;
}

/* Length of the run starting at lo (reversing a descending one). */
static Py_ssize_t
count_run(sortstate *st, sortslice *s, Py_ssize_t lo, Py_ssize_t hi)
{
    if (lo + 1 >= hi) {
        return hi - lo;
    }
    Py_ssize_t n = 2;
    int c = st->lt(s->keys[lo + 1], s->keys[lo]);
    if (c < 0) {
        return -1;
    }
    if (c) {
        /* strictly descending */
        for (; lo + n < hi; n++) {
            c = st->lt(s->keys[lo + n], s->keys[lo + n - 1]);
            if (c < 0) {
                return -1;
            }
            if (!c) {
                break;
            }
        }
        ss_reverse(s, lo, lo + n);
    }
    else {
        for (; lo + n < hi; n++) {
            c = st->lt(s->keys[lo + n], s->keys[lo + n - 1]);
            if (c < 0) {
                return -1;
            }
            if (c) {
                break;
            }
        }
    }
    return n;
}

static int
ensure_tmp(sortstate *st, Py_ssize_t need, int with_values)
{
    if (need <= st->tmpcap) {
        return 0;
    }
    PyObject **k = PyMem_Realloc(st->tmpkeys,
                                 (size_t)need * sizeof(PyObject *));
    if (k == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    st->tmpkeys = k;
    if (with_values) {
        PyObject **v = PyMem_Realloc(st->tmpvalues,
                                     (size_t)need * sizeof(PyObject *));
        if (v == NULL) {
            PyErr_NoMemory();
            return -1;
        }
        st->tmpvalues = v;
    }
    st->tmpcap = need;
    return 0;
}

/* Stable merge of the adjacent sorted runs [lo, mid) and [mid, hi).  The
   left run is copied out; on a comparison error the remaining items are
   put back so that every item is still present exactly once. */
static int
merge_runs(sortstate *st, sortslice *s, Py_ssize_t lo, Py_ssize_t mid,
           Py_ssize_t hi)
{
    /* Skip the prefix of the left run already in place, and the suffix of
       the right run likewise (cheap wins on nearly sorted data). */
    int c = st->lt(s->keys[mid], s->keys[mid - 1]);
    if (c <= 0) {
        return c;       /* already in order, or error */
    }
    Py_ssize_t na = mid - lo;
    if (ensure_tmp(st, na, s->values != NULL) < 0) {
        return -1;
    }
    memcpy(st->tmpkeys, &s->keys[lo], (size_t)na * sizeof(PyObject *));
    if (s->values) {
        memcpy(st->tmpvalues, &s->values[lo],
               (size_t)na * sizeof(PyObject *));
    }
    Py_ssize_t i = 0, j = mid, k = lo;
    int err = 0;
    while (i < na && j < hi) {
        c = st->lt(s->keys[j], st->tmpkeys[i]);
        if (c < 0) {
            err = -1;
            break;
        }
        if (c) {
            s->keys[k] = s->keys[j];
            if (s->values) {
                s->values[k] = s->values[j];
            }
            j++;
        }
        else {
            s->keys[k] = st->tmpkeys[i];
            if (s->values) {
                s->values[k] = st->tmpvalues[i];
            }
            i++;
        }
        k++;
    }
    /* Whatever is left of the left run goes before the rest of the right
       run, which is already in place. */
    memmove(&s->keys[k], &st->tmpkeys[i], (size_t)(na - i) *
            sizeof(PyObject *));
    if (s->values) {
        memmove(&s->values[k], &st->tmpvalues[i], (size_t)(na - i) *
                sizeof(PyObject *));
    }
    return err;
}

static Py_ssize_t
compute_minrun(Py_ssize_t n)
{
    Py_ssize_t r = 0;
    while (n >= 64) {
        r |= n & 1;
        n >>= 1;
    }
    return n + r;
}

/* Sorts s[0:n]; 0 or -1 with an exception (then s is a permutation). */
static int
merge_sort(sortstate *st, sortslice *s, Py_ssize_t n)
{
    Py_ssize_t stack_base[85], stack_len[85];
    int nstack = 0;
    Py_ssize_t minrun = compute_minrun(n);
    Py_ssize_t lo = 0;
    while (lo < n) {
        Py_ssize_t run = count_run(st, s, lo, n);
        if (run < 0) {
            return -1;
        }
        if (run < minrun) {
            Py_ssize_t force = Py_MIN(minrun, n - lo);
            if (binary_insertion(st, s, lo, lo + force, lo + run) < 0) {
                return -1;
            }
            run = force;
        }
        stack_base[nstack] = lo;
        stack_len[nstack] = run;
        nstack++;
        lo += run;
        /* Restore the invariants len[i-2] > len[i-1] + len[i] and
           len[i-1] > len[i]. */
        while (nstack > 1) {
            int m = nstack - 2;
            if ((m > 0 && stack_len[m - 1] <= stack_len[m] +
                          stack_len[m + 1]) ||
                (m > 1 && stack_len[m - 2] <= stack_len[m - 1] +
                          stack_len[m])) {
                if (stack_len[m - 1] < stack_len[m + 1]) {
                    m--;
                }
            }
            else if (stack_len[m] > stack_len[m + 1]) {
                break;
            }
            if (merge_runs(st, s, stack_base[m], stack_base[m + 1],
                           stack_base[m + 1] + stack_len[m + 1]) < 0) {
                return -1;
            }
            stack_len[m] += stack_len[m + 1];
            for (int q = m + 1; q < nstack - 1; q++) {
                stack_base[q] = stack_base[q + 1];
                stack_len[q] = stack_len[q + 1];
            }
            nstack--;
        }
    }
    while (nstack > 1) {
        int m = nstack - 2;
        if (m > 0 && stack_len[m - 1] < stack_len[m + 1]) {
            m--;
        }
        if (merge_runs(st, s, stack_base[m], stack_base[m + 1],
                       stack_base[m + 1] + stack_len[m + 1]) < 0) {
            return -1;
        }
        stack_len[m] += stack_len[m + 1];
        for (int q = m + 1; q < nstack - 1; q++) {
            stack_base[q] = stack_base[q + 1];
            stack_len[q] = stack_len[q + 1];
        }
        nstack--;
    }
    return 0;
}

/* Picks a specialised comparison when every key has the same simple
   type whose < cannot run Python code or fail. */
static int (*choose_lt(PyObject **keys, Py_ssize_t n))(PyObject *, PyObject *)
{
    if (n < 2) {
        return lt_generic;
    }
    PyTypeObject *t = Py_TYPE(keys[0]);
    for (Py_ssize_t i = 1; i < n; i++) {
        if (Py_TYPE(keys[i]) != t) {
            return lt_generic;
        }
    }
    if (t == &PyUnicode_Type) {
        return lt_str;
    }
    if (t == &PyFloat_Type) {
        return lt_float;
    }
    if (t == &PyLong_Type) {
        return lt_int;
    }
    return lt_generic;
}

static PyObject *
list_sort_impl(PyListObject *self, PyObject *keyfunc, int reverse)
{
    PyObject **saved;
    Py_ssize_t n, saved_alloc;
    /* Take the items out: the list looks empty while we sort. */
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    saved = self->ob_item;
    n = Py_SIZE(self);
    saved_alloc = self->allocated;
    list_set_size(self, 0);
    _Py_atomic_store_ptr_release(&self->ob_item, NULL);
    _Py_atomic_store_ssize_relaxed(&self->allocated, -1);
    Py_END_CRITICAL_SECTION();

    sortstate st = {lt_generic, NULL, NULL, 0};
    PyObject **keys = NULL;
    int err = 0;
    /* The saved array is ours alone now; reads of it by lock-free readers
       that loaded it earlier only see a permutation of live items. */
    PyObject **work = NULL;
    if (n > 0) {
        work = PyMem_Malloc((size_t)n * sizeof(PyObject *));
        if (work == NULL) {
            PyErr_NoMemory();
            err = -1;
        }
        else {
            memcpy(work, saved, (size_t)n * sizeof(PyObject *));
        }
    }
    if (!err && keyfunc != NULL && n > 0) {
        keys = PyMem_Malloc((size_t)n * sizeof(PyObject *));
        if (keys == NULL) {
            PyErr_NoMemory();
            err = -1;
        }
        for (Py_ssize_t i = 0; !err && i < n; i++) {
            keys[i] = PyObject_CallOneArg(keyfunc, work[i]);
            if (keys[i] == NULL) {
                for (Py_ssize_t j = 0; j < i; j++) {
                    Py_DECREF(keys[j]);
                }
                PyMem_Free(keys);
                keys = NULL;
                err = -1;
            }
        }
    }
    if (!err && n > 1) {
        sortslice s = {keys ? keys : work, keys ? work : NULL};
        if (reverse) {
            ss_reverse(&s, 0, n);
        }
        st.lt = choose_lt(s.keys, n);
        err = merge_sort(&st, &s, n);
        if (reverse) {
            ss_reverse(&s, 0, n);
        }
    }
    if (keys != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            Py_DECREF(keys[i]);
        }
        PyMem_Free(keys);
    }
    PyMem_Free(st.tmpkeys);
    PyMem_Free(st.tmpvalues);

    if (saved_alloc == -1) {
        /* Another thread was sorting this list when we began: we took an
           empty list and sorted nothing.  Leave its contents to that sort
           (overwriting them with our empty list would lose its items) and
           report the concurrent modification. */
        PyMem_Free(work);
        if (!err) {
            PyErr_SetString(PyExc_ValueError, "list modified during sort");
        }
        return NULL;
    }

    /* Put the (sorted) items back; anything stored meanwhile is dropped. */
    PyObject **intruders = NULL;
    Py_ssize_t nintruders = 0;
    int modified;
    Py_BEGIN_CRITICAL_SECTION(self);
    modified = self->allocated != -1 || self->ob_item != NULL;
    intruders = self->ob_item;
    nintruders = Py_SIZE(self);
    if (work != NULL) {
        for (Py_ssize_t i = 0; i < n; i++) {
            _Py_atomic_store_ptr_release(&saved[i], work[i]);
        }
    }
    _Py_atomic_store_ptr_release(&self->ob_item, saved);
    _Py_atomic_store_ssize_relaxed(&self->allocated, saved_alloc);
    list_set_size(self, n);
    Py_END_CRITICAL_SECTION();
    PyMem_Free(work);
    if (intruders != NULL) {
        decref_array(intruders, nintruders);
        array_free(self, intruders);
    }
    if (modified && !err) {
        PyErr_SetString(PyExc_ValueError, "list modified during sort");
        err = -1;
    }
    if (err) {
        return NULL;
    }
    Py_RETURN_NONE;
}

int
PyList_Sort(PyObject *v)
{
    if (v == NULL || !PyList_Check(v)) {
        PyErr_BadInternalCall();
        return -1;
    }
    PyObject *r = list_sort_impl((PyListObject *)v, NULL, 0);
    if (r == NULL) {
        return -1;
    }
    Py_DECREF(r);
    return 0;
}

static PyObject *
list_sort(PyObject *self, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"key", "reverse", NULL};
    PyObject *keyfunc = Py_None;
    int reverse = 0;
    if (PyTuple_GET_SIZE(args) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "sort() takes no positional arguments");
        return NULL;
    }
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|$Op:sort", kwlist,
                                     &keyfunc, &reverse)) {
        return NULL;
    }
    return list_sort_impl((PyListObject *)self,
                          keyfunc == Py_None ? NULL : keyfunc, reverse);
}

/* ------------------------------------------------------ reverse */

static void
list_reverse_locked(PyListObject *self)
{
    Py_ssize_t n = Py_SIZE(self);
    PyObject **items = self->ob_item;
    for (Py_ssize_t lo = 0, hi = n - 1; lo < hi; lo++, hi--) {
        PyObject *t = items[lo];
        _Py_atomic_store_ptr_release(&items[lo], items[hi]);
        _Py_atomic_store_ptr_release(&items[hi], t);
    }
}

int
PyList_Reverse(PyObject *v)
{
    if (v == NULL || !PyList_Check(v)) {
        PyErr_BadInternalCall();
        return -1;
    }
    Py_BEGIN_CRITICAL_SECTION(v);
    list_ensure_shared((PyListObject *)v);
    list_reverse_locked((PyListObject *)v);
    Py_END_CRITICAL_SECTION();
    return 0;
}

static PyObject *
list_reverse(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    if (PyList_Reverse(self) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

/* ------------------------------------------------------ methods */

static PyObject *
list_append(PyObject *self, PyObject *v)
{
    if (list_append_steal((PyListObject *)self, Py_NewRef(v)) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
list_insert(PyObject *self, PyObject *args)
{
    Py_ssize_t where;
    PyObject *v;
    if (!PyArg_ParseTuple(args, "nO:insert", &where, &v)) {
        return NULL;
    }
    if (PyList_Insert(self, where, v) < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}

static PyObject *
list_extend(PyObject *self, PyObject *iterable)
{
    return _PyList_Extend((PyListObject *)self, iterable);
}

static PyObject *
list_pop(PyObject *op, PyObject *args)
{
    Py_ssize_t i = -1;
    if (!PyArg_ParseTuple(args, "|n:pop", &i)) {
        return NULL;
    }
    PyListObject *self = (PyListObject *)op;
    PyObject *v = NULL;
    const char *err = NULL;
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    Py_ssize_t n = Py_SIZE(self);
    if (n == 0) {
        err = "pop from empty list";
    }
    else {
        if (i < 0) {
            i += n;
        }
        if (!valid_index(i, n)) {
            err = "pop index out of range";
        }
        else {
            PyObject **items = self->ob_item;
            v = items[i];
            for (Py_ssize_t k = i; k < n - 1; k++) {
                _Py_atomic_store_ptr_release(&items[k], items[k + 1]);
            }
            _Py_atomic_store_ptr_release(&items[n - 1], NULL);
            if (list_resize(self, n - 1) < 0) {
                PyErr_Clear();
                list_set_size(self, n - 1);
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    if (err != NULL) {
        PyErr_SetString(PyExc_IndexError, err);
        return NULL;
    }
    return v;       /* the list's reference becomes the caller's */
}

static PyObject *
list_clear(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    list_clear_impl((PyListObject *)self);
    Py_RETURN_NONE;
}

static PyObject *
list_copy(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyList_GetSlice(self, 0, PY_SSIZE_T_MAX);
}

/* Compares each item with value (items read one at a time, new
   references, so the comparison may mutate the list). */
static PyObject *
list_index(PyObject *op, PyObject *args)
{
    PyObject *value, *ostart = NULL, *ostop = NULL;
    if (!PyArg_UnpackTuple(args, "index", 1, 3, &value, &ostart, &ostop)) {
        return NULL;
    }
    Py_ssize_t start = 0, stop = PY_SSIZE_T_MAX;
    if (!_PyUnicode_ParseSliceIndex(ostart, &start) ||
        !_PyUnicode_ParseSliceIndex(ostop, &stop)) {
        return NULL;
    }
    PyListObject *self = (PyListObject *)op;
    Py_ssize_t n = PyList_GET_SIZE(op);
    if (start < 0) {
        start += n;
        if (start < 0) {
            start = 0;
        }
    }
    if (stop < 0) {
        stop += n;
    }
    for (Py_ssize_t i = start; i < stop; i++) {
        PyObject *item = list_get_item_ref(self, i);
        if (item == NULL) {
            break;
        }
        int c = PyObject_RichCompareBool(item, value, Py_EQ);
        Py_DECREF(item);
        if (c > 0) {
            return PyLong_FromSsize_t(i);
        }
        if (c < 0) {
            return NULL;
        }
    }
    PyErr_Format(PyExc_ValueError, "%R is not in list", value);
    return NULL;
}

static PyObject *
list_count(PyObject *op, PyObject *value)
{
    PyListObject *self = (PyListObject *)op;
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0;; i++) {
        PyObject *item = list_get_item_ref(self, i);
        if (item == NULL) {
            break;
        }
        int c = item == value ? 1
                : PyObject_RichCompareBool(item, value, Py_EQ);
        Py_DECREF(item);
        if (c < 0) {
            return NULL;
        }
        count += c;
    }
    return PyLong_FromSsize_t(count);
}

static PyObject *
list_remove(PyObject *op, PyObject *value)
{
    PyListObject *self = (PyListObject *)op;
    for (Py_ssize_t i = 0;; i++) {
        PyObject *item = list_get_item_ref(self, i);
        if (item == NULL) {
            break;
        }
        int c = PyObject_RichCompareBool(item, value, Py_EQ);
        if (c < 0) {
            Py_DECREF(item);
            return NULL;
        }
        if (c > 0) {
            /* Remove that object if it is still at i; else search on. */
            PyObject **removed = NULL;
            Py_ssize_t nremoved = 0;
            int r = 1;
            Py_BEGIN_CRITICAL_SECTION(self);
            list_ensure_shared(self);
            if (valid_index(i, Py_SIZE(self)) && self->ob_item[i] == item) {
                r = list_ass_slice_locked(self, i, i + 1, NULL, 0, &removed,
                                          &nremoved);
            }
            Py_END_CRITICAL_SECTION();
            Py_DECREF(item);
            if (r < 0) {
                return NULL;
            }
            if (r == 0) {
                release_removed(removed, nremoved);
                Py_RETURN_NONE;
            }
            i = -1;     /* the list changed under us: start over */
            continue;
        }
        Py_DECREF(item);
    }
    PyErr_SetString(PyExc_ValueError, "list.remove(x): x not in list");
    return NULL;
}

static PyObject *
list_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    Py_ssize_t alloc = _Py_atomic_load_ssize_relaxed(
        &((PyListObject *)self)->allocated);
    if (alloc < 0) {
        alloc = 0;
    }
    return PyLong_FromSsize_t((Py_ssize_t)sizeof(PyListObject) +
                              alloc * (Py_ssize_t)sizeof(PyObject *));
}

static PyObject *list_reversed(PyObject *self, PyObject *Py_UNUSED(ignored));

static PyMethodDef list_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {"__reversed__", list_reversed, METH_NOARGS, NULL},
    {"__sizeof__", list_sizeof, METH_NOARGS, NULL},
    {"clear", list_clear, METH_NOARGS, NULL},
    {"copy", list_copy, METH_NOARGS, NULL},
    {"append", list_append, METH_O, NULL},
    {"insert", list_insert, METH_VARARGS, NULL},
    {"extend", list_extend, METH_O, NULL},
    {"pop", list_pop, METH_VARARGS, NULL},
    {"remove", list_remove, METH_O, NULL},
    {"index", list_index, METH_VARARGS, NULL},
    {"count", list_count, METH_O, NULL},
    {"reverse", list_reverse, METH_NOARGS, NULL},
    {"sort", _PyCFunction_CAST(list_sort), METH_VARARGS | METH_KEYWORDS,
     NULL},
    {NULL, NULL, 0, NULL}
};

/* ------------------------------------------------------ protocols */

static Py_ssize_t
list_length(PyObject *self)
{
    return PyList_GET_SIZE(self);
}

static int
list_contains(PyObject *op, PyObject *value)
{
    PyListObject *self = (PyListObject *)op;
    for (Py_ssize_t i = 0;; i++) {
        PyObject *item = list_get_item_ref(self, i);
        if (item == NULL) {
            return 0;
        }
        int c = item == value ? 1
                : PyObject_RichCompareBool(item, value, Py_EQ);
        Py_DECREF(item);
        if (c != 0) {
            return c;
        }
    }
}

static PyObject *
list_item(PyObject *self, Py_ssize_t i)
{
    PyObject *item = list_get_item_ref((PyListObject *)self, i);
    if (item == NULL) {
        PyErr_SetString(PyExc_IndexError, "list index out of range");
    }
    return item;
}

static PyObject *
list_concat(PyObject *a, PyObject *b)
{
    if (!PyList_Check(b)) {
        PyErr_Format(PyExc_TypeError,
                     "can only concatenate list (not \"%.200s\") to list",
                     Py_TYPE(b)->tp_name);
        return NULL;
    }
    PyObject *ta = PyList_AsTuple(a);
    PyObject *tb = ta ? PyList_AsTuple(b) : NULL;
    if (tb == NULL) {
        Py_XDECREF(ta);
        return NULL;
    }
    Py_ssize_t na = PyTuple_GET_SIZE(ta), nb = PyTuple_GET_SIZE(tb);
    PyObject *res = NULL;
    if (na > PY_SSIZE_T_MAX - nb) {
        PyErr_NoMemory();
    }
    else if ((res = PyList_New(na + nb)) != NULL) {
        PyObject **dst = ((PyListObject *)res)->ob_item;
        for (Py_ssize_t i = 0; i < na; i++) {
            dst[i] = Py_NewRef(PyTuple_GET_ITEM(ta, i));
        }
        for (Py_ssize_t i = 0; i < nb; i++) {
            dst[na + i] = Py_NewRef(PyTuple_GET_ITEM(tb, i));
        }
    }
    Py_DECREF(ta);
    Py_DECREF(tb);
    return res;
}

static PyObject *
list_repeat(PyObject *a, Py_ssize_t n)
{
    PyObject *snap = PyList_AsTuple(a);
    if (snap == NULL) {
        return NULL;
    }
    Py_ssize_t len = PyTuple_GET_SIZE(snap);
    if (n < 0) {
        n = 0;
    }
    if (len > 0 && n > PY_SSIZE_T_MAX / len) {
        Py_DECREF(snap);
        return PyErr_NoMemory();
    }
    PyObject *res = PyList_New(len * n);
    if (res != NULL) {
        PyObject **dst = ((PyListObject *)res)->ob_item;
        for (Py_ssize_t r = 0; r < n; r++) {
            for (Py_ssize_t i = 0; i < len; i++) {
                *dst++ = Py_NewRef(PyTuple_GET_ITEM(snap, i));
            }
        }
    }
    Py_DECREF(snap);
    return res;
}

static PyObject *
list_inplace_concat(PyObject *self, PyObject *other)
{
    if (list_extend_impl((PyListObject *)self, other) < 0) {
        return NULL;
    }
    return Py_NewRef(self);
}

static PyObject *
list_inplace_repeat(PyObject *op, Py_ssize_t n)
{
    PyListObject *self = (PyListObject *)op;
    if (n <= 0) {
        list_clear_impl(self);
        return Py_NewRef(op);
    }
    if (n == 1) {
        return Py_NewRef(op);
    }
    PyObject *snap = PyList_AsTuple(op);
    if (snap == NULL) {
        return NULL;
    }
    Py_ssize_t len = PyTuple_GET_SIZE(snap);
    /* The final item array must be addressable: refuse before growing
       (else a huge n fills memory one copy at a time). */
    if (len > 0 && n > (Py_ssize_t)(PY_SSIZE_T_MAX / sizeof(PyObject *)) /
                           len) {
        Py_DECREF(snap);
        return PyErr_NoMemory();
    }
    int r = 0;
    for (Py_ssize_t k = 1; k < n && r == 0; k++) {
        r = list_extend_impl(self, snap);
    }
    Py_DECREF(snap);
    if (r < 0) {
        return NULL;
    }
    return Py_NewRef(op);
}

static int
list_ass_item(PyObject *op, Py_ssize_t i, PyObject *v)
{
    if (v == NULL) {
        return list_ass_slice((PyListObject *)op, i, i + 1, NULL) < 0 ? -1
               : 0;
    }
    return list_ass_item_impl((PyListObject *)op, i, Py_NewRef(v));
}

static PyObject *
list_subscript(PyObject *op, PyObject *item)
{
    PyListObject *self = (PyListObject *)op;
    if (PyIndex_Check(item)) {
        Py_ssize_t i = PyNumber_AsSsize_t(item, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return NULL;
        }
        if (i < 0) {
            i += PyList_GET_SIZE(op);
        }
        return list_item(op, i);
    }
    if (PySlice_Check(item)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(item, &start, &stop, &step) < 0) {
            return NULL;
        }
        PyObject *res = NULL;
        Py_BEGIN_CRITICAL_SECTION(self);
        list_ensure_shared(self);
        Py_ssize_t n = PySlice_AdjustIndices(Py_SIZE(self), &start, &stop,
                                             step);
        if (step == 1) {
            res = list_slice_locked(self, start, start + (n > 0 ? n : 0));
        }
        else {
            res = PyList_New(n > 0 ? n : 0);
            if (res != NULL) {
                PyObject **dst = ((PyListObject *)res)->ob_item;
                for (Py_ssize_t k = 0, j = start; k < n; k++, j += step) {
                    dst[k] = Py_NewRef(self->ob_item[j]);
                }
            }
        }
        Py_END_CRITICAL_SECTION();
        return res;
    }
    PyErr_Format(PyExc_TypeError,
                 "list indices must be integers or slices, not %.200s",
                 Py_TYPE(item)->tp_name);
    return NULL;
}

/* a[start:stop:step] = value (or del) for step != 1. */
static int
list_ass_extended_slice(PyListObject *self, PyObject *slice, PyObject *value)
{
    Py_ssize_t start, stop, step;
    if (PySlice_Unpack(slice, &start, &stop, &step) < 0) {
        return -1;
    }
    PyObject *seq = NULL;
    if (value != NULL) {
        seq = PyList_Check(value) ? PyList_AsTuple(value)
              : PySequence_Fast(value, "must assign iterable to extended "
                                       "slice");
        if (seq != NULL && PyList_Check(seq)) {
            Py_SETREF(seq, PyList_AsTuple(seq));
        }
        if (seq == NULL) {
            return -1;
        }
    }
    PyObject **removed = NULL;
    Py_ssize_t nremoved = 0;
    int r = 0;
    Py_BEGIN_CRITICAL_SECTION(self);
    list_ensure_shared(self);
    Py_ssize_t n = Py_SIZE(self);
    Py_ssize_t slicelen = PySlice_AdjustIndices(n, &start, &stop, step);
    if (value == NULL) {
        if (slicelen > 0) {
            if (step < 0) {
                /* Walk forwards: lowest index first. */
                start = start + step * (slicelen - 1);
                step = -step;
            }
            removed = PyMem_Malloc((size_t)slicelen * sizeof(PyObject *));
            if (removed == NULL) {
                PyErr_NoMemory();
                r = -1;
            }
            else {
                PyObject **items = self->ob_item;
                Py_ssize_t out = start, k = 0;
                for (Py_ssize_t i = start; i < n; i++) {
                    if (k < slicelen && i == start + k * step) {
                        removed[k++] = items[i];
                        continue;
                    }
                    _Py_atomic_store_ptr_release(&items[out++], items[i]);
                }
                for (Py_ssize_t i = out; i < n; i++) {
                    _Py_atomic_store_ptr_release(&items[i], NULL);
                }
                nremoved = slicelen;
                if (list_resize(self, n - slicelen) < 0) {
                    PyErr_Clear();
                    list_set_size(self, n - slicelen);
                }
            }
        }
    }
    else if (PyTuple_GET_SIZE(seq) != slicelen) {
        PyErr_Format(PyExc_ValueError,
                     "attempt to assign sequence of size %zd to extended "
                     "slice of size %zd", PyTuple_GET_SIZE(seq), slicelen);
        r = -1;
    }
    else if (slicelen > 0) {
        removed = PyMem_Malloc((size_t)slicelen * sizeof(PyObject *));
        if (removed == NULL) {
            PyErr_NoMemory();
            r = -1;
        }
        else {
            for (Py_ssize_t k = 0, j = start; k < slicelen; k++, j += step) {
                removed[k] = self->ob_item[j];
                list_store(self, j, Py_NewRef(PyTuple_GET_ITEM(seq, k)));
            }
            nremoved = slicelen;
        }
    }
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(seq);
    release_removed(removed, nremoved);
    return r;
}

static int
list_ass_subscript(PyObject *op, PyObject *item, PyObject *value)
{
    PyListObject *self = (PyListObject *)op;
    if (PyIndex_Check(item)) {
        Py_ssize_t i = PyNumber_AsSsize_t(item, PyExc_IndexError);
        if (i == -1 && PyErr_Occurred()) {
            return -1;
        }
        if (i < 0) {
            i += PyList_GET_SIZE(op);
        }
        if (value == NULL) {
            /* del a[i]: out of range is an IndexError */
            PyObject **removed = NULL;
            Py_ssize_t nremoved = 0;
            int r = 0, ok;
            Py_BEGIN_CRITICAL_SECTION(self);
            list_ensure_shared(self);
            ok = valid_index(i, Py_SIZE(self));
            if (ok) {
                r = list_ass_slice_locked(self, i, i + 1, NULL, 0, &removed,
                                          &nremoved);
            }
            Py_END_CRITICAL_SECTION();
            if (!ok) {
                PyErr_SetString(PyExc_IndexError,
                                "list assignment index out of range");
                return -1;
            }
            release_removed(removed, nremoved);
            return r;
        }
        return list_ass_item_impl(self, i, Py_NewRef(value));
    }
    if (PySlice_Check(item)) {
        Py_ssize_t start, stop, step;
        if (PySlice_Unpack(item, &start, &stop, &step) < 0) {
            return -1;
        }
        if (step == 1) {
            /* Plain slices clamp like list_ass_slice; AdjustIndices with
               the current length is done under the lock there, but
               negative bounds need the length now. */
            Py_ssize_t n = PyList_GET_SIZE(op);
            PySlice_AdjustIndices(n, &start, &stop, step);
            if (stop < start) {
                stop = start;
            }
            return list_ass_slice(self, start, stop, value);
        }
        return list_ass_extended_slice(self, item, value);
    }
    PyErr_Format(PyExc_TypeError,
                 "list indices must be integers or slices, not %.200s",
                 Py_TYPE(item)->tp_name);
    return -1;
}

/* repr: "[a, b, ...]", "[...]" for a list inside itself. */
static PyObject *
list_repr(PyObject *op)
{
    PyListObject *self = (PyListObject *)op;
    if (PyList_GET_SIZE(op) == 0) {
        return PyUnicode_FromString("[]");
    }
    int rc = Py_ReprEnter(op);
    if (rc != 0) {
        return rc > 0 ? PyUnicode_FromString("[...]") : NULL;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    w.overallocate = 1;
    if (_PyUnicodeWriter_WriteChar(&w, '[') < 0) {
        goto error;
    }
    for (Py_ssize_t i = 0;; i++) {
        PyObject *item = list_get_item_ref(self, i);
        if (item == NULL) {
            break;
        }
        if (i > 0 && _PyUnicodeWriter_WriteASCIIString(&w, ", ", 2) < 0) {
            Py_DECREF(item);
            goto error;
        }
        if (Py_EnterRecursiveCall(" while getting the repr of an object")) {
            Py_DECREF(item);
            goto error;
        }
        PyObject *s = PyObject_Repr(item);
        Py_LeaveRecursiveCall();
        Py_DECREF(item);
        if (s == NULL) {
            goto error;
        }
        int r = _PyUnicodeWriter_WriteStr(&w, s);
        Py_DECREF(s);
        if (r < 0) {
            goto error;
        }
    }
    if (_PyUnicodeWriter_WriteChar(&w, ']') < 0) {
        goto error;
    }
    Py_ReprLeave(op);
    return _PyUnicodeWriter_Finish(&w);
error:
    _PyUnicodeWriter_Dealloc(&w);
    Py_ReprLeave(op);
    return NULL;
}

static PyObject *
list_richcompare(PyObject *v, PyObject *w, int op)
{
    if (!PyList_Check(v) || !PyList_Check(w)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyListObject *vl = (PyListObject *)v, *wl = (PyListObject *)w;
    if (PyList_GET_SIZE(v) != PyList_GET_SIZE(w) &&
        (op == Py_EQ || op == Py_NE)) {
        return PyBool_FromLong(op == Py_NE);
    }
    /* First index where the items differ. */
    Py_ssize_t i;
    PyObject *vi = NULL, *wi = NULL;
    for (i = 0;; i++) {
        vi = list_get_item_ref(vl, i);
        wi = list_get_item_ref(wl, i);
        if (vi == NULL || wi == NULL) {
            break;
        }
        if (vi == wi) {
            Py_DECREF(vi);
            Py_DECREF(wi);
            continue;
        }
        int k = PyObject_RichCompareBool(vi, wi, Py_EQ);
        if (k < 0) {
            Py_DECREF(vi);
            Py_DECREF(wi);
            return NULL;
        }
        if (!k) {
            break;
        }
        Py_DECREF(vi);
        Py_DECREF(wi);
    }
    if (vi == NULL || wi == NULL) {
        /* One ran out: compare the sizes. */
        Py_XDECREF(vi);
        Py_XDECREF(wi);
        Py_ssize_t vs = PyList_GET_SIZE(v), ws = PyList_GET_SIZE(w);
        Py_RETURN_RICHCOMPARE(vs, ws, op);
    }
    PyObject *res;
    if (op == Py_EQ) {
        res = Py_NewRef(Py_False);
    }
    else if (op == Py_NE) {
        res = Py_NewRef(Py_True);
    }
    else {
        res = PyObject_RichCompare(vi, wi, op);
    }
    Py_DECREF(vi);
    Py_DECREF(wi);
    return res;
}

static int
list_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyObject *iterable = NULL;
    if (kwds != NULL && PyDict_Check(kwds) && PyDict_Size(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError, "list() takes no keyword arguments");
        return -1;
    }
    if (!PyArg_UnpackTuple(args, "list", 0, 1, &iterable)) {
        return -1;
    }
    list_clear_impl((PyListObject *)self);
    if (iterable != NULL) {
        return list_extend_impl((PyListObject *)self, iterable);
    }
    return 0;
}

static PyObject *list_iter(PyObject *seq);

static PySequenceMethods list_as_sequence = {
    .sq_length = list_length,
    .sq_concat = list_concat,
    .sq_repeat = list_repeat,
    .sq_item = list_item,
    .sq_ass_item = list_ass_item,
    .sq_contains = list_contains,
    .sq_inplace_concat = list_inplace_concat,
    .sq_inplace_repeat = list_inplace_repeat,
};

static PyMappingMethods list_as_mapping = {
    .mp_length = list_length,
    .mp_subscript = list_subscript,
    .mp_ass_subscript = list_ass_subscript,
};

static const char list_doc[] =
"list(iterable=(), /)\n--\n\nBuilt-in mutable sequence.\n\n"
"If no argument is given, the constructor creates a new empty list.\n"
"The argument must be an iterable if specified.";

PyTypeObject PyList_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "list",
    .tp_basicsize = sizeof(PyListObject),
    .tp_dealloc = list_dealloc,
    .tp_repr = list_repr,
    .tp_as_sequence = &list_as_sequence,
    .tp_as_mapping = &list_as_mapping,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE | Py_TPFLAGS_LIST_SUBCLASS |
                _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_SEQUENCE,
    .tp_doc = list_doc,
    .tp_traverse = list_traverse,
    .tp_clear = list_tp_clear,
    .tp_richcompare = list_richcompare,
    .tp_iter = list_iter,
    .tp_methods = list_methods,
    .tp_init = list_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = PyType_GenericNew,
    .tp_free = PyObject_GC_Del,
};

/* ------------------------------------------------------ iterators */

/* it_seq is kept until the iterator dies; exhaustion sets it_index to -1
   (relaxed atomics: concurrent next() may repeat or skip items). */
typedef struct {
    PyObject_HEAD
    Py_ssize_t it_index;
    PyListObject *it_seq;
} listiterobject;

static PyObject *
listiter_new(PyTypeObject *type, PyObject *seq, Py_ssize_t start)
{
    listiterobject *it = PyObject_GC_New(listiterobject, type);
    if (it == NULL) {
        return NULL;
    }
    it->it_index = start;
    it->it_seq = (PyListObject *)Py_NewRef(seq);
    PyObject_GC_Track(it);
    return (PyObject *)it;
}

static PyObject *
list_iter(PyObject *seq)
{
    if (!PyList_Check(seq)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return listiter_new(&PyListIter_Type, seq, 0);
}

static PyObject *
list_reversed(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return listiter_new(&PyListRevIter_Type, self,
                        PyList_GET_SIZE(self) - 1);
}

static void
listiter_dealloc(PyObject *op)
{
    listiterobject *it = (listiterobject *)op;
    PyObject_GC_UnTrack(op);
    Py_XDECREF(it->it_seq);
    PyObject_GC_Del(op);
}

static int
listiter_traverse(PyObject *op, visitproc visit, void *arg)
{
    Py_VISIT(((listiterobject *)op)->it_seq);
    return 0;
}

static PyObject *
listiter_next(PyObject *op)
{
    listiterobject *it = (listiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    if (i < 0) {
        return NULL;
    }
    PyObject *item = list_get_item_ref(it->it_seq, i);
    if (item == NULL) {
        _Py_atomic_store_ssize_relaxed(&it->it_index, -1);
        return NULL;
    }
    _Py_atomic_store_ssize_relaxed(&it->it_index, i + 1);
    return item;
}

static PyObject *
listreviter_next(PyObject *op)
{
    listiterobject *it = (listiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    if (i < 0) {
        return NULL;
    }
    PyObject *item = list_get_item_ref(it->it_seq, i);
    if (item == NULL) {
        _Py_atomic_store_ssize_relaxed(&it->it_index, -1);
        return NULL;
    }
    _Py_atomic_store_ssize_relaxed(&it->it_index, i - 1);
    return item;
}

static PyObject *
listiter_len(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    listiterobject *it = (listiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    Py_ssize_t n = 0;
    if (i >= 0) {
        n = PyList_GET_SIZE(it->it_seq) - i;
        if (n < 0) {
            n = 0;
        }
    }
    return PyLong_FromSsize_t(n);
}

static PyObject *
listreviter_len(PyObject *op, PyObject *Py_UNUSED(ignored))
{
    listiterobject *it = (listiterobject *)op;
    Py_ssize_t i = _Py_atomic_load_ssize_relaxed(&it->it_index);
    Py_ssize_t n = 0;
    if (i >= 0 && i < PyList_GET_SIZE(it->it_seq)) {
        n = i + 1;
    }
    return PyLong_FromSsize_t(n);
}

static PyMethodDef listiter_methods[] = {
    {"__length_hint__", listiter_len, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMethodDef listreviter_methods[] = {
    {"__length_hint__", listreviter_len, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyListIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "list_iterator",
    .tp_basicsize = sizeof(listiterobject),
    .tp_dealloc = listiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = listiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = listiter_next,
    .tp_methods = listiter_methods,
};

PyTypeObject PyListRevIter_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "list_reverseiterator",
    .tp_basicsize = sizeof(listiterobject),
    .tp_dealloc = listiter_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = listiter_traverse,
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = listreviter_next,
    .tp_methods = listreviter_methods,
};

int
_PyList_InitTypes(void)
{
    if (PyType_Ready(&PyList_Type) < 0 ||
        PyType_Ready(&PyListIter_Type) < 0 ||
        PyType_Ready(&PyListRevIter_Type) < 0) {
        return -1;
    }
    return 0;
}
