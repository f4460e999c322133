/* Portability definitions shared by every Plait header. */
#ifndef Py_PYPORT_H
#define Py_PYPORT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

typedef ssize_t Py_ssize_t;
typedef size_t Py_uhash_t;
typedef Py_ssize_t Py_hash_t;
typedef uint32_t Py_UCS4;
typedef uint16_t Py_UCS2;
typedef uint8_t Py_UCS1;

#define PY_SSIZE_T_MAX ((Py_ssize_t)(((size_t)-1) >> 1))
#define PY_SSIZE_T_MIN (-PY_SSIZE_T_MAX - 1)

#ifdef __cplusplus
#  define PyAPI_EXTERN extern "C"
#else
#  define PyAPI_EXTERN extern
#endif
#define PyAPI_FUNC(RTYPE) PyAPI_EXTERN __attribute__((visibility("default"))) RTYPE
#define PyAPI_DATA(RTYPE) PyAPI_EXTERN __attribute__((visibility("default"))) RTYPE
#define PyMODINIT_FUNC PyAPI_EXTERN __attribute__((visibility("default"))) PyObject *

#define Py_LOCAL_INLINE(type) static inline type
#define Py_ALWAYS_INLINE __attribute__((always_inline))
#define Py_NO_INLINE __attribute__((noinline))
#define Py_UNUSED(name) _unused_ ## name __attribute__((unused))
#define Py_WARN_UNUSED_RESULT __attribute__((warn_unused_result))
#define _Py_NO_RETURN __attribute__((noreturn))
#define Py_GCC_ATTRIBUTE(x) __attribute__(x)
#define Py_DEPRECATED(VERSION) __attribute__((deprecated))
#define _Py_likely(x) __builtin_expect(!!(x), 1)
#define _Py_unlikely(x) __builtin_expect(!!(x), 0)

#define Py_ARRAY_LENGTH(array) (sizeof(array) / sizeof((array)[0]))
#define Py_MIN(x, y) (((x) > (y)) ? (y) : (x))
#define Py_MAX(x, y) (((x) > (y)) ? (x) : (y))
#define Py_ABS(x) ((x) < 0 ? -(x) : (x))
#define _Py_SIZE_ROUND_UP(n, a) (((size_t)(n) + (size_t)((a) - 1)) & ~(size_t)((a) - 1))
#define _Py_ALIGN_UP(p, a) ((void *)(((uintptr_t)(p) + (uintptr_t)((a) - 1)) & ~(uintptr_t)((a) - 1)))

#define _Py_CACHE_LINE 64
#define _Py_ALIGNED_CACHE_LINE __attribute__((aligned(_Py_CACHE_LINE)))

#define Py_SAFE_DOWNCAST(VALUE, WIDE, NARROW) ((NARROW)(VALUE))
#define Py_CHARMASK(c) ((unsigned char)((c) & 0xff))

#if defined(_Py_THREAD_SANITIZER)
#  define _Py_NO_SANITIZE_THREAD __attribute__((no_sanitize_thread))
#else
#  define _Py_NO_SANITIZE_THREAD
#endif

#endif /* !Py_PYPORT_H */
