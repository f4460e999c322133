/* Type objects: 'type' itself, PyType_Ready (slot inheritance, the C3
 * MRO, filling tp_dict), attribute lookup along the MRO with its method
 * cache, version tags, subclass lists, and the type attributes
 * (__name__, __bases__, __dict__, ...).
 *
 * Related files: Objects/baseobject.c ('object'), Objects/typenew.c
 * (creating heap types: class statements, type(), PyType_FromSpec),
 * Objects/typeslots.c (special methods <-> C slots),
 * Objects/superobject.c ('super').
 *
 * Thread safety (see Include/internal/pycore_typeobject.h for the whole
 * picture):
 *  - type_lock serialises changes to the hierarchy: class attribute
 *    assignment/deletion, __bases__, __name__ and friends, version tag
 *    assignment, subclass lists.
 *  - A class attribute change invalidates the version tags of the class
 *    and of every subclass first, then updates the dict, and drops the
 *    old value only after that; a version tag is never reused.
 *  - The method cache is read without a lock: each entry is guarded by a
 *    sequence counter (odd while written), a reader copies the entry,
 *    checks the counter did not move, takes a conditional reference to
 *    the value and then re-checks the type's version tag.  A stale entry
 *    carries a dead version and never matches.
 *  - tp_mro of a heap type may be replaced (__bases__ assignment): readers
 *    take a conditional reference and re-check the field.
 *  - Slot updates of heap types run with the world stopped. */
#include "Python.h"
#include "pycore_unionobject.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_lock.h"
#include "pycore_critical_section.h"
#include "pycore_obmalloc.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_dict.h"
#include "pycore_abstract.h"
#include "structmember.h"

#include <stddef.h>

static void type_dealloc(PyObject *self);
static int type_ready_inner(PyTypeObject *type);
static PyObject *type_subclasses(PyObject *self, PyObject *ignored);

/* ================================================================ lock */

static PyMutex type_lock;

void
_PyType_Lock(void)
{
    PyMutex_Lock(&type_lock);
}

void
_PyType_Unlock(void)
{
    PyMutex_Unlock(&type_lock);
}

/* tp_flags changes after a type is published (abstract flag, ...): under
   the type lock, stored atomically so that readers see old or new. */
static void
type_set_flags(PyTypeObject *type, unsigned long mask, int on)
{
    uintptr_t *p = (uintptr_t *)&type->tp_flags;
    uintptr_t flags = _Py_atomic_load_uintptr_relaxed(p);
    if (on) {
        flags |= mask;
    }
    else {
        flags &= ~(uintptr_t)mask;
    }
    _Py_atomic_store_uintptr_relaxed(p, flags);
}

const char *
_PyType_Name(PyTypeObject *type)
{
    const char *s = strrchr(type->tp_name, '.');
    return s == NULL ? type->tp_name : s + 1;
}

/* ================================================================ subclasses */

/* tp_subclasses points at this (a private array, not an object): the
   types whose tp_bases contain this type.  Borrowed pointers; a subclass
   removes itself in its dealloc.  type_lock guards it. */
typedef struct {
    Py_ssize_t len;
    Py_ssize_t cap;
    PyTypeObject *items[1];
} subclass_list;

static int
add_subclass_locked(PyTypeObject *base, PyTypeObject *type)
{
    subclass_list *l = (subclass_list *)base->tp_subclasses;
    if (l == NULL || l->len == l->cap) {
        Py_ssize_t cap = l == NULL ? 4 : l->cap * 2;
        subclass_list *nl = PyMem_RawRealloc(
            l, offsetof(subclass_list, items) +
               (size_t)cap * sizeof(PyTypeObject *));
        if (nl == NULL) {
            return -1;
        }
        if (l == NULL) {
            nl->len = 0;
        }
        nl->cap = cap;
        l = nl;
        base->tp_subclasses = (PyObject *)l;
    }
    l->items[l->len++] = type;
    return 0;
}

static void
remove_subclass_locked(PyTypeObject *base, PyTypeObject *type)
{
    subclass_list *l = (subclass_list *)base->tp_subclasses;
    if (l == NULL) {
        return;
    }
    for (Py_ssize_t i = 0; i < l->len; i++) {
        if (l->items[i] == type) {
            memmove(&l->items[i], &l->items[i + 1],
                    (size_t)(l->len - i - 1) * sizeof(PyTypeObject *));
            l->len--;
            return;
        }
    }
}

static int
add_subclasses_of_bases(PyTypeObject *type, PyObject *bases)
{
    int res = 0;
    _PyType_Lock();
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(bases); i++) {
        PyObject *b = PyTuple_GET_ITEM(bases, i);
        if (PyType_Check(b) &&
            add_subclass_locked((PyTypeObject *)b, type) < 0) {
            res = -1;
            break;
        }
    }
    _PyType_Unlock();
    if (res < 0) {
        PyErr_NoMemory();
    }
    return res;
}

static void
remove_subclasses_of_bases_locked(PyTypeObject *type, PyObject *bases)
{
    if (bases == NULL) {
        return;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(bases); i++) {
        PyObject *b = PyTuple_GET_ITEM(bases, i);
        if (PyType_Check(b)) {
            remove_subclass_locked((PyTypeObject *)b, type);
        }
    }
}

/* Visits direct subclasses (type lock held by the caller). */
int
_PyType_VisitSubclasses(PyTypeObject *type, _PyType_SubclassVisitor visit,
                        void *arg)
{
    subclass_list *l = (subclass_list *)type->tp_subclasses;
    if (l == NULL) {
        return 0;
    }
    for (Py_ssize_t i = 0; i < l->len; i++) {
        int r = visit(l->items[i], arg);
        if (r) {
            return r;
        }
    }
    return 0;
}

PyObject *
_PyType_GetSubclasses(PyTypeObject *type)
{
    return type_subclasses((PyObject *)type, NULL);
}

/* type.__subclasses__(): a list of the live direct subclasses (new refs;
   a subclass being deallocated right now is skipped). */
static PyObject *
type_subclasses(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyTypeObject *type = (PyTypeObject *)self;
    PyObject *list = PyList_New(0);
    if (list == NULL) {
        return NULL;
    }
    PyObject **items = NULL;
    Py_ssize_t n = 0;
    _PyType_Lock();
    subclass_list *l = (subclass_list *)type->tp_subclasses;
    if (l != NULL && l->len > 0) {
        items = PyMem_RawMalloc((size_t)l->len * sizeof(PyObject *));
        if (items != NULL) {
            for (Py_ssize_t i = 0; i < l->len; i++) {
                if (_Py_TryIncref((PyObject *)l->items[i])) {
                    items[n++] = (PyObject *)l->items[i];
                }
            }
        }
    }
    _PyType_Unlock();
    int err = (l != NULL && l->len > 0 && items == NULL);
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!err && PyList_Append(list, items[i]) < 0) {
            err = 1;
        }
        Py_DECREF(items[i]);
    }
    PyMem_RawFree(items);
    if (err) {
        Py_DECREF(list);
        if (!PyErr_Occurred()) {
            PyErr_NoMemory();
        }
        return NULL;
    }
    return list;
}

/* ================================================================ versions */

/* Version tags come from one counter and are never reused: 0 means "no
   valid tag", and once the counter runs out types simply stop being
   cached.  Assignment takes the type lock so that it cannot interleave
   with a class attribute change (which would let a lookup cache a value
   it read before the change under a tag assigned after it). */
static unsigned int next_version_tag = 1;
#define MAX_VERSION_TAG 0xFFFFFFF0u

static inline unsigned int
type_version(PyTypeObject *type)
{
    return _Py_atomic_load_uint32((uint32_t *)&type->tp_version_tag);
}

static unsigned int
assign_version_tag(PyTypeObject *type)
{
    unsigned int v = type_version(type);
    if (v != 0) {
        return v;
    }
    _PyType_Lock();
    v = type_version(type);
    if (v == 0 && next_version_tag < MAX_VERSION_TAG) {
        v = next_version_tag++;
        _Py_atomic_store_uint32((uint32_t *)&type->tp_version_tag, v);
    }
    _PyType_Unlock();
    return v;
}

static int
invalidate_visit(PyTypeObject *sub, void *arg)
{
    _Py_atomic_store_uint32((uint32_t *)&sub->tp_version_tag, 0);
    return _PyType_VisitSubclasses(sub, invalidate_visit, arg);
}

/* Type lock held. */
static void
type_modified_locked(PyTypeObject *type)
{
    _Py_atomic_store_uint32((uint32_t *)&type->tp_version_tag, 0);
    _PyType_VisitSubclasses(type, invalidate_visit, NULL);
}

void
PyType_Modified(PyTypeObject *type)
{
    if (!PyType_HasFeature(type, Py_TPFLAGS_READY)) {
        return;
    }
    _PyType_Lock();
    type_modified_locked(type);
    _PyType_Unlock();
}

/* ================================================================ cache */

typedef struct {
    uint32_t sequence;      /* odd while an update is in progress */
    uint32_t version;
    PyObject *name;         /* immortal (interned) str */
    PyObject *value;        /* borrowed; may be NULL (cached miss) */
} type_cache_entry;

#define TYPE_CACHE_SIZE (1u << _Py_TYPE_CACHE_SIZE_EXP)
#define TYPE_CACHE_MASK (TYPE_CACHE_SIZE - 1)

static type_cache_entry type_cache[TYPE_CACHE_SIZE];

static inline unsigned int
cache_index(unsigned int version, PyObject *name)
{
    uintptr_t h = (uintptr_t)name >> 4;
    return (unsigned int)((version * 2654435761u) ^ (unsigned int)h ^
                          (unsigned int)(h >> 16)) & TYPE_CACHE_MASK;
}

/* Only interned (immortal) exact strs are cached: the entry keeps no
   reference to the name, and identity comparison is then exact. */
static inline int
cacheable_name(PyObject *name)
{
    return PyUnicode_CheckExact(name) && _Py_IsImmortal(name);
}

/* 1 and *result (new reference or NULL for a cached miss) on a hit. */
static int
cache_lookup(PyTypeObject *type, PyObject *name, PyObject **result)
{
    unsigned int version = type_version(type);
    if (version == 0) {
        return 0;
    }
    type_cache_entry *e = &type_cache[cache_index(version, name)];
    uint32_t seq = _Py_atomic_load_uint32_acquire(&e->sequence);
    if (seq & 1) {
        return 0;
    }
    /* Relaxed: validated by the sequence re-check below. */
    uint32_t ev = _Py_atomic_load_uint32_relaxed(&e->version);
    PyObject *en = _Py_atomic_load_ptr_relaxed(&e->name);
    PyObject *value = _Py_atomic_load_ptr_relaxed(&e->value);
    _Py_atomic_fence_acquire();
    if (_Py_atomic_load_uint32_relaxed(&e->sequence) != seq ||
        ev != version || en != name) {
        return 0;
    }
    if (value == NULL) {
        *result = NULL;
        return 1;
    }
    if (!_Py_TryIncref(value)) {
        return 0;
    }
    /* The version is invalidated before the dict changes and before the
       old value is released: still current means `value` was alive when
       we took the reference. */
    if (type_version(type) != version) {
        Py_DECREF(value);
        return 0;
    }
    *result = value;
    return 1;
}

