/* Runtime-internal parts of the type system (Objects/typeobject.c,
 * Objects/typeslots.c).
 *
 * Locking (ARCHITECTURE sections 6 and 10):
 *  - One runtime-wide mutex, the type lock, serialises every change to the
 *    type hierarchy: assigning or deleting a class attribute, __bases__,
 *    __name__/__qualname__/__doc__..., assigning version tags, and the
 *    subclass lists.  Class attribute changes invalidate version tags
 *    (the class and all subclasses) *before* touching the dict.
 *  - Attribute lookups along the MRO take no lock: tp_mro is read with a
 *    conditional incref, each dict with a lock-free lookup, and the method
 *    cache (a table of entries guarded by per-entry sequence counters) is
 *    read without a lock; a reader never sees a torn entry and re-checks
 *    the type's version after taking its reference.
 *  - C slots of heap types change when a special method is assigned
 *    (C.__add__ = f): that runs with the world stopped, so callers may
 *    read slot pointers with plain loads.
 *  - Static types are immortal and immutable once PyType_Ready returns. */
#ifndef Py_INTERNAL_TYPEOBJECT_H
#define Py_INTERNAL_TYPEOBJECT_H
#ifndef Py_BUILD_CORE
#  error "this header requires Py_BUILD_CORE define"
#endif

#include "pycore_lock.h"

/* The type lock (see above). */
PyAPI_FUNC(void) _PyType_Lock(void);
PyAPI_FUNC(void) _PyType_Unlock(void);

/* Looks `name` up on the type of `self` (bypassing the instance), binds
   it like a method; new reference, or NULL with no exception if missing,
   or NULL with an exception on error. */
PyAPI_FUNC(PyObject *) _PyObject_LookupSpecial(PyObject *self,
                                               PyObject *name);
/* Calls type(self).name(self, *args); NULL+AttributeError if missing. */
PyAPI_FUNC(PyObject *) _PyObject_CallSpecial(PyObject *self, PyObject *name,
                                             PyObject *const *args,
                                             Py_ssize_t nargs);
/* The most derived metaclass of `metatype` and the types of `bases`;
   borrowed, NULL with TypeError on a conflict. */
PyAPI_FUNC(PyTypeObject *) _PyType_CalculateMetaclass(PyTypeObject *metatype,
                                                      PyObject *bases);
/* The type's MRO tuple (new reference; never NULL for a ready type). */
PyAPI_FUNC(PyObject *) _PyType_GetMRO(PyTypeObject *type);
/* Readies every static type of the core (Py_Initialize), using the
   per-file start-up functions below. */
PyAPI_FUNC(int) _PyTypes_InitTypes(void);
PyAPI_FUNC(int) _PyTuple_InitTypes(void);
PyAPI_FUNC(int) _PyDescr_InitTypes(void);
PyAPI_FUNC(int) _PyCFunction_InitTypes(void);
PyAPI_FUNC(int) _PyModule_InitTypes(void);
PyAPI_FUNC(int) _PySlice_InitTypes(void);
PyAPI_FUNC(int) _PyObject_InitSingletonTypes(void);
/* object.__getstate__, __reduce__ and __reduce_ex__ (Objects/objreduce.c):
   the C functions behind object's methods, named so that
   object.__getstate__ can be recognised when a subclass inherits it. */
PyAPI_FUNC(PyObject *) _PyObject_GetStateMethod(PyObject *self,
                                                PyObject *unused);
PyAPI_FUNC(PyObject *) _PyObject_ReduceMethod(PyObject *self,
                                              PyObject *unused);
PyAPI_FUNC(PyObject *) _PyObject_ReduceExMethod(PyObject *self,
                                                PyObject *protocol);
/* New reference: (getattr, (obj, name)), how methods and descriptors
   pickle. */
PyAPI_FUNC(PyObject *) _PyObject_ReduceGetattr(PyObject *obj,
                                               PyObject *name);
/* The common prefix "'type' object" name of a type for messages. */
PyAPI_FUNC(PyObject *) _PyType_GetQualName(PyTypeObject *type);
/* Ready check used on hot paths. */
static inline int
_PyType_IsReady(PyTypeObject *type)
{
    return type->tp_dict != NULL;
}

/* Generic getattr with an option to suppress AttributeError (0 with
   *result NULL when missing). */
PyAPI_FUNC(PyObject *) _PyObject_GenericGetAttrWithDict(PyObject *obj,
                                                        PyObject *name,
                                                        PyObject *dict,
                                                        int suppress);
PyAPI_FUNC(int) _PyObject_GenericSetAttrWithDict(PyObject *obj,
                                                 PyObject *name,
                                                 PyObject *value,
                                                 PyObject *dict);
/* Raises "'T' object has no attribute 'name'" (AttributeError with
   .name and .obj set). */
PyAPI_FUNC(void) _PyObject_SetAttributeErrorContext(PyObject *obj,
                                                    PyObject *name);

/* Slot machinery (Objects/typeslots.c). */
/* Adds wrapper descriptors for the C slots the type defines to its dict
   (PyType_Ready of static types). */
