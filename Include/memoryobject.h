/* memoryview: a view of another object's memory through the buffer
   protocol (Objects/memoryobject.c; buffer helpers in
   Objects/bufferhelpers.c).  Thread safety is described at the top of
   memoryobject.c. */
#ifndef Py_MEMORYOBJECT_H
#define Py_MEMORYOBJECT_H

#include "object.h"

/* The buffer taken once from the exporter, shared by every memoryview
   derived from it (slices, casts, memoryview(m)).  It is released when
   the last of those views is released or dies. */
typedef struct {
    PyObject_HEAD
    Py_buffer master;       /* master.obj owned while not released */
    Py_ssize_t views;       /* registered views; atomic */
    int released;           /* set once, when views drops to 0 */
} _PyManagedBufferObject;

typedef struct {
    PyObject_HEAD
    _PyManagedBufferObject *mbuf;   /* owned */
    Py_hash_t hash;                 /* cached; -1 until computed */
    int released;                   /* atomic; set once by release() */
    int flags;                      /* _Py_MEMORYVIEW_* */
    Py_ssize_t exports;             /* buffers exported from this view */
    Py_buffer view;                 /* view.obj: borrowed from mbuf */
    PyObject *weakreflist;
    Py_ssize_t *arrays;             /* shape, strides, suboffsets */
    char *format_copy;              /* view.format points here */
} PyMemoryViewObject;

#define _Py_MEMORYVIEW_C 0x02       /* C-contiguous */
#define _Py_MEMORYVIEW_FORTRAN 0x04 /* Fortran contiguous */
#define _Py_MEMORYVIEW_SCALAR 0x08  /* ndim 0 */
#define _Py_MEMORYVIEW_PIL 0x10     /* has suboffsets */

PyAPI_DATA(PyTypeObject) PyMemoryView_Type;
PyAPI_DATA(PyTypeObject) _PyManagedBuffer_Type;
PyAPI_DATA(PyTypeObject) _PyMemoryIter_Type;

#define PyMemoryView_Check(op) Py_IS_TYPE((op), &PyMemoryView_Type)
/* The Py_buffer of a memoryview and its exporter (both borrowed). */
#define PyMemoryView_GET_BUFFER(op) (&((PyMemoryViewObject *)(op))->view)
#define PyMemoryView_GET_BASE(op) (((PyMemoryViewObject *)(op))->view.obj)

/* New references. */
PyAPI_FUNC(PyObject *) PyMemoryView_FromObject(PyObject *obj);
/* flags: PyBUF_READ or PyBUF_WRITE.  The memory must outlive the view. */
PyAPI_FUNC(PyObject *) PyMemoryView_FromMemory(char *mem, Py_ssize_t size,
                                               int flags);
/* A view of info's memory (info->obj is not referenced or released). */
PyAPI_FUNC(PyObject *) PyMemoryView_FromBuffer(const Py_buffer *info);
/* A view of obj if contiguous in `order` ('C', 'F', 'A'), else a view of
   a contiguous bytes copy (read-only: buffertype PyBUF_WRITE fails with
   BufferError). */
PyAPI_FUNC(PyObject *) PyMemoryView_GetContiguous(PyObject *base,
                                                  int buffertype,
                                                  char order);

/* TEMPORARY: these buffer helpers belong in abstract.h (owner: lead);
   they are defined in Objects/bufferhelpers.c. */
PyAPI_FUNC(void *) PyBuffer_GetPointer(const Py_buffer *view,
                                       const Py_ssize_t *indices);
PyAPI_FUNC(Py_ssize_t) PyBuffer_SizeFromFormat(const char *format);
PyAPI_FUNC(int) PyBuffer_ToContiguous(void *buf, const Py_buffer *view,
                                      Py_ssize_t len, char order);
PyAPI_FUNC(int) PyBuffer_FromContiguous(const Py_buffer *view,
                                        const void *buf, Py_ssize_t len,
                                        char order);
PyAPI_FUNC(int) PyObject_CopyData(PyObject *dest, PyObject *src);
PyAPI_FUNC(void) PyBuffer_FillContiguousStrides(int ndims, Py_ssize_t *shape,
                                                Py_ssize_t *strides,
                                                int itemsize, char order);

#endif /* !Py_MEMORYOBJECT_H */
