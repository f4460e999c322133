/* Weak references: weakref.ReferenceType, ProxyType, CallableProxyType.
 *
 * Layout.  Every object of a type with tp_weaklistoffset > 0 has a slot
 * at that offset holding the head of a doubly linked list of the weak
 * references to it (PyWeakReference.wr_prev/wr_next).  The list is kept in
 * this order, as CPython does, so that the shareable references are found
 * at once and callbacks run most recent first:
 *     [basic ref] [basic proxy] [other references, newest first]
 * A basic ref is an exact weakref.ref without callback, a basic proxy a
 * proxy without callback; creating one returns the existing one if there
 * is one (weakref.ref(o) is weakref.ref(o)).
 *
 * Free threading.  Shared mutable state: a referent's list (the slot and
 * the links of the references in it) and each reference's wr_object (the
 * referent, uncounted, or Py_None once cleared).
 *
 *   - Both are protected by a striped lock: WR_NSTRIPES _PyRawMutexes,
 *     the one for a referent chosen by a hash of its address.  Every
 *     change to a list, and every change of wr_object from the referent to
 *     Py_None, happens under the stripe of that referent.  wr_object
 *     changes only once (referent -> Py_None), never to another object, so
 *     a reader that loads wr_object without the lock knows which stripe to
 *     take and re-checks wr_object under it.
 *   - Nothing done under a stripe can block, detach, reach a safe point,
 *     run Python code or drop a reference: only list surgery, atomics,
 *     conditional increments and PyMem_Raw allocation.  Only one stripe is
 *     ever held at a time.  The stripes are raw mutexes, which never
 *     detach while waiting: a waiter stays attached (holding whatever
 *     critical sections it has) for the few instructions the holder needs,
 *     and a lock is never handed over to a thread that is suspended.  So
 *     while the world is stopped no thread holds a stripe, and the GC hook
 *     (_PyWeakref_ClearForGC) edits lists without locking; a stop request
 *     waits at most for the holder to finish its region.  (With PyMutex,
 *     which detaches and hands the lock to parked waiters, the threaded
 *     test hung about once in 15 runs with a stripe locked and no live
 *     holder; see the report of the weakref change.)
 *   - Dereferencing (ref(), proxies, PyWeakref_GetRef): load wr_object;
 *     Py_None means dead.  Else lock its stripe, re-check wr_object, and
 *     take a reference with _Py_TryIncref.  The referent's dealloc clears
 *     wr_object under the same stripe before any memory is released, so
 *     the object is not freed while we look at it; and _Py_TryIncref fails
 *     once its count reached zero (merged with count 0), so a dying object
 *     is never resurrected: the caller sees None.  Every referent is
 *     marked _PyObject_SetMaybeWeakref before its first weak reference is
 *     published, so its owner never frees it through the no-atomics path
 *     (where a conditional increment would be unsound).  A conditional
 *     increment that wins against the owner's final merge keeps the object
 *     alive legitimately: the merge then sees a count of 1.
 *   - PyObject_ClearWeakRefs (the referent's dealloc): first an unlocked
 *     load of the list head; NULL means there never was a reference left
 *     to clear: references are only added by threads that hold a strong
 *     reference, and the release of that reference (an atomic operation,
 *     since the referent is marked) orders the insertion before the final
 *     decrement.  Otherwise, under the stripe: every reference gets
 *     wr_object = None and is unlinked; each with a callback is kept (by a
 *     conditional increment) for its callback to run after the stripe is
 *     released.  A reference whose own count already reached zero (dying
 *     on another thread, its dealloc waiting for the stripe) fails that
 *     increment: it died first, so its callback is skipped, as in CPython.
 *     Weak references themselves are marked maybe-weakref when created so
 *     that the conditional increment never fails on a live one.
 *   - A weak reference's dealloc/tp_clear unlinks it under the referent's
 *     stripe if wr_object still names the referent.  If it loads Py_None
 *     (acquire) it frees itself without taking the stripe, so whoever
 *     clears a list stores Py_None into a reference last, after its
 *     conditional increment: nothing touches a reference after that store
 *     unless it holds a reference to it.
 *   - wr_callback is set at creation and taken (set to NULL) once, under
 *     the weak reference's own critical section, by whoever runs (on the
 *     reference-counting path) or drops it; the collector's path reads it
 *     under that section and leaves it, as CPython does.  The __callback__
 *     member reads it with the member descriptor's conditional-increment
 *     protocol (callbacks are marked maybe-weakref).
 *   - hash: computed outside any lock (it calls the referent's __hash__)
 *     and cached with a relaxed atomic store; two threads racing compute
 *     the same value.
 *   - The garbage collector (world stopped) clears references to garbage
 *     through _PyWeakref_ClearForGC and runs the callbacks later through
 *     _PyWeakref_CallCallbackForGC (world running).
 */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_critical_section.h"
#include "pycore_lock.h"
#include "pycore_gc.h"
#include "pycore_weakref.h"
#include "pycore_global_strings.h"
#include "structmember.h"

#include <stddef.h>

/* ================================================================ stripes */

#define WR_NSTRIPES 64
#define WR_STRIPE_BITS 6

/* One lock per cache line: stripes are taken by unrelated threads. */
static struct {
    _PyRawMutex mutex;
    char pad[64 - sizeof(_PyRawMutex)];
} wr_stripes[WR_NSTRIPES] __attribute__((aligned(64)));

