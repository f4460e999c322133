/* dict: a compact, insertion-ordered hash table.
 *
 * Layout.  A dict points at a keys object (raw memory): a power-of-two
 * array of indices (1, 2, 4 or 8 bytes wide) followed by an array of
 * entries (hash, key, value) in insertion order.  An index is DKIX_EMPTY,
 * DKIX_DUMMY (deleted) or the position of an entry.  Deleted entries keep
 * their slot with key and value NULL until the next resize compacts them.
 * Entries are never reused within one keys object.
 *
 * Thread safety (ARCHITECTURE section 6):
 *  - Every mutation runs in a critical section on the dict.  Writers fill
 *    an entry before publishing its index (release stores), so a reader
 *    that sees an index sees the entry.
 *  - Lookups take no lock: load ma_keys, probe, take a conditional
 *    reference to the key (to compare it) and to the value, then re-check
 *    that ma_keys and the entry still hold them.  Any failure retries, and
 *    repeated failure (or an object the reader may not count) falls back
 *    to the locked path.
 *  - Once a thread other than the owner touches the dict, it is marked
 *    shared (under its lock): from then on every key and value stored in
 *    it gets shared state 1 (so their owners never free them without an
 *    atomic operation), and replaced keys objects are retired through
 *    QSBR (_PyMem_FreeDelayed) instead of freed at once.
 *  - A critical section gives no atomicity across __eq__/__hash__/__del__
 *    calls: lookups under the lock re-validate after comparing, and
 *    operations re-check state after any call into Python.
 *  - Iterators lock the dict for each step; a shared iterator may repeat
 *    or skip an item under concurrent next(), never crash.
 *  - ma_used is read with relaxed loads for len(); ma_version_tag changes
 *    on every mutation and is unique across dicts (per-thread blocks of a
 *    global counter). */
#include "Python.h"
#include "pycore_object.h"
#include "pycore_pystate.h"
#include "pycore_critical_section.h"
#include "pycore_qsbr.h"
#include "pycore_excstate.h"
#include "pycore_global_strings.h"
#include "pycore_dict.h"
#include "pycore_typeobject.h"
#include "pycore_call.h"
#include "pycore_abstract.h"

#include <stddef.h>

/* ================================================================ keys */

typedef struct {
    Py_hash_t me_hash;
    PyObject *me_key;       /* NULL: deleted */
    PyObject *me_value;     /* NULL: deleted */
} PyDictKeyEntry;

#define DK_HEADER                                                       \
    Py_ssize_t dk_size;             /* index slots, a power of two */   \
    uint8_t dk_log2_size;                                               \
    uint8_t dk_log2_index_bytes;                                        \
    Py_ssize_t dk_usable;           /* entries left before a resize */  \
    Py_ssize_t dk_nentries;         /* entries used, deleted included */ \
    size_t dk_alloc_size;           /* bytes, for retirement */

struct _dictkeysobject {
    DK_HEADER
    char dk_indices[];
};

#define DKIX_EMPTY (-1)
#define DKIX_DUMMY (-2)
#define DKIX_ERROR (-3)
#define DKIX_RETRY (-4)     /* lock-free lookup gave up: take the lock */

#define PyDict_LOG_MINSIZE 3
#define PyDict_MINSIZE 8
#define USABLE_FRACTION(n) (((n) << 1) / 3)
#define GROWTH_RATE(d) ((d)->ma_used * 3)
#define PERTURB_SHIFT 5

/* The keys object of every empty dict: no usable entries, so the first
   insertion allocates a real one.  Immortal, never written. */
static struct {
    DK_HEADER
    int8_t indices[PyDict_MINSIZE];
} empty_keys_struct = {
    PyDict_MINSIZE, PyDict_LOG_MINSIZE, PyDict_LOG_MINSIZE, 0, 0, 0,
    {-1, -1, -1, -1, -1, -1, -1, -1},
};
#define Py_EMPTY_KEYS ((PyDictKeysObject *)&empty_keys_struct)

static inline PyDictKeyEntry *
DK_ENTRIES(PyDictKeysObject *dk)
{
    return (PyDictKeyEntry *)(dk->dk_indices +
                              ((size_t)1 << dk->dk_log2_index_bytes));
}

/* Index reads are atomic (relaxed is enough after the acquire load of
   ma_keys for the table itself; entries published with release are read
   with an acquire load of the index). */
static inline Py_ssize_t
dictkeys_get_index(PyDictKeysObject *dk, Py_ssize_t i)
{
    int log2size = dk->dk_log2_size;
    if (log2size < 8) {
        return _Py_atomic_load_int8_acquire(&((int8_t *)dk->dk_indices)[i]);
    }
    if (log2size < 16) {
        return (int16_t)_Py_atomic_load_uint16_acquire(
            &((uint16_t *)dk->dk_indices)[i]);
    }
    if (log2size < 32) {
        return _Py_atomic_load_int32_acquire(
            &((int32_t *)dk->dk_indices)[i]);
    }
    return _Py_atomic_load_int64_acquire(&((int64_t *)dk->dk_indices)[i]);
}

static inline void
dictkeys_set_index(PyDictKeysObject *dk, Py_ssize_t i, Py_ssize_t ix)
{
    int log2size = dk->dk_log2_size;
    if (log2size < 8) {
        _Py_atomic_store_int8_release(&((int8_t *)dk->dk_indices)[i],
                                      (int8_t)ix);
    }
    else if (log2size < 16) {
        _Py_atomic_store_uint16_release(&((uint16_t *)dk->dk_indices)[i],
                                        (uint16_t)(int16_t)ix);
    }
    else if (log2size < 32) {
        _Py_atomic_store_int32_release(&((int32_t *)dk->dk_indices)[i],
                                       (int32_t)ix);
    }
    else {
        _Py_atomic_store_int64_release(&((int64_t *)dk->dk_indices)[i],
                                       (int64_t)ix);
    }
}

static PyDictKeysObject *
new_keys_object(uint8_t log2_size)
{
    uint8_t log2_bytes;
    if (log2_size < 8) {
        log2_bytes = log2_size;
    }
    else if (log2_size < 16) {
        log2_bytes = log2_size + 1;
    }
    else if (log2_size < 32) {
        log2_bytes = log2_size + 2;
    }
    else {
        log2_bytes = log2_size + 3;
    }
    Py_ssize_t size = (Py_ssize_t)1 << log2_size;
    Py_ssize_t usable = USABLE_FRACTION(size);
    size_t bytes = sizeof(PyDictKeysObject) + ((size_t)1 << log2_bytes) +
                   sizeof(PyDictKeyEntry) * (size_t)usable;
    PyDictKeysObject *dk = PyMem_Malloc(bytes);
    if (dk == NULL) {
        PyErr_NoMemory();
        return NULL;
    }
    dk->dk_size = size;
    dk->dk_log2_size = log2_size;
    dk->dk_log2_index_bytes = log2_bytes;
    dk->dk_usable = usable;
    dk->dk_nentries = 0;
    dk->dk_alloc_size = bytes;
    memset(dk->dk_indices, 0xff, (size_t)1 << log2_bytes);
    memset(DK_ENTRIES(dk), 0, sizeof(PyDictKeyEntry) * (size_t)usable);
    return dk;
}

/* Frees a keys object that no reader can hold (unshared dict) or retires
   it for a grace period (shared dict). */
static void
free_keys_object(PyDictKeysObject *dk, int shared)
{
    if (dk == Py_EMPTY_KEYS) {
        return;
    }
    if (shared) {
        _PyMem_FreeDelayed(dk, dk->dk_alloc_size);
    }
    else {
        PyMem_Free(dk);
    }
}

/* log2 of the smallest table (>= 8) whose usable fraction holds n. */
static uint8_t
calculate_log2_keysize(Py_ssize_t minsize)
{
    uint8_t log2 = PyDict_LOG_MINSIZE;
    while (((Py_ssize_t)1 << log2) < minsize) {
        log2++;
    }
    return log2;
}

static uint8_t
estimate_log2_keysize(Py_ssize_t n)
{
    return calculate_log2_keysize((n * 3 + 1) / 2);
}

/* ================================================================ versions */

static uint64_t global_dict_version = 0;
static _Thread_local uint64_t local_dict_version;
static _Thread_local uint64_t local_dict_version_end;
#define DICT_VERSION_BLOCK 4096

static uint64_t
next_dict_version(void)
{
    if (local_dict_version == local_dict_version_end) {
        uint64_t start = _Py_atomic_add_uint64(&global_dict_version,
                                               DICT_VERSION_BLOCK);
        local_dict_version = start + 1;
        local_dict_version_end = start + DICT_VERSION_BLOCK;
    }
    return local_dict_version++;
}

static inline void
bump_version(PyDictObject *mp)
{
    _Py_atomic_store_uint64_relaxed(&mp->ma_version_tag,
                                    next_dict_version());
}

uint64_t
_PyDict_GetVersion(PyObject *op)
{
    return _Py_atomic_load_uint64_relaxed(&((PyDictObject *)op)->ma_version_tag);
}

/* ================================================================ sharing */

#define IS_DICT_SHARED(mp) \
    ((_Py_atomic_load_uint8_relaxed(&((PyObject *)(mp))->ob_gc_bits) & \
      _PyGC_BITS_SHARED) != 0)

int
_PyDict_IsShared(PyObject *op)
{
    return IS_DICT_SHARED(op);
}

/* Lock held: readers may find the object from now on. */
static inline void
mark_reachable(PyDictObject *mp, PyObject *op)
{
    if (IS_DICT_SHARED(mp)) {
        _PyObject_SetMaybeWeakref(op);
    }
}

/* First touch by a non-owner thread: mark the dict shared and every key
   and value in it findable by lock-free readers. */
static void
ensure_shared_on_access(PyDictObject *mp)
{
    if (_Py_IsOwnedByCurrentThread((PyObject *)mp) || IS_DICT_SHARED(mp)) {
        return;
    }
    Py_BEGIN_CRITICAL_SECTION(mp);
    if (!IS_DICT_SHARED(mp)) {
        PyDictKeysObject *dk = mp->ma_keys;
        PyDictKeyEntry *ep = DK_ENTRIES(dk);
        for (Py_ssize_t i = 0; i < dk->dk_nentries; i++) {
            if (ep[i].me_value != NULL) {
                _PyObject_SetMaybeWeakref(ep[i].me_key);
                _PyObject_SetMaybeWeakref(ep[i].me_value);
            }
        }
        _Py_atomic_or_uint8(&((PyObject *)mp)->ob_gc_bits,
                            _PyGC_BITS_SHARED);
    }
    Py_END_CRITICAL_SECTION();
}

/* ================================================================ hashing */