static void
cache_store(unsigned int version, PyObject *name, PyObject *value)
{
    type_cache_entry *e = &type_cache[cache_index(version, name)];
    uint32_t seq = _Py_atomic_load_uint32_relaxed(&e->sequence);
    if ((seq & 1) ||
        !_Py_atomic_compare_exchange_uint32(&e->sequence, &seq, seq + 1)) {
        return;     /* another writer is at it: skip */
    }
    if (value != NULL) {
        /* Lock-free readers may now find it. */
        _PyObject_SetMaybeWeakref(value);
    }
    _Py_atomic_store_uint32_relaxed(&e->version, version);
    _Py_atomic_store_ptr_relaxed(&e->name, name);
    _Py_atomic_store_ptr_relaxed(&e->value, value);
    _Py_atomic_store_uint32_release(&e->sequence, seq + 2);
}

unsigned int
PyType_ClearCache(void)
{
    _PyType_Lock();
    unsigned int cur = next_version_tag;
    for (unsigned int i = 0; i < TYPE_CACHE_SIZE; i++) {
        type_cache_entry *e = &type_cache[i];
        uint32_t seq = _Py_atomic_load_uint32_relaxed(&e->sequence);
        if ((seq & 1) ||
            !_Py_atomic_compare_exchange_uint32(&e->sequence, &seq,
                                                seq + 1)) {
            continue;
        }
        _Py_atomic_store_uint32_relaxed(&e->version, 0);
        _Py_atomic_store_ptr_relaxed(&e->name, NULL);
        _Py_atomic_store_ptr_relaxed(&e->value, NULL);
        _Py_atomic_store_uint32_release(&e->sequence, seq + 2);
    }
    _PyType_Unlock();
    return cur - 1;
}

void
_PyType_InitCache(void)
{
    memset(type_cache, 0, sizeof(type_cache));
}

/* ================================================================ MRO access */

/* New reference to tp_mro (NULL if not set). */
PyObject *
_PyType_GetMRO(PyTypeObject *type)
{
    for (;;) {
        PyObject *mro = _Py_atomic_load_ptr_acquire(&type->tp_mro);
        if (mro == NULL) {
            return NULL;
        }
        if (_Py_TryIncref(mro)) {
            if (_Py_atomic_load_ptr_acquire(&type->tp_mro) == mro) {
                return mro;
            }
            Py_DECREF(mro);
            continue;
        }
        _PyType_Lock();
        mro = Py_XNewRef(type->tp_mro);
        _PyType_Unlock();
        return mro;
    }
}

/* Publishes a new tp_mro (type lock held); the old one is returned for
   the caller to release after unlocking. */
static PyObject *
set_mro_locked(PyTypeObject *type, PyObject *mro)
{
    PyObject *old = type->tp_mro;
    if (mro != NULL) {
        _PyObject_SetMaybeWeakref(mro);
    }
    _Py_atomic_store_ptr_release(&type->tp_mro, mro);
    return old;
}

/* Walks the MRO looking in each class dict; new reference or NULL (with
   *error set to 1 and an exception when a lookup failed). */
static PyObject *
find_name_in_mro(PyTypeObject *type, PyObject *name, int *error)
{
    *error = 0;
    PyObject *mro = _PyType_GetMRO(type);
    if (mro == NULL) {
        if (!PyType_HasFeature(type, Py_TPFLAGS_READYING)) {
            if (PyType_Ready(type) < 0) {
                *error = 1;
                return NULL;
            }
            mro = _PyType_GetMRO(type);
        }
        if (mro == NULL) {
            return NULL;
        }
    }
    PyObject *res = NULL;
    Py_ssize_t n = PyTuple_GET_SIZE(mro);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(mro, i);
        PyObject *dict = base->tp_dict;
        if (dict == NULL) {
            continue;
        }
        int r = PyDict_GetItemRef(dict, name, &res);
        if (r < 0) {
            *error = 1;
            break;
        }
        if (r > 0) {
            break;
        }
    }
    Py_DECREF(mro);
    return res;
}

PyObject *
_PyType_LookupRef(PyTypeObject *type, PyObject *name)
{
    PyObject *res;
    int cacheable = cacheable_name(name);
    if (cacheable && cache_lookup(type, name, &res)) {
        return res;
    }
    unsigned int version = cacheable ? assign_version_tag(type) : 0;
    int error;
    PyObject *exc = PyErr_GetRaisedException();
    res = find_name_in_mro(type, name, &error);
    if (error) {
        /* _PyType_Lookup reports no errors: treat as missing. */
        PyErr_Clear();
        PyErr_SetRaisedException(exc);
        return NULL;
    }
    PyErr_SetRaisedException(exc);
    if (version != 0) {
        cache_store(version, name, res);
    }
    return res;
}

/* Borrowed: the class dict that holds the value keeps it alive until the
   attribute is replaced. */
PyObject *
_PyType_Lookup(PyTypeObject *type, PyObject *name)
{
    PyObject *res = _PyType_LookupRef(type, name);
    Py_XDECREF(res);
    return res;
}

PyObject *
_PyType_GetDict(PyTypeObject *type)
{
    return type->tp_dict;
}

/* ================================================================ subtype */

/* Walks the MRO (or the tp_base chain while the MRO is being built). */
int
PyType_IsSubtype(PyTypeObject *a, PyTypeObject *b)
{
    if (a == b) {
        return 1;
    }
    PyObject *mro = _Py_atomic_load_ptr_acquire(&a->tp_mro);
    if (mro != NULL && PyType_HasFeature(a, Py_TPFLAGS_IMMUTABLETYPE)) {
        /* Immutable types never change their MRO: no reference needed. */
        Py_ssize_t n = PyTuple_GET_SIZE(mro);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (PyTuple_GET_ITEM(mro, i) == (PyObject *)b) {
                return 1;
            }
        }
        return 0;
    }
    mro = _PyType_GetMRO(a);
    if (mro != NULL) {
        int found = 0;
        Py_ssize_t n = PyTuple_GET_SIZE(mro);
        for (Py_ssize_t i = 0; i < n; i++) {
            if (PyTuple_GET_ITEM(mro, i) == (PyObject *)b) {
                found = 1;
                break;
            }
        }
        Py_DECREF(mro);
        return found;
    }
    do {
        if (a == b) {
            return 1;
        }
        a = a->tp_base;
    } while (a != NULL);
    return b == &PyBaseObject_Type;
}

unsigned long
PyType_GetFlags(PyTypeObject *type)
{
    return type->tp_flags;
}

/* ================================================================ MRO (C3) */

static PyObject *
class_name(PyObject *cls)
{
    PyObject *name;
    if (_PyObject_LookupAttr(cls, _Py_ID(__name__), &name) == 0) {
        name = PyObject_Repr(cls);
    }
    return name;
}

/* "duplicate base class A" when a class appears twice in bases. */
static int
check_duplicates(PyObject *tuple)
{
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *o = PyTuple_GET_ITEM(tuple, i);
        for (Py_ssize_t j = i + 1; j < n; j++) {
            if (PyTuple_GET_ITEM(tuple, j) == o) {
                PyObject *name = class_name(o);
                if (name != NULL) {
                    PyErr_Format(PyExc_TypeError,
                                 "duplicate base class %U", name);
                    Py_DECREF(name);
                }
                return -1;
            }
        }
    }
    return 0;
}

/* The 3.11 message names the bases that remain in the merge, sorted by
   the order of first appearance. */
static void
set_mro_error(PyObject **to_merge, Py_ssize_t to_merge_size,
              Py_ssize_t *remain)
{
    PyObject *seen = PyList_New(0);
    if (seen == NULL) {
        return;
    }
    _PyUnicodeWriter w;
    _PyUnicodeWriter_Init(&w);
    int first = 1, err = 0;
    for (Py_ssize_t i = 0; i < to_merge_size && !err; i++) {
        PyObject *L = to_merge[i];
        if (remain[i] >= PyTuple_GET_SIZE(L)) {
            continue;
        }
        PyObject *c = PyTuple_GET_ITEM(L, remain[i]);
        int dup = 0;
        for (Py_ssize_t k = 0; k < PyList_GET_SIZE(seen); k++) {
            if (PyList_GET_ITEM(seen, k) == c) {
                dup = 1;
            }
        }
        if (dup) {
            continue;
        }
        if (PyList_Append(seen, c) < 0) {
            err = 1;
            break;
        }
        PyObject *name = class_name(c);
        if (name == NULL) {
            err = 1;
            break;
        }
        if ((!first && _PyUnicodeWriter_WriteASCIIString(&w, ", ", 2) < 0) ||
            _PyUnicodeWriter_WriteStr(&w, name) < 0) {
            err = 1;
        }
        first = 0;
        Py_DECREF(name);
    }
    Py_DECREF(seen);
    if (err) {
        _PyUnicodeWriter_Dealloc(&w);
        return;
    }
    PyObject *names = _PyUnicodeWriter_Finish(&w);
    if (names != NULL) {
        PyErr_Format(PyExc_TypeError,
                     "Cannot create a consistent method resolution\n"
                     "order (MRO) for bases %U", names);
        Py_DECREF(names);
    }
}

static int
tail_contains(PyObject *tuple, Py_ssize_t whence, PyObject *o)
{
    Py_ssize_t n = PyTuple_GET_SIZE(tuple);
    for (Py_ssize_t j = whence + 1; j < n; j++) {
        if (PyTuple_GET_ITEM(tuple, j) == o) {
            return 1;
        }
    }
    return 0;
}

/* C3 merge of the sequences in to_merge, appended to `acc`. */
static int
pmerge(PyObject *acc, PyObject **to_merge, Py_ssize_t n)
{
    Py_ssize_t *remain = PyMem_New(Py_ssize_t, n);
    if (remain == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        remain[i] = 0;
    }
    int res = 0;
again:
    {
        int empty_cnt = 0;
        for (Py_ssize_t i = 0; i < n; i++) {
            PyObject *cur = to_merge[i];
            if (remain[i] >= PyTuple_GET_SIZE(cur)) {
                empty_cnt++;
                continue;
            }
            PyObject *candidate = PyTuple_GET_ITEM(cur, remain[i]);
            int in_tail = 0;
            for (Py_ssize_t j = 0; j < n; j++) {
                if (tail_contains(to_merge[j], remain[j], candidate)) {
                    in_tail = 1;
                    break;
                }
            }
            if (in_tail) {
                continue;
            }
            if (PyList_Append(acc, candidate) < 0) {
                res = -1;
                goto out;
            }
            for (Py_ssize_t j = 0; j < n; j++) {
                if (remain[j] < PyTuple_GET_SIZE(to_merge[j]) &&
                    PyTuple_GET_ITEM(to_merge[j], remain[j]) == candidate) {
                    remain[j]++;
                }
            }
            goto again;
        }
        if (empty_cnt != n) {
            set_mro_error(to_merge, n, remain);
            res = -1;
        }
    }
out:
    PyMem_Free(remain);
    return res;
}