static inline _PyRawMutex *
stripe_for(PyObject *ob)
{
    uint64_t h = (uint64_t)((uintptr_t)ob >> 4) * 0x9E3779B97F4A7C15ULL;
    return &wr_stripes[h >> (64 - WR_STRIPE_BITS)].mutex;
}

#define REF(op) ((PyWeakReference *)(op))

static inline PyWeakReference **
weaklist_slot(PyObject *ob)
{
    return (PyWeakReference **)((char *)ob + Py_TYPE(ob)->tp_weaklistoffset);
}

static inline PyObject *
load_referent(PyWeakReference *r)
{
    return _Py_atomic_load_ptr_acquire(&r->wr_object);
}

/* ================================================================ lists */

/* Under the stripe of the referent (or world stopped). */
static void
list_insert_after(PyWeakReference *r, PyWeakReference *prev,
                  PyWeakReference **slot)
{
    if (prev == NULL) {
        r->wr_prev = NULL;
        r->wr_next = *slot;
        if (*slot != NULL) {
            (*slot)->wr_prev = r;
        }
        /* Release: pairs with the unlocked emptiness check in
           PyObject_ClearWeakRefs and __weakref__ readers. */
        _Py_atomic_store_ptr_release(slot, r);
        return;
    }
    r->wr_prev = prev;
    r->wr_next = prev->wr_next;
    if (prev->wr_next != NULL) {
        prev->wr_next->wr_prev = r;
    }
    prev->wr_next = r;
}

/* Under the stripe of the referent (or world stopped). */
static void
list_unlink(PyWeakReference *r, PyWeakReference **slot)
{
    if (r->wr_prev != NULL) {
        r->wr_prev->wr_next = r->wr_next;
    }
    else {
        _Py_atomic_store_ptr_release(slot, r->wr_next);
    }
    if (r->wr_next != NULL) {
        r->wr_next->wr_prev = r->wr_prev;
    }
    r->wr_prev = r->wr_next = NULL;
}

static inline int
is_basic_ref(PyWeakReference *r)
{
    return Py_IS_TYPE((PyObject *)r, &_PyWeakref_RefType) &&
           r->wr_callback == NULL;
}

static inline int
is_basic_proxy(PyWeakReference *r)
{
    return PyWeakref_CheckProxy((PyObject *)r) && r->wr_callback == NULL;
}

/* The shareable references at the head of a list.  Under the stripe. */
static void
find_basic(PyWeakReference *head, PyWeakReference **ref,
           PyWeakReference **proxy)
{
    *ref = *proxy = NULL;
    if (head != NULL && is_basic_ref(head)) {
        *ref = head;
        head = head->wr_next;
    }
    if (head != NULL && is_basic_proxy(head)) {
        *proxy = head;
    }
}

/* Detaches `r` from its referent, if it still has one.  Takes the
   referent's stripe; the referent may be dying on another thread (its
   address is only hashed, and re-checked under the lock). */
static void
detach_from_referent(PyWeakReference *r)
{
    PyObject *ob = load_referent(r);
    if (ob == Py_None) {
        return;
    }
    _PyRawMutex *m = stripe_for(ob);
    _PyRawMutex_Lock(m);
    if (r->wr_object == ob) {
        list_unlink(r, weaklist_slot(ob));
        _Py_atomic_store_ptr_release(&r->wr_object, Py_None);
    }
    _PyRawMutex_Unlock(m);
}

/* Takes the callback of `r` (new reference, or NULL): it runs at most
   once.  The critical section orders this with __callback__ readers that
   fall back to it. */
static PyObject *
take_callback(PyWeakReference *r)
{
    PyObject *cb;
    Py_BEGIN_CRITICAL_SECTION(r);
    cb = r->wr_callback;
    _Py_atomic_store_ptr_release(&r->wr_callback, NULL);
    Py_END_CRITICAL_SECTION();
    return cb;
}

/* ================================================================ deref */

PyObject *
_PyWeakref_GetReferent(PyObject *ref)
{
    PyWeakReference *r = REF(ref);
    PyObject *ob = load_referent(r);
    if (ob == Py_None) {
        return NULL;
    }
    PyObject *result = NULL;
    _PyRawMutex *m = stripe_for(ob);
    _PyRawMutex_Lock(m);
    if (r->wr_object == ob && _Py_TryIncref(ob)) {
        result = ob;
    }
    _PyRawMutex_Unlock(m);
    return result;
}

/* Strong reference to a proxy's referent, or NULL with ReferenceError. */
static PyObject *
proxy_referent(PyObject *proxy)
{
    PyObject *ob = _PyWeakref_GetReferent(proxy);
    if (ob == NULL) {
        PyErr_SetString(PyExc_ReferenceError,
                        "weakly-referenced object no longer exists");
    }
    return ob;
}

PyObject *
_PyWeakref_GetFirst(PyObject *ob)
{
    if (!_PyType_SupportsWeakRefs(Py_TYPE(ob))) {
        Py_RETURN_NONE;
    }
    PyObject *result = NULL;
    _PyRawMutex *m = stripe_for(ob);
    _PyRawMutex_Lock(m);
    for (PyWeakReference *r = *weaklist_slot(ob); r != NULL; r = r->wr_next) {
        if (_Py_TryIncref((PyObject *)r)) {
            result = (PyObject *)r;
            break;
        }
    }
    _PyRawMutex_Unlock(m);
    return result != NULL ? result : Py_NewRef(Py_None);
}