static inline Py_hash_t
key_hash(PyObject *key)
{
    if (PyUnicode_CheckExact(key)) {
        Py_hash_t h = _Py_atomic_load_ssize_relaxed(
            &((PyASCIIObject *)key)->hash);
        if (h != -1) {
            return h;
        }
    }
    return PyObject_Hash(key);
}

/* ================================================================ lookup */

/* Compares an entry key with `key` (both alive, references held by the
   caller): 1 equal, 0 not, -1 error.  Exact strs compare without running
   any Python code. */
static inline int
keys_equal(PyObject *startkey, PyObject *key)
{
    if (PyUnicode_CheckExact(startkey) && PyUnicode_CheckExact(key)) {
        return _PyUnicode_EQ(startkey, key);
    }
    return PyObject_RichCompareBool(startkey, key, Py_EQ);
}

#define MAX_LOCKFREE_RETRIES 16

/* Lock-free lookup.  Returns the entry index with *value_addr a new
   reference, DKIX_EMPTY when missing, DKIX_ERROR on error, DKIX_RETRY
   when the locked path must decide. */
static Py_ssize_t
lookup_unlocked(PyDictObject *mp, PyObject *key, Py_hash_t hash,
                PyObject **value_addr)
{
    int retries = 0;
retry:
    if (++retries > MAX_LOCKFREE_RETRIES) {
        return DKIX_RETRY;
    }
    PyDictKeysObject *dk = _Py_atomic_load_ptr_acquire(&mp->ma_keys);
    PyDictKeyEntry *entries = DK_ENTRIES(dk);
    size_t mask = (size_t)dk->dk_size - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    PyDictKeyEntry *ep;
    for (;;) {
        Py_ssize_t ix = dictkeys_get_index(dk, (Py_ssize_t)i);
        if (ix == DKIX_EMPTY) {
            *value_addr = NULL;
            return DKIX_EMPTY;
        }
        if (ix >= 0) {
            ep = &entries[ix];
            PyObject *startkey = _Py_atomic_load_ptr_acquire(&ep->me_key);
            if (startkey == key) {
                goto found;
            }
            if (startkey != NULL &&
                _Py_atomic_load_ssize_relaxed(&ep->me_hash) == hash) {
                if (!_Py_TryIncref(startkey)) {
                    return DKIX_RETRY;
                }
                if (_Py_atomic_load_ptr_acquire(&ep->me_key) != startkey) {
                    Py_DECREF(startkey);
                    goto retry;
                }
                int cmp = keys_equal(startkey, key);
                Py_DECREF(startkey);
                if (cmp < 0) {
                    *value_addr = NULL;
                    return DKIX_ERROR;
                }
                if (_Py_atomic_load_ptr_acquire(&mp->ma_keys) != dk ||
                    _Py_atomic_load_ptr_acquire(&ep->me_key) != startkey) {
                    goto retry;
                }
                if (cmp > 0) {
                    goto found;
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
found:
    {
        PyObject *value = _Py_atomic_load_ptr_acquire(&ep->me_value);
        if (value == NULL) {
            goto retry;     /* deleted under us */
        }
        if (!_Py_TryIncref(value)) {
            return DKIX_RETRY;
        }
        if (_Py_atomic_load_ptr_acquire(&ep->me_value) != value ||
            _Py_atomic_load_ptr_acquire(&mp->ma_keys) != dk) {
            Py_DECREF(value);
            goto retry;
        }
        *value_addr = value;
        return ep - entries;
    }
}

/* Lookup with the dict's critical section held.  Returns the entry index
   (*value_addr borrowed) or DKIX_EMPTY / DKIX_ERROR.  __eq__ may run
   arbitrary code (and suspend the section): the probe restarts if the
   table or the entry changed meanwhile. */
static Py_ssize_t
lookup_locked(PyDictObject *mp, PyObject *key, Py_hash_t hash,
              PyObject **value_addr)
{
restart:;
    PyDictKeysObject *dk = mp->ma_keys;
    PyDictKeyEntry *entries = DK_ENTRIES(dk);
    size_t mask = (size_t)dk->dk_size - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    for (;;) {
        Py_ssize_t ix = dictkeys_get_index(dk, (Py_ssize_t)i);
        if (ix == DKIX_EMPTY) {
            *value_addr = NULL;
            return DKIX_EMPTY;
        }
        if (ix >= 0) {
            PyDictKeyEntry *ep = &entries[ix];
            PyObject *startkey = ep->me_key;
            if (startkey == key) {
                *value_addr = ep->me_value;
                return ix;
            }
            if (startkey != NULL && ep->me_hash == hash) {
                int fast = PyUnicode_CheckExact(startkey) &&
                           PyUnicode_CheckExact(key);
                Py_INCREF(startkey);
                int cmp = keys_equal(startkey, key);
                Py_DECREF(startkey);
                if (cmp < 0) {
                    *value_addr = NULL;
                    return DKIX_ERROR;
                }
                if (!fast && (dk != mp->ma_keys || ep->me_key != startkey)) {
                    goto restart;
                }
                if (cmp > 0) {
                    *value_addr = ep->me_value;
                    return ix;
                }
            }
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* The index slot holding entry `ix` (lock held). */
static Py_ssize_t
lookup_index_slot(PyDictKeysObject *dk, Py_hash_t hash, Py_ssize_t index)
{
    size_t mask = (size_t)dk->dk_size - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    for (;;) {
        Py_ssize_t ix = dictkeys_get_index(dk, (Py_ssize_t)i);
        if (ix == index) {
            return (Py_ssize_t)i;
        }
        if (ix == DKIX_EMPTY) {
            return DKIX_EMPTY;
        }
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
    }
}

/* A free index slot for `hash` (lock held, table has room). */
static Py_ssize_t
find_empty_slot(PyDictKeysObject *dk, Py_hash_t hash)
{
    size_t mask = (size_t)dk->dk_size - 1;
    size_t perturb = (size_t)hash;
    size_t i = (size_t)hash & mask;
    Py_ssize_t ix = dictkeys_get_index(dk, (Py_ssize_t)i);
    while (ix >= 0) {
        perturb >>= PERTURB_SHIFT;
        i = (i * 5 + perturb + 1) & mask;
        ix = dictkeys_get_index(dk, (Py_ssize_t)i);
    }
    return (Py_ssize_t)i;
}

/* Lookup returning a new reference: lock-free first, locked on demand. */
static Py_ssize_t
dict_lookup_ref(PyDictObject *mp, PyObject *key, Py_hash_t hash,
                PyObject **value)
{
    ensure_shared_on_access(mp);
    Py_ssize_t ix = lookup_unlocked(mp, key, hash, value);
    if (ix != DKIX_RETRY) {
        return ix;
    }
    Py_BEGIN_CRITICAL_SECTION(mp);
    ix = lookup_locked(mp, key, hash, value);
    if (*value != NULL) {
        /* Let later lock-free readers count it. */
        _PyObject_SetMaybeWeakref(*value);
        Py_INCREF(*value);
    }
    Py_END_CRITICAL_SECTION();
    return ix;
}

/* ================================================================ resize */

/* Rebuilds the table with room for `minsize` slots, compacting deleted
   entries (lock held).  The old keys are retired if readers may see
   them. */
static int
dictresize(PyDictObject *mp, uint8_t log2_newsize)
{
    PyDictKeysObject *oldkeys = mp->ma_keys;
    PyDictKeysObject *newkeys = new_keys_object(log2_newsize);
    if (newkeys == NULL) {
        return -1;
    }
    Py_ssize_t numentries = mp->ma_used;
    PyDictKeyEntry *oldentries = DK_ENTRIES(oldkeys);
    PyDictKeyEntry *newentries = DK_ENTRIES(newkeys);
    Py_ssize_t j = 0;
    for (Py_ssize_t i = 0; i < oldkeys->dk_nentries; i++) {
        if (oldentries[i].me_value != NULL) {
            newentries[j] = oldentries[i];
            j++;
        }
    }
    /* Build the index (no reader sees newkeys yet: plain is fine, but the
       index writes use the atomic helper anyway). */
    for (Py_ssize_t ix = 0; ix < numentries; ix++) {
        Py_ssize_t slot = find_empty_slot(newkeys, newentries[ix].me_hash);
        dictkeys_set_index(newkeys, slot, ix);
    }
    newkeys->dk_usable -= numentries;
    newkeys->dk_nentries = numentries;
    _Py_atomic_store_ptr_release(&mp->ma_keys, newkeys);
    free_keys_object(oldkeys, IS_DICT_SHARED(mp));
    return 0;
}

static int
insertion_resize(PyDictObject *mp)
{
    return dictresize(mp, calculate_log2_keysize(GROWTH_RATE(mp)));
}

/* ================================================================ insert */

/* Inserts or replaces (lock held).  Steals key and value; *old gets the
   replaced value (new reference, or NULL) for the caller to release
   outside the section. */
static int
insertdict(PyDictObject *mp, PyObject *key, Py_hash_t hash, PyObject *value,
           PyObject **old)
{
    *old = NULL;
    if (mp->ma_keys == Py_EMPTY_KEYS) {
        if (dictresize(mp, PyDict_LOG_MINSIZE) < 0) {
            goto fail;
        }
    }
    PyObject *old_value;
    Py_ssize_t ix = lookup_locked(mp, key, hash, &old_value);
    if (ix == DKIX_ERROR) {
        goto fail;
    }
    mark_reachable(mp, value);
    if (ix == DKIX_EMPTY) {
        if (mp->ma_keys->dk_usable <= 0) {
            if (insertion_resize(mp) < 0) {
                goto fail;
            }
        }
        mark_reachable(mp, key);
        PyDictKeysObject *dk = mp->ma_keys;
        Py_ssize_t hashpos = find_empty_slot(dk, hash);
        Py_ssize_t n = dk->dk_nentries;
        PyDictKeyEntry *ep = &DK_ENTRIES(dk)[n];
        _Py_atomic_store_ssize_relaxed(&ep->me_hash, hash);
        _Py_atomic_store_ptr_release(&ep->me_value, value);
        _Py_atomic_store_ptr_release(&ep->me_key, key);
        /* Publish: the index last. */
        dictkeys_set_index(dk, hashpos, n);
        dk->dk_usable--;
        dk->dk_nentries = n + 1;
        _Py_atomic_store_ssize_relaxed(&mp->ma_used, mp->ma_used + 1);
        bump_version(mp);
        return 0;
    }
    /* Replace the value; the dict keeps its original key object. */
    PyDictKeyEntry *ep = &DK_ENTRIES(mp->ma_keys)[ix];
    if (old_value != value) {
        _Py_atomic_store_ptr_release(&ep->me_value, value);
        *old = old_value;
        bump_version(mp);
    }
    else {
        Py_DECREF(value);   /* the dict already holds one reference */
    }
    Py_DECREF(key);
    return 0;
fail:
    Py_DECREF(value);
    Py_DECREF(key);
    return -1;
}

static int
setitem_take2_knownhash(PyDictObject *mp, PyObject *key, PyObject *value,
                        Py_hash_t hash)
{
    PyObject *old;
    int r;
    ensure_shared_on_access(mp);
    Py_BEGIN_CRITICAL_SECTION(mp);
    r = insertdict(mp, key, hash, value, &old);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(old);
    return r;
}

int
_PyDict_SetItem_Take2(PyObject *op, PyObject *key, PyObject *value)
{
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        Py_DECREF(key);
        Py_DECREF(value);
        return -1;
    }
    return setitem_take2_knownhash((PyDictObject *)op, key, value, hash);
}

int
PyDict_SetItem(PyObject *op, PyObject *key, PyObject *value)
{
    if (!PyDict_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return _PyDict_SetItem_Take2(op, Py_NewRef(key), Py_NewRef(value));
}

int
_PyDict_SetItem_KnownHash(PyObject *op, PyObject *key, PyObject *value,
                          Py_hash_t hash)
{
    if (!PyDict_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return setitem_take2_knownhash((PyDictObject *)op, Py_NewRef(key),
                                   Py_NewRef(value), hash);
}

/* ================================================================ delete */

/* Removes entry ix found at index slot for `hash` (lock held); hands the
   key and value references to the caller. */
static void
delitem_common(PyDictObject *mp, Py_hash_t hash, Py_ssize_t ix,
               PyObject **pkey, PyObject **pvalue)
{
    PyDictKeysObject *dk = mp->ma_keys;
    Py_ssize_t slot = lookup_index_slot(dk, hash, ix);
    dictkeys_set_index(dk, slot, DKIX_DUMMY);
    PyDictKeyEntry *ep = &DK_ENTRIES(dk)[ix];
    *pkey = ep->me_key;
    *pvalue = ep->me_value;
    _Py_atomic_store_ptr_release(&ep->me_key, NULL);
    _Py_atomic_store_ptr_release(&ep->me_value, NULL);
    _Py_atomic_store_ssize_relaxed(&mp->ma_used, mp->ma_used - 1);
    bump_version(mp);
}

/* 1 deleted (old key/value handed over), 0 missing, -1 error. */
static int
delitem_knownhash_locked(PyDictObject *mp, PyObject *key, Py_hash_t hash,
                         PyObject **pkey, PyObject **pvalue)
{
    PyObject *old_value;
    Py_ssize_t ix = lookup_locked(mp, key, hash, &old_value);
    if (ix == DKIX_ERROR) {
        return -1;
    }
    if (ix == DKIX_EMPTY || old_value == NULL) {
        return 0;
    }
    delitem_common(mp, hash, ix, pkey, pvalue);
    return 1;
}

int
_PyDict_DelItem_KnownHash(PyObject *op, PyObject *key, Py_hash_t hash)
{
    if (!PyDict_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    PyDictObject *mp = (PyDictObject *)op;
    PyObject *okey = NULL, *ovalue = NULL;
    int r;
    ensure_shared_on_access(mp);
    Py_BEGIN_CRITICAL_SECTION(mp);
    r = delitem_knownhash_locked(mp, key, hash, &okey, &ovalue);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(okey);
    Py_XDECREF(ovalue);
    if (r == 0) {
        _PyErr_SetKeyError(key);
        return -1;
    }
    return r < 0 ? -1 : 0;
}

int
PyDict_DelItem(PyObject *op, PyObject *key)
{
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        return -1;
    }
    return _PyDict_DelItem_KnownHash(op, key, hash);
}

int
_PyDict_SetItemGetOld(PyObject *op, PyObject *key, PyObject *value,
                      PyObject **old)
{
    PyDictObject *mp = (PyDictObject *)op;
    *old = NULL;
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        return -1;
    }
    int r;
    ensure_shared_on_access(mp);
    if (value != NULL) {
        Py_INCREF(key);
        Py_INCREF(value);
        Py_BEGIN_CRITICAL_SECTION(mp);
        r = insertdict(mp, key, hash, value, old);
        Py_END_CRITICAL_SECTION();
        return r;
    }
    PyObject *okey = NULL;
    Py_BEGIN_CRITICAL_SECTION(mp);
    r = delitem_knownhash_locked(mp, key, hash, &okey, old);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(okey);
    if (r == 0) {
        _PyErr_SetKeyError(key);
        return -1;
    }
    return r < 0 ? -1 : 0;
}

/* ================================================================ create */

static PyObject *
new_dict(PyTypeObject *type)
{
    PyDictObject *mp = (PyDictObject *)_PyObject_GC_New(type);
    if (mp == NULL) {
        return NULL;
    }
    mp->ma_used = 0;
    mp->ma_keys = Py_EMPTY_KEYS;
    mp->ma_values = NULL;
    mp->ma_version_tag = next_dict_version();
    PyObject_GC_Track(mp);
    return (PyObject *)mp;
}

PyObject *
PyDict_New(void)
{
    return new_dict(&PyDict_Type);
}

PyObject *
_PyDict_NewPresized(Py_ssize_t minused)
{
    PyObject *d = PyDict_New();
    if (d == NULL || minused <= 5) {
        return d;
    }
    if (minused > USABLE_FRACTION((Py_ssize_t)1 << 30)) {
        minused = USABLE_FRACTION((Py_ssize_t)1 << 30);
    }
    PyDictKeysObject *dk = new_keys_object(estimate_log2_keysize(minused));
    if (dk == NULL) {
        Py_DECREF(d);
        return NULL;
    }
    ((PyDictObject *)d)->ma_keys = dk;
    return d;
}

PyObject *
_PyDict_FromItems(PyObject *const *keys, Py_ssize_t keys_offset,
                  PyObject *const *values, Py_ssize_t values_offset,
                  Py_ssize_t length)
{
    PyObject *dict = _PyDict_NewPresized(length);
    if (dict == NULL) {
        return NULL;
    }
    for (Py_ssize_t i = 0; i < length; i++) {
        if (PyDict_SetItem(dict, keys[i * keys_offset],
                           values[i * values_offset]) < 0) {
            Py_DECREF(dict);
            return NULL;
        }
    }
    return dict;
}

/* ================================================================ get */

int
_PyDict_GetItemRef_KnownHash(PyObject *op, PyObject *key, Py_hash_t hash,
                             PyObject **result)
{
    Py_ssize_t ix = dict_lookup_ref((PyDictObject *)op, key, hash, result);
    if (ix == DKIX_ERROR) {
        *result = NULL;
        return -1;
    }
    return *result != NULL;
}

int
PyDict_GetItemRef(PyObject *op, PyObject *key, PyObject **result)
{
    if (!PyDict_Check(op)) {
        PyErr_BadInternalCall();
        *result = NULL;
        return -1;
    }
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        *result = NULL;
        return -1;
    }
    return _PyDict_GetItemRef_KnownHash(op, key, hash, result);
}

int
_PyDict_GetItemRef_Str(PyObject *op, PyObject *key, PyObject **result)
{
    Py_hash_t hash = _Py_atomic_load_ssize_relaxed(
        &((PyASCIIObject *)key)->hash);
    if (hash == -1) {
        hash = PyObject_Hash(key);
        if (hash == -1) {
            *result = NULL;
            return -1;
        }
    }
    return _PyDict_GetItemRef_KnownHash(op, key, hash, result);
}

/* Borrowed variants: the value stays alive as long as the dict holds it,
   which the caller must ensure (own the dict or hold its lock). */
PyObject *
_PyDict_GetItem_KnownHash(PyObject *op, PyObject *key, Py_hash_t hash)
{
    PyObject *value;
    if (_PyDict_GetItemRef_KnownHash(op, key, hash, &value) <= 0) {
        return NULL;
    }
    Py_DECREF(value);
    return value;
}

PyObject *
PyDict_GetItemWithError(PyObject *op, PyObject *key)
{
    PyObject *value;
    if (PyDict_GetItemRef(op, key, &value) <= 0) {
        return NULL;
    }
    Py_DECREF(value);
    return value;
}

PyObject *
PyDict_GetItem(PyObject *op, PyObject *key)
{
    if (!PyDict_Check(op)) {
        return NULL;
    }
    PyObject *exc = PyErr_GetRaisedException();
    PyObject *value = PyDict_GetItemWithError(op, key);
    PyErr_Clear();
    PyErr_SetRaisedException(exc);
    return value;
}

PyObject *
_PyDict_GetItemStringWithError(PyObject *op, const char *key)
{
    PyObject *kv = PyUnicode_FromString(key);
    if (kv == NULL) {
        return NULL;
    }
    PyObject *rv = PyDict_GetItemWithError(op, kv);
    Py_DECREF(kv);
    return rv;
}

PyObject *
PyDict_GetItemString(PyObject *op, const char *key)
{
    PyObject *kv = PyUnicode_FromString(key);
    if (kv == NULL) {
        PyErr_Clear();
        return NULL;
    }
    PyObject *rv = PyDict_GetItem(op, kv);
    Py_DECREF(kv);
    return rv;
}

int
PyDict_GetItemStringRef(PyObject *op, const char *key, PyObject **result)
{
    PyObject *kv = PyUnicode_FromString(key);
    if (kv == NULL) {
        *result = NULL;
        return -1;
    }
    int r = PyDict_GetItemRef(op, kv, result);
    Py_DECREF(kv);
    return r;
}

int
PyDict_SetItemString(PyObject *op, const char *key, PyObject *value)
{
    PyObject *kv = PyUnicode_FromString(key);
    if (kv == NULL) {
        return -1;
    }
    PyUnicode_InternInPlace(&kv);
    int r = PyDict_SetItem(op, kv, value);
    Py_DECREF(kv);
    return r;
}

int
PyDict_DelItemString(PyObject *op, const char *key)
{
    PyObject *kv = PyUnicode_FromString(key);
    if (kv == NULL) {
        return -1;
    }
    int r = PyDict_DelItem(op, kv);
    Py_DECREF(kv);
    return r;
}

int
_PyDict_Contains_KnownHash(PyObject *op, PyObject *key, Py_hash_t hash)
{
    PyObject *value;
    int r = _PyDict_GetItemRef_KnownHash(op, key, hash, &value);
    Py_XDECREF(value);
    return r;
}

int
PyDict_Contains(PyObject *op, PyObject *key)
{
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        return -1;
    }
    return _PyDict_Contains_KnownHash(op, key, hash);
}

Py_ssize_t
PyDict_Size(PyObject *op)
{
    if (op == NULL || !PyDict_Check(op)) {
        PyErr_BadInternalCall();
        return -1;
    }
    return PyDict_GET_SIZE(op);
}

/* ================================================================ clear */

/* Empties the dict (lock held); the old keys object is returned for the
   caller to release (its references) after the section. */
static PyDictKeysObject *
clear_locked(PyDictObject *mp)
{
    PyDictKeysObject *oldkeys = mp->ma_keys;
    if (oldkeys == Py_EMPTY_KEYS) {
        return NULL;
    }
    _Py_atomic_store_ptr_release(&mp->ma_keys, Py_EMPTY_KEYS);
    _Py_atomic_store_ssize_relaxed(&mp->ma_used, 0);
    bump_version(mp);
    return oldkeys;
}

static void
release_keys(PyDictKeysObject *keys, int shared)
{
    if (keys == NULL) {
        return;
    }
    PyDictKeyEntry *ep = DK_ENTRIES(keys);
    Py_ssize_t n = keys->dk_nentries;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (ep[i].me_value != NULL) {
            Py_DECREF(ep[i].me_value);
            Py_DECREF(ep[i].me_key);
        }
    }
    free_keys_object(keys, shared);
}

void
PyDict_Clear(PyObject *op)
{
    if (!PyDict_Check(op)) {
        return;
    }
    PyDictObject *mp = (PyDictObject *)op;
    PyDictKeysObject *old;
    ensure_shared_on_access(mp);
    Py_BEGIN_CRITICAL_SECTION(mp);
    old = clear_locked(mp);
    Py_END_CRITICAL_SECTION();
    release_keys(old, IS_DICT_SHARED(mp));
}

/* ================================================================ next */

/* Iteration by position over the current table.  Not safe against
   concurrent mutation: callers lock the dict or own it. */
int
_PyDict_Next(PyObject *op, Py_ssize_t *ppos, PyObject **pkey,
             PyObject **pvalue, Py_hash_t *phash)
{
    if (!PyDict_Check(op)) {
        return 0;
    }
    PyDictObject *mp = (PyDictObject *)op;
    PyDictKeysObject *dk = _Py_atomic_load_ptr_acquire(&mp->ma_keys);
    Py_ssize_t i = *ppos;
    Py_ssize_t n = dk->dk_nentries;
    PyDictKeyEntry *ep = DK_ENTRIES(dk);
    if (i < 0) {
        return 0;
    }
    while (i < n && ep[i].me_value == NULL) {
        i++;
    }
    if (i >= n) {
        return 0;
    }
    *ppos = i + 1;
    if (pkey) {
        *pkey = ep[i].me_key;
    }
    if (pvalue) {
        *pvalue = ep[i].me_value;
    }
    if (phash) {
        *phash = ep[i].me_hash;
    }
    return 1;
}

int
PyDict_Next(PyObject *op, Py_ssize_t *ppos, PyObject **pkey,
            PyObject **pvalue)
{
    return _PyDict_Next(op, ppos, pkey, pvalue, NULL);
}

/* A snapshot of the items as three arrays (new references), taken under
   the lock; the arrays come from PyMem_Malloc. */
typedef struct {
    Py_ssize_t n;
    PyObject **keys;
    PyObject **values;
    Py_hash_t *hashes;
} dict_snapshot;

static int
snapshot_dict(PyDictObject *mp, dict_snapshot *s)
{
    s->n = 0;
    s->keys = s->values = NULL;
    s->hashes = NULL;
    int err = 0;
    Py_BEGIN_CRITICAL_SECTION(mp);
    Py_ssize_t used = mp->ma_used;
    if (used > 0) {
        s->keys = PyMem_Malloc((size_t)used * sizeof(PyObject *));
        s->values = PyMem_Malloc((size_t)used * sizeof(PyObject *));
        s->hashes = PyMem_Malloc((size_t)used * sizeof(Py_hash_t));
        if (s->keys == NULL || s->values == NULL || s->hashes == NULL) {
            err = 1;
        }
        else {
            PyDictKeysObject *dk = mp->ma_keys;
            PyDictKeyEntry *ep = DK_ENTRIES(dk);
            for (Py_ssize_t i = 0; i < dk->dk_nentries; i++) {
                if (ep[i].me_value != NULL) {
                    s->keys[s->n] = Py_NewRef(ep[i].me_key);
                    s->values[s->n] = Py_NewRef(ep[i].me_value);
                    s->hashes[s->n] = ep[i].me_hash;
                    s->n++;
                }
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    if (err) {
        PyMem_Free(s->keys);
        PyMem_Free(s->values);
        PyMem_Free(s->hashes);
        s->keys = s->values = NULL;
        s->hashes = NULL;
        PyErr_NoMemory();
        return -1;
    }
    return 0;
}

static void
snapshot_free(dict_snapshot *s)
{
    for (Py_ssize_t i = 0; i < s->n; i++) {
        Py_DECREF(s->keys[i]);
        Py_DECREF(s->values[i]);
    }
    PyMem_Free(s->keys);
    PyMem_Free(s->values);
    PyMem_Free(s->hashes);
}

/* keys()/values()/items() as lists (which=0/1/2). */
static PyObject *
dict_to_list(PyObject *op, int which)
{
    if (!PyDict_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    dict_snapshot s;
    if (snapshot_dict((PyDictObject *)op, &s) < 0) {
        return NULL;
    }
    PyObject *list = PyList_New(s.n);
    if (list == NULL) {
        snapshot_free(&s);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < s.n; i++) {
        PyObject *item;
        if (which == 0) {
            item = Py_NewRef(s.keys[i]);
        }
        else if (which == 1) {
            item = Py_NewRef(s.values[i]);
        }
        else {
            item = PyTuple_Pack(2, s.keys[i], s.values[i]);
            if (item == NULL) {
                Py_DECREF(list);
                snapshot_free(&s);
                return NULL;
            }
        }
        PyList_SET_ITEM(list, i, item);
    }
    snapshot_free(&s);
    return list;
}

PyObject *
PyDict_Keys(PyObject *op)
{
    return dict_to_list(op, 0);
}

PyObject *
PyDict_Values(PyObject *op)
{
    return dict_to_list(op, 1);
}

PyObject *
PyDict_Items(PyObject *op)
{
    return dict_to_list(op, 2);
}

/* ================================================================ copy/merge */

PyObject *
PyDict_Copy(PyObject *op)
{
    if (op == NULL || !PyDict_Check(op)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    dict_snapshot s;
    if (snapshot_dict((PyDictObject *)op, &s) < 0) {
        return NULL;
    }
    PyObject *copy = _PyDict_NewPresized(s.n);
    if (copy == NULL) {
        snapshot_free(&s);
        return NULL;
    }
    for (Py_ssize_t i = 0; i < s.n; i++) {
        if (setitem_take2_knownhash((PyDictObject *)copy,
                                    Py_NewRef(s.keys[i]),
                                    Py_NewRef(s.values[i]),
                                    s.hashes[i]) < 0) {
            Py_DECREF(copy);
            snapshot_free(&s);
            return NULL;
        }
    }
    snapshot_free(&s);
    return copy;
}

/* a.update(b) where b is a dict or mapping with keys(); override: 1
   replaces, 0 keeps existing, 2 raises KeyError on a duplicate. */
int
_PyDict_MergeEx(PyObject *a, PyObject *b, int override)
{
    if (a == NULL || !PyDict_Check(a) || b == NULL) {
        PyErr_BadInternalCall();
        return -1;
    }
    PyDictObject *mp = (PyDictObject *)a;
    if (PyDict_Check(b) &&
        Py_TYPE(b)->tp_iter == PyDict_Type.tp_iter) {
        dict_snapshot s;
        if (snapshot_dict((PyDictObject *)b, &s) < 0) {
            return -1;
        }
        int err = 0;
        for (Py_ssize_t i = 0; i < s.n && !err; i++) {
            if (override != 1) {
                int has = _PyDict_Contains_KnownHash(a, s.keys[i],
                                                     s.hashes[i]);
                if (has < 0) {
                    err = 1;
                    break;
                }
                if (has) {
                    if (override == 2) {
                        _PyErr_SetKeyError(s.keys[i]);
                        err = 1;
                    }
                    continue;
                }
            }
            if (setitem_take2_knownhash(mp, Py_NewRef(s.keys[i]),
                                        Py_NewRef(s.values[i]),
                                        s.hashes[i]) < 0) {
                err = 1;
            }
        }
        snapshot_free(&s);
        return err ? -1 : 0;
    }
    /* A generic mapping: keys() then b[key]. */
    PyObject *keys = PyMapping_Keys(b);
    if (keys == NULL) {
        return -1;
    }
    PyObject *iter = PyObject_GetIter(keys);
    Py_DECREF(keys);
    if (iter == NULL) {
        return -1;
    }
    PyObject *key;
    while ((key = PyIter_Next(iter)) != NULL) {
        if (override != 1) {
            int has = PyDict_Contains(a, key);
            if (has != 0) {
                if (has > 0 && override == 2) {
                    _PyErr_SetKeyError(key);
                    has = -1;
                }
                Py_DECREF(key);
                if (has < 0) {
                    Py_DECREF(iter);
                    return -1;
                }
                continue;
            }
        }
        PyObject *value = PyObject_GetItem(b, key);
        if (value == NULL) {
            Py_DECREF(iter);
            Py_DECREF(key);
            return -1;
        }
        int status = PyDict_SetItem(a, key, value);
        Py_DECREF(key);
        Py_DECREF(value);
        if (status < 0) {
            Py_DECREF(iter);
            return -1;
        }
    }
    Py_DECREF(iter);
    return PyErr_Occurred() ? -1 : 0;
}

int
PyDict_Merge(PyObject *a, PyObject *b, int override)
{
    return _PyDict_MergeEx(a, b, override != 0);
}

int
PyDict_Update(PyObject *a, PyObject *b)
{
    return _PyDict_MergeEx(a, b, 1);
}

/* dict.update(seq) where seq yields pairs. */
int
PyDict_MergeFromSeq2(PyObject *d, PyObject *seq2, int override)
{
    PyObject *it = PyObject_GetIter(seq2);
    if (it == NULL) {
        return -1;
    }
    Py_ssize_t i;
    PyObject *item;
    for (i = 0; ; i++) {
        item = PyIter_Next(it);
        if (item == NULL) {
            if (PyErr_Occurred()) {
                goto fail;
            }
            break;
        }
        PyObject *fast = PySequence_Fast(item, "");
        if (fast == NULL) {
            if (PyErr_ExceptionMatches(PyExc_TypeError)) {
                PyErr_Format(PyExc_TypeError,
                             "cannot convert dictionary update "
                             "sequence element #%zd to a sequence", i);
            }
            Py_DECREF(item);
            goto fail;
        }
        Py_ssize_t n = PySequence_Fast_GET_SIZE(fast);
        if (n != 2) {
            PyErr_Format(PyExc_ValueError,
                         "dictionary update sequence element #%zd "
                         "has length %zd; 2 is required", i, n);
            Py_DECREF(fast);
            Py_DECREF(item);
            goto fail;
        }
        PyObject *key = Py_NewRef(PySequence_Fast_GET_ITEM(fast, 0));
        PyObject *value = Py_NewRef(PySequence_Fast_GET_ITEM(fast, 1));
        Py_DECREF(fast);
        Py_DECREF(item);
        int status = 0;
        if (override) {
            status = PyDict_SetItem(d, key, value);
        }
        else {
            int has = PyDict_Contains(d, key);
            if (has < 0) {
                status = -1;
            }
            else if (!has) {
                status = PyDict_SetItem(d, key, value);
            }
        }
        Py_DECREF(key);
        Py_DECREF(value);
        if (status < 0) {
            goto fail;
        }
    }
    Py_DECREF(it);
    return 0;
fail:
    Py_DECREF(it);
    return -1;
}

/* ================================================================ setdefault/pop */

int
PyDict_SetDefaultRef(PyObject *op, PyObject *key, PyObject *default_value,
                     PyObject **result)
{
    if (!PyDict_Check(op)) {
        PyErr_BadInternalCall();
        if (result) {
            *result = NULL;
        }
        return -1;
    }
    PyDictObject *mp = (PyDictObject *)op;
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        if (result) {
            *result = NULL;
        }
        return -1;
    }
    int r;
    PyObject *value = NULL;
    ensure_shared_on_access(mp);
    Py_BEGIN_CRITICAL_SECTION(mp);
    Py_ssize_t ix = lookup_locked(mp, key, hash, &value);
    if (ix == DKIX_ERROR) {
        r = -1;
        value = NULL;
    }
    else if (value != NULL) {
        r = 1;
        Py_INCREF(value);
    }
    else {
        PyObject *old;
        r = insertdict(mp, Py_NewRef(key), hash, Py_NewRef(default_value),
                       &old);
        /* lookup_locked found nothing, so nothing was replaced. */
        Py_XDECREF(old);
        if (r == 0) {
            value = Py_NewRef(default_value);
        }
    }
    Py_END_CRITICAL_SECTION();
    if (result) {
        *result = value;
    }
    else {
        Py_XDECREF(value);
    }
    return r;
}

PyObject *
PyDict_SetDefault(PyObject *op, PyObject *key, PyObject *defaultobj)
{
    PyObject *value;
    if (PyDict_SetDefaultRef(op, key, defaultobj, &value) < 0) {
        return NULL;
    }
    Py_DECREF(value);     /* borrowed: the dict holds it */
    return value;
}

int
PyDict_Pop(PyObject *op, PyObject *key, PyObject **result)
{
    if (!PyDict_Check(op)) {
        PyErr_BadInternalCall();
        if (result) {
            *result = NULL;
        }
        return -1;
    }
    PyDictObject *mp = (PyDictObject *)op;
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        if (result) {
            *result = NULL;
        }
        return -1;
    }
    PyObject *okey = NULL, *ovalue = NULL;
    int r;
    ensure_shared_on_access(mp);
    Py_BEGIN_CRITICAL_SECTION(mp);
    r = delitem_knownhash_locked(mp, key, hash, &okey, &ovalue);
    Py_END_CRITICAL_SECTION();
    Py_XDECREF(okey);
    if (result) {
        *result = ovalue;
    }
    else {
        Py_XDECREF(ovalue);
    }
    return r;
}

int
PyDict_PopString(PyObject *op, const char *key, PyObject **result)
{
    PyObject *kv = PyUnicode_FromString(key);
    if (kv == NULL) {
        if (result) {
            *result = NULL;
        }
        return -1;
    }
    int r = PyDict_Pop(op, kv, result);
    Py_DECREF(kv);
    return r;
}

PyObject *
_PyDict_Pop(PyObject *op, PyObject *key, PyObject *deflt)
{
    PyObject *value;
    int r = PyDict_Pop(op, key, &value);
    if (r < 0) {
        return NULL;
    }
    if (r == 0) {
        if (deflt != NULL) {
            return Py_NewRef(deflt);
        }
        _PyErr_SetKeyError(key);
        return NULL;
    }
    return value;
}

/* ================================================================ dict type */

static void
dict_dealloc(PyObject *self)
{
    PyDictObject *mp = (PyDictObject *)self;
    PyObject_GC_UnTrack(self);
    PyDictKeysObject *keys = mp->ma_keys;
    mp->ma_keys = Py_EMPTY_KEYS;
    /* Nobody else holds a reference, but a lock-free reader that loaded
       ma_keys before we dropped the last reference cannot exist (it would
       hold a reference to the dict).  Shared tables still go through
       QSBR in case a reader raced with the final decref. */
    release_keys(keys, IS_DICT_SHARED(mp));
    Py_TYPE(self)->tp_free(self);
}

static int
dict_traverse(PyObject *self, visitproc visit, void *arg)
{
    PyDictObject *mp = (PyDictObject *)self;
    PyDictKeysObject *dk = mp->ma_keys;
    PyDictKeyEntry *ep = DK_ENTRIES(dk);
    for (Py_ssize_t i = 0; i < dk->dk_nentries; i++) {
        if (ep[i].me_value != NULL) {
            Py_VISIT(ep[i].me_value);
            Py_VISIT(ep[i].me_key);
        }
    }
    return 0;
}

static int
dict_tp_clear(PyObject *self)
{
    PyDict_Clear(self);
    return 0;
}

/* {k: v, ...} with "{...}" for a dict inside itself. */
static PyObject *
dict_repr(PyObject *self)
{
    PyDictObject *mp = (PyDictObject *)self;
    int i = Py_ReprEnter(self);
    if (i != 0) {
        return i > 0 ? PyUnicode_FromString("{...}") : NULL;
    }
    if (PyDict_GET_SIZE(self) == 0) {
        Py_ReprLeave(self);
        return PyUnicode_FromString("{}");
    }
    dict_snapshot s;
    if (snapshot_dict(mp, &s) < 0) {
        Py_ReprLeave(self);
        return NULL;
    }
    _PyUnicodeWriter writer;
    _PyUnicodeWriter_Init(&writer);
    writer.overallocate = 1;
    if (_PyUnicodeWriter_WriteChar(&writer, '{') < 0) {
        goto error;
    }
    for (Py_ssize_t k = 0; k < s.n; k++) {
        if (k > 0 && _PyUnicodeWriter_WriteASCIIString(&writer, ", ", 2) < 0) {
            goto error;
        }
        PyObject *r = PyObject_Repr(s.keys[k]);
        if (r == NULL) {
            goto error;
        }
        int err = _PyUnicodeWriter_WriteStr(&writer, r);
        Py_DECREF(r);
        if (err < 0 ||
            _PyUnicodeWriter_WriteASCIIString(&writer, ": ", 2) < 0) {
            goto error;
        }
        r = PyObject_Repr(s.values[k]);
        if (r == NULL) {
            goto error;
        }
        err = _PyUnicodeWriter_WriteStr(&writer, r);
        Py_DECREF(r);
        if (err < 0) {
            goto error;
        }
    }
    if (_PyUnicodeWriter_WriteChar(&writer, '}') < 0) {
        goto error;
    }
    snapshot_free(&s);
    Py_ReprLeave(self);
    return _PyUnicodeWriter_Finish(&writer);
error:
    snapshot_free(&s);
    Py_ReprLeave(self);
    _PyUnicodeWriter_Dealloc(&writer);
    return NULL;
}

static Py_ssize_t
dict_length(PyObject *self)
{
    return PyDict_GET_SIZE(self);
}

/* d[key]; subclasses may define __missing__. */
static PyObject *
dict_subscript(PyObject *self, PyObject *key)
{
    Py_hash_t hash = key_hash(key);
    if (hash == -1) {
        return NULL;
    }
    PyObject *value;
    Py_ssize_t ix = dict_lookup_ref((PyDictObject *)self, key, hash, &value);
    if (ix == DKIX_ERROR) {
        return NULL;
    }
    if (value != NULL) {
        return value;
    }
    if (!PyDict_CheckExact(self)) {
        PyObject *missing = _PyObject_LookupSpecial(self,
                                                    _Py_ID(__missing__));
        if (missing != NULL) {
            PyObject *res = PyObject_CallOneArg(missing, key);
            Py_DECREF(missing);
            return res;
        }
        if (PyErr_Occurred()) {
            return NULL;
        }
    }
    _PyErr_SetKeyError(key);
    return NULL;
}

static int
dict_ass_sub(PyObject *self, PyObject *key, PyObject *value)
{
    if (value == NULL) {
        return PyDict_DelItem(self, key);
    }
    return PyDict_SetItem(self, key, value);
}

static int
dict_contains(PyObject *self, PyObject *key)
{
    return PyDict_Contains(self, key);
}

/* d == other: same keys, equal values (the other dict is looked up by
   each key; values are compared with references held). */
static int
dict_equal(PyDictObject *a, PyDictObject *b)
{
    if (PyDict_GET_SIZE(a) != PyDict_GET_SIZE(b)) {
        return 0;
    }
    dict_snapshot s;
    if (snapshot_dict(a, &s) < 0) {
        return -1;
    }
    if (s.n != PyDict_GET_SIZE(b)) {
        snapshot_free(&s);
        return 0;
    }
    int result = 1;
    for (Py_ssize_t i = 0; i < s.n; i++) {
        PyObject *bval;
        int r = _PyDict_GetItemRef_KnownHash((PyObject *)b, s.keys[i],
                                             s.hashes[i], &bval);
        if (r < 0) {
            result = -1;
            break;
        }
        if (r == 0) {
            result = 0;
            break;
        }
        int cmp = PyObject_RichCompareBool(s.values[i], bval, Py_EQ);
        Py_DECREF(bval);
        if (cmp <= 0) {
            result = cmp;
            break;
        }
    }
    snapshot_free(&s);
    return result;
}

static PyObject *
dict_richcompare(PyObject *v, PyObject *w, int op)
{
    if (!PyDict_Check(v) || !PyDict_Check(w) || (op != Py_EQ && op != Py_NE)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    int cmp = dict_equal((PyDictObject *)v, (PyDictObject *)w);
    if (cmp < 0) {
        return NULL;
    }
    return PyBool_FromLong((op == Py_EQ) == (cmp > 0));
}

/* dict.update() / dict() argument: a dict, a mapping with keys(), or an
   iterable of pairs. */
static int
dict_update_arg(PyObject *self, PyObject *arg)
{
    if (PyDict_CheckExact(arg)) {
        return PyDict_Merge(self, arg, 1);
    }
    PyObject *func;
    if (_PyObject_LookupAttr(arg, _Py_ID(keys), &func) < 0) {
        return -1;
    }
    if (func != NULL) {
        Py_DECREF(func);
        return PyDict_Merge(self, arg, 1);
    }
    return PyDict_MergeFromSeq2(self, arg, 1);
}

static int
dict_update_common(PyObject *self, PyObject *args, PyObject *kwds,
                   const char *methname)
{
    PyObject *arg = NULL;
    int result = 0;
    if (!PyArg_UnpackTuple(args, methname, 0, 1, &arg)) {
        result = -1;
    }
    else if (arg != NULL) {
        result = dict_update_arg(self, arg);
    }
    if (result == 0 && kwds != NULL) {
        if (PyArg_ValidateKeywordArguments(kwds)) {
            result = PyDict_Merge(self, kwds, 1);
        }
        else {
            result = -1;
        }
    }
    return result;
}

static PyObject *
dict_update(PyObject *self, PyObject *args, PyObject *kwds)
{
    if (dict_update_common(self, args, kwds, "update") != -1) {
        Py_RETURN_NONE;
    }
    return NULL;
}

static int
dict_init(PyObject *self, PyObject *args, PyObject *kwds)
{
    return dict_update_common(self, args, kwds, "dict");
}

static PyObject *
dict_new(PyTypeObject *type, PyObject *args, PyObject *kwds)
{
    PyObject *self = type->tp_alloc(type, 0);
    if (self == NULL) {
        return NULL;
    }
    PyDictObject *mp = (PyDictObject *)self;
    mp->ma_used = 0;
    mp->ma_keys = Py_EMPTY_KEYS;
    mp->ma_values = NULL;
    mp->ma_version_tag = next_dict_version();
    return self;
}

static PyObject *
dict_vectorcall(PyObject *type, PyObject *const *args, size_t nargsf,
                PyObject *kwnames)
{
    Py_ssize_t nargs = PyVectorcall_NARGS(nargsf);
    if (nargs > 1) {
        PyErr_Format(PyExc_TypeError,
                     "dict expected at most 1 argument, got %zd", nargs);
        return NULL;
    }
    PyObject *self = dict_new((PyTypeObject *)type, NULL, NULL);
    if (self == NULL) {
        return NULL;
    }
    if (nargs == 1 && dict_update_arg(self, args[0]) < 0) {
        Py_DECREF(self);
        return NULL;
    }
    if (kwnames != NULL) {
        for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(kwnames); i++) {
            if (PyDict_SetItem(self, PyTuple_GET_ITEM(kwnames, i),
                               args[nargs + i]) < 0) {
                Py_DECREF(self);
                return NULL;
            }
        }
    }
    return self;
}

static PyObject *
dict_get(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("get", nargs, 1, 2)) {
        return NULL;
    }
    PyObject *deflt = nargs == 2 ? args[1] : Py_None;
    PyObject *value;
    int r = PyDict_GetItemRef(self, args[0], &value);
    if (r < 0) {
        return NULL;
    }
    if (r == 0) {
        return Py_NewRef(deflt);
    }
    return value;
}

static PyObject *
dict_setdefault(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("setdefault", nargs, 1, 2)) {
        return NULL;
    }
    PyObject *value;
    if (PyDict_SetDefaultRef(self, args[0], nargs == 2 ? args[1] : Py_None,
                             &value) < 0) {
        return NULL;
    }
    return value;
}

static PyObject *
dict_pop(PyObject *self, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("pop", nargs, 1, 2)) {
        return NULL;
    }
    return _PyDict_Pop(self, args[0], nargs == 2 ? args[1] : NULL);
}

/* Removes the last item (LIFO). */
static PyObject *
dict_popitem(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyDictObject *mp = (PyDictObject *)self;
    PyObject *res = PyTuple_New(2);
    if (res == NULL) {
        return NULL;
    }
    PyObject *key = NULL, *value = NULL;
    int empty = 0;
    ensure_shared_on_access(mp);
    Py_BEGIN_CRITICAL_SECTION(mp);
    if (mp->ma_used == 0) {
        empty = 1;
    }
    else {
        PyDictKeysObject *dk = mp->ma_keys;
        PyDictKeyEntry *ep0 = DK_ENTRIES(dk);
        Py_ssize_t i = dk->dk_nentries - 1;
        while (i >= 0 && ep0[i].me_value == NULL) {
            i--;
        }
        delitem_common(mp, ep0[i].me_hash, i, &key, &value);
        /* The trailing deleted entries can be reused. */
        dk->dk_nentries = i;
        dk->dk_usable++;
    }
    Py_END_CRITICAL_SECTION();
    if (empty) {
        Py_DECREF(res);
        PyErr_SetString(PyExc_KeyError, "popitem(): dictionary is empty");
        return NULL;
    }
    PyTuple_SET_ITEM(res, 0, key);
    PyTuple_SET_ITEM(res, 1, value);
    return res;
}

static PyObject *
dict_clear_method(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyDict_Clear(self);
    Py_RETURN_NONE;
}

static PyObject *
dict_copy_method(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return PyDict_Copy(self);
}

static PyObject *
dict_sizeof(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    PyDictObject *mp = (PyDictObject *)self;
    Py_ssize_t res = (Py_ssize_t)sizeof(PyDictObject);
    PyDictKeysObject *dk = _Py_atomic_load_ptr_acquire(&mp->ma_keys);
    if (dk != Py_EMPTY_KEYS) {
        res += (Py_ssize_t)dk->dk_alloc_size;
    }
    return PyLong_FromSsize_t(res);
}

static PyObject *
dict_contains_method(PyObject *self, PyObject *key)
{
    int r = PyDict_Contains(self, key);
    if (r < 0) {
        return NULL;
    }
    return PyBool_FromLong(r);
}

/* dict.fromkeys(iterable, value=None) */
static PyObject *
dict_fromkeys(PyObject *cls, PyObject *const *args, Py_ssize_t nargs)
{
    if (!_PyArg_CheckPositional("fromkeys", nargs, 1, 2)) {
        return NULL;
    }
    PyObject *iterable = args[0];
    PyObject *value = nargs == 2 ? args[1] : Py_None;
    PyObject *d = PyObject_CallNoArgs(cls);
    if (d == NULL) {
        return NULL;
    }
    int exact = PyDict_CheckExact(d);
    PyObject *it = PyObject_GetIter(iterable);
    if (it == NULL) {
        Py_DECREF(d);
        return NULL;
    }
    PyObject *key;
    while ((key = PyIter_Next(it)) != NULL) {
        int status = exact ? PyDict_SetItem(d, key, value)
                           : PyObject_SetItem(d, key, value);
        Py_DECREF(key);
        if (status < 0) {
            Py_DECREF(it);
            Py_DECREF(d);
            return NULL;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        Py_DECREF(d);
        return NULL;
    }
    return d;
}

static PyObject *
dict_or(PyObject *self, PyObject *other)
{
    if (!PyDict_Check(self) || !PyDict_Check(other)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    PyObject *new = PyDict_Copy(self);
    if (new == NULL) {
        return NULL;
    }
    if (dict_update_arg(new, other) < 0) {
        Py_DECREF(new);
        return NULL;
    }
    return new;
}

static PyObject *
dict_ior(PyObject *self, PyObject *other)
{
    if (dict_update_arg(self, other) < 0) {
        return NULL;
    }
    return Py_NewRef(self);
}

static PyObject *dictiter_new(PyDictObject *dict, PyTypeObject *itertype);
static PyObject *dictview_new(PyObject *dict, PyTypeObject *type);

static PyObject *
dict_iter(PyObject *self)
{
    return dictiter_new((PyDictObject *)self, &PyDictIterKey_Type);
}

static PyObject *
dict_reversed(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return dictiter_new((PyDictObject *)self, &PyDictRevIterKey_Type);
}

static PyObject *
dict_keys_method(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return dictview_new(self, &PyDictKeys_Type);
}

static PyObject *
dict_values_method(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return dictview_new(self, &PyDictValues_Type);
}

static PyObject *
dict_items_method(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return dictview_new(self, &PyDictItems_Type);
}

static PyMethodDef dict_methods[] = {
    {"__contains__", dict_contains_method, METH_O | METH_COEXIST,
     "True if the dictionary has the specified key, else False."},
    {"__getitem__", dict_subscript, METH_O | METH_COEXIST,
     "x.__getitem__(y) <==> x[y]"},
    {"__sizeof__", dict_sizeof, METH_NOARGS,
     "D.__sizeof__() -> size of D in memory, in bytes"},
    {"get", _PyCFunction_CAST(dict_get), METH_FASTCALL,
     "Return the value for key if key is in the dictionary, else "
     "default."},
    {"setdefault", _PyCFunction_CAST(dict_setdefault), METH_FASTCALL,
     "Insert key with a value of default if key is not in the "
     "dictionary.\n\nReturn the value for key if key is in the "
     "dictionary, else default."},
    {"pop", _PyCFunction_CAST(dict_pop), METH_FASTCALL,
     "D.pop(k[,d]) -> v, remove specified key and return the "
     "corresponding value.\n\nIf the key is not found, return the default "
     "if given; otherwise,\nraise a KeyError."},
    {"popitem", dict_popitem, METH_NOARGS,
     "Remove and return a (key, value) pair as a 2-tuple.\n\n"
     "Pairs are returned in LIFO (last-in, first-out) order.\n"
     "Raises KeyError if the dict is empty."},
    {"keys", dict_keys_method, METH_NOARGS,
     "D.keys() -> a set-like object providing a view on D's keys"},
    {"items", dict_items_method, METH_NOARGS,
     "D.items() -> a set-like object providing a view on D's items"},
    {"values", dict_values_method, METH_NOARGS,
     "D.values() -> an object providing a view on D's values"},
    {"update", _PyCFunction_CAST(dict_update), METH_VARARGS | METH_KEYWORDS,
     "D.update([E, ]**F) -> None.  Update D from dict/iterable E and F."},
    {"fromkeys", _PyCFunction_CAST(dict_fromkeys),
     METH_FASTCALL | METH_CLASS,
     "Create a new dictionary with keys from iterable and values set to "
     "value."},
    {"clear", dict_clear_method, METH_NOARGS,
     "D.clear() -> None.  Remove all items from D."},
    {"copy", dict_copy_method, METH_NOARGS,
     "D.copy() -> a shallow copy of D"},
    {"__reversed__", dict_reversed, METH_NOARGS,
     "Return a reverse iterator over the dict keys."},
    {"__class_getitem__", Py_GenericAlias, METH_O | METH_CLASS,
     "See PEP 585"},
    {NULL, NULL, 0, NULL}
};

static PyNumberMethods dict_as_number = {
    .nb_or = dict_or,
    .nb_inplace_or = dict_ior,
};

static PySequenceMethods dict_as_sequence = {
    .sq_contains = dict_contains,
};

static PyMappingMethods dict_as_mapping = {
    .mp_length = dict_length,
    .mp_subscript = dict_subscript,
    .mp_ass_subscript = dict_ass_sub,
};

PyTypeObject PyDict_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "dict",
    .tp_basicsize = sizeof(PyDictObject),
    .tp_dealloc = dict_dealloc,
    .tp_repr = dict_repr,
    .tp_as_number = &dict_as_number,
    .tp_as_sequence = &dict_as_sequence,
    .tp_as_mapping = &dict_as_mapping,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC |
                Py_TPFLAGS_BASETYPE | Py_TPFLAGS_DICT_SUBCLASS |
                _Py_TPFLAGS_MATCH_SELF | Py_TPFLAGS_MAPPING,
    .tp_doc = "dict() -> new empty dictionary\n"
              "dict(mapping) -> new dictionary initialized from a mapping "
              "object's\n    (key, value) pairs\n"
              "dict(iterable) -> new dictionary initialized as if via:\n"
              "    d = {}\n    for k, v in iterable:\n        d[k] = v\n"
              "dict(**kwargs) -> new dictionary initialized with the "
              "name=value pairs\n    in the keyword argument list.  For "
              "example:  dict(one=1, two=2)",
    .tp_traverse = dict_traverse,
    .tp_clear = dict_tp_clear,
    .tp_richcompare = dict_richcompare,
    .tp_iter = dict_iter,
    .tp_methods = dict_methods,
    .tp_init = dict_init,
    .tp_alloc = PyType_GenericAlloc,
    .tp_new = dict_new,
    .tp_free = PyObject_GC_Del,
    .tp_vectorcall = dict_vectorcall,
};

/* ================================================================ iterators */

/* Each next() locks the dict for one step (see the file comment). */
typedef struct {
    PyObject_HEAD
    PyDictObject *di_dict;      /* NULL when exhausted; owned */
    Py_ssize_t di_used;         /* ma_used when created */
    Py_ssize_t di_pos;
    PyObject *di_result;        /* reusable (key, value) tuple, or NULL */
    Py_ssize_t len;             /* items left */
} dictiterobject;

static PyObject *
dictiter_new(PyDictObject *dict, PyTypeObject *itertype)
{
    dictiterobject *di = PyObject_GC_New(dictiterobject, itertype);
    if (di == NULL) {
        return NULL;
    }
    /* Other threads take conditional references to it. */
    _PyObject_SetMaybeWeakref((PyObject *)dict);
    di->di_dict = (PyDictObject *)Py_NewRef((PyObject *)dict);
    di->di_used = PyDict_GET_SIZE(dict);
    di->len = di->di_used;
    if (itertype == &PyDictRevIterKey_Type ||
        itertype == &PyDictRevIterItem_Type ||
        itertype == &PyDictRevIterValue_Type) {
        PyDictKeysObject *dk = _Py_atomic_load_ptr_acquire(&dict->ma_keys);
        di->di_pos = dk->dk_nentries - 1;
    }
    else {
        di->di_pos = 0;
    }
    di->di_result = NULL;
    PyObject_GC_Track(di);
    return (PyObject *)di;
}

static void
dictiter_dealloc(PyObject *self)
{
    dictiterobject *di = (dictiterobject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(di->di_dict);
    Py_XDECREF(di->di_result);
    PyObject_GC_Del(self);
}

static int
dictiter_traverse(PyObject *self, visitproc visit, void *arg)
{
    dictiterobject *di = (dictiterobject *)self;
    Py_VISIT(di->di_dict);
    Py_VISIT(di->di_result);
    return 0;
}

static PyObject *
dictiter_len(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    dictiterobject *di = (dictiterobject *)self;
    Py_ssize_t len = 0;
    PyDictObject *d = _Py_atomic_load_ptr_acquire(&di->di_dict);
    if (d != NULL && di->di_used == PyDict_GET_SIZE(d)) {
        len = _Py_atomic_load_ssize_relaxed(&di->len);
    }
    return PyLong_FromSsize_t(len < 0 ? 0 : len);
}

static PyMethodDef dictiter_methods[] = {
    {"__length_hint__", dictiter_len, METH_NOARGS,
     "Private method returning an estimate of len(list(it))."},
    {NULL, NULL, 0, NULL}
};

/* Drops the iterator's reference to the dict exactly once, even when two
   threads exhaust it together. */
static void
dictiter_exhaust(dictiterobject *di)
{
    PyObject *d = _Py_atomic_exchange_ptr(&di->di_dict, NULL);
    Py_XDECREF(d);
}

/* One step: which = 0 keys, 1 values, 2 items; reverse iterates from
   the end.  New references in *pkey and *pvalue. */
static int
dictiter_step(dictiterobject *di, int reverse, PyObject **pkey,
              PyObject **pvalue)
{
    PyDictObject *d = _Py_atomic_load_ptr_acquire(&di->di_dict);
    if (d == NULL) {
        return 0;
    }
    /* Keep the dict alive while we look at it, even if another thread
       exhausts the iterator meanwhile. */
    if (!_Py_TryIncref((PyObject *)d)) {
        return 0;
    }
    int result = 0;
    Py_BEGIN_CRITICAL_SECTION(d);
    if (di->di_used != d->ma_used) {
        PyErr_SetString(PyExc_RuntimeError,
                        "dictionary changed size during iteration");
        di->di_used = -1;
        result = -1;
    }
    else {
        PyDictKeysObject *dk = d->ma_keys;
        PyDictKeyEntry *ep = DK_ENTRIES(dk);
        Py_ssize_t i = di->di_pos, n = dk->dk_nentries;
        if (reverse) {
            if (i >= n) {
                i = n - 1;
            }
            while (i >= 0 && ep[i].me_value == NULL) {
                i--;
            }
        }
        else {
            while (i < n && ep[i].me_value == NULL) {
                i++;
            }
        }
        if (i >= 0 && i < n) {
            if (di->len == 0) {
                PyErr_SetString(PyExc_RuntimeError,
                                "dictionary keys changed during iteration");
                result = -1;
            }
            else {
                di->di_pos = reverse ? i - 1 : i + 1;
                di->len--;
                *pkey = Py_NewRef(ep[i].me_key);
                *pvalue = Py_NewRef(ep[i].me_value);
                result = 1;
            }
        }
    }
    Py_END_CRITICAL_SECTION();
    if (result <= 0) {
        dictiter_exhaust(di);
    }
    Py_DECREF(d);
    return result;
}

static PyObject *
dictiter_iternextkey(PyObject *self)
{
    PyObject *key, *value;
    int r = dictiter_step((dictiterobject *)self, 0, &key, &value);
    if (r <= 0) {
        return NULL;
    }
    Py_DECREF(value);
    return key;
}

static PyObject *
dictiter_iternextvalue(PyObject *self)
{
    PyObject *key, *value;
    int r = dictiter_step((dictiterobject *)self, 0, &key, &value);
    if (r <= 0) {
        return NULL;
    }
    Py_DECREF(key);
    return value;
}

static PyObject *
make_item(PyObject *key, PyObject *value)
{
    PyObject *t = PyTuple_New(2);
    if (t == NULL) {
        Py_DECREF(key);
        Py_DECREF(value);
        return NULL;
    }
    PyTuple_SET_ITEM(t, 0, key);
    PyTuple_SET_ITEM(t, 1, value);
    return t;
}

static PyObject *
dictiter_iternextitem(PyObject *self)
{
    PyObject *key, *value;
    int r = dictiter_step((dictiterobject *)self, 0, &key, &value);
    if (r <= 0) {
        return NULL;
    }
    return make_item(key, value);
}

static PyObject *
dictreviter_iternextkey(PyObject *self)
{
    PyObject *key, *value;
    int r = dictiter_step((dictiterobject *)self, 1, &key, &value);
    if (r <= 0) {
        return NULL;
    }
    Py_DECREF(value);
    return key;
}

static PyObject *
dictreviter_iternextvalue(PyObject *self)
{
    PyObject *key, *value;
    int r = dictiter_step((dictiterobject *)self, 1, &key, &value);
    if (r <= 0) {
        return NULL;
    }
    Py_DECREF(key);
    return value;
}

static PyObject *
dictreviter_iternextitem(PyObject *self)
{
    PyObject *key, *value;
    int r = dictiter_step((dictiterobject *)self, 1, &key, &value);
    if (r <= 0) {
        return NULL;
    }
    return make_item(key, value);
}

#define DICTITER_TYPE(VAR, NAME, NEXT)                                  \
    PyTypeObject VAR = {                                                \
        PyVarObject_HEAD_INIT(&PyType_Type, 0)                          \
        .tp_name = NAME,                                                \
        .tp_basicsize = sizeof(dictiterobject),                         \
        .tp_dealloc = dictiter_dealloc,                                 \
        .tp_getattro = PyObject_GenericGetAttr,                         \
        .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,            \
        .tp_traverse = dictiter_traverse,                               \
        .tp_iter = PyObject_SelfIter,                                   \
        .tp_iternext = NEXT,                                            \
        .tp_methods = dictiter_methods,                                 \
    };

DICTITER_TYPE(PyDictIterKey_Type, "dict_keyiterator", dictiter_iternextkey)
DICTITER_TYPE(PyDictIterValue_Type, "dict_valueiterator",
              dictiter_iternextvalue)
DICTITER_TYPE(PyDictIterItem_Type, "dict_itemiterator",
              dictiter_iternextitem)
DICTITER_TYPE(PyDictRevIterKey_Type, "dict_reversekeyiterator",
              dictreviter_iternextkey)
DICTITER_TYPE(PyDictRevIterValue_Type, "dict_reversevalueiterator",
              dictreviter_iternextvalue)
DICTITER_TYPE(PyDictRevIterItem_Type, "dict_reverseitemiterator",
              dictreviter_iternextitem)

/* ================================================================ views */

typedef struct {
    PyObject_HEAD
    PyDictObject *dv_dict;      /* owned, never NULL once made */
} _PyDictViewObject;

static PyObject *
dictview_new(PyObject *dict, PyTypeObject *type)
{
    if (dict == NULL || !PyDict_Check(dict)) {
        PyErr_BadInternalCall();
        return NULL;
    }
    _PyDictViewObject *dv = PyObject_GC_New(_PyDictViewObject, type);
    if (dv == NULL) {
        return NULL;
    }
    dv->dv_dict = (PyDictObject *)Py_NewRef(dict);
    PyObject_GC_Track(dv);
    return (PyObject *)dv;
}

static void
dictview_dealloc(PyObject *self)
{
    _PyDictViewObject *dv = (_PyDictViewObject *)self;
    PyObject_GC_UnTrack(self);
    Py_XDECREF(dv->dv_dict);
    PyObject_GC_Del(self);
}

static int
dictview_traverse(PyObject *self, visitproc visit, void *arg)
{
    Py_VISIT(((_PyDictViewObject *)self)->dv_dict);
    return 0;
}

static Py_ssize_t
dictview_len(PyObject *self)
{
    return PyDict_GET_SIZE(((_PyDictViewObject *)self)->dv_dict);
}

static PyObject *
dictview_mapping(PyObject *self, void *closure)
{
    return PyDictProxy_New((PyObject *)((_PyDictViewObject *)self)->dv_dict);
}

static PyGetSetDef dictview_getset[] = {
    {"mapping", dictview_mapping, NULL,
     "dictionary that this view refers to", NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

/* dict_keys([...]) etc. */
static PyObject *
dictview_repr(PyObject *self)
{
    int r = Py_ReprEnter(self);
    if (r != 0) {
        return r > 0 ? PyUnicode_FromString("...") : NULL;
    }
    PyObject *result = NULL;
    PyObject *seq = PySequence_List(self);
    if (seq != NULL) {
        result = PyUnicode_FromFormat("%s(%R)", Py_TYPE(self)->tp_name, seq);
        Py_DECREF(seq);
    }
    Py_ReprLeave(self);
    return result;
}

/* Is every element of `self` in `other`? */
static int
all_contained_in(PyObject *self, PyObject *other)
{
    PyObject *iter = PyObject_GetIter(self);
    if (iter == NULL) {
        return -1;
    }
    int ok = 1;
    for (;;) {
        PyObject *next = PyIter_Next(iter);
        if (next == NULL) {
            if (PyErr_Occurred()) {
                ok = -1;
            }
            break;
        }
        ok = PySequence_Contains(other, next);
        Py_DECREF(next);
        if (ok <= 0) {
            break;
        }
    }
    Py_DECREF(iter);
    return ok;
}

/* Keys and items views compare as sets with any set or view. */
static int
is_setlike(PyObject *o)
{
    if (PyDictViewSet_Check(o)) {
        return 1;
    }
    if (PyAnySet_Check(o)) {
        return 1;
    }
    return 0;
}

static PyObject *
dictview_richcompare(PyObject *self, PyObject *other, int op)
{
    if (!is_setlike(other)) {
        Py_RETURN_NOTIMPLEMENTED;
    }
    Py_ssize_t len_self = PyObject_Size(self);
    if (len_self < 0) {
        return NULL;
    }
    Py_ssize_t len_other = PyObject_Size(other);
    if (len_other < 0) {
        return NULL;
    }
    int ok = 0;
    switch (op) {
    case Py_NE:
    case Py_EQ:
        if (len_self == len_other) {
            ok = all_contained_in(self, other);
        }
        if (op == Py_NE && ok >= 0) {
            ok = !ok;
        }
        break;
    case Py_LT:
        if (len_self < len_other) {
            ok = all_contained_in(self, other);
        }
        break;
    case Py_LE:
        if (len_self <= len_other) {
            ok = all_contained_in(self, other);
        }
        break;
    case Py_GT:
        if (len_self > len_other) {
            ok = all_contained_in(other, self);
        }
        break;
    case Py_GE:
        if (len_self >= len_other) {
            ok = all_contained_in(other, self);
        }
        break;
    }
    if (ok < 0) {
        return NULL;
    }
    return PyBool_FromLong(ok);
}

/* Set operations build a set from the left operand and apply the named
   in-place set method with the right one. */
static PyObject *
dictviews_setop(PyObject *self, PyObject *other, const char *method)
{
    PyObject *left = self, *right = other;
    if (!PyDictViewSet_Check(self)) {
        /* Reflected: other op view. */
        left = other;
        right = self;
    }
    PyObject *result = PyObject_CallOneArg((PyObject *)&PySet_Type, left);
    if (result == NULL) {
        return NULL;
    }
    PyObject *tmp = PyObject_CallMethod(result, method, "O", right);
    if (tmp == NULL) {
        Py_DECREF(result);
        return NULL;
    }
    Py_DECREF(tmp);
    return result;
}

static PyObject *
dictviews_sub(PyObject *self, PyObject *other)
{
    if (!PyDictViewSet_Check(self)) {
        /* other - view: set(other) - view */
        PyObject *result = PyObject_CallOneArg((PyObject *)&PySet_Type, self);
        if (result == NULL) {
            return NULL;
        }
        PyObject *tmp = PyObject_CallMethod(result, "difference_update", "O",
                                            other);
        if (tmp == NULL) {
            Py_DECREF(result);
            return NULL;
        }
        Py_DECREF(tmp);
        return result;
    }
    return dictviews_setop(self, other, "difference_update");
}

static PyObject *
dictviews_and(PyObject *self, PyObject *other)
{
    return dictviews_setop(self, other, "intersection_update");
}

static PyObject *
dictviews_or(PyObject *self, PyObject *other)
{
    return dictviews_setop(self, other, "update");
}

static PyObject *
dictviews_xor(PyObject *self, PyObject *other)
{
    return dictviews_setop(self, other, "symmetric_difference_update");
}

static PyObject *
dictviews_isdisjoint(PyObject *self, PyObject *other)
{
    PyObject *it = PyObject_GetIter(other);
    if (it == NULL) {
        return NULL;
    }
    PyObject *item;
    while ((item = PyIter_Next(it)) != NULL) {
        int contains = PySequence_Contains(self, item);
        Py_DECREF(item);
        if (contains != 0) {
            Py_DECREF(it);
            if (contains < 0) {
                return NULL;
            }
            Py_RETURN_FALSE;
        }
    }
    Py_DECREF(it);
    if (PyErr_Occurred()) {
        return NULL;
    }
    Py_RETURN_TRUE;
}

static PyNumberMethods dictviews_as_number = {
    .nb_subtract = dictviews_sub,
    .nb_and = dictviews_and,
    .nb_xor = dictviews_xor,
    .nb_or = dictviews_or,
};

static PyObject *
dictkeys_iter(PyObject *self)
{
    return dictiter_new(((_PyDictViewObject *)self)->dv_dict,
                        &PyDictIterKey_Type);
}

static int
dictkeys_contains(PyObject *self, PyObject *obj)
{
    return PyDict_Contains((PyObject *)((_PyDictViewObject *)self)->dv_dict,
                           obj);
}

static PyObject *
dictkeys_reversed(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return dictiter_new(((_PyDictViewObject *)self)->dv_dict,
                        &PyDictRevIterKey_Type);
}

static PySequenceMethods dictkeys_as_sequence = {
    .sq_length = dictview_len,
    .sq_contains = dictkeys_contains,
};

static PyMethodDef dictkeys_methods[] = {
    {"isdisjoint", dictviews_isdisjoint, METH_O,
     "Return True if the view and the given iterable have a null "
     "intersection."},
    {"__reversed__", dictkeys_reversed, METH_NOARGS,
     "Return a reverse iterator over the dict keys."},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyDictKeys_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "dict_keys",
    .tp_basicsize = sizeof(_PyDictViewObject),
    .tp_dealloc = dictview_dealloc,
    .tp_repr = dictview_repr,
    .tp_as_number = &dictviews_as_number,
    .tp_as_sequence = &dictkeys_as_sequence,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = dictview_traverse,
    .tp_richcompare = dictview_richcompare,
    .tp_iter = dictkeys_iter,
    .tp_methods = dictkeys_methods,
    .tp_getset = dictview_getset,
};

static PyObject *
dictitems_iter(PyObject *self)
{
    return dictiter_new(((_PyDictViewObject *)self)->dv_dict,
                        &PyDictIterItem_Type);
}

static int
dictitems_contains(PyObject *self, PyObject *obj)
{
    if (!PyTuple_Check(obj) || PyTuple_GET_SIZE(obj) != 2) {
        return 0;
    }
    PyObject *key = PyTuple_GET_ITEM(obj, 0);
    PyObject *value = PyTuple_GET_ITEM(obj, 1);
    PyObject *found;
    int r = PyDict_GetItemRef((PyObject *)((_PyDictViewObject *)self)->dv_dict,
                              key, &found);
    if (r <= 0) {
        return r;
    }
    r = PyObject_RichCompareBool(found, value, Py_EQ);
    Py_DECREF(found);
    return r;
}

static PyObject *
dictitems_reversed(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return dictiter_new(((_PyDictViewObject *)self)->dv_dict,
                        &PyDictRevIterItem_Type);
}

static PySequenceMethods dictitems_as_sequence = {
    .sq_length = dictview_len,
    .sq_contains = dictitems_contains,
};

static PyMethodDef dictitems_methods[] = {
    {"isdisjoint", dictviews_isdisjoint, METH_O,
     "Return True if the view and the given iterable have a null "
     "intersection."},
    {"__reversed__", dictitems_reversed, METH_NOARGS,
     "Return a reverse iterator over the dict items."},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyDictItems_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "dict_items",
    .tp_basicsize = sizeof(_PyDictViewObject),
    .tp_dealloc = dictview_dealloc,
    .tp_repr = dictview_repr,
    .tp_as_number = &dictviews_as_number,
    .tp_as_sequence = &dictitems_as_sequence,
    .tp_hash = PyObject_HashNotImplemented,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = dictview_traverse,
    .tp_richcompare = dictview_richcompare,
    .tp_iter = dictitems_iter,
    .tp_methods = dictitems_methods,
    .tp_getset = dictview_getset,
};

static PyObject *
dictvalues_iter(PyObject *self)
{
    return dictiter_new(((_PyDictViewObject *)self)->dv_dict,
                        &PyDictIterValue_Type);
}

static PyObject *
dictvalues_reversed(PyObject *self, PyObject *Py_UNUSED(ignored))
{
    return dictiter_new(((_PyDictViewObject *)self)->dv_dict,
                        &PyDictRevIterValue_Type);
}

static PySequenceMethods dictvalues_as_sequence = {
    .sq_length = dictview_len,
};

static PyMethodDef dictvalues_methods[] = {
    {"__reversed__", dictvalues_reversed, METH_NOARGS,
     "Return a reverse iterator over the dict values."},
    {NULL, NULL, 0, NULL}
};

PyTypeObject PyDictValues_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "dict_values",
    .tp_basicsize = sizeof(_PyDictViewObject),
    .tp_dealloc = dictview_dealloc,
    .tp_repr = dictview_repr,
    .tp_as_sequence = &dictvalues_as_sequence,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_traverse = dictview_traverse,
    .tp_iter = dictvalues_iter,
    .tp_methods = dictvalues_methods,
    .tp_getset = dictview_getset,
};

int
_PyDict_InitTypes(void)
{
    PyTypeObject *types[] = {
        &PyDict_Type, &PyDictKeys_Type, &PyDictValues_Type,
        &PyDictItems_Type, &PyDictIterKey_Type, &PyDictIterValue_Type,
        &PyDictIterItem_Type, &PyDictRevIterKey_Type,
        &PyDictRevIterValue_Type, &PyDictRevIterItem_Type,
    };
    for (size_t i = 0; i < Py_ARRAY_LENGTH(types); i++) {
        if (PyType_Ready(types[i]) < 0) {
            return -1;
        }
    }
    return 0;
}