/* The default mro(): [type] + merge(mro(b) for b in bases, bases). */
static PyObject *
mro_implementation(PyTypeObject *type)
{
    PyObject *bases = type->tp_bases;
    Py_ssize_t n = PyTuple_GET_SIZE(bases);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTypeObject *b = (PyTypeObject *)PyTuple_GET_ITEM(bases, i);
        if (b->tp_mro == NULL) {
            PyErr_Format(PyExc_TypeError,
                         "Cannot extend an incomplete type '%.100s'",
                         b->tp_name);
            return NULL;
        }
    }
    if (n == 1) {
        /* Fast path: type + mro(base). */
        PyTypeObject *base = (PyTypeObject *)PyTuple_GET_ITEM(bases, 0);
        PyObject *bmro = _PyType_GetMRO(base);
        Py_ssize_t k = PyTuple_GET_SIZE(bmro);
        PyObject *result = PyTuple_New(k + 1);
        if (result == NULL) {
            Py_DECREF(bmro);
            return NULL;
        }
        PyTuple_SET_ITEM(result, 0, Py_NewRef((PyObject *)type));
        for (Py_ssize_t i = 0; i < k; i++) {
            PyTuple_SET_ITEM(result, i + 1,
                             Py_NewRef(PyTuple_GET_ITEM(bmro, i)));
        }
        Py_DECREF(bmro);
        return result;
    }
    if (check_duplicates(bases) < 0) {
        return NULL;
    }
    PyObject **to_merge = PyMem_New(PyObject *, n + 1);
    if (to_merge == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        to_merge[i] = _PyType_GetMRO(
            (PyTypeObject *)PyTuple_GET_ITEM(bases, i));
    }
    to_merge[n] = bases;
    PyObject *result = PyList_New(1);
    if (result != NULL) {
        PyList_SET_ITEM(result, 0, Py_NewRef((PyObject *)type));
        if (pmerge(result, to_merge, n + 1) < 0) {
            Py_CLEAR(result);
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_XDECREF(to_merge[i]);
    }
    PyMem_Free(to_merge);
    if (result == NULL) {
        return NULL;
    }
    PyObject *tuple = PyList_AsTuple(result);
    Py_DECREF(result);
    return tuple;
}

static PyObject *
type_mro(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *seq = mro_implementation((PyTypeObject *)self);
    if (seq == NULL) {
        return NULL;
    }
    PyObject *list = PySequence_List(seq);
    Py_DECREF(seq);
    return list;
}

static PyTypeObject *solid_base(PyTypeObject *type);

/* Checks a custom mro() result: a tuple of classes whose layouts are
   compatible with the type's. */
static int
mro_check(PyTypeObject *type, PyObject *mro)
{
    PyTypeObject *solid = solid_base(type);
    Py_ssize_t n = PyTuple_GET_SIZE(mro);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *obj = PyTuple_GET_ITEM(mro, i);
        if (!PyType_Check(obj)) {
            PyErr_Format(PyExc_TypeError,
                         "mro() returned a non-class ('%.500s')",
                         Py_TYPE(obj)->tp_name);
            return -1;
        }
        PyTypeObject *base = (PyTypeObject *)obj;
        if (!PyType_IsSubtype(solid, solid_base(base))) {
            PyErr_Format(PyExc_TypeError,
                         "mro() returned base with unsuitable layout "
                         "('%.500s')", base->tp_name);
            return -1;
        }
    }
    return 0;
}

/* The MRO for `type`: the default C3 one, or the result of the
   metaclass's overridden mro().  New reference. */
static PyObject *
mro_invoke(PyTypeObject *type)
{
    PyObject *mro_result;
    int custom = !Py_IS_TYPE(type, &PyType_Type);
    if (custom) {
        PyObject *meth = _PyType_LookupRef(Py_TYPE(type), _Py_ID(mro));
        if (meth == NULL) {
            custom = 0;
        }
        else {
            PyObject *deflt = _PyType_Lookup(&PyType_Type, _Py_ID(mro));
            if (meth == deflt) {
                custom = 0;
            }
            Py_DECREF(meth);
        }
    }
    if (custom) {
        PyObject *res = _PyObject_CallSpecial((PyObject *)type, _Py_ID(mro),
                                              NULL, 0);
        if (res == NULL) {
            return NULL;
        }
        mro_result = PySequence_Tuple(res);
        Py_DECREF(res);
        if (mro_result == NULL) {
            return NULL;
        }
        if (PyTuple_GET_SIZE(mro_result) == 0) {
            Py_DECREF(mro_result);
            PyErr_Format(PyExc_TypeError, "type MRO must not be empty");
            return NULL;
        }
        if (mro_check(type, mro_result) < 0) {
            Py_DECREF(mro_result);
            return NULL;
        }
        return mro_result;
    }
    return mro_implementation(type);
}

/* ================================================================ layout */

/* Whether `type` adds fields (beyond __dict__/__weakref__) to `base`'s
   instance layout. */
int
_PyType_ExtraIvars(PyTypeObject *type, PyTypeObject *base)
{
    size_t t_size = (size_t)type->tp_basicsize;
    size_t b_size = (size_t)base->tp_basicsize;
    if (type->tp_itemsize || base->tp_itemsize) {
        return t_size != b_size || type->tp_itemsize != base->tp_itemsize;
    }
    if (type->tp_weaklistoffset && base->tp_weaklistoffset == 0 &&
        type->tp_weaklistoffset + sizeof(PyObject *) == t_size &&
        PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        t_size -= sizeof(PyObject *);
    }
    if (type->tp_dictoffset && base->tp_dictoffset == 0 &&
        type->tp_dictoffset + sizeof(PyObject *) == t_size &&
        PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        t_size -= sizeof(PyObject *);
    }
    return t_size != b_size;
}

/* The nearest base (inclusive) that defines the instance layout. */
static PyTypeObject *
solid_base(PyTypeObject *type)
{
    PyTypeObject *base;
    if (type->tp_base) {
        base = solid_base(type->tp_base);
    }
    else {
        base = &PyBaseObject_Type;
    }
    if (_PyType_ExtraIvars(type, base)) {
        return type;
    }
    return base;
}

/* The base whose layout the new class extends; TypeError on conflict or
   on a base that cannot be subclassed. */
PyTypeObject *
_PyType_BestBase(PyObject *bases)
{
    Py_ssize_t n = PyTuple_GET_SIZE(bases);
    PyTypeObject *base = NULL, *winner = NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *b = PyTuple_GET_ITEM(bases, i);
        if (!PyType_Check(b)) {
            PyErr_SetString(PyExc_TypeError,
                            "bases must be types");
            return NULL;
        }
        PyTypeObject *base_i = (PyTypeObject *)b;
        if (!PyType_HasFeature(base_i, Py_TPFLAGS_READY) &&
            PyType_Ready(base_i) < 0) {
            return NULL;
        }
        if (!PyType_HasFeature(base_i, Py_TPFLAGS_BASETYPE)) {
            PyErr_Format(PyExc_TypeError,
                         "type '%.100s' is not an acceptable base type",
                         base_i->tp_name);
            return NULL;
        }
        PyTypeObject *candidate = solid_base(base_i);
        if (winner == NULL) {
            winner = candidate;
            base = base_i;
        }
        else if (PyType_IsSubtype(winner, candidate)) {
            ;
        }
        else if (PyType_IsSubtype(candidate, winner)) {
            winner = candidate;
            base = base_i;
        }
        else {
            PyErr_SetString(PyExc_TypeError,
                            "multiple bases have instance lay-out conflict");
            return NULL;
        }
    }
    return base;
}

/* Can an instance of `oldto` become an instance of `newto` (same memory
   layout)? */
int
_PyType_CompatibleForAssignment(PyTypeObject *oldto, PyTypeObject *newto,
                          const char *attr)
{
    if (newto->tp_free != oldto->tp_free) {
        PyErr_Format(PyExc_TypeError,
                     "%s assignment: '%s' deallocator differs from '%s'",
                     attr, newto->tp_name, oldto->tp_name);
        return 0;
    }
    PyTypeObject *newbase = newto, *oldbase = oldto;
    while (newbase->tp_base != NULL && !_PyType_ExtraIvars(newbase,
                                                    newbase->tp_base)) {
        newbase = newbase->tp_base;
    }
    while (oldbase->tp_base != NULL && !_PyType_ExtraIvars(oldbase,
                                                    oldbase->tp_base)) {
        oldbase = oldbase->tp_base;
    }
    int same_slots = (newbase == oldbase) ||
        (newbase->tp_base == oldbase->tp_base &&
         newbase->tp_basicsize == oldbase->tp_basicsize &&
         newbase->tp_itemsize == oldbase->tp_itemsize &&
         newbase->tp_dictoffset == oldbase->tp_dictoffset &&
         newbase->tp_weaklistoffset == oldbase->tp_weaklistoffset &&
         PyType_HasFeature(newbase, Py_TPFLAGS_HAVE_GC) ==
         PyType_HasFeature(oldbase, Py_TPFLAGS_HAVE_GC));
    if (newbase != oldbase && !same_slots) {
        PyErr_Format(PyExc_TypeError,
                     "%s assignment: '%s' object layout differs from '%s'",
                     attr, newto->tp_name, oldto->tp_name);
        return 0;
    }
    if (newto->tp_basicsize != oldto->tp_basicsize ||
        newto->tp_itemsize != oldto->tp_itemsize ||
        newto->tp_dictoffset != oldto->tp_dictoffset ||
        newto->tp_weaklistoffset != oldto->tp_weaklistoffset) {
        PyErr_Format(PyExc_TypeError,
                     "%s assignment: '%s' object layout differs from '%s'",
                     attr, newto->tp_name, oldto->tp_name);
        return 0;
    }
    return 1;
}

/* ================================================================ inheritance */

/* What a type takes from its tp_base alone. */
static void
inherit_special(PyTypeObject *type, PyTypeObject *base)
{
    /* GC: a non-GC type deriving from a GC base becomes GC, unless it
       defines its own traverse/clear. */
    if (!PyType_HasFeature(type, Py_TPFLAGS_HAVE_GC) &&
        PyType_HasFeature(base, Py_TPFLAGS_HAVE_GC) &&
        (type->tp_traverse == NULL && type->tp_clear == NULL)) {
        type->tp_flags |= Py_TPFLAGS_HAVE_GC;
        if (type->tp_traverse == NULL) {
            type->tp_traverse = base->tp_traverse;
        }
        if (type->tp_clear == NULL) {
            type->tp_clear = base->tp_clear;
        }
    }
    type->tp_flags |= (base->tp_flags & Py_TPFLAGS_MANAGED_DICT);
    if (type->tp_basicsize == 0) {
        type->tp_basicsize = base->tp_basicsize;
    }
    if (type->tp_itemsize == 0) {
        type->tp_itemsize = base->tp_itemsize;
    }
    if (type->tp_weaklistoffset == 0) {
        type->tp_weaklistoffset = base->tp_weaklistoffset;
    }
    if (type->tp_dictoffset == 0) {
        type->tp_dictoffset = base->tp_dictoffset;
    }
    /* The fast subclass bits. */
    if (PyType_IsSubtype(base, (PyTypeObject *)PyExc_BaseException)) {
        type->tp_flags |= Py_TPFLAGS_BASE_EXC_SUBCLASS;
    }
    else if (PyType_IsSubtype(base, &PyType_Type)) {
        type->tp_flags |= Py_TPFLAGS_TYPE_SUBCLASS;
    }
    else if (PyType_IsSubtype(base, &PyLong_Type)) {
        type->tp_flags |= Py_TPFLAGS_LONG_SUBCLASS;
    }
    else if (PyType_IsSubtype(base, &PyBytes_Type)) {
        type->tp_flags |= Py_TPFLAGS_BYTES_SUBCLASS;
    }
    else if (PyType_IsSubtype(base, &PyUnicode_Type)) {
        type->tp_flags |= Py_TPFLAGS_UNICODE_SUBCLASS;
    }
    else if (PyType_IsSubtype(base, &PyTuple_Type)) {
        type->tp_flags |= Py_TPFLAGS_TUPLE_SUBCLASS;
    }
    else if (PyType_IsSubtype(base, &PyList_Type)) {
        type->tp_flags |= Py_TPFLAGS_LIST_SUBCLASS;
    }
    else if (PyType_IsSubtype(base, &PyDict_Type)) {
        type->tp_flags |= Py_TPFLAGS_DICT_SUBCLASS;
    }
    if (PyType_HasFeature(base, _Py_TPFLAGS_MATCH_SELF)) {
        type->tp_flags |= _Py_TPFLAGS_MATCH_SELF;
    }
}