PyAPI_FUNC(int) _PyTypeSlots_AddOperators(PyTypeObject *type);
/* Fills the C slots of a new heap type from the dunder methods found on
   its MRO. */
PyAPI_FUNC(void) _PyTypeSlots_FixupDispatchers(PyTypeObject *type);
/* `name` was assigned on `type`: update the affected slots of the type
   and its subclasses (computes, then writes with the world stopped);
   0 or -1 with an exception. */
PyAPI_FUNC(int) _PyTypeSlots_Update(PyTypeObject *type, PyObject *name);
/* Recomputes every slot of `type` and its subclasses (__bases__ changed);
   computes first, then writes with the world stopped. */
PyAPI_FUNC(int) _PyTypeSlots_UpdateAll(PyTypeObject *type);
/* Interns the special-method names (Py_Initialize, before PyType_Ready
   of any type). */
PyAPI_FUNC(int) _PyTypeSlots_Init(void);
/* New list of the live direct subclasses. */
PyAPI_FUNC(PyObject *) _PyType_GetSubclasses(PyTypeObject *type);
/* super() with no arguments asks the eval loop for (__class__, first
   argument) through this hook; it returns 0, or -1 with an exception. */
PyAPI_FUNC(void) _PySuper_SetZeroArgsHook(
    int (*hook)(PyTypeObject **type, PyObject **obj));
/* 1 if `name` is the name of a special method that fills a C slot. */
PyAPI_FUNC(int) _PyTypeSlots_IsSlotName(PyObject *name);
/* The address of the slot with PyType_Slot id `slot_id` in a heap type
   (NULL if unknown id); and its value in any type. */
PyAPI_FUNC(void **) _PyTypeSlots_SlotPtrById(PyTypeObject *type,
                                             int slot_id);
/* Subclass list visitation under the type lock. */
typedef int (*_PyType_SubclassVisitor)(PyTypeObject *sub, void *arg);
PyAPI_FUNC(int) _PyType_VisitSubclasses(PyTypeObject *type,
                                        _PyType_SubclassVisitor visit,
                                        void *arg);

/* The tp_new of heap types defining __new__ in Python. */
PyAPI_FUNC(PyObject *) _PyTypeSlots_tp_new(PyTypeObject *type,
                                           PyObject *args, PyObject *kwds);
/* 1 if obj is the __new__ built-in PyType_Ready adds for a tp_new. */
PyAPI_FUNC(int) _PyType_IsTpNewWrapper(PyObject *obj);
/* C doc strings may start with "name(sig)\n--\n\n": */
PyAPI_FUNC(const char *) _PyType_DocWithoutSignature(const char *name,
                                                     const char *doc);
PyAPI_FUNC(PyObject *) _PyType_GetDocFromInternalDoc(const char *name,
                                                     const char *doc);
PyAPI_FUNC(PyObject *) _PyType_GetTextSignatureFromInternalDoc(
    const char *name, const char *doc);

/* Slot functions of object/type other files refer to. */
PyAPI_FUNC(PyObject *) _PyObject_NewGenericRepr(PyObject *self);
PyAPI_FUNC(void) _PyType_SubtypeDealloc(PyObject *self);
/* type.__new__ (Objects/typenew.c): type(x) and type(name, bases, ns). */
PyAPI_FUNC(PyObject *) _PyType_NewHeapType(PyTypeObject *metatype,
                                           PyObject *args, PyObject *kwds);
/* The base whose instance layout a new class extends (TypeError on a
   layout conflict or an unsubclassable base); borrowed. */
PyAPI_FUNC(PyTypeObject *) _PyType_BestBase(PyObject *bases);
/* 1 if `type` adds fields to `base`'s instance layout. */
PyAPI_FUNC(int) _PyType_ExtraIvars(PyTypeObject *type, PyTypeObject *base);
/* 1 if instances of `oldto` can become instances of `newto`; 0 with
   TypeError naming `attr` ("__class__", "__bases__") otherwise. */
PyAPI_FUNC(int) _PyType_CompatibleForAssignment(PyTypeObject *oldto,
                                                PyTypeObject *newto,
                                                const char *attr);
/* Adds the names of aclass.__dict__ and of its bases' to `dict`
   (object.__dir__ and type.__dir__, Objects/baseobject.c). */
PyAPI_FUNC(int) _PyObject_MergeClassDict(PyObject *dict, PyObject *aclass);

/* Heap types allocate PyHeapTypeObject; its extra space holds the slot
   tables, so a heap type's tp_as_* point into itself. */
static inline int
_PyType_IsHeapType(PyTypeObject *type)
{
    return PyType_HasFeature(type, Py_TPFLAGS_HEAPTYPE);
}

/* Identifier hash: str hash (cached inside the str). */
PyAPI_FUNC(void) _PyType_InitCache(void);

/* The number of live heap types is unbounded; the method cache has a
   fixed size (a power of two). */
#define _Py_TYPE_CACHE_SIZE_EXP 12

#endif /* !Py_INTERNAL_TYPEOBJECT_H */