/* ================================================================ creation */

/* Set once the types are ready (release), read with acquire. */
static int wr_types_ready;

int
_PyWeakref_InitTypes(void)
{
    if (_Py_atomic_load_int_acquire(&wr_types_ready)) {
        return 0;
    }
    if (PyType_Ready(&_PyWeakref_RefType) < 0 ||
        PyType_Ready(&_PyWeakref_ProxyType) < 0 ||
        PyType_Ready(&_PyWeakref_CallableProxyType) < 0) {
        return -1;
    }
    _Py_atomic_store_int_release(&wr_types_ready, 1);
    return 0;
}

static PyObject *weakref_vectorcall(PyObject *self, PyObject *const *args,
                                    size_t nargsf, PyObject *kwnames);

/* A fresh, unlinked reference of `type` to `ob`.  New reference. */
static PyWeakReference *
alloc_ref(PyTypeObject *type, PyObject *ob, PyObject *callback)
{
    PyWeakReference *r = (PyWeakReference *)type->tp_alloc(type, 0);
    if (r == NULL) {
        return NULL;
    }
    r->wr_object = ob;
    if (callback != NULL) {
        _PyObject_SetMaybeWeakref(callback);
    }
    r->wr_callback = Py_XNewRef(callback);
    r->hash = -1;
    r->wr_prev = r->wr_next = NULL;
    /* Subclasses may override __call__: they go through tp_call. */
    r->vectorcall = type == &_PyWeakref_RefType ? weakref_vectorcall : NULL;
    /* Found by other threads through the referent's list. */
    _PyObject_SetMaybeWeakref((PyObject *)r);
    if (!PyObject_GC_IsTracked((PyObject *)r)) {
        PyObject_GC_Track(r);
    }
    return r;
}

/* The existing shareable reference of the wanted kind (new reference),
   or NULL.  Under the stripe. */
static PyWeakReference *
reuse_basic(PyObject *ob, int want_proxy)
{
    PyWeakReference *ref, *proxy;
    find_basic(*weaklist_slot(ob), &ref, &proxy);
    PyWeakReference *r = want_proxy ? proxy : ref;
    if (r != NULL && _Py_TryIncref((PyObject *)r)) {
        return r;
    }
    return NULL;
}

/* Links `r` into the list of `ob` at its place.  Under the stripe. */
static void
link_ref(PyWeakReference *r, PyObject *ob, int basic, int is_proxy)
{
    PyWeakReference **slot = weaklist_slot(ob);
    PyWeakReference *bref, *bproxy;
    find_basic(*slot, &bref, &bproxy);
    PyWeakReference *prev;
    if (basic && !is_proxy) {
        prev = NULL;
    }
    else if (basic) {
        prev = bref;
    }
    else {
        prev = bproxy != NULL ? bproxy : bref;
    }
    list_insert_after(r, prev, slot);
}

/* Creates (or shares) a weak reference of `type` to `ob`.  `callback` is
   borrowed, NULL for none.  New reference. */
static PyObject *
new_weakref(PyTypeObject *type, PyObject *ob, PyObject *callback,
            int is_proxy)
{
    if (!_PyType_SupportsWeakRefs(Py_TYPE(ob))) {
        PyErr_Format(PyExc_TypeError,
                     "cannot create weak reference to '%s' object",
                     Py_TYPE(ob)->tp_name);
        return NULL;
    }
    if (callback == Py_None) {
        callback = NULL;
    }
    int basic = callback == NULL &&
                (is_proxy || type == &_PyWeakref_RefType);
    _PyRawMutex *m = stripe_for(ob);
    PyWeakReference *r = NULL;
    if (basic) {
        _PyRawMutex_Lock(m);
        r = reuse_basic(ob, is_proxy);
        _PyRawMutex_Unlock(m);
        if (r != NULL) {
            return (PyObject *)r;
        }
    }
    /* Allocate outside the stripe: nothing under it may reach a safe
       point. */
    PyWeakReference *fresh = alloc_ref(type, ob, callback);
    if (fresh == NULL) {
        return NULL;
    }
    _PyObject_SetMaybeWeakref(ob);
    _PyRawMutex_Lock(m);
    if (basic) {
        r = reuse_basic(ob, is_proxy);
    }
    if (r == NULL) {
        link_ref(fresh, ob, basic, is_proxy);
    }
    _PyRawMutex_Unlock(m);
    if (r != NULL) {
        /* Another thread made the shared one meanwhile: ours was never
           linked, so its dealloc must not look for the referent. */
        fresh->wr_object = Py_None;
        Py_DECREF(fresh);
        return (PyObject *)r;
    }
    return (PyObject *)fresh;
}

PyObject *
PyWeakref_NewRef(PyObject *ob, PyObject *callback)
{
    if (_PyWeakref_InitTypes() < 0) {
        return NULL;
    }
    return new_weakref(&_PyWeakref_RefType, ob, callback, 0);
}

PyObject *
PyWeakref_NewProxy(PyObject *ob, PyObject *callback)
{
    if (_PyWeakref_InitTypes() < 0) {
        return NULL;
    }
    PyTypeObject *type = PyCallable_Check(ob) ? &_PyWeakref_CallableProxyType
                                              : &_PyWeakref_ProxyType;
    return new_weakref(type, ob, callback, 1);
}