/* "overrides __eq__ or __hash__ in its own dict": then neither is
   inherited (__eq__ without __hash__ makes instances unhashable). */
static int
overrides_hash(PyTypeObject *type)
{
    PyObject *dict = type->tp_dict;
    if (dict == NULL) {
        return 0;
    }
    int r = PyDict_Contains(dict, _Py_ID(__eq__));
    if (r == 0) {
        r = PyDict_Contains(dict, _Py_ID(__hash__));
    }
    if (r < 0) {
        PyErr_Clear();
        return 0;
    }
    return r;
}

#define COPYSLOT(SLOT) \
    if (!type->SLOT && base->SLOT) { type->SLOT = base->SLOT; }
#define COPYASYNC(SLOT) \
    if (!type->tp_as_async->SLOT) { type->tp_as_async->SLOT = \
                                    base->tp_as_async->SLOT; }
#define COPYNUM(SLOT) \
    if (!type->tp_as_number->SLOT) { type->tp_as_number->SLOT = \
                                     base->tp_as_number->SLOT; }
#define COPYSEQ(SLOT) \
    if (!type->tp_as_sequence->SLOT) { type->tp_as_sequence->SLOT = \
                                       base->tp_as_sequence->SLOT; }
#define COPYMAP(SLOT) \
    if (!type->tp_as_mapping->SLOT) { type->tp_as_mapping->SLOT = \
                                      base->tp_as_mapping->SLOT; }
#define COPYBUF(SLOT) \
    if (!type->tp_as_buffer->SLOT) { type->tp_as_buffer->SLOT = \
                                     base->tp_as_buffer->SLOT; }

/* Copies each slot the type leaves empty from one base of its MRO. */
static void
inherit_slots(PyTypeObject *type, PyTypeObject *base)
{
    if (type->tp_as_number != NULL && base->tp_as_number != NULL &&
        type->tp_as_number != base->tp_as_number) {
        COPYNUM(nb_add); COPYNUM(nb_subtract); COPYNUM(nb_multiply);
        COPYNUM(nb_remainder); COPYNUM(nb_divmod); COPYNUM(nb_power);
        COPYNUM(nb_negative); COPYNUM(nb_positive); COPYNUM(nb_absolute);
        COPYNUM(nb_bool); COPYNUM(nb_invert); COPYNUM(nb_lshift);
        COPYNUM(nb_rshift); COPYNUM(nb_and); COPYNUM(nb_xor);
        COPYNUM(nb_or); COPYNUM(nb_int); COPYNUM(nb_float);
        COPYNUM(nb_inplace_add); COPYNUM(nb_inplace_subtract);
        COPYNUM(nb_inplace_multiply); COPYNUM(nb_inplace_remainder);
        COPYNUM(nb_inplace_power); COPYNUM(nb_inplace_lshift);
        COPYNUM(nb_inplace_rshift); COPYNUM(nb_inplace_and);
        COPYNUM(nb_inplace_xor); COPYNUM(nb_inplace_or);
        COPYNUM(nb_true_divide); COPYNUM(nb_floor_divide);
        COPYNUM(nb_inplace_true_divide); COPYNUM(nb_inplace_floor_divide);
        COPYNUM(nb_index); COPYNUM(nb_matrix_multiply);
        COPYNUM(nb_inplace_matrix_multiply);
    }
    if (type->tp_as_async != NULL && base->tp_as_async != NULL &&
        type->tp_as_async != base->tp_as_async) {
        COPYASYNC(am_await); COPYASYNC(am_aiter); COPYASYNC(am_anext);
        COPYASYNC(am_send);
    }
    if (type->tp_as_sequence != NULL && base->tp_as_sequence != NULL &&
        type->tp_as_sequence != base->tp_as_sequence) {
        COPYSEQ(sq_length); COPYSEQ(sq_concat); COPYSEQ(sq_repeat);
        COPYSEQ(sq_item); COPYSEQ(sq_ass_item); COPYSEQ(sq_contains);
        COPYSEQ(sq_inplace_concat); COPYSEQ(sq_inplace_repeat);
    }
    if (type->tp_as_mapping != NULL && base->tp_as_mapping != NULL &&
        type->tp_as_mapping != base->tp_as_mapping) {
        COPYMAP(mp_length); COPYMAP(mp_subscript); COPYMAP(mp_ass_subscript);
    }
    if (type->tp_as_buffer != NULL && base->tp_as_buffer != NULL &&
        type->tp_as_buffer != base->tp_as_buffer) {
        COPYBUF(bf_getbuffer); COPYBUF(bf_releasebuffer);
    }
    COPYSLOT(tp_dealloc);
    if (type->tp_getattr == NULL && type->tp_getattro == NULL) {
        type->tp_getattr = base->tp_getattr;
        type->tp_getattro = base->tp_getattro;
    }
    if (type->tp_setattr == NULL && type->tp_setattro == NULL) {
        type->tp_setattr = base->tp_setattr;
        type->tp_setattro = base->tp_setattro;
    }
    COPYSLOT(tp_repr);
    COPYSLOT(tp_call);
    COPYSLOT(tp_str);
    /* Vectorcall is inherited only with tp_call, and not by mutable
       heap types (their __call__ may be reassigned). */
    if (!PyType_HasFeature(type, Py_TPFLAGS_HAVE_VECTORCALL) &&
        PyType_HasFeature(base, Py_TPFLAGS_HAVE_VECTORCALL) &&
        type->tp_call == base->tp_call &&
        PyType_HasFeature(type, Py_TPFLAGS_IMMUTABLETYPE)) {
        type->tp_flags |= Py_TPFLAGS_HAVE_VECTORCALL;
    }
    COPYSLOT(tp_vectorcall_offset);
    if (type->tp_richcompare == NULL && type->tp_hash == NULL &&
        !overrides_hash(type)) {
        type->tp_richcompare = base->tp_richcompare;
        type->tp_hash = base->tp_hash;
    }
    COPYSLOT(tp_iter);
    COPYSLOT(tp_iternext);
    COPYSLOT(tp_descr_get);
    if (PyType_HasFeature(base, Py_TPFLAGS_METHOD_DESCRIPTOR) &&
        type->tp_descr_get == base->tp_descr_get &&
        PyType_HasFeature(type, Py_TPFLAGS_IMMUTABLETYPE)) {
        type->tp_flags |= Py_TPFLAGS_METHOD_DESCRIPTOR;
    }
    COPYSLOT(tp_descr_set);
    COPYSLOT(tp_dictoffset);
    COPYSLOT(tp_init);
    COPYSLOT(tp_alloc);
    COPYSLOT(tp_is_gc);
    COPYSLOT(tp_finalize);
    if (PyType_HasFeature(type, Py_TPFLAGS_HAVE_GC) ==
        PyType_HasFeature(base, Py_TPFLAGS_HAVE_GC)) {
        COPYSLOT(tp_free);
    }
    else if (PyType_HasFeature(type, Py_TPFLAGS_HAVE_GC) &&
             type->tp_free == NULL && base->tp_free == PyObject_Free) {
        type->tp_free = PyObject_GC_Del;
    }
}

/* Static types without tp_as_* tables share their base's. */
static void
inherit_as_structs(PyTypeObject *type, PyTypeObject *base)
{
    if (type->tp_as_async == NULL) {
        type->tp_as_async = base->tp_as_async;
    }
    if (type->tp_as_number == NULL) {
        type->tp_as_number = base->tp_as_number;
    }
    if (type->tp_as_sequence == NULL) {
        type->tp_as_sequence = base->tp_as_sequence;
    }
    if (type->tp_as_mapping == NULL) {
        type->tp_as_mapping = base->tp_as_mapping;
    }
    if (type->tp_as_buffer == NULL) {
        type->tp_as_buffer = base->tp_as_buffer;
    }
}

/* ================================================================ ready */

/* The part of a C doc string after its "name(sig)\n--\n\n" prefix. */
static const char *
find_signature_end(const char *name, const char *doc)
{
    if (doc == NULL) {
        return NULL;
    }
    const char *dot = strrchr(name, '.');
    if (dot != NULL) {
        name = dot + 1;
    }
    size_t len = strlen(name);
    if (strncmp(doc, name, len) != 0 || doc[len] != '(') {
        return NULL;
    }
    const char *end = strstr(doc, ")\n--\n\n");
    if (end == NULL) {
        return NULL;
    }
    return end + 6;
}

const char *
_PyType_DocWithoutSignature(const char *name, const char *doc)
{
    const char *end = find_signature_end(name, doc);
    return end != NULL ? end : doc;
}

PyObject *
_PyType_GetDocFromInternalDoc(const char *name, const char *doc)
{
    if (doc == NULL) {
        Py_RETURN_NONE;
    }
    return PyUnicode_FromString(_PyType_DocWithoutSignature(name, doc));
}

PyObject *
_PyType_GetTextSignatureFromInternalDoc(const char *name, const char *doc)
{
    const char *end = find_signature_end(name, doc);
    if (end == NULL) {
        Py_RETURN_NONE;
    }
    const char *start = strchr(doc, '(');
    /* Up to and including the closing parenthesis. */
    return PyUnicode_FromStringAndSize(start, (end - 6 + 1) - start);
}

/* int.__new__(subtype, ...): the type's tp_new, exposed as a built-in
   method bound to the type, with CPython's safety checks. */
static PyObject *
tp_new_wrapper(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!PyTuple_Check(args) || PyTuple_GET_SIZE(args) < 1) {
        PyErr_Format(PyExc_TypeError, "%s.__new__(): not enough arguments",
                     type->tp_name);
        return NULL;
    }
    PyObject *arg0 = PyTuple_GET_ITEM(args, 0);
    if (!PyType_Check(arg0)) {
        PyErr_Format(PyExc_TypeError,
                     "%s.__new__(X): X is not a type object (%s)",
                     type->tp_name, Py_TYPE(arg0)->tp_name);
        return NULL;
    }
    PyTypeObject *subtype = (PyTypeObject *)arg0;
    if (!PyType_IsSubtype(subtype, type)) {
        PyErr_Format(PyExc_TypeError,
                     "%s.__new__(%s): %s is not a subtype of %s",
                     type->tp_name, subtype->tp_name, subtype->tp_name,
                     type->tp_name);
        return NULL;
    }
    /* The most derived base that is not a heap type must have the same
       tp_new as `type`, or its invariants could be skipped. */
    PyTypeObject *staticbase = subtype;
    while (staticbase && (staticbase->tp_new == _PyTypeSlots_tp_new)) {
        staticbase = staticbase->tp_base;
    }
    if (staticbase && staticbase->tp_new != type->tp_new) {
        PyErr_Format(PyExc_TypeError,
                     "%s.__new__(%s) is not safe, use %s.__new__()",
                     type->tp_name, subtype->tp_name, staticbase->tp_name);
        return NULL;
    }
    PyObject *rest = PyTuple_GetSlice(args, 1, PyTuple_GET_SIZE(args));
    if (rest == NULL) {
        return NULL;
    }
    PyObject *res = type->tp_new(subtype, rest, kwds);
    Py_DECREF(rest);
    return res;
}

static PyMethodDef tp_new_methoddef = {
    "__new__", _PyCFunction_CAST(tp_new_wrapper),
    METH_VARARGS | METH_KEYWORDS,
    "__new__($type, *args, **kwargs)\n--\n\n"
    "Create and return a new object.  "
    "See help(type) for accurate signature."
};

