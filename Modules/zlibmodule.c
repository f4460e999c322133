/* The zlib module: Python 3.11's interface to the system zlib (compress,
 * decompress, streaming Compress/Decompress objects, crc32, adler32).
 *
 * Thread safety:
 * - One-shot functions (compress, decompress, crc32, adler32) work on a
 *   z_stream local to the call and on a buffer view held for the call, so
 *   they need no lock.  When the input is larger than ZLIB_DETACH_MIN
 *   bytes they detach (Py_BEGIN_ALLOW_THREADS) around the zlib work; the
 *   output buffer is then grown with PyMem_Raw*, which needs no thread
 *   state.
 * - A Compress or Decompress object is shared mutable state (its z_stream,
 *   unused_data, unconsumed_tail, eof).  Every method takes the object's
 *   own PyMutex (zo_lock) for its whole duration, including while the
 *   thread is detached inside zlib, so two threads never drive one
 *   z_stream at once.  This is a plain PyMutex rather than a critical
 *   section because a critical section is released when the thread
 *   detaches; PyMutex_Lock itself detaches while it waits, so a thread
 *   blocked here never holds up a stop-the-world.  No Python code runs
 *   while zo_lock is held (inputs are buffer views taken beforehand).
 * - The attributes unused_data, unconsumed_tail and eof are read through
 *   getters that take zo_lock too, so a reader never sees a reference
 *   being replaced.
 * - The module has no mutable C state. */
#include "Python.h"
#include "structmember.h"
#include <limits.h>
#include <zlib.h>

/* Inputs at least this big are processed with the thread detached. */
#define ZLIB_DETACH_MIN (5 * 1024)
#define DEF_BUF_SIZE (16 * 1024)
#define DEF_MEM_LEVEL 8

static PyObject *ZlibError;     /* zlib.error; set once at module init */
static PyTypeObject Comp_Type;
static PyTypeObject Decomp_Type;

/* A streaming object.  The same struct serves Compress and Decompress. */
typedef struct {
    PyObject_HEAD
    z_stream zst;
    PyMutex zo_lock;            /* guards everything below and zst */
    int inited;                 /* zst is live (deflateEnd/inflateEnd due) */
    char eof;                   /* Decompress: end of stream seen */
    PyObject *unused_data;      /* bytes, owned */
    PyObject *unconsumed_tail;  /* bytes, owned */
    PyObject *zdict;            /* Decompress: bytes-like or NULL, owned */
} compobject;

/* ------------------------------------------------ errors */

/* Raise zlib.error "Error <err> <what>: <msg>" the way 3.11 does, using
 * zlib's message when it gave one and a fixed text for the usual codes
 * otherwise.  msg may be NULL. */
static void
zlib_error(const char *msg, int err, const char *what)
{
    if (err == Z_VERSION_ERROR) {
        msg = "library version mismatch";
    }
    if (msg == NULL) {
        switch (err) {
        case Z_BUF_ERROR:
            msg = "incomplete or truncated stream";
            break;
        case Z_STREAM_ERROR:
            msg = "inconsistent stream state";
            break;
        case Z_DATA_ERROR:
            msg = "invalid input data";
            break;
        }
    }
    if (msg == NULL) {
        PyErr_Format(ZlibError, "Error %d %s", err, what);
    }
    else {
        PyErr_Format(ZlibError, "Error %d %s: %.200s", err, what, msg);
    }
}

/* ------------------------------------------------ output buffer */

/* A growable output buffer in raw memory (usable while detached).
 * zlib is shown the free space in steps of the same sizes as CPython 3.11
 * (a first block, then 64 KiB, 256 KiB, 1 MiB, ...): with level 0 the
 * stored blocks deflate emits follow avail_out, so this keeps the output
 * byte-identical. */
typedef struct {
    char *buf;
    size_t len;     /* bytes produced so far (before zst's window) */
    size_t cap;
    size_t limit;   /* 0: unlimited */
    int nblocks;    /* windows handed out so far */
} outbuf;

#define KB ((size_t)1024)
#define MB (1024 * KB)
static const size_t block_sizes[] = {
    32 * KB, 64 * KB, 256 * KB, 1 * MB, 4 * MB, 8 * MB, 16 * MB, 16 * MB,
    32 * MB, 32 * MB, 32 * MB, 32 * MB, 64 * MB, 64 * MB, 128 * MB,
    128 * MB, 256 * MB
};
#define N_BLOCK_SIZES (sizeof(block_sizes) / sizeof(block_sizes[0]))

/* Make zst's output window non-empty, growing the buffer by the next
 * block.  Returns 1 if there is room, 0 if the limit is reached, -1 if
 * out of memory. */
static int
outbuf_grow(outbuf *ob, z_stream *zst)
{
    ob->len = (size_t)((char *)zst->next_out - ob->buf);
    if (ob->limit != 0 && ob->len >= ob->limit) {
        return 0;
    }
    size_t block = block_sizes[ob->nblocks < (int)N_BLOCK_SIZES
                               ? ob->nblocks : (int)N_BLOCK_SIZES - 1];
    if (ob->limit != 0 && block > ob->limit - ob->len) {
        block = ob->limit - ob->len;
    }
    if (block > UINT_MAX) {
        block = UINT_MAX;
    }
    if (ob->len + block > ob->cap) {
        char *nb = PyMem_RawRealloc(ob->buf, ob->len + block);
        if (nb == NULL) {
            return -1;
        }
        ob->buf = nb;
        ob->cap = ob->len + block;
    }
    ob->nblocks++;
    zst->next_out = (Bytef *)ob->buf + ob->len;
    zst->avail_out = (uInt)block;
    return 1;
}