/* ================================================================ C API */

PyObject *
PyWeakref_GetObject(PyObject *ref)
{
    if (ref == NULL || !PyWeakref_Check(ref)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    return load_referent(REF(ref));
}

int
PyWeakref_GetRef(PyObject *ref, PyObject **pobj)
{
    if (ref == NULL || !PyWeakref_Check(ref)) {
        *pobj = NULL;
        PyErr_SetString(PyExc_TypeError, "expected a weakref");
        return -1;
    }
    *pobj = _PyWeakref_GetReferent(ref);
    return *pobj != NULL;
}

Py_ssize_t
_PyWeakref_GetWeakrefCount(PyObject *ob)
{
    if (!_PyType_SupportsWeakRefs(Py_TYPE(ob))) {
        return 0;
    }
    Py_ssize_t n = 0;
    _PyRawMutex *m = stripe_for(ob);
    _PyRawMutex_Lock(m);
    for (PyWeakReference *r = *weaklist_slot(ob); r != NULL; r = r->wr_next) {
        n++;
    }
    _PyRawMutex_Unlock(m);
    return n;
}

/* The live references to `ob` in list order, each a new reference, in a
   PyMem_Raw array (*out; caller frees); returns their number or -1 when
   out of memory (no exception set).  The array is sized before the stripe
   is taken and the walk retried if the list grew meanwhile. */
static Py_ssize_t
collect_refs(PyObject *ob, PyObject ***out)
{
    _PyRawMutex *m = stripe_for(ob);
    Py_ssize_t cap = _PyWeakref_GetWeakrefCount(ob) + 4;
    for (;;) {
        PyObject **items = PyMem_RawMalloc(sizeof(PyObject *) * cap);
        if (items == NULL) {
            return -1;
        }
        Py_ssize_t n = 0, total = 0;
        _PyRawMutex_Lock(m);
        PyWeakReference *r = *weaklist_slot(ob);
        for (; r != NULL; r = r->wr_next) {
            total++;
        }
        if (total <= cap) {
            for (r = *weaklist_slot(ob); r != NULL; r = r->wr_next) {
                if (_Py_TryIncref((PyObject *)r)) {
                    items[n++] = (PyObject *)r;
                }
            }
        }
        _PyRawMutex_Unlock(m);
        if (total <= cap) {
            *out = items;
            return n;
        }
        PyMem_RawFree(items);
        cap = total + 4;
    }
}

/* List of the weak references to `ob` (new reference), for
   _weakref.getweakrefs. */
PyObject *
_PyWeakref_GetWeakrefs(PyObject *ob)
{
    if (!_PyType_SupportsWeakRefs(Py_TYPE(ob))) {
        return PyList_New(0);
    }
    PyObject **items;
    Py_ssize_t n = collect_refs(ob, &items);
    if (n < 0) {
        return PyErr_NoMemory();
    }
    PyObject *list = PyList_New(n);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (list != NULL) {
            PyList_SET_ITEM(list, i, items[i]);
        }
        else {
            Py_DECREF(items[i]);
        }
    }
    PyMem_RawFree(items);
    return list;
}

/* ================================================================ clearing */

/* Calls the callback of `r` (borrowed) if it still has one; an exception
   goes to sys.unraisablehook, as in CPython.  `take`: drop it from `r`
   (the reference-counting path); the collector's path leaves it in place,
   as CPython 3.11 does (__callback__ still shows it afterwards). */
static void
run_callback(PyWeakReference *r, int take)
{
    PyObject *cb;
    if (take) {
        cb = take_callback(r);
    }
    else {
        Py_BEGIN_CRITICAL_SECTION(r);
        cb = Py_XNewRef(r->wr_callback);
        Py_END_CRITICAL_SECTION();
    }
    if (cb == NULL) {
        return;
    }
    PyObject *res = PyObject_CallOneArg(cb, (PyObject *)r);
    if (res == NULL) {
        PyErr_WriteUnraisable(cb);
    }
    else {
        Py_DECREF(res);
    }
    Py_DECREF(cb);
}

#define WR_INLINE_CALLBACKS 16

/* Makes room for one more entry in *buf (which starts as `inline_buf`).
   Returns 0 when out of memory: that callback is then lost. */
static int
grow(PyObject ***buf, PyObject **inline_buf, Py_ssize_t n, Py_ssize_t *cap)
{
    if (n < *cap) {
        return 1;
    }
    PyObject **nb = PyMem_RawMalloc(sizeof(PyObject *) * (size_t)*cap * 2);
    if (nb == NULL) {
        return 0;
    }
    memcpy(nb, *buf, sizeof(PyObject *) * (size_t)n);
    if (*buf != inline_buf) {
        PyMem_RawFree(*buf);
    }
    *buf = nb;
    *cap *= 2;
    return 1;
}

/* Under the stripe of `ob`: clears and unlinks every reference; those with
   a callback that are still alive go to `due` (new references; grown with
   PyMem_Raw beyond `inline_buf`).  Returns their number. */