int
_PyType_IsTpNewWrapper(PyObject *obj)
{
    return PyCFunction_Check(obj) &&
           ((PyCFunctionObject *)obj)->m_ml == &tp_new_methoddef;
}

static int
add_tp_new_wrapper(PyTypeObject *type)
{
    int r = PyDict_Contains(type->tp_dict, _Py_ID(__new__));
    if (r != 0) {
        return r < 0 ? -1 : 0;
    }
    PyObject *func = PyCFunction_NewEx(&tp_new_methoddef, (PyObject *)type,
                                       NULL);
    if (func == NULL) {
        return -1;
    }
    r = PyDict_SetItem(type->tp_dict, _Py_ID(__new__), func);
    Py_DECREF(func);
    return r;
}

static int
type_add_methods(PyTypeObject *type)
{
    PyMethodDef *meth = type->tp_methods;
    if (meth == NULL) {
        return 0;
    }
    for (; meth->ml_name != NULL; meth++) {
        PyObject *descr;
        if (meth->ml_flags & METH_CLASS) {
            if (meth->ml_flags & METH_STATIC) {
                PyErr_SetString(PyExc_ValueError,
                                "method cannot be both class and static");
                return -1;
            }
            descr = PyDescr_NewClassMethod(type, meth);
        }
        else if (meth->ml_flags & METH_STATIC) {
            PyObject *cfunc = PyCFunction_NewEx(meth, (PyObject *)type, NULL);
            if (cfunc == NULL) {
                return -1;
            }
            descr = PyStaticMethod_New(cfunc);
            Py_DECREF(cfunc);
        }
        else {
            descr = PyDescr_NewMethod(type, meth);
        }
        if (descr == NULL) {
            return -1;
        }
        PyObject *name = PyDescr_NAME(descr);
        if (Py_IS_TYPE(descr, &PyStaticMethod_Type)) {
            name = NULL;
        }
        int r;
        if (name == NULL) {
            PyObject *n = PyUnicode_InternFromString(meth->ml_name);
            if (n == NULL) {
                Py_DECREF(descr);
                return -1;
            }
            if (meth->ml_flags & METH_COEXIST) {
                r = PyDict_SetItem(type->tp_dict, n, descr);
            }
            else {
                PyObject *cur;
                r = PyDict_SetDefaultRef(type->tp_dict, n, descr, &cur);
                Py_XDECREF(cur);
            }
            Py_DECREF(n);
        }
        else if (meth->ml_flags & METH_COEXIST) {
            r = PyDict_SetItem(type->tp_dict, name, descr);
        }
        else {
            PyObject *cur;
            r = PyDict_SetDefaultRef(type->tp_dict, name, descr, &cur);
            Py_XDECREF(cur);
        }
        Py_DECREF(descr);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

static int
type_add_members(PyTypeObject *type)
{
    PyMemberDef *memb = type->tp_members;
    if (memb == NULL) {
        return 0;
    }
    for (; memb->name != NULL; memb++) {
        PyObject *descr = PyDescr_NewMember(type, memb);
        if (descr == NULL) {
            return -1;
        }
        PyObject *cur;
        int r = PyDict_SetDefaultRef(type->tp_dict, PyDescr_NAME(descr),
                                     descr, &cur);
        Py_XDECREF(cur);
        Py_DECREF(descr);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

static int
type_add_getset(PyTypeObject *type)
{
    PyGetSetDef *gsp = type->tp_getset;
    if (gsp == NULL) {
        return 0;
    }
    for (; gsp->name != NULL; gsp++) {
        PyObject *descr = PyDescr_NewGetSet(type, gsp);
        if (descr == NULL) {
            return -1;
        }
        PyObject *cur;
        int r = PyDict_SetDefaultRef(type->tp_dict, PyDescr_NAME(descr),
                                     descr, &cur);
        Py_XDECREF(cur);
        Py_DECREF(descr);
        if (r < 0) {
            return -1;
        }
    }
    return 0;
}

/* __doc__ from tp_doc for static types, None when there is none. */
static int
type_dict_set_doc(PyTypeObject *type)
{
    int r = PyDict_Contains(type->tp_dict, _Py_ID(__doc__));
    if (r != 0) {
        return r < 0 ? -1 : 0;
    }
    PyObject *doc;
    if (type->tp_doc != NULL) {
        doc = PyUnicode_FromString(
            _PyType_DocWithoutSignature(type->tp_name, type->tp_doc));
        if (doc == NULL) {
            return -1;
        }
    }
    else {
        doc = Py_NewRef(Py_None);
    }
    r = PyDict_SetItem(type->tp_dict, _Py_ID(__doc__), doc);
    Py_DECREF(doc);
    return r;
}

/* tp_new: inherited from the base, or exposed as __new__; a static type
   deriving directly from object with no tp_new cannot be instantiated. */
static int
type_ready_set_new(PyTypeObject *type)
{
    PyTypeObject *base = type->tp_base;
    if (type->tp_new == NULL && base == &PyBaseObject_Type &&
        !PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        type->tp_flags |= Py_TPFLAGS_DISALLOW_INSTANTIATION;
    }
    if (!PyType_HasFeature(type, Py_TPFLAGS_DISALLOW_INSTANTIATION)) {
        if (type->tp_new != NULL) {
            if (add_tp_new_wrapper(type) < 0) {
                return -1;
            }
        }
        else if (base != NULL) {
            type->tp_new = base->tp_new;
        }
    }
    else {
        type->tp_new = NULL;
    }
    return 0;
}

/* Types that leave tp_hash empty after inheritance are unhashable:
   __hash__ = None in their dict. */
static int
type_ready_set_hash(PyTypeObject *type)
{
    if (type->tp_hash != NULL) {
        return 0;
    }
    int r = PyDict_Contains(type->tp_dict, _Py_ID(__hash__));
    if (r < 0) {
        return -1;
    }
    if (r == 0 && PyDict_SetItem(type->tp_dict, _Py_ID(__hash__),
                                 Py_None) < 0) {
        return -1;
    }
    type->tp_hash = PyObject_HashNotImplemented;
    return 0;
}

/* Objects of static types (and their MRO/bases/dict) live forever. */
static void
make_static_parts_immortal(PyTypeObject *type)
{
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        return;
    }
    _Py_SetImmortal(type->tp_dict);
    _Py_SetImmortal(type->tp_mro);
    _Py_SetImmortal(type->tp_bases);
}

static int
type_ready_inner(PyTypeObject *type)
{
    /* Base and metatype. */
    PyTypeObject *base = type->tp_base;
    if (base == NULL && type != &PyBaseObject_Type) {
        base = type->tp_base = &PyBaseObject_Type;
    }
    if (base != NULL && !PyType_HasFeature(base, Py_TPFLAGS_READY) &&
        PyType_Ready(base) < 0) {
        return -1;
    }
    if (Py_TYPE(type) == NULL && base != NULL) {
        Py_SET_TYPE(type, Py_TYPE(base));
    }
    if (type->tp_bases == NULL) {
        PyObject *bases = base == NULL ? PyTuple_New(0)
                                       : PyTuple_Pack(1, (PyObject *)base);
        if (bases == NULL) {
            return -1;
        }
        type->tp_bases = bases;
    }
    if (type->tp_dict == NULL) {
        PyObject *dict = PyDict_New();
        if (dict == NULL) {
            return -1;
        }
        type->tp_dict = dict;
    }
    /* Immutable flag for static types. */
    if (!PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        type->tp_flags |= Py_TPFLAGS_IMMUTABLETYPE;
    }
    /* The MRO. */
    PyObject *mro = mro_invoke(type);
    if (mro == NULL) {
        return -1;
    }
    _PyType_Lock();
    PyObject *old = set_mro_locked(type, mro);
    _PyType_Unlock();
    Py_XDECREF(old);
    /* __new__, then the dict: slot wrappers, methods, members, getsets,
       __doc__ (CPython's order, visible in __dict__). */
    if (type_ready_set_new(type) < 0 ||
        _PyTypeSlots_AddOperators(type) < 0 ||
        type_add_methods(type) < 0 ||
        type_add_members(type) < 0 ||
        type_add_getset(type) < 0 ||
        type_dict_set_doc(type) < 0) {
        return -1;
    }
    /* Inheritance. */
    if (base != NULL) {
        inherit_special(type, base);
        inherit_as_structs(type, base);
    }
    Py_ssize_t n = PyTuple_GET_SIZE(mro);
    for (Py_ssize_t i = 1; i < n; i++) {
        PyObject *b = PyTuple_GET_ITEM(mro, i);
        if (PyType_Check(b)) {
            inherit_slots(type, (PyTypeObject *)b);
        }
    }
    if (type->tp_free == NULL) {
        type->tp_free = PyType_IS_GC(type) ? PyObject_GC_Del : PyObject_Free;
    }
    if (type_ready_set_hash(type) < 0) {
        return -1;
    }
    if (PyType_HasFeature(type, Py_TPFLAGS_HAVE_GC) &&
        type->tp_traverse == NULL) {
        PyErr_Format(PyExc_SystemError,
                     "type %s has the Py_TPFLAGS_HAVE_GC flag but has no "
                     "traverse function", type->tp_name);
        return -1;
    }
    /* Link into the bases' subclass lists. */
    if (add_subclasses_of_bases(type, type->tp_bases) < 0) {
        return -1;
    }
    make_static_parts_immortal(type);
    return 0;
}

/* PyType_Ready may run on two threads for the same static type (an
   extension readying its types on first use): a lock recursive for its
   owner (readying a type readies its bases) serialises it, and READY is
   published last, with a release store. */
static PyMutex ready_mutex;
static uintptr_t ready_owner;       /* atomic: thread id holding it */
static int ready_depth;             /* owner only */

static void
ready_lock(void)
{
    uintptr_t me = _Py_ThreadId();
    if (_Py_atomic_load_uintptr_relaxed(&ready_owner) == me) {
        ready_depth++;
        return;
    }
    PyMutex_Lock(&ready_mutex);
    _Py_atomic_store_uintptr_relaxed(&ready_owner, me);
    ready_depth = 1;
}

static void
ready_unlock(void)
{
    if (--ready_depth == 0) {
        _Py_atomic_store_uintptr_relaxed(&ready_owner, 0);
        PyMutex_Unlock(&ready_mutex);
    }
}

static inline int
type_is_ready(PyTypeObject *type)
{
    uintptr_t flags = _Py_atomic_load_uintptr_acquire(
        (uintptr_t *)&type->tp_flags);
    return (flags & Py_TPFLAGS_READY) != 0;
}

int
PyType_Ready(PyTypeObject *type)
{
    if (type_is_ready(type)) {
        return 0;
    }
    ready_lock();
    int r = 0;
    if (!type_is_ready(type) &&
        !PyType_HasFeature(type, Py_TPFLAGS_READYING)) {
        /* (READYING: recursion through a base; the caller finishes.) */
        if (!PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
            /* Static types are immortal from the start. */
            _Py_SetImmortal((PyObject *)type);
        }
        type->tp_flags |= Py_TPFLAGS_READYING;
        r = type_ready_inner(type);
        unsigned long flags = type->tp_flags & ~Py_TPFLAGS_READYING;
        if (r == 0) {
            flags |= Py_TPFLAGS_READY;
        }
        _Py_atomic_store_uintptr_release((uintptr_t *)&type->tp_flags,
                                         (uintptr_t)flags);
    }
    ready_unlock();
    return r;
}

/* ================================================================ allocation */

/* Zeroed memory for an instance of `type` with room for nitems items
   (plus one, as CPython does, for var objects' sentinel), header set,
   tracked by the GC if the type is GC.  New reference. */
PyObject *
PyType_GenericAlloc(PyTypeObject *type, Py_ssize_t nitems)
{
    size_t size = _PyObject_VAR_SIZE(type, nitems + 1);
    PyObject *obj;
    if (PyType_IS_GC(type)) {
        obj = _PyObject_MallocGC(size);
    }
    else {
        obj = PyObject_Malloc(size);
    }
    if (obj == NULL) {
        return PyErr_NoMemory();
    }
    memset(obj, 0, size);
    if (type->tp_itemsize != 0) {
        PyObject_InitVar((PyVarObject *)obj, type, nitems);
    }
    else {
        PyObject_Init(obj, type);
    }
    if (PyType_IS_GC(type)) {
        PyObject_GC_Track(obj);
    }
    return obj;
}

PyObject *
PyType_GenericNew(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    return type->tp_alloc(type, 0);
}

/* ================================================================ metaclass */

PyTypeObject *
_PyType_CalculateMetaclass(PyTypeObject *metatype, PyObject *bases)
{
    PyTypeObject *winner = metatype;
    Py_ssize_t n = PyTuple_GET_SIZE(bases);
    for (Py_ssize_t i = 0; i < n; i++) {
        PyTypeObject *tmptype = Py_TYPE(PyTuple_GET_ITEM(bases, i));
        if (PyType_IsSubtype(winner, tmptype)) {
            continue;
        }
        if (PyType_IsSubtype(tmptype, winner)) {
            winner = tmptype;
            continue;
        }
        PyErr_SetString(PyExc_TypeError,
                        "metaclass conflict: the metaclass of a derived "
                        "class must be a (non-strict) subclass of the "
                        "metaclasses of all its bases");
        return NULL;
    }
    return winner;
}

/* ================================================================ special */

PyObject *
_PyObject_LookupSpecial(PyObject *self, PyObject *name)
{
    PyObject *res = _PyType_LookupRef(Py_TYPE(self), name);
    if (res == NULL) {
        return NULL;
    }
    descrgetfunc f = Py_TYPE(res)->tp_descr_get;
    if (f != NULL) {
        Py_SETREF(res, f(res, self, (PyObject *)Py_TYPE(self)));
    }
    return res;
}

PyObject *
_PyObject_CallSpecial(PyObject *self, PyObject *name, PyObject *const *args,
                      Py_ssize_t nargs)
{
    PyObject *func = _PyType_LookupRef(Py_TYPE(self), name);
    if (func == NULL) {
        if (!PyErr_Occurred()) {
            PyErr_SetObject(PyExc_AttributeError, name);
        }
        return NULL;
    }
    PyObject *res;
    if (PyType_HasFeature(Py_TYPE(func), Py_TPFLAGS_METHOD_DESCRIPTOR)) {
        /* Unbound call: func(self, *args). */
        PyObject *small[8];
        PyObject **stack = small;
        if (nargs + 1 > (Py_ssize_t)Py_ARRAY_LENGTH(small)) {
            stack = PyMem_Malloc((size_t)(nargs + 1) * sizeof(PyObject *));
            if (stack == NULL) {
                Py_DECREF(func);
                return PyErr_NoMemory();
            }
        }
        stack[0] = self;
        for (Py_ssize_t i = 0; i < nargs; i++) {
            stack[i + 1] = args[i];
        }
        res = PyObject_Vectorcall(func, stack, (size_t)nargs + 1, NULL);
        if (stack != small) {
            PyMem_Free(stack);
        }
    }
    else {
        descrgetfunc f = Py_TYPE(func)->tp_descr_get;
        if (f != NULL) {
            Py_SETREF(func, f(func, self, (PyObject *)Py_TYPE(self)));
            if (func == NULL) {
                return NULL;
            }
        }
        res = PyObject_Vectorcall(func, args, (size_t)nargs, NULL);
    }
    Py_DECREF(func);
    return res;
}

/* ================================================================ type getsets */

PyObject *
PyType_GetName(PyTypeObject *type)
{
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        PyHeapTypeObject *et = (PyHeapTypeObject *)type;
        return Py_NewRef(et->ht_name);
    }
    return PyUnicode_FromString(_PyType_Name(type));
}

PyObject *
PyType_GetQualName(PyTypeObject *type)
{
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        PyHeapTypeObject *et = (PyHeapTypeObject *)type;
        _PyType_Lock();
        PyObject *q = Py_NewRef(et->ht_qualname);
        _PyType_Unlock();
        return q;
    }
    return PyUnicode_FromString(_PyType_Name(type));
}

PyObject *
_PyType_GetQualName(PyTypeObject *type)
{
    return PyType_GetQualName(type);
}

static PyObject *
type_name(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        _PyType_Lock();
        PyObject *n = Py_NewRef(((PyHeapTypeObject *)type)->ht_name);
        _PyType_Unlock();
        return n;
    }
    return PyUnicode_FromString(_PyType_Name(type));
}