/* Start the buffer: the first window has initial bytes, or the first
 * block size when initial is 0 (both capped by limit), and point zst at
 * it.  0, or -1 out of memory (no exception set). */
static int
outbuf_init(outbuf *ob, z_stream *zst, size_t initial, size_t limit)
{
    ob->limit = limit;
    ob->len = 0;
    ob->nblocks = 1;
    if (initial == 0) {
        initial = block_sizes[0];
    }
    if (limit != 0 && initial > limit) {
        initial = limit;
    }
    if (initial > UINT_MAX) {
        initial = UINT_MAX;
    }
    ob->buf = PyMem_RawMalloc(initial ? initial : 1);
    if (ob->buf == NULL) {
        return -1;
    }
    ob->cap = initial;
    zst->next_out = (Bytef *)ob->buf;
    zst->avail_out = (uInt)initial;
    return 0;
}

/* The bytes produced so far as a bytes object; frees the buffer.
 * New reference. */
static PyObject *
outbuf_finish(outbuf *ob, z_stream *zst)
{
    size_t n = (size_t)((char *)zst->next_out - ob->buf);
    PyObject *res = PyBytes_FromStringAndSize(ob->buf, (Py_ssize_t)n);
    PyMem_RawFree(ob->buf);
    ob->buf = NULL;
    return res;
}

/* Free the buffer after an error. */
static void
outbuf_discard(outbuf *ob)
{
    PyMem_RawFree(ob->buf);
    ob->buf = NULL;
}

/* An input cursor able to feed more than UINT_MAX bytes in chunks. */
typedef struct {
    const Bytef *next;
    size_t left;    /* bytes not yet handed to zst */
} inbuf;

/* Hand zst the next chunk if it has consumed the last one. */
static void
inbuf_feed(inbuf *in, z_stream *zst)
{
    if (zst->avail_in == 0 && in->left > 0) {
        size_t n = in->left > UINT_MAX ? UINT_MAX : in->left;
        zst->next_in = (Bytef *)in->next;
        zst->avail_in = (uInt)n;
        in->next += n;
        in->left -= n;
    }
}

/* Bytes still unconsumed: zst's window plus what was never handed over. */
static size_t
inbuf_remaining(inbuf *in, z_stream *zst)
{
    return (size_t)zst->avail_in + in->left;
}

/* ------------------------------------------------ argument helpers */

/* Take a simple contiguous view of a bytes-like object, with 3.11's
 * TypeError for anything else.  0, or -1 with an error. */
static int
get_view(PyObject *obj, Py_buffer *view)
{
    if (PyObject_GetBuffer(obj, view, PyBUF_SIMPLE) < 0) {
        if (PyErr_ExceptionMatches(PyExc_TypeError)) {
            PyErr_Clear();
            PyErr_Format(PyExc_TypeError,
                         "a bytes-like object is required, not '%.100s'",
                         Py_TYPE(obj)->tp_name);
        }
        return -1;
    }
    return 0;
}

/* Convert a size argument to Py_ssize_t ('n' converter). */
static int
get_ssize(PyObject *obj, Py_ssize_t *out)
{
    PyObject *idx = PyNumber_Index(obj);
    if (idx == NULL) {
        return -1;
    }
    *out = PyLong_AsSsize_t(idx);
    Py_DECREF(idx);
    if (*out == -1 && PyErr_Occurred()) {
        return -1;
    }
    return 0;
}

/* ------------------------------------------------ one-shot functions */

/* The deflate loop of compress(): all input with Z_FINISH.  Runs
 * without touching Python objects, so it may be detached.  Returns the
 * last zlib code (Z_STREAM_END on success) or Z_MEM_ERROR. */
static int
deflate_all(z_stream *zst, inbuf *in, outbuf *ob)
{
    int err;
    do {
        inbuf_feed(in, zst);
        int flush = in->left == 0 ? Z_FINISH : Z_NO_FLUSH;
        do {
            if (zst->avail_out == 0 && outbuf_grow(ob, zst) < 0) {
                return Z_MEM_ERROR;
            }
            err = deflate(zst, flush);
            if (err == Z_STREAM_ERROR) {
                return err;
            }
        } while (zst->avail_out == 0);
    } while (err != Z_STREAM_END);
    return err;
}