static Py_ssize_t
clear_list_locked(PyObject *ob, PyObject **inline_buf, PyObject ***due)
{
    PyWeakReference **slot = weaklist_slot(ob);
    PyObject **buf = inline_buf;
    Py_ssize_t n = 0, cap = WR_INLINE_CALLBACKS;
    PyWeakReference *r = *slot;
    _Py_atomic_store_ptr_release(slot, NULL);
    while (r != NULL) {
        PyWeakReference *next = r->wr_next;
        r->wr_prev = r->wr_next = NULL;
        if (r->wr_callback != NULL && grow(&buf, inline_buf, n, &cap) &&
            _Py_TryIncref((PyObject *)r)) {
            buf[n++] = (PyObject *)r;
        }
        /* Last touch of `r` unless we hold a reference: a dying `r` whose
           dealloc sees Py_None (acquire) frees it without the stripe. */
        _Py_atomic_store_ptr_release(&r->wr_object, Py_None);
        r = next;
    }
    *due = buf;
    return n;
}

void
PyObject_ClearWeakRefs(PyObject *ob)
{
    if (ob == NULL || !_PyType_SupportsWeakRefs(Py_TYPE(ob))) {
        return;
    }
    /* Unlocked: see the comment at the top of the file. */
    if (_Py_atomic_load_ptr_acquire(weaklist_slot(ob)) == NULL) {
        return;
    }
    PyObject *inline_buf[WR_INLINE_CALLBACKS];
    PyObject **due;
    _PyRawMutex *m = stripe_for(ob);
    _PyRawMutex_Lock(m);
    Py_ssize_t n = clear_list_locked(ob, inline_buf, &due);
    _PyRawMutex_Unlock(m);
    if (n == 0) {
        return;
    }
    PyObject *exc = PyErr_GetRaisedException();
    for (Py_ssize_t i = 0; i < n; i++) {
        run_callback(REF(due[i]), 1);
        Py_DECREF(due[i]);
    }
    PyErr_SetRaisedException(exc);
    if (due != inline_buf) {
        PyMem_RawFree(due);
    }
}

/* ================================================================ GC hooks */

/* World stopped: no thread holds a stripe (top of file), so no locking.
   Counts are read and incremented through ob_ref_shared only: ob_tid is
   borrowed by the collector. */
int
_PyWeakref_ClearForGC(PyObject *op, _PyObjectStack *callbacks)
{
    int status = 0;
    if (PyWeakref_Check(op)) {
        PyWeakReference *self = REF(op);
        PyObject *ob = self->wr_object;
        if (ob != Py_None) {
            list_unlink(self, weaklist_slot(ob));
            _Py_atomic_store_ptr_release(&self->wr_object, Py_None);
        }
    }
    if (!_PyType_SupportsWeakRefs(Py_TYPE(op))) {
        return 0;
    }
    PyWeakReference **slot = weaklist_slot(op);
    PyWeakReference *r = *slot;
    _Py_atomic_store_ptr_release(slot, NULL);
    while (r != NULL) {
        PyWeakReference *next = r->wr_next;
        r->wr_prev = r->wr_next = NULL;
        _Py_atomic_store_ptr_release(&r->wr_object, Py_None);
        int garbage = (r->ob_base.ob_gc_bits & _PyGC_BITS_UNREACHABLE) != 0;
        if (r->wr_callback != NULL && !garbage &&
            _Py_TryIncrefShared((PyObject *)r)) {
            if (_PyObjectStack_Push(callbacks, (PyObject *)r) < 0) {
                /* Lost; give the reference back without freeing anything
                   (the count was above zero before our increment). */
                _Py_atomic_add_ssize(&r->ob_base.ob_ref_shared,
                                     -((Py_ssize_t)1 << _Py_REF_SHARED_SHIFT));
                status = -1;
            }
        }
        r = next;
    }
    return status;
}

void
_PyWeakref_CallCallbackForGC(PyObject *ref)
{
    PyObject *exc = PyErr_GetRaisedException();
    run_callback(REF(ref), 0);
    PyErr_SetRaisedException(exc);
}

/* ================================================================ ref type */

static void
weakref_dealloc(PyObject *self)
{
    PyObject_GC_UnTrack(self);
    detach_from_referent(REF(self));
    Py_CLEAR(REF(self)->wr_callback);
    Py_TYPE(self)->tp_free(self);
}

static int
weakref_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(REF(self)->wr_callback);
    return 0;
}

static int
weakref_clear(PyObject *self)
{
    detach_from_referent(REF(self));
    Py_XDECREF(take_callback(REF(self)));
    return 0;
}

/* ref(): the referent (new reference) or None. */
static PyObject *
weakref_vectorcall(PyObject *self, PyObject *const *args, size_t nargsf,
                   PyObject *kwnames)
{
    if (!_PyArg_NoKwnames("weakref", kwnames)) {
        return NULL;
    }
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs != 0) {
        PyErr_Format(PyExc_TypeError,
                     "weakref expected 0 arguments, got %zd", nargs);
        return NULL;
    }
    PyObject *ob = _PyWeakref_GetReferent(self);
    return ob != NULL ? ob : Py_NewRef(Py_None);
}

static PyObject *
weakref_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    if (!_PyArg_NoKeywords("weakref", kwargs)) {
        return NULL;
    }
    return weakref_vectorcall(self, NULL, PyTuple_GET_SIZE(args), NULL);
}

/* hash(referent), cached: a dead reference that was never hashed cannot
   be hashed any more. */