static PyObject *
type_qualname(PyObject *self, void *context)
{
    return PyType_GetQualName((PyTypeObject *)self);
}

/* Heap types only (immutable types were rejected by the caller). */
static int
check_set_special_type_attr(PyTypeObject *type, PyObject *value,
                            const char *name)
{
    if (PyType_HasFeature(type, Py_TPFLAGS_IMMUTABLETYPE)) {
        PyErr_Format(PyExc_TypeError,
                     "cannot set '%s' attribute of immutable type '%s'",
                     name, type->tp_name);
        return 0;
    }
    if (value == NULL) {
        PyErr_Format(PyExc_TypeError,
                     "cannot delete '%s' attribute of immutable type '%s'",
                     name, type->tp_name);
        return 0;
    }
    return 1;
}

static int
type_set_name(PyObject *self, PyObject *value, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!check_set_special_type_attr(type, value, "__name__")) {
        return -1;
    }
    if (!PyUnicode_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "can only assign string to %s.__name__, not '%s'",
                     type->tp_name, Py_TYPE(value)->tp_name);
        return -1;
    }
    Py_ssize_t size;
    const char *tp_name = PyUnicode_AsUTF8AndSize(value, &size);
    if (tp_name == NULL) {
        return -1;
    }
    if (strlen(tp_name) != (size_t)size) {
        PyErr_SetString(PyExc_ValueError,
                        "type name must not contain null characters");
        return -1;
    }
    char *copy = PyMem_Malloc((size_t)size + 1);
    if (copy == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    memcpy(copy, tp_name, (size_t)size + 1);
    PyHeapTypeObject *et = (PyHeapTypeObject *)type;
    _PyType_Lock();
    PyObject *old_name = et->ht_name;
    char *old_buf = et->_ht_tpname;
    et->ht_name = Py_NewRef(value);
    et->_ht_tpname = copy;
    _Py_atomic_store_ptr_release(&type->tp_name, copy);
    _PyType_Unlock();
    /* Other threads may still be formatting a message with the old
       tp_name: free it after a grace period. */
    if (old_buf != NULL) {
        _PyMem_FreeDelayed(old_buf, strlen(old_buf) + 1);
    }
    Py_DECREF(old_name);
    return 0;
}

static int
type_set_qualname(PyObject *self, PyObject *value, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!check_set_special_type_attr(type, value, "__qualname__")) {
        return -1;
    }
    if (!PyUnicode_Check(value)) {
        PyErr_Format(PyExc_TypeError,
                     "can only assign string to %s.__qualname__, not '%s'",
                     type->tp_name, Py_TYPE(value)->tp_name);
        return -1;
    }
    PyHeapTypeObject *et = (PyHeapTypeObject *)type;
    _PyType_Lock();
    PyObject *old = et->ht_qualname;
    et->ht_qualname = Py_NewRef(value);
    _PyType_Unlock();
    Py_DECREF(old);
    return 0;
}

static PyObject *
type_module(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        PyObject *mod;
        int r = PyDict_GetItemRef(type->tp_dict, _Py_ID(__module__), &mod);
        if (r == 0) {
            PyErr_Format(PyExc_AttributeError, "__module__");
        }
        return mod;
    }
    const char *s = strrchr(type->tp_name, '.');
    if (s != NULL) {
        return PyUnicode_FromStringAndSize(type->tp_name,
                                           s - type->tp_name);
    }
    return Py_NewRef(_Py_ID(builtins));
}

/* Sets or deletes a key of a heap type's dict with the version tags
   invalidated first (see the top of the file); the old value is released
   after the type lock. */
static int
type_dict_set(PyTypeObject *type, PyObject *name, PyObject *value)
{
    PyObject *old = NULL;
    _PyType_Lock();
    type_modified_locked(type);
    int r = _PyDict_SetItemGetOld(type->tp_dict, name, value, &old);
    _PyType_Unlock();
    Py_XDECREF(old);
    return r;
}

static int
type_set_module(PyObject *self, PyObject *value, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!check_set_special_type_attr(type, value, "__module__")) {
        return -1;
    }
    return type_dict_set(type, _Py_ID(__module__), value) < 0 ? -1 : 0;
}

static PyObject *
type_abstractmethods(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    PyObject *mod = NULL;
    /* type itself has an __abstractmethods__ descriptor in its dict;
       report missing for it. */
    if (type != &PyType_Type &&
        PyDict_GetItemRef(type->tp_dict, _Py_ID(__abstractmethods__),
                          &mod) < 0) {
        return NULL;
    }
    if (mod == NULL) {
        PyErr_SetObject(PyExc_AttributeError, _Py_ID(__abstractmethods__));
    }
    return mod;
}

static int
type_set_abstractmethods(PyObject *self, PyObject *value, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    int abstract = 0;
    if (value != NULL) {
        abstract = PyObject_IsTrue(value);
        if (abstract < 0) {
            return -1;
        }
    }
    int r = type_dict_set(type, _Py_ID(__abstractmethods__), value);
    if (r < 0) {
        if (value == NULL && PyErr_ExceptionMatches(PyExc_KeyError)) {
            PyErr_Clear();
            PyErr_SetObject(PyExc_AttributeError,
                            _Py_ID(__abstractmethods__));
        }
        return -1;
    }
    _PyType_Lock();
    type_set_flags(type, Py_TPFLAGS_IS_ABSTRACT, abstract);
    _PyType_Unlock();
    return 0;
}

static PyObject *
type_get_bases(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    _PyType_Lock();
    PyObject *b = Py_NewRef(type->tp_bases);
    _PyType_Unlock();
    return b;
}

static PyObject *
type_get_mro(PyObject *self, void *context)
{
    PyObject *mro = _PyType_GetMRO((PyTypeObject *)self);
    if (mro == NULL) {
        Py_RETURN_NONE;
    }
    return mro;
}

/* Recomputes tp_mro of `type` and its subclasses after __bases__ of an
   ancestor changed.  Type lock not held (mro() may be Python code). */
static int
mro_update_visit(PyTypeObject *sub, void *arg)
{
    PyObject *list = arg;
    return PyList_Append(list, (PyObject *)sub) < 0 ? -1 : 0;
}