/* zlib.compress(data, /, level=-1, wbits=15).  New reference. */
static PyObject *
zlib_compress(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "level", "wbits", NULL};
    Py_buffer view;
    int level = Z_DEFAULT_COMPRESSION, wbits = MAX_WBITS;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*|ii:compress", kwlist,
                                     &view, &level, &wbits)) {
        return NULL;
    }
    PyObject *res = NULL;
    z_stream zst;
    memset(&zst, 0, sizeof(zst));
    int err = deflateInit2(&zst, level, Z_DEFLATED, wbits, DEF_MEM_LEVEL,
                           Z_DEFAULT_STRATEGY);
    if (err == Z_MEM_ERROR) {
        PyErr_SetString(PyExc_MemoryError,
                        "Out of memory while compressing data");
        goto done;
    }
    if (err == Z_STREAM_ERROR) {
        PyErr_SetString(ZlibError, "Bad compression level");
        goto done;
    }
    if (err != Z_OK) {
        deflateEnd(&zst);
        zlib_error(zst.msg, err, "while compressing data");
        goto done;
    }
    outbuf ob;
    if (outbuf_init(&ob, &zst, 0, 0) < 0) {
        deflateEnd(&zst);
        PyErr_NoMemory();
        goto done;
    }
    inbuf in = {view.buf, (size_t)view.len};
    if (view.len >= ZLIB_DETACH_MIN) {
        Py_BEGIN_ALLOW_THREADS
        err = deflate_all(&zst, &in, &ob);
        Py_END_ALLOW_THREADS
    }
    else {
        err = deflate_all(&zst, &in, &ob);
    }
    if (err != Z_STREAM_END) {
        outbuf_discard(&ob);
        if (err == Z_MEM_ERROR) {
            PyErr_SetString(PyExc_MemoryError,
                            "Out of memory while compressing data");
        }
        else {
            zlib_error(zst.msg, err, "while compressing data");
        }
        deflateEnd(&zst);
        goto done;
    }
    res = outbuf_finish(&ob, &zst);
    err = deflateEnd(&zst);
    if (err != Z_OK && res != NULL) {
        Py_CLEAR(res);
        zlib_error(zst.msg, err, "while finishing compression");
    }
done:
    PyBuffer_Release(&view);
    return res;
}

/* The inflate loop of decompress(): until the end of the stream or the
 * input runs dry.  May run detached.  Returns the last zlib code. */
static int
inflate_all(z_stream *zst, inbuf *in, outbuf *ob)
{
    int err;
    for (;;) {
        inbuf_feed(in, zst);
        if (zst->avail_out == 0 && outbuf_grow(ob, zst) < 0) {
            return Z_MEM_ERROR;
        }
        err = inflate(zst, Z_NO_FLUSH);
        if (err != Z_OK && err != Z_BUF_ERROR) {
            return err;
        }
        if (zst->avail_out != 0 && inbuf_remaining(in, zst) == 0) {
            /* All input consumed and nothing more to write. */
            return Z_BUF_ERROR;
        }
        if (err == Z_BUF_ERROR && zst->avail_out != 0) {
            return err;
        }
    }
}

/* zlib.decompress(data, /, wbits=15, bufsize=16384).  New reference. */
static PyObject *
zlib_decompress(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "wbits", "bufsize", NULL};
    Py_buffer view;
    int wbits = MAX_WBITS;
    Py_ssize_t bufsize = DEF_BUF_SIZE;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*|in:decompress", kwlist,
                                     &view, &wbits, &bufsize)) {
        return NULL;
    }
    PyObject *res = NULL;
    if (bufsize < 0) {
        PyErr_SetString(PyExc_ValueError, "bufsize must be non-negative");
        goto done;
    }
    z_stream zst;
    memset(&zst, 0, sizeof(zst));
    int err = inflateInit2(&zst, wbits);
    if (err == Z_MEM_ERROR) {
        PyErr_SetString(PyExc_MemoryError,
                        "Out of memory while decompressing data");
        goto done;
    }
    if (err != Z_OK) {
        inflateEnd(&zst);
        zlib_error(zst.msg, err, "while preparing to decompress data");
        goto done;
    }
    outbuf ob;
    if (outbuf_init(&ob, &zst, (size_t)bufsize, 0) < 0) {
        inflateEnd(&zst);
        PyErr_NoMemory();
        goto done;
    }
    inbuf in = {view.buf, (size_t)view.len};
    if (view.len >= ZLIB_DETACH_MIN) {
        Py_BEGIN_ALLOW_THREADS
        err = inflate_all(&zst, &in, &ob);
        Py_END_ALLOW_THREADS
    }
    else {
        err = inflate_all(&zst, &in, &ob);
    }
    if (err != Z_STREAM_END) {
        outbuf_discard(&ob);
        if (err == Z_MEM_ERROR) {
            PyErr_SetString(PyExc_MemoryError,
                            "Out of memory while decompressing data");
        }
        else {
            zlib_error(err == Z_BUF_ERROR ? NULL : zst.msg, err,
                       "while decompressing data");
        }
        inflateEnd(&zst);
        goto done;
    }
    res = outbuf_finish(&ob, &zst);
    err = inflateEnd(&zst);
    if (err != Z_OK && res != NULL) {
        Py_CLEAR(res);
        zlib_error(zst.msg, err, "while finishing decompression");
    }
done:
    PyBuffer_Release(&view);
    return res;
}

/* crc32/adler32 over a view, in chunks of at most UINT_MAX bytes,
 * detached for big inputs.  adler selects the checksum. */
static unsigned long
checksum(int adler, unsigned long value, const unsigned char *p,
         size_t len)
{
    while (len > 0) {
        uInt n = len > UINT_MAX ? UINT_MAX : (uInt)len;
        value = adler ? adler32(value, p, n) : crc32(value, p, n);
        p += n;
        len -= n;
    }
    return value;
}

/* Shared body of crc32(data, value=0, /) and adler32(data, value=1, /).
 * New reference to an unsigned int. */
static PyObject *
checksum_func(PyObject *args, const char *fmt, int adler,
              unsigned int start)
{
    Py_buffer view;
    unsigned int value = start;
    if (!PyArg_ParseTuple(args, fmt, &view, &value)) {
        return NULL;
    }
    unsigned long v = value;
    if (view.len >= ZLIB_DETACH_MIN) {
        Py_BEGIN_ALLOW_THREADS
        v = checksum(adler, v, view.buf, (size_t)view.len);
        Py_END_ALLOW_THREADS
    }
    else {
        v = checksum(adler, v, view.buf, (size_t)view.len);
    }
    PyBuffer_Release(&view);
    return PyLong_FromUnsignedLong(v & 0xffffffffU);
}