static Py_hash_t
weakref_hash(PyObject *self)
{
    PyWeakReference *r = REF(self);
    Py_hash_t h = _Py_atomic_load_ssize_relaxed(&r->hash);
    if (h != -1) {
        return h;
    }
    PyObject *ob = _PyWeakref_GetReferent(self);
    if (ob == NULL) {
        PyErr_SetString(PyExc_TypeError, "weak object has gone away");
        return -1;
    }
    h = PyObject_Hash(ob);
    Py_DECREF(ob);
    if (h != -1) {
        /* Relaxed: the value is the same whoever computes it. */
        _Py_atomic_store_ssize_relaxed(&r->hash, h);
    }
    return h;
}

/* Equal when both referents are alive and equal; otherwise only a
   reference is equal to itself. */
static PyObject *
weakref_richcompare(PyObject *self, PyObject *other, int op)
{
    if ((op != Py_EQ && op != Py_NE) || !PyWeakref_CheckRef(self) ||
        !PyWeakref_CheckRef(other)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *a = _PyWeakref_GetReferent(self);
    PyObject *b = _PyWeakref_GetReferent(other);
    PyObject *res;
    if (a == NULL || b == NULL) {
        int same = self == other;
        res = Py_NewRef((same == (op == Py_EQ)) ? Py_True : Py_False);
    }
    else {
        res = PyObject_RichCompare(a, b, op);
    }
    Py_XDECREF(a);
    Py_XDECREF(b);
    return res;
}

/* The referent's __name__ if it is a str (new reference), NULL when it has
   none; -1 on another error. */
static int
referent_name(PyObject *ob, PyObject **name)
{
    if (_PyObject_LookupAttr(ob, _Py_ID(__name__), name) < 0) {
        return -1;
    }
    if (*name != NULL && !PyUnicode_Check(*name)) {
        Py_CLEAR(*name);
    }
    return 0;
}

static PyObject *
weakref_repr(PyObject *self)
{
    PyObject *ob = _PyWeakref_GetReferent(self);
    if (ob == NULL) {
        return PyUnicode_FromFormat("<weakref at %p; dead>", self);
    }
    PyObject *name, *res = NULL;
    if (referent_name(ob, &name) == 0) {
        if (name != NULL) {
            res = PyUnicode_FromFormat("<weakref at %p; to '%s' at %p (%U)>",
                                       self, Py_TYPE(ob)->tp_name, ob, name);
            Py_DECREF(name);
        }
        else {
            res = PyUnicode_FromFormat("<weakref at %p; to '%s' at %p>",
                                       self, Py_TYPE(ob)->tp_name, ob);
        }
    }
    Py_DECREF(ob);
    return res;
}

/* __new__(type, ob, callback=None): keyword arguments are ignored here
   and refused by __init__, as in CPython. */
static PyObject *
weakref_new(PyTypeObject *type, PyObject *args, PyObject *kwargs)
{
    PyObject *ob, *callback = NULL;
    if (!PyArg_UnpackTuple(args, "__new__", 1, 2, &ob, &callback)) {
        return NULL;
    }
    if (_PyWeakref_InitTypes() < 0) {
        return NULL;
    }
    return new_weakref(type, ob, callback, 0);
}

static int
weakref_init(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *ob, *callback = NULL;
    if (!_PyArg_NoKeywords("ref", kwargs)) {
        return -1;
    }
    if (!PyArg_UnpackTuple(args, "__init__", 1, 2, &ob, &callback)) {
        return -1;
    }
    return 0;
}

static PyMemberDef weakref_members[] = {
    {"__callback__", T_OBJECT, offsetof(PyWeakReference, wr_callback),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

static PyMethodDef weakref_methods[] = {
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {NULL, NULL, 0, NULL}
};

PyTypeObject _PyWeakref_RefType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "weakref.ReferenceType",
    .tp_basicsize = sizeof(PyWeakReference),
    .tp_dealloc = weakref_dealloc,
    .tp_vectorcall_offset = offsetof(PyWeakReference, vectorcall),
    .tp_call = weakref_call,
    .tp_repr = weakref_repr,
    .tp_hash = weakref_hash,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_HAVE_VECTORCALL | Py_TPFLAGS_BASETYPE,
    .tp_traverse = weakref_traverse,
    .tp_clear = weakref_clear,
    .tp_richcompare = weakref_richcompare,
    .tp_methods = weakref_methods,
    .tp_members = weakref_members,
    .tp_init = weakref_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = weakref_new,
    .tp_free = PyObject_GC_Del,
};

/* ================================================================ proxies */

/* Proxies forward everything to their referent, raising ReferenceError
   once it is dead.  Operands that are proxies are unwrapped first (both
   sides of binary operators).  Each operation holds a strong reference to
   the referent for its duration. */

/* `*op` (borrowed) replaced by its referent if it is a proxy (a new
   reference either way).  -1 with ReferenceError if dead. */
static int
unwrap(PyObject **op)
{
    if (PyWeakref_CheckProxy(*op)) {
        *op = proxy_referent(*op);
        return *op == NULL ? -1 : 0;
    }
    Py_INCREF(*op);
    return 0;
}

static PyObject *
proxy_binary(PyObject *a, PyObject *b, binaryfunc fn)
{
    if (unwrap(&a) < 0) {
        return NULL;
    }
    if (unwrap(&b) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    PyObject *res = fn(a, b);
    Py_DECREF(a);
    Py_DECREF(b);
    return res;
}

static PyObject *
proxy_unary(PyObject *self, unaryfunc fn)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return NULL;
    }
    PyObject *res = fn(ob);
    Py_DECREF(ob);
    return res;
}

#define PROXY_BINARY(NAME, FN)                                  \
    static PyObject *                                           \
    proxy_##NAME(PyObject *a, PyObject *b)                      \
    {                                                           \
        return proxy_binary(a, b, FN);                          \
    }

#define PROXY_UNARY(NAME, FN)                                   \
    static PyObject *                                           \
    proxy_##NAME(PyObject *self)                                \
    {                                                           \
        return proxy_unary(self, FN);                           \
    }

PROXY_BINARY(add, PyNumber_Add)
PROXY_BINARY(sub, PyNumber_Subtract)
PROXY_BINARY(mul, PyNumber_Multiply)
PROXY_BINARY(mod, PyNumber_Remainder)
PROXY_BINARY(divmod, PyNumber_Divmod)
PROXY_BINARY(lshift, PyNumber_Lshift)
PROXY_BINARY(rshift, PyNumber_Rshift)
PROXY_BINARY(and, PyNumber_And)
PROXY_BINARY(xor, PyNumber_Xor)
PROXY_BINARY(or, PyNumber_Or)
PROXY_BINARY(floordiv, PyNumber_FloorDivide)
PROXY_BINARY(truediv, PyNumber_TrueDivide)
PROXY_BINARY(matmul, PyNumber_MatrixMultiply)
PROXY_BINARY(iadd, PyNumber_InPlaceAdd)
PROXY_BINARY(isub, PyNumber_InPlaceSubtract)
PROXY_BINARY(imul, PyNumber_InPlaceMultiply)
PROXY_BINARY(imod, PyNumber_InPlaceRemainder)
PROXY_BINARY(ilshift, PyNumber_InPlaceLshift)
PROXY_BINARY(irshift, PyNumber_InPlaceRshift)
PROXY_BINARY(iand, PyNumber_InPlaceAnd)
PROXY_BINARY(ixor, PyNumber_InPlaceXor)
PROXY_BINARY(ior, PyNumber_InPlaceOr)
PROXY_BINARY(ifloordiv, PyNumber_InPlaceFloorDivide)
PROXY_BINARY(itruediv, PyNumber_InPlaceTrueDivide)
PROXY_BINARY(imatmul, PyNumber_InPlaceMatrixMultiply)
PROXY_BINARY(getitem, PyObject_GetItem)
PROXY_BINARY(getattr, PyObject_GetAttr)

PROXY_UNARY(neg, PyNumber_Negative)
PROXY_UNARY(pos, PyNumber_Positive)
PROXY_UNARY(abs, PyNumber_Absolute)
PROXY_UNARY(invert, PyNumber_Invert)
PROXY_UNARY(int, PyNumber_Long)
PROXY_UNARY(float, PyNumber_Float)
PROXY_UNARY(index, PyNumber_Index)
PROXY_UNARY(str, PyObject_Str)
PROXY_UNARY(iter, PyObject_GetIter)

static PyObject *
proxy_ternary(PyObject *a, PyObject *b, PyObject *c, ternaryfunc fn)
{
    if (unwrap(&a) < 0) {
        return NULL;
    }
    if (unwrap(&b) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    if (unwrap(&c) < 0) {
        Py_DECREF(a);
        Py_DECREF(b);
        return NULL;
    }
    PyObject *res = fn(a, b, c);
    Py_DECREF(a);
    Py_DECREF(b);
    Py_DECREF(c);
    return res;
}

static PyObject *
proxy_pow(PyObject *a, PyObject *b, PyObject *c)
{
    return proxy_ternary(a, b, c, PyNumber_Power);
}

static PyObject *
proxy_ipow(PyObject *a, PyObject *b, PyObject *c)
{
    return proxy_ternary(a, b, c, PyNumber_InPlacePower);
}

static int
proxy_bool(PyObject *self)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return -1;
    }
    int res = PyObject_IsTrue(ob);
    Py_DECREF(ob);
    return res;
}