static int
mro_update_hierarchy(PyTypeObject *type)
{
    PyObject *mro = mro_invoke(type);
    if (mro == NULL) {
        return -1;
    }
    _PyType_Lock();
    PyObject *old = set_mro_locked(type, mro);
    type_modified_locked(type);
    PyObject *subs = PyList_New(0);
    if (subs != NULL &&
        _PyType_VisitSubclasses(type, mro_update_visit, subs) < 0) {
        Py_CLEAR(subs);
    }
    _PyType_Unlock();
    Py_XDECREF(old);
    if (subs == NULL) {
        return -1;
    }
    int r = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(subs) && r == 0; i++) {
        r = mro_update_hierarchy((PyTypeObject *)PyList_GET_ITEM(subs, i));
    }
    Py_DECREF(subs);
    return r;
}

static int
type_set_bases(PyObject *self, PyObject *new_bases, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!check_set_special_type_attr(type, new_bases, "__bases__")) {
        return -1;
    }
    if (!PyTuple_Check(new_bases)) {
        PyErr_Format(PyExc_TypeError,
                     "can only assign tuple to %s.__bases__, not %s",
                     type->tp_name, Py_TYPE(new_bases)->tp_name);
        return -1;
    }
    if (PyTuple_GET_SIZE(new_bases) == 0) {
        PyErr_Format(PyExc_TypeError,
                     "can only assign non-empty tuple to %s.__bases__, "
                     "not ()", type->tp_name);
        return -1;
    }
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(new_bases); i++) {
        PyObject *ob = PyTuple_GET_ITEM(new_bases, i);
        if (!PyType_Check(ob)) {
            PyErr_Format(PyExc_TypeError,
                         "%s.__bases__ must be tuple of classes, not '%s'",
                         type->tp_name, Py_TYPE(ob)->tp_name);
            return -1;
        }
        PyTypeObject *base = (PyTypeObject *)ob;
        if (PyType_IsSubtype(base, type) ||
            (base->tp_mro != NULL && type->tp_base != NULL &&
             base == type)) {
            PyErr_SetString(PyExc_TypeError,
                            "a __bases__ item causes an inheritance cycle");
            return -1;
        }
    }
    PyTypeObject *new_base = _PyType_BestBase(new_bases);
    if (new_base == NULL) {
        return -1;
    }
    if (!_PyType_CompatibleForAssignment(type->tp_base, new_base, "__bases__")) {
        return -1;
    }
    _PyType_Lock();
    PyObject *old_bases = type->tp_bases;
    PyTypeObject *old_base = type->tp_base;
    remove_subclasses_of_bases_locked(type, old_bases);
    /* tp_base is read with plain loads: swap with the world stopped. */
    PyInterpreterState *interp = _PyInterpreterState_GET();
    _PyEval_StopTheWorld(interp);
    type->tp_bases = Py_NewRef(new_bases);
    type->tp_base = (PyTypeObject *)Py_NewRef((PyObject *)new_base);
    _PyEval_StartTheWorld(interp);
    int oom = 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(new_bases); i++) {
        if (add_subclass_locked(
                (PyTypeObject *)PyTuple_GET_ITEM(new_bases, i), type) < 0) {
            oom = 1;
        }
    }
    _PyType_Unlock();
    if (oom) {
        PyErr_NoMemory();
    }
    if (oom || mro_update_hierarchy(type) < 0) {
        /* Put the old bases back. */
        PyObject *exc = PyErr_GetRaisedException();
        _PyType_Lock();
        remove_subclasses_of_bases_locked(type, new_bases);
        _PyEval_StopTheWorld(interp);
        PyObject *bad_bases = type->tp_bases;
        PyTypeObject *bad_base = type->tp_base;
        type->tp_bases = old_bases;
        type->tp_base = old_base;
        _PyEval_StartTheWorld(interp);
        Py_DECREF(bad_bases);
        Py_DECREF(bad_base);
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(old_bases); i++) {
            (void)add_subclass_locked(
                (PyTypeObject *)PyTuple_GET_ITEM(old_bases, i), type);
        }
        _PyType_Unlock();
        (void)mro_update_hierarchy(type);
        PyErr_Clear();
        PyErr_SetRaisedException(exc);
        return -1;
    }
    Py_DECREF(old_bases);
    Py_DECREF(old_base);
    /* Special methods may now come from elsewhere. */
    return _PyTypeSlots_UpdateAll(type);
}

static PyObject *
type_dict(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (type->tp_dict == NULL) {
        Py_RETURN_NONE;
    }
    return PyDictProxy_New(type->tp_dict);
}

static PyObject *
type_get_doc(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE) &&
        type->tp_doc != NULL) {
        return _PyType_GetDocFromInternalDoc(type->tp_name, type->tp_doc);
    }
    PyObject *result;
    int r = PyDict_GetItemRef(type->tp_dict, _Py_ID(__doc__), &result);
    if (r < 0) {
        return NULL;
    }
    if (r == 0) {
        Py_RETURN_NONE;
    }
    descrgetfunc f = Py_TYPE(result)->tp_descr_get;
    if (f != NULL) {
        Py_SETREF(result, f(result, NULL, self));
    }
    return result;
}

static int
type_set_doc(PyObject *self, PyObject *value, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!check_set_special_type_attr(type, value, "__doc__")) {
        return -1;
    }
    return type_dict_set(type, _Py_ID(__doc__), value) < 0 ? -1 : 0;
}

static PyObject *
type_get_text_signature(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    return _PyType_GetTextSignatureFromInternalDoc(type->tp_name,
                                                   type->tp_doc);
}

static PyObject *
type_get_annotations(PyObject *self, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        PyErr_Format(PyExc_AttributeError,
                     "type object '%s' has no attribute '__annotations__'",
                     type->tp_name);
        return NULL;
    }
    PyObject *annotations;
    int r = PyDict_GetItemRef(type->tp_dict, _Py_ID(__annotations__),
                              &annotations);
    if (r < 0) {
        return NULL;
    }
    if (r > 0) {
        descrgetfunc get = Py_TYPE(annotations)->tp_descr_get;
        if (get != NULL) {
            Py_SETREF(annotations, get(annotations, NULL, self));
        }
        return annotations;
    }
    annotations = PyDict_New();
    if (annotations == NULL) {
        return NULL;
    }
    PyObject *cur;
    _PyType_Lock();
    type_modified_locked(type);
    r = PyDict_SetDefaultRef(type->tp_dict, _Py_ID(__annotations__),
                             annotations, &cur);
    _PyType_Unlock();
    Py_DECREF(annotations);
    return r < 0 ? NULL : cur;
}

static int
type_set_annotations(PyObject *self, PyObject *value, void *context)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (PyType_HasFeature(type, Py_TPFLAGS_IMMUTABLETYPE)) {
        PyErr_Format(PyExc_TypeError,
                     "cannot set '__annotations__' attribute of immutable "
                     "type '%s'", type->tp_name);
        return -1;
    }
    int r = type_dict_set(type, _Py_ID(__annotations__), value);
    if (r < 0 && value == NULL && PyErr_ExceptionMatches(PyExc_KeyError)) {
        PyErr_Clear();
        PyErr_SetString(PyExc_AttributeError, "__annotations__");
    }
    return r < 0 ? -1 : 0;
}

static PyGetSetDef type_getsets[] = {
    {"__name__", type_name, type_set_name, NULL, NULL},
    {"__qualname__", type_qualname, type_set_qualname, NULL, NULL},
    {"__bases__", type_get_bases, type_set_bases, NULL, NULL},
    {"__mro__", type_get_mro, NULL, NULL, NULL},
    {"__module__", type_module, type_set_module, NULL, NULL},
    {"__abstractmethods__", type_abstractmethods,
     type_set_abstractmethods, NULL, NULL},
    {"__dict__", type_dict, NULL, NULL, NULL},
    {"__doc__", type_get_doc, type_set_doc, NULL, NULL},
    {"__text_signature__", type_get_text_signature, NULL, NULL, NULL},
    {"__annotations__", type_get_annotations, type_set_annotations, NULL,
     NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyMemberDef type_members[] = {
    {"__basicsize__", T_PYSSIZET, offsetof(PyTypeObject, tp_basicsize),
     READONLY, NULL},
    {"__itemsize__", T_PYSSIZET, offsetof(PyTypeObject, tp_itemsize),
     READONLY, NULL},
    {"__flags__", T_ULONG, offsetof(PyTypeObject, tp_flags), READONLY, NULL},
    {"__weakrefoffset__", T_PYSSIZET,
     offsetof(PyTypeObject, tp_weaklistoffset), READONLY, NULL},
    {"__base__", T_OBJECT, offsetof(PyTypeObject, tp_base), READONLY, NULL},
    {"__dictoffset__", T_PYSSIZET, offsetof(PyTypeObject, tp_dictoffset),
     READONLY, NULL},
    {NULL, 0, 0, 0, NULL}
};

/* ================================================================ type methods */

static PyObject *
type_prepare(PyObject *self, PyObject *const *args, Py_ssize_t nargs,
             PyObject *kwnames)
{
    return PyDict_New();
}

static PyObject *
type_instancecheck(PyObject *self, PyObject *instance)
{
    int r = _PyObject_RealIsInstance(instance, self);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

static PyObject *
type_subclasscheck(PyObject *self, PyObject *subclass)
{
    int r = _PyObject_RealIsSubclass(subclass, self);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

static PyObject *
type_dir(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyObject *dict = PyDict_New();
    if (dict == NULL) {
        return NULL;
    }
    PyObject *result = NULL;
    if (_PyObject_MergeClassDict(dict, self) == 0) {
        result = PyDict_Keys(dict);
    }
    Py_DECREF(dict);
    return result;
}

static PyObject *
type_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyTypeObject *type = (PyTypeObject *)self;
    Py_ssize_t size;
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        PyHeapTypeObject *et = (PyHeapTypeObject *)type;
        size = sizeof(PyHeapTypeObject);
        if (et->ht_slots != NULL) {
            size += (PyTuple_GET_SIZE(et->ht_slots) + 1) *
                    (Py_ssize_t)sizeof(PyMemberDef);
        }
    }
    else {
        size = sizeof(PyTypeObject);
    }
    return PyLong_FromSsize_t(size);
}

static PyMethodDef type_methods[] = {
    {"mro", type_mro, METH_NOARGS,
     "Return a type's method resolution order."},
    {"__subclasses__", type_subclasses, METH_NOARGS,
     "Return a list of immediate subclasses."},
    {"__prepare__", _PyCFunction_CAST(type_prepare),
     METH_FASTCALL | METH_KEYWORDS | METH_CLASS,
     "__prepare__() -> dict\n"
     "used to create the namespace for the class statement"},
    {"__instancecheck__", type_instancecheck, METH_O,
     "Check if an object is an instance."},
    {"__subclasscheck__", type_subclasscheck, METH_O,
     "Check if a class is a subclass."},
    {"__dir__", type_dir, METH_NOARGS,
     "Specialized __dir__ implementation for types."},
    {"__sizeof__", type_sizeof, METH_NOARGS,
     "Return memory consumption of the type object."},
    {NULL, NULL, 0, NULL}
};

/* ================================================================ type slots */

static PyObject *
type_repr(PyObject *self)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (type->tp_name == NULL) {
        return PyUnicode_FromFormat("<class at %p>", type);
    }
    PyObject *mod = type_module(self, NULL);
    if (mod == NULL) {
        PyErr_Clear();
    }
    else if (!PyUnicode_Check(mod)) {
        Py_CLEAR(mod);
    }
    PyObject *name = type_qualname(self, NULL);
    if (name == NULL) {
        Py_XDECREF(mod);
        return NULL;
    }
    PyObject *rtn;
    if (mod != NULL && !_PyUnicode_EqualToASCIIString(mod, "builtins")) {
        rtn = PyUnicode_FromFormat("<class '%U.%U'>", mod, name);
    }
    else {
        rtn = PyUnicode_FromFormat("<class '%s'>", type->tp_name);
    }
    Py_XDECREF(mod);
    Py_DECREF(name);
    return rtn;
}

static PyObject *
type_call(PyObject *self, PyObject *args, PyObject *kwds)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (type == &PyType_Type) {
        Py_ssize_t nargs = PyTuple_GET_SIZE(args);
        if (nargs == 1 && (kwds == NULL || !PyDict_GET_SIZE(kwds))) {
            return Py_NewRef((PyObject *)Py_TYPE(PyTuple_GET_ITEM(args, 0)));
        }
        if (nargs != 3) {
            PyErr_SetString(PyExc_TypeError,
                            "type() takes 1 or 3 arguments");
            return NULL;
        }
    }
    if (type->tp_new == NULL) {
        PyErr_Format(PyExc_TypeError, "cannot create '%s' instances",
                     type->tp_name);
        return NULL;
    }
    PyObject *obj = type->tp_new(type, args, kwds);
    obj = _Py_CheckFunctionResult(self, obj, NULL);
    if (obj == NULL) {
        return NULL;
    }
    if (!PyObject_TypeCheck(obj, type)) {
        return obj;
    }
    type = Py_TYPE(obj);
    if (type->tp_init != NULL) {
        int res = type->tp_init(obj, args, kwds);
        if (res < 0) {
            Py_DECREF(obj);
            return NULL;
        }
    }
    return obj;
}