/* zlib.crc32(data, value=0, /).  New reference. */
static PyObject *
zlib_crc32(PyObject *module, PyObject *args)
{
    return checksum_func(args, "y*|I:crc32", 0, 0);
}

/* zlib.adler32(data, value=1, /).  New reference. */
static PyObject *
zlib_adler32(PyObject *module, PyObject *args)
{
    return checksum_func(args, "y*|I:adler32", 1, 1);
}

/* ------------------------------------------------ stream objects */

/* A fresh stream object of the given type, not yet initialised.
 * New reference. */
static compobject *
newcompobject(PyTypeObject *type)
{
    compobject *self = PyObject_New(compobject, type);
    if (self == NULL) {
        return NULL;
    }
    memset(&self->zst, 0, sizeof(self->zst));
    self->zo_lock = (PyMutex){0};
    self->inited = 0;
    self->eof = 0;
    self->zdict = NULL;
    self->unused_data = PyBytes_FromStringAndSize(NULL, 0);
    self->unconsumed_tail = PyBytes_FromStringAndSize(NULL, 0);
    if (self->unused_data == NULL || self->unconsumed_tail == NULL) {
        Py_DECREF(self);
        return NULL;
    }
    return self;
}

/* End the stream and drop the references.  No other thread can hold a
 * reference, so no lock is needed. */
static void
comp_dealloc(PyObject *op)
{
    compobject *self = (compobject *)op;
    if (self->inited) {
        if (Py_IS_TYPE(op, &Comp_Type)) {
            deflateEnd(&self->zst);
        }
        else {
            inflateEnd(&self->zst);
        }
    }
    Py_XDECREF(self->unused_data);
    Py_XDECREF(self->unconsumed_tail);
    Py_XDECREF(self->zdict);
    PyObject_Free(op);
}

/* zlib.compressobj(level=-1, method=DEFLATED, wbits=15, memLevel=8,
 * strategy=Z_DEFAULT_STRATEGY, zdict=None).  New reference. */
static PyObject *
zlib_compressobj(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"level", "method", "wbits", "memLevel",
                             "strategy", "zdict", NULL};
    int level = Z_DEFAULT_COMPRESSION, method = Z_DEFLATED;
    int wbits = MAX_WBITS, memlevel = DEF_MEM_LEVEL;
    int strategy = Z_DEFAULT_STRATEGY;
    PyObject *zdict = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|iiiiiO:compressobj",
                                     kwlist, &level, &method, &wbits,
                                     &memlevel, &strategy, &zdict)) {
        return NULL;
    }
    Py_buffer zview = {0};
    if (zdict != NULL && zdict != Py_None) {
        if (get_view(zdict, &zview) < 0) {
            return NULL;
        }
        if ((size_t)zview.len > UINT_MAX) {
            PyBuffer_Release(&zview);
            PyErr_SetString(PyExc_OverflowError,
                            "zdict length does not fit in an unsigned int");
            return NULL;
        }
    }
    compobject *self = newcompobject(&Comp_Type);
    if (self == NULL) {
        goto fail;
    }
    int err = deflateInit2(&self->zst, level, method, wbits, memlevel,
                           strategy);
    if (err == Z_OK) {
        self->inited = 1;
        if (zview.obj != NULL) {
            err = deflateSetDictionary(&self->zst, zview.buf,
                                       (uInt)zview.len);
            if (err != Z_OK) {
                PyErr_SetString(PyExc_ValueError,
                                "Invalid dictionary");
                goto fail;
            }
        }
        PyBuffer_Release(&zview);
        return (PyObject *)self;
    }
    if (err == Z_MEM_ERROR) {
        PyErr_SetString(PyExc_MemoryError,
                        "Can't allocate memory for compression object");
    }
    else if (err == Z_STREAM_ERROR) {
        PyErr_SetString(PyExc_ValueError, "Invalid initialization option");
    }
    else {
        zlib_error(self->zst.msg, err, "while creating compression object");
    }
fail:
    if (zview.obj != NULL) {
        PyBuffer_Release(&zview);
    }
    Py_XDECREF(self);
    return NULL;
}

/* Decompress with a zdict: install it (raw streams at once, others on
 * Z_NEED_DICT).  Locked by caller (or not yet shared).  0, or -1 with
 * an error. */
static int
set_inflate_dict(compobject *self)
{
    Py_buffer view;
    if (PyObject_GetBuffer(self->zdict, &view, PyBUF_SIMPLE) < 0) {
        return -1;
    }
    int err = Z_OK;
    if ((size_t)view.len > UINT_MAX) {
        PyErr_SetString(PyExc_OverflowError,
                        "zdict length does not fit in an unsigned int");
        PyBuffer_Release(&view);
        return -1;
    }
    err = inflateSetDictionary(&self->zst, view.buf, (uInt)view.len);
    PyBuffer_Release(&view);
    if (err != Z_OK) {
        zlib_error(self->zst.msg, err, "while setting zdict");
        return -1;
    }
    return 0;
}