static Py_ssize_t
proxy_length(PyObject *self)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return -1;
    }
    Py_ssize_t res = PyObject_Length(ob);
    Py_DECREF(ob);
    return res;
}

static int
proxy_contains(PyObject *self, PyObject *value)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return -1;
    }
    int res = PySequence_Contains(ob, value);
    Py_DECREF(ob);
    return res;
}

static int
proxy_setitem(PyObject *self, PyObject *key, PyObject *value)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return -1;
    }
    int res = value == NULL ? PyObject_DelItem(ob, key)
                            : PyObject_SetItem(ob, key, value);
    Py_DECREF(ob);
    return res;
}

static int
proxy_setattr(PyObject *self, PyObject *name, PyObject *value)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return -1;
    }
    int res = PyObject_SetAttr(ob, name, value);
    Py_DECREF(ob);
    return res;
}

static PyObject *
proxy_richcompare(PyObject *a, PyObject *b, int op)
{
    if (unwrap(&a) < 0) {
        return NULL;
    }
    if (unwrap(&b) < 0) {
        Py_DECREF(a);
        return NULL;
    }
    PyObject *res = PyObject_RichCompare(a, b, op);
    Py_DECREF(a);
    Py_DECREF(b);
    return res;
}

static PyObject *
proxy_iternext(PyObject *self)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return NULL;
    }
    if (!PyIter_Check(ob)) {
        PyErr_Format(PyExc_TypeError,
                     "Weakref proxy referenced a non-iterator '%.200s' object",
                     Py_TYPE(ob)->tp_name);
        Py_DECREF(ob);
        return NULL;
    }
    PyObject *res = Py_TYPE(ob)->tp_iternext(ob);
    Py_DECREF(ob);
    return res;
}