/* type(x) and cls(...) through vectorcall: the common no-keyword paths
   avoid building a tuple only for type(x). */
static PyObject *
type_vectorcall(PyObject *metatype, PyObject *const *args, size_t nargsf,
                PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs == 1 && metatype == (PyObject *)&PyType_Type &&
        (kwnames == NULL || PyTuple_GET_SIZE(kwnames) == 0)) {
        return Py_NewRef((PyObject *)Py_TYPE(args[0]));
    }
    return _PyObject_MakeTpCall(metatype, args, nargs, kwnames);
}

static PyObject *
type_getattro(PyObject *self, PyObject *name)
{
    PyTypeObject *type = (PyTypeObject *)self;
    PyTypeObject *metatype = Py_TYPE(type);
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError,
                     "attribute name must be string, not '%.200s'",
                     Py_TYPE(name)->tp_name);
        return NULL;
    }
    if (!_PyType_IsReady(type) && PyType_Ready(type) < 0) {
        return NULL;
    }
    descrgetfunc meta_get = NULL;
    PyObject *meta_attribute = _PyType_LookupRef(metatype, name);
    if (meta_attribute != NULL) {
        meta_get = Py_TYPE(meta_attribute)->tp_descr_get;
        if (meta_get != NULL && PyDescr_IsData(meta_attribute)) {
            PyObject *res = meta_get(meta_attribute, self,
                                     (PyObject *)metatype);
            Py_DECREF(meta_attribute);
            return res;
        }
    }
    PyObject *attribute = _PyType_LookupRef(type, name);
    if (attribute != NULL) {
        Py_XDECREF(meta_attribute);
        descrgetfunc local_get = Py_TYPE(attribute)->tp_descr_get;
        if (local_get != NULL) {
            PyObject *res = local_get(attribute, NULL, self);
            Py_DECREF(attribute);
            return res;
        }
        return attribute;
    }
    if (meta_get != NULL) {
        PyObject *res = meta_get(meta_attribute, self, (PyObject *)metatype);
        Py_DECREF(meta_attribute);
        return res;
    }
    if (meta_attribute != NULL) {
        return meta_attribute;
    }
    if (PyErr_Occurred()) {
        return NULL;
    }
    PyErr_Format(PyExc_AttributeError,
                 "type object '%.100s' has no attribute '%U'",
                 type->tp_name, name);
    _PyObject_SetAttributeErrorContext(self, name);
    return NULL;
}

static int
type_setattro(PyObject *self, PyObject *name, PyObject *value)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!PyUnicode_Check(name)) {
        PyErr_Format(PyExc_TypeError,
                     "attribute name must be string, not '%.200s'",
                     Py_TYPE(name)->tp_name);
        return -1;
    }
    if (PyType_HasFeature(type, Py_TPFLAGS_IMMUTABLETYPE)) {
        PyErr_Format(PyExc_TypeError,
                     "cannot set %R attribute of immutable type '%s'",
                     name, type->tp_name);
        return -1;
    }
    /* Class attribute names are interned exact strs (cacheable). */
    if (PyUnicode_CheckExact(name)) {
        Py_INCREF(name);
    }
    else {
        name = _PyUnicode_Copy(name);
        if (name == NULL) {
            return -1;
        }
    }
    PyUnicode_InternInPlace(&name);
    int res;
    /* Data descriptors of the metatype (__name__, __bases__, ...). */
    PyObject *descr = _PyType_LookupRef(Py_TYPE(type), name);
    if (descr != NULL) {
        descrsetfunc f = Py_TYPE(descr)->tp_descr_set;
        if (f != NULL) {
            res = f(descr, self, value);
            Py_DECREF(descr);
            Py_DECREF(name);
            return res;
        }
        Py_DECREF(descr);
    }
    res = type_dict_set(type, name, value);
    if (res < 0) {
        if (value == NULL && PyErr_ExceptionMatches(PyExc_KeyError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_AttributeError,
                         "type object '%.50s' has no attribute '%U'",
                         type->tp_name, name);
            _PyObject_SetAttributeErrorContext(self, name);
        }
        Py_DECREF(name);
        return -1;
    }
    if (_PyTypeSlots_IsSlotName(name)) {
        res = _PyTypeSlots_Update(type, name);
    }
    Py_DECREF(name);
    return res;
}

static int
type_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    Py_ssize_t nargs = PyTuple_GET_SIZE(args);
    if (nargs == 1 && kwds != NULL && PyDict_GET_SIZE(kwds) != 0) {
        PyErr_SetString(PyExc_TypeError,
                        "type.__init__() takes no keyword arguments");
        return -1;
    }
    if (nargs != 1 && nargs != 3) {
        PyErr_SetString(PyExc_TypeError,
                        "type.__init__() takes 1 or 3 arguments");
        return -1;
    }
    return 0;
}

static int
type_is_gc(PyObject *self)
{
    return PyType_HasFeature((PyTypeObject *)self, Py_TPFLAGS_HEAPTYPE);
}

static int
type_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyTypeObject *type = (PyTypeObject *)self;
    if (!PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        return 0;
    }
    PyHeapTypeObject *et = (PyHeapTypeObject *)type;
    Py_VISIT(type->tp_dict);
    Py_VISIT(type->tp_mro);
    Py_VISIT(type->tp_bases);
    Py_VISIT(type->tp_base);
    Py_VISIT(et->ht_module);
    Py_VISIT(Py_TYPE(type));
    return 0;
}

static int
type_clear(PyObject *self)
{
    PyTypeObject *type = (PyTypeObject *)self;
    /* The cycles of a class run through its dict (functions' globals,
       methods) and through its MRO, which starts with the class itself:
       both must go.  Readers of tp_mro cope with NULL (a class being torn
       down), and nothing reachable can still look the class up. */
    PyType_Modified(type);
    if (type->tp_dict != NULL) {
        PyDict_Clear(type->tp_dict);
    }
    _PyType_Lock();
    PyObject *mro = set_mro_locked(type, NULL);
    _PyType_Unlock();
    Py_XDECREF(mro);
    if (PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE)) {
        Py_CLEAR(((PyHeapTypeObject *)type)->ht_module);
    }
    return 0;
}

static void
type_dealloc(PyObject *self)
{
    PyTypeObject *type = (PyTypeObject *)self;
    PyHeapTypeObject *et = (PyHeapTypeObject *)type;
    /* Static types are immortal and never get here. */
    PyObject_GC_UnTrack(self);
    PyObject_ClearWeakRefs(self);
    _PyType_Lock();
    remove_subclasses_of_bases_locked(type, type->tp_bases);
    type_modified_locked(type);
    subclass_list *subs = (subclass_list *)type->tp_subclasses;
    type->tp_subclasses = NULL;
    _PyType_Unlock();
    PyMem_RawFree(subs);
    Py_XDECREF(type->tp_base);
    Py_XDECREF(type->tp_dict);
    Py_XDECREF(type->tp_bases);
    Py_XDECREF(type->tp_mro);
    Py_XDECREF(type->tp_cache);
    Py_XDECREF(et->ht_name);
    Py_XDECREF(et->ht_qualname);
    Py_XDECREF(et->ht_slots);
    Py_XDECREF(et->ht_module);
    PyMem_Free(et->ht_members);
    if (et->_ht_tpname != NULL) {
        /* Another thread formatting a message may still read it. */
        _PyMem_FreeDelayed(et->_ht_tpname, strlen(et->_ht_tpname) + 1);
    }
    if (type->tp_doc != NULL) {
        PyMem_Free((char *)type->tp_doc);
    }
    PyTypeObject *meta = Py_TYPE(type);
    meta->tp_free(self);
    if (PyType_HasFeature(meta, Py_TPFLAGS_HEAPTYPE)) {
        Py_DECREF(meta);
    }
}

/* `int | str` makes a types.UnionType (PEP 604). */
static PyObject *
type_or(PyObject *self, PyObject *other)
{
    return _Py_union_type_or(self, other);
}

static PyNumberMethods type_as_number = {
    .nb_or = type_or,
};

PyTypeObject PyType_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "type",
    .tp_basicsize = sizeof(PyHeapTypeObject),
    .tp_itemsize = 0,
    .tp_dealloc = type_dealloc,
    .tp_vectorcall_offset = offsetof(PyTypeObject, tp_vectorcall),
    .tp_repr = type_repr,
    .tp_as_number = &type_as_number,
    .tp_call = type_call,
    .tp_getattro = type_getattro,
    .tp_setattro = type_setattro,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE | Py_TPFLAGS_TYPE_SUBCLASS |
                Py_TPFLAGS_HAVE_VECTORCALL,
    .tp_doc = "type(object) -> the object's type\n"
              "type(name, bases, dict, **kwds) -> a new type",
    .tp_traverse = type_traverse,
    .tp_clear = type_clear,
    .tp_weaklistoffset = offsetof(PyTypeObject, tp_weaklist),
    .tp_methods = type_methods,
    .tp_members = type_members,
    .tp_getset = type_getsets,
    .tp_base = &PyBaseObject_Type,
    .tp_dictoffset = offsetof(PyTypeObject, tp_dict),
    .tp_init = type_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = _PyType_NewHeapType,
    .tp_free = PyObject_GC_Del,
    .tp_is_gc = type_is_gc,
    .tp_vectorcall = type_vectorcall,
};

/* ================================================================ init */

/* Readies the core's static types: object and type first (everything
   else hangs off them), then the containers and descriptors the type
   machinery itself uses, then the rest. */
int
_PyTypes_InitTypes(void)
{
    if (PyType_Ready(&PyBaseObject_Type) < 0 ||
        PyType_Ready(&PyType_Type) < 0 ||
        _PyTuple_InitTypes() < 0 ||
        _PyDict_InitTypes() < 0 ||
        _PyDescr_InitTypes() < 0 ||
        _PyCFunction_InitTypes() < 0 ||
        _PyModule_InitTypes() < 0 ||
        _PySlice_InitTypes() < 0 ||
        _PyObject_InitSingletonTypes() < 0 ||
        PyType_Ready(&PySuper_Type) < 0) {
        return -1;
    }
    return 0;
}