/* zlib.decompressobj(wbits=15, zdict=b'').  New reference. */
static PyObject *
zlib_decompressobj(PyObject *module, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"wbits", "zdict", NULL};
    int wbits = MAX_WBITS;
    PyObject *zdict = NULL;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "|iO:decompressobj",
                                     kwlist, &wbits, &zdict)) {
        return NULL;
    }
    if (zdict != NULL && !PyObject_CheckBuffer(zdict)) {
        PyErr_SetString(PyExc_TypeError,
                        "zdict argument must support the buffer protocol");
        return NULL;
    }
    compobject *self = newcompobject(&Decomp_Type);
    if (self == NULL) {
        return NULL;
    }
    self->zdict = Py_XNewRef(zdict);
    int err = inflateInit2(&self->zst, wbits);
    if (err == Z_OK) {
        self->inited = 1;
        if (self->zdict != NULL && wbits < 0 && set_inflate_dict(self) < 0) {
            Py_DECREF(self);
            return NULL;
        }
        return (PyObject *)self;
    }
    if (err == Z_MEM_ERROR) {
        PyErr_SetString(PyExc_MemoryError,
                        "Can't allocate memory for decompression object");
    }
    else if (err == Z_STREAM_ERROR) {
        PyErr_SetString(PyExc_ValueError, "Invalid initialization option");
    }
    else {
        zlib_error(self->zst.msg, err,
                   "while creating decompression object");
    }
    Py_DECREF(self);
    return NULL;
}

/* The deflate loop of Compress.compress/flush, zo_lock held, possibly
 * detached: feed all input with the given flush mode until zlib stops
 * filling the output.  Returns the last zlib code or Z_MEM_ERROR. */
static int
deflate_stream(z_stream *zst, inbuf *in, outbuf *ob, int flush)
{
    int err = Z_OK;
    do {
        inbuf_feed(in, zst);
        do {
            if (zst->avail_out == 0 && outbuf_grow(ob, zst) < 0) {
                return Z_MEM_ERROR;
            }
            err = deflate(zst, in->left == 0 ? flush : Z_NO_FLUSH);
            if (err == Z_STREAM_ERROR) {
                return err;
            }
        } while (zst->avail_out == 0);
    } while (in->left > 0 || zst->avail_in > 0);
    return err;
}

/* Run deflate_stream on self's stream over data, detaching for big
 * inputs; zo_lock must be held.  what names the operation for errors.
 * New reference to the output. */
static PyObject *
comp_run(compobject *self, const void *data, size_t len, int flush,
         const char *what)
{
    if (!self->inited) {
        zlib_error(NULL, Z_STREAM_ERROR, what);
        return NULL;
    }
    outbuf ob;
    if (outbuf_init(&ob, &self->zst, 0, 0) < 0) {
        return PyErr_NoMemory();
    }
    inbuf in = {data, len};
    self->zst.avail_in = 0;
    int err;
    if (len >= ZLIB_DETACH_MIN) {
        Py_BEGIN_ALLOW_THREADS
        err = deflate_stream(&self->zst, &in, &ob, flush);
        Py_END_ALLOW_THREADS
    }
    else {
        err = deflate_stream(&self->zst, &in, &ob, flush);
    }
    if (err == Z_MEM_ERROR) {
        outbuf_discard(&ob);
        return PyErr_NoMemory();
    }
    if (err != Z_OK && err != Z_BUF_ERROR && err != Z_STREAM_END) {
        outbuf_discard(&ob);
        zlib_error(self->zst.msg, err, what);
        return NULL;
    }
    PyObject *res = outbuf_finish(&ob, &self->zst);
    if (flush == Z_FINISH && err == Z_STREAM_END) {
        /* The stream is complete: free it; further use is an error. */
        deflateEnd(&self->zst);
        self->inited = 0;
    }
    return res;
}

/* Compress.compress(data, /).  New reference. */
static PyObject *
comp_compress(PyObject *op, PyObject *arg)
{
    compobject *self = (compobject *)op;
    Py_buffer view;
    if (get_view(arg, &view) < 0) {
        return NULL;
    }
    PyMutex_Lock(&self->zo_lock);
    PyObject *res = comp_run(self, view.buf, (size_t)view.len, Z_NO_FLUSH,
                             "while compressing data");
    PyMutex_Unlock(&self->zo_lock);
    PyBuffer_Release(&view);
    return res;
}

/* Compress.flush(mode=Z_FINISH, /).  New reference. */
static PyObject *
comp_flush(PyObject *op, PyObject *args)
{
    compobject *self = (compobject *)op;
    int mode = Z_FINISH;
    if (!PyArg_ParseTuple(args, "|i:flush", &mode)) {
        return NULL;
    }
    if (mode == Z_NO_FLUSH) {
        return PyBytes_FromStringAndSize(NULL, 0);
    }
    PyMutex_Lock(&self->zo_lock);
    PyObject *res = comp_run(self, "", 0, mode, "while flushing");
    PyMutex_Unlock(&self->zo_lock);
    return res;
}

/* Copy self's state into a new object of the same type (deflateCopy or
 * inflateCopy), under self's zo_lock.  New reference. */