static PyObject *
proxy_call(PyObject *self, PyObject *args, PyObject *kwargs)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_Call(ob, args, kwargs);
    Py_DECREF(ob);
    return res;
}

/* Dead proxies show what PyWeakref_GET_OBJECT gives in 3.11: None. */
static PyObject *
proxy_repr(PyObject *self)
{
    PyObject *ob = _PyWeakref_GetReferent(self);
    PyObject *shown = ob != NULL ? ob : Py_None;
    PyObject *res = PyUnicode_FromFormat("<weakproxy at %p to %s at %p>",
                                         self, Py_TYPE(shown)->tp_name,
                                         shown);
    Py_XDECREF(ob);
    return res;
}

/* Calls method `name` of the referent with no arguments. */
static PyObject *
proxy_callmethod(PyObject *self, const char *name)
{
    PyObject *ob = proxy_referent(self);
    if (ob == NULL) {
        return NULL;
    }
    PyObject *res = PyObject_CallMethod(ob, name, NULL);
    Py_DECREF(ob);
    return res;
}

static PyObject *
proxy_bytes(PyObject *self, PyObject *unused)
{
    return proxy_callmethod(self, "__bytes__");
}

static PyObject *
proxy_reversed(PyObject *self, PyObject *unused)
{
    return proxy_callmethod(self, "__reversed__");
}

static PyMethodDef proxy_methods[] = {
    {"__bytes__", proxy_bytes, METH_NOARGS, NULL},
    {"__reversed__", proxy_reversed, METH_NOARGS, NULL},
    {NULL, NULL, 0, NULL}
};

static PyNumberMethods proxy_as_number = {
    .nb_add = proxy_add,
    .nb_subtract = proxy_sub,
    .nb_multiply = proxy_mul,
    .nb_remainder = proxy_mod,
    .nb_divmod = proxy_divmod,
    .nb_power = proxy_pow,
    .nb_negative = proxy_neg,
    .nb_positive = proxy_pos,
    .nb_absolute = proxy_abs,
    .nb_bool = proxy_bool,
    .nb_invert = proxy_invert,
    .nb_lshift = proxy_lshift,
    .nb_rshift = proxy_rshift,
    .nb_and = proxy_and,
    .nb_xor = proxy_xor,
    .nb_or = proxy_or,
    .nb_int = proxy_int,
    .nb_float = proxy_float,
    .nb_inplace_add = proxy_iadd,
    .nb_inplace_subtract = proxy_isub,
    .nb_inplace_multiply = proxy_imul,
    .nb_inplace_remainder = proxy_imod,
    .nb_inplace_power = proxy_ipow,
    .nb_inplace_lshift = proxy_ilshift,
    .nb_inplace_rshift = proxy_irshift,
    .nb_inplace_and = proxy_iand,
    .nb_inplace_xor = proxy_ixor,
    .nb_inplace_or = proxy_ior,
    .nb_floor_divide = proxy_floordiv,
    .nb_true_divide = proxy_truediv,
    .nb_inplace_floor_divide = proxy_ifloordiv,
    .nb_inplace_true_divide = proxy_itruediv,
    .nb_index = proxy_index,
    .nb_matrix_multiply = proxy_matmul,
    .nb_inplace_matrix_multiply = proxy_imatmul,
};

static PySequenceMethods proxy_as_sequence = {
    .sq_contains = proxy_contains,
};

static PyMappingMethods proxy_as_mapping = {
    .mp_length = proxy_length,
    .mp_subscript = proxy_getitem,
    .mp_ass_subscript = proxy_setitem,
};

#define PROXY_TYPE_BODY                                                 \
    .tp_basicsize = sizeof(PyWeakReference),                            \
    .tp_dealloc = weakref_dealloc,                                      \
    .tp_repr = proxy_repr,                                              \
    .tp_as_number = &proxy_as_number,                                   \
    .tp_as_sequence = &proxy_as_sequence,                               \
    .tp_as_mapping = &proxy_as_mapping,                                 \
    .tp_hash = PyObject_HashNotImplemented,                             \
    .tp_str = proxy_str,                                                \
    .tp_getattro = proxy_getattr,                                       \
    .tp_setattro = proxy_setattr,                                       \
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,                \
    .tp_traverse = weakref_traverse,                                    \
    .tp_clear = weakref_clear,                                          \
    .tp_richcompare = proxy_richcompare,                                \
    .tp_iter = proxy_iter,                                              \
    .tp_iternext = proxy_iternext,                                      \
    .tp_alloc = PyType_GenericAlloc,                                    \
    .tp_free = PyObject_GC_Del

PyTypeObject _PyWeakref_ProxyType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "weakref.ProxyType",
    .tp_methods = proxy_methods,
    PROXY_TYPE_BODY,
};

PyTypeObject _PyWeakref_CallableProxyType = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "weakref.CallableProxyType",
    .tp_call = proxy_call,
    PROXY_TYPE_BODY,
};