static PyObject *
comp_copy_impl(compobject *self)
{
    int is_comp = Py_IS_TYPE(self, &Comp_Type);
    compobject *copy = newcompobject(Py_TYPE(self));
    if (copy == NULL) {
        return NULL;
    }
    PyMutex_Lock(&self->zo_lock);
    int err = Z_STREAM_ERROR;
    if (self->inited) {
        err = is_comp ? deflateCopy(&copy->zst, &self->zst)
                      : inflateCopy(&copy->zst, &self->zst);
    }
    if (err == Z_OK) {
        copy->inited = 1;
        Py_SETREF(copy->unused_data, Py_NewRef(self->unused_data));
        Py_SETREF(copy->unconsumed_tail, Py_NewRef(self->unconsumed_tail));
        copy->zdict = Py_XNewRef(self->zdict);
        copy->eof = self->eof;
    }
    PyMutex_Unlock(&self->zo_lock);
    if (err == Z_OK) {
        return (PyObject *)copy;
    }
    if (err == Z_STREAM_ERROR) {
        PyErr_SetString(PyExc_ValueError, "Inconsistent stream state");
    }
    else if (err == Z_MEM_ERROR) {
        PyErr_SetString(PyExc_MemoryError,
                        is_comp
                        ? "Can't allocate memory for compression object"
                        : "Can't allocate memory for decompression object");
    }
    else {
        zlib_error(NULL, err,
                   is_comp ? "while copying compression object"
                           : "while copying decompression object");
    }
    Py_DECREF(copy);
    return NULL;
}

/* copy() and __copy__().  New reference. */
static PyObject *
comp_copy(PyObject *op, PyObject *unused)
{
    return comp_copy_impl((compobject *)op);
}

/* __deepcopy__(memo, /): the same as copy().  New reference. */
static PyObject *
comp_deepcopy(PyObject *op, PyObject *memo)
{
    return comp_copy_impl((compobject *)op);
}

/* The inflate loop of Decompress.decompress/flush, zo_lock held,
 * possibly detached.  Stops at the end of the stream, when the input is
 * used up, or when the output limit is reached.  *need_dict is set when
 * zlib asks for the dictionary.  Returns the last zlib code. */
static int
inflate_stream(z_stream *zst, inbuf *in, outbuf *ob, int flush,
               int *need_dict)
{
    int err;
    *need_dict = 0;
    for (;;) {
        inbuf_feed(in, zst);
        if (zst->avail_out == 0) {
            int r = outbuf_grow(ob, zst);
            if (r < 0) {
                return Z_MEM_ERROR;
            }
            if (r == 0) {
                return Z_OK;    /* max_length reached */
            }
        }
        err = inflate(zst, flush);
        if (err == Z_NEED_DICT) {
            *need_dict = 1;
            return err;
        }
        if (err != Z_OK && err != Z_BUF_ERROR) {
            return err;
        }
        if (zst->avail_out != 0 && inbuf_remaining(in, zst) == 0) {
            return err;
        }
        if (err == Z_BUF_ERROR && zst->avail_out != 0) {
            return err;
        }
    }
}

/* After a decompress step, keep what zlib did not consume: past the end
 * of the stream it is appended to unused_data; in every case (as 3.11
 * does) it also becomes unconsumed_tail.  zo_lock held.  0, or -1 with
 * an error. */
static int
save_unconsumed(compobject *self, inbuf *in, int err)
{
    size_t left = inbuf_remaining(in, &self->zst);
    const char *start = in->left > 0
        ? (const char *)in->next - self->zst.avail_in
        : (const char *)self->zst.next_in;
    if (err == Z_STREAM_END) {
        if (left > 0) {
            Py_ssize_t old = PyBytes_GET_SIZE(self->unused_data);
            PyObject *nu = PyBytes_FromStringAndSize(NULL,
                                                     old + (Py_ssize_t)left);
            if (nu == NULL) {
                return -1;
            }
            memcpy(PyBytes_AS_STRING(nu), PyBytes_AS_STRING(self->unused_data),
                   old);
            memcpy(PyBytes_AS_STRING(nu) + old, start, left);
            Py_SETREF(self->unused_data, nu);
        }
        /* 3.11 also leaves the same bytes in unconsumed_tail. */
    }
    if (left > 0 || PyBytes_GET_SIZE(self->unconsumed_tail) > 0) {
        PyObject *nt = PyBytes_FromStringAndSize(left ? start : "",
                                                 (Py_ssize_t)left);
        if (nt == NULL) {
            return -1;
        }
        Py_SETREF(self->unconsumed_tail, nt);
    }
    return 0;
}

/* Shared body of Decompress.decompress and flush: inflate data into at
 * most max_length bytes (0: unlimited), zo_lock held.  New reference. */
static PyObject *
decomp_run(compobject *self, const void *data, size_t len,
           size_t max_length, size_t initial, int flush, const char *what)
{
    if (!self->inited) {
        zlib_error(NULL, Z_STREAM_ERROR, what);
        return NULL;
    }
    outbuf ob;
    if (outbuf_init(&ob, &self->zst, initial, max_length) < 0) {
        return PyErr_NoMemory();
    }
    inbuf in = {data, len};
    self->zst.avail_in = 0;
    int err, need_dict;
    for (;;) {
        if (len >= ZLIB_DETACH_MIN) {
            Py_BEGIN_ALLOW_THREADS
            err = inflate_stream(&self->zst, &in, &ob, flush, &need_dict);
            Py_END_ALLOW_THREADS
        }
        else {
            err = inflate_stream(&self->zst, &in, &ob, flush, &need_dict);
        }
        if (!need_dict) {
            break;
        }
        if (self->zdict == NULL) {
            break;
        }
        if (set_inflate_dict(self) < 0) {
            outbuf_discard(&ob);
            return NULL;
        }
    }
    if (err == Z_MEM_ERROR) {
        outbuf_discard(&ob);
        return PyErr_NoMemory();
    }
    if (err != Z_OK && err != Z_BUF_ERROR && err != Z_STREAM_END) {
        outbuf_discard(&ob);
        zlib_error(self->zst.msg, err, what);
        return NULL;
    }
    if (err == Z_STREAM_END) {
        self->eof = 1;
    }
    if (save_unconsumed(self, &in, err) < 0) {
        outbuf_discard(&ob);
        return NULL;
    }
    return outbuf_finish(&ob, &self->zst);
}

/* Decompress.decompress(data, /, max_length=0).  New reference. */
static PyObject *
decomp_decompress(PyObject *op, PyObject *args, PyObject *kwds)
{
    static char *kwlist[] = {"", "max_length", NULL};
    compobject *self = (compobject *)op;
    Py_buffer view;
    Py_ssize_t max_length = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kwds, "y*|n:decompress", kwlist,
                                     &view, &max_length)) {
        return NULL;
    }
    if (max_length < 0) {
        PyBuffer_Release(&view);
        PyErr_SetString(PyExc_ValueError, "max_length must be non-negative");
        return NULL;
    }
    size_t initial = DEF_BUF_SIZE;
    if (max_length > 0 && (size_t)max_length < initial) {
        initial = (size_t)max_length;
    }
    PyMutex_Lock(&self->zo_lock);
    PyObject *res = decomp_run(self, view.buf, (size_t)view.len,
                               (size_t)max_length, initial, Z_SYNC_FLUSH,
                               "while decompressing data");
    PyMutex_Unlock(&self->zo_lock);
    PyBuffer_Release(&view);
    return res;
}

/* Decompress.flush(length=DEF_BUF_SIZE, /): process unconsumed_tail to
 * the end.  New reference. */
static PyObject *
decomp_flush(PyObject *op, PyObject *args)
{
    compobject *self = (compobject *)op;
    PyObject *lenobj = NULL;
    Py_ssize_t length = DEF_BUF_SIZE;
    if (!PyArg_ParseTuple(args, "|O:flush", &lenobj)) {
        return NULL;
    }
    if (lenobj != NULL && get_ssize(lenobj, &length) < 0) {
        return NULL;
    }
    if (length <= 0) {
        PyErr_SetString(PyExc_ValueError, "length must be greater than zero");
        return NULL;
    }
    PyMutex_Lock(&self->zo_lock);
    PyObject *tail = Py_NewRef(self->unconsumed_tail);
    PyObject *res = decomp_run(self, PyBytes_AS_STRING(tail),
                               (size_t)PyBytes_GET_SIZE(tail), 0,
                               (size_t)length, Z_FINISH, "while flushing");
    PyMutex_Unlock(&self->zo_lock);
    Py_DECREF(tail);
    return res;
}

/* Getters for the Decompress attributes: read under zo_lock so the
 * reference is not being replaced meanwhile.  New references. */
static PyObject *
decomp_get_unused_data(PyObject *op, void *closure)
{
    compobject *self = (compobject *)op;
    PyMutex_Lock(&self->zo_lock);
    PyObject *res = Py_NewRef(self->unused_data);
    PyMutex_Unlock(&self->zo_lock);
    return res;
}

/* See decomp_get_unused_data. */
static PyObject *
decomp_get_unconsumed_tail(PyObject *op, void *closure)
{
    compobject *self = (compobject *)op;
    PyMutex_Lock(&self->zo_lock);
    PyObject *res = Py_NewRef(self->unconsumed_tail);
    PyMutex_Unlock(&self->zo_lock);
    return res;
}

/* See decomp_get_unused_data. */
static PyObject *
decomp_get_eof(PyObject *op, void *closure)
{
    compobject *self = (compobject *)op;
    PyMutex_Lock(&self->zo_lock);
    int eof = self->eof;
    PyMutex_Unlock(&self->zo_lock);
    return PyBool_FromLong(eof);
}

static PyMethodDef comp_methods[] = {
    {"compress", comp_compress, METH_O,
     "Returns a bytes object containing compressed data."},
    {"flush", comp_flush, METH_VARARGS,
     "Return a bytes object containing any remaining compressed data."},
    {"copy", comp_copy, METH_NOARGS,
     "Return a copy of the compression object."},
    {"__copy__", comp_copy, METH_NOARGS, NULL},
    {"__deepcopy__", comp_deepcopy, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static PyMethodDef decomp_methods[] = {
    {"decompress", (PyCFunction)(void (*)(void))decomp_decompress,
     METH_VARARGS | METH_KEYWORDS,
     "Return a bytes object containing the decompressed version of the "
     "data."},
    {"flush", decomp_flush, METH_VARARGS,
     "Return a bytes object containing any remaining decompressed data."},
    {"copy", comp_copy, METH_NOARGS,
     "Return a copy of the decompression object."},
    {"__copy__", comp_copy, METH_NOARGS, NULL},
    {"__deepcopy__", comp_deepcopy, METH_O, NULL},
    {NULL, NULL, 0, NULL}
};

static PyGetSetDef decomp_getset[] = {
    {"unused_data", decomp_get_unused_data, NULL, NULL, NULL},
    {"unconsumed_tail", decomp_get_unconsumed_tail, NULL, NULL, NULL},
    {"eof", decomp_get_eof, NULL, NULL, NULL},
    {NULL, NULL, NULL, NULL, NULL}
};

static PyTypeObject Comp_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "zlib.Compress",
    .tp_basicsize = sizeof(compobject),
    .tp_dealloc = comp_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = comp_methods,
};

static PyTypeObject Decomp_Type = {
    PyVarObject_HEAD_INIT(&PyType_Type, 0)
    .tp_name = "zlib.Decompress",
    .tp_basicsize = sizeof(compobject),
    .tp_dealloc = comp_dealloc,
    .tp_getattro = PyObject_GenericGetAttr,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_methods = decomp_methods,
    .tp_getset = decomp_getset,
};

static PyMethodDef zlib_functions[] = {
    {"adler32", zlib_adler32, METH_VARARGS,
     "Compute an Adler-32 checksum of data."},
    {"compress", (PyCFunction)(void (*)(void))zlib_compress,
     METH_VARARGS | METH_KEYWORDS,
     "Returns a bytes object containing compressed data."},
    {"compressobj", (PyCFunction)(void (*)(void))zlib_compressobj,
     METH_VARARGS | METH_KEYWORDS,
     "Return a compressor object."},
    {"crc32", zlib_crc32, METH_VARARGS,
     "Compute a CRC-32 checksum of data."},
    {"decompress", (PyCFunction)(void (*)(void))zlib_decompress,
     METH_VARARGS | METH_KEYWORDS,
     "Returns a bytes object containing the uncompressed data."},
    {"decompressobj", (PyCFunction)(void (*)(void))zlib_decompressobj,
     METH_VARARGS | METH_KEYWORDS,
     "Return a decompressor object."},
    {NULL, NULL, 0, NULL}
};

static struct PyModuleDef zlib_module = {
    PyModuleDef_HEAD_INIT,
    .m_name = "zlib",
    .m_doc = "The functions in this module allow compression and "
             "decompression using the\nzlib library, which is based on "
             "GNU zip.",
    .m_size = -1,
    .m_methods = zlib_functions,
};

/* Add the integer constants.  0, or -1 with an error. */
static int
add_constants(PyObject *m)
{
    static const struct {
        const char *name;
        long value;
    } consts[] = {
        {"MAX_WBITS", MAX_WBITS}, {"DEFLATED", Z_DEFLATED},
        {"DEF_MEM_LEVEL", DEF_MEM_LEVEL}, {"DEF_BUF_SIZE", DEF_BUF_SIZE},
        {"Z_NO_COMPRESSION", Z_NO_COMPRESSION},
        {"Z_BEST_SPEED", Z_BEST_SPEED},
        {"Z_BEST_COMPRESSION", Z_BEST_COMPRESSION},
        {"Z_DEFAULT_COMPRESSION", Z_DEFAULT_COMPRESSION},
        {"Z_FILTERED", Z_FILTERED}, {"Z_HUFFMAN_ONLY", Z_HUFFMAN_ONLY},
        {"Z_RLE", Z_RLE}, {"Z_FIXED", Z_FIXED},
        {"Z_DEFAULT_STRATEGY", Z_DEFAULT_STRATEGY},
        {"Z_NO_FLUSH", Z_NO_FLUSH}, {"Z_PARTIAL_FLUSH", Z_PARTIAL_FLUSH},
        {"Z_SYNC_FLUSH", Z_SYNC_FLUSH}, {"Z_FULL_FLUSH", Z_FULL_FLUSH},
        {"Z_FINISH", Z_FINISH}, {"Z_BLOCK", Z_BLOCK}, {"Z_TREES", Z_TREES},
    };
    for (size_t i = 0; i < sizeof(consts) / sizeof(consts[0]); i++) {
        if (PyModule_AddIntConstant(m, consts[i].name, consts[i].value) < 0) {
            return -1;
        }
    }
    return 0;
}

/* Static types get no __module__ entry from PyType_Ready in this runtime
 * yet (CPython derives it from the dotted tp_name); add it so dir() and
 * pickling match 3.11.  Called at module init, before the type can be
 * shared.  0, or -1 with an error.  TEMPORARY until typeobject.c does it. */
static int
set_type_module(PyTypeObject *type, const char *module)
{
    if (PyDict_GetItemString(type->tp_dict, "__module__") != NULL) {
        return 0;
    }
    PyObject *name = PyUnicode_FromString(module);
    if (name == NULL) {
        return -1;
    }
    int r = PyDict_SetItemString(type->tp_dict, "__module__", name);
    Py_DECREF(name);
    return r;
}

/* Module init.  New reference. */
PyMODINIT_FUNC
PyInit_zlib(void)
{
    if (PyType_Ready(&Comp_Type) < 0 || PyType_Ready(&Decomp_Type) < 0) {
        return NULL;
    }
    if (set_type_module(&Comp_Type, "zlib") < 0
        || set_type_module(&Decomp_Type, "zlib") < 0) {
        return NULL;
    }
    /* Only compressobj()/decompressobj() make instances. */
    Comp_Type.tp_new = NULL;
    Decomp_Type.tp_new = NULL;
    PyObject *m = PyModule_Create(&zlib_module);
    if (m == NULL) {
        return NULL;
    }
    if (ZlibError == NULL) {
        PyObject *err = PyErr_NewException("zlib.error", NULL, NULL);
        if (err == NULL) {
            Py_DECREF(m);
            return NULL;
        }
        ZlibError = err;    /* kept for the life of the process */
    }
    if (PyModule_AddObjectRef(m, "error", ZlibError) < 0
        || add_constants(m) < 0
        || PyModule_AddStringConstant(m, "ZLIB_VERSION", ZLIB_VERSION) < 0
        || PyModule_AddStringConstant(m, "ZLIB_RUNTIME_VERSION",
                                      zlibVersion()) < 0
        || PyModule_AddStringConstant(m, "__version__", "1.0") < 0) {
        Py_DECREF(m);
        return NULL;
    }
    return m;
}
