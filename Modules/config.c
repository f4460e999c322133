/* The table of C modules built into libpython (PyImport_Inittab).
 *
 * Every module Plait may provide is listed here by name; its PyInit_
 * function is declared weak, so a module whose file is not written yet
 * simply has a NULL entry and `import` treats it as absent.  To add a
 * module: write Modules/NAME.c (or Modules/NAME/...) defining
 * PyInit_NAME; if NAME is not listed below, add one line to each list. */
#include "Python.h"
#include "import.h"

extern PyObject *PyInit__thread(void) __attribute__((weak));
extern PyObject *PyInit_time(void) __attribute__((weak));
extern PyObject *PyInit_posix(void) __attribute__((weak));
extern PyObject *PyInit_errno(void) __attribute__((weak));
extern PyObject *PyInit__stat(void) __attribute__((weak));
extern PyObject *PyInit__signal(void) __attribute__((weak));
extern PyObject *PyInit_atexit(void) __attribute__((weak));
extern PyObject *PyInit_itertools(void) __attribute__((weak));
extern PyObject *PyInit__collections(void) __attribute__((weak));
extern PyObject *PyInit__functools(void) __attribute__((weak));
extern PyObject *PyInit__operator(void) __attribute__((weak));
extern PyObject *PyInit__weakref(void) __attribute__((weak));
extern PyObject *PyInit_gc(void) __attribute__((weak));
extern PyObject *PyInit_math(void) __attribute__((weak));
extern PyObject *PyInit_cmath(void) __attribute__((weak));
extern PyObject *PyInit__io(void) __attribute__((weak));
extern PyObject *PyInit__abc(void) __attribute__((weak));
extern PyObject *PyInit__codecs(void) __attribute__((weak));
extern PyObject *PyInit__sre(void) __attribute__((weak));
extern PyObject *PyInit__string(void) __attribute__((weak));
extern PyObject *PyInit__struct(void) __attribute__((weak));
extern PyObject *PyInit_binascii(void) __attribute__((weak));
extern PyObject *PyInit_select(void) __attribute__((weak));
extern PyObject *PyInit__random(void) __attribute__((weak));
extern PyObject *PyInit__bisect(void) __attribute__((weak));
extern PyObject *PyInit__heapq(void) __attribute__((weak));
extern PyObject *PyInit__locale(void) __attribute__((weak));
extern PyObject *PyInit_zlib(void) __attribute__((weak));
extern PyObject *PyInit_array(void) __attribute__((weak));
extern PyObject *PyInit_unicodedata(void) __attribute__((weak));
extern PyObject *PyInit__json(void) __attribute__((weak));
extern PyObject *PyInit__datetime(void) __attribute__((weak));
extern PyObject *PyInit__contextvars(void) __attribute__((weak));
extern PyObject *PyInit__warnings(void) __attribute__((weak));
extern PyObject *PyInit__imp(void) __attribute__((weak));
extern PyObject *PyInit_marshal(void) __attribute__((weak));
extern PyObject *PyInit_faulthandler(void) __attribute__((weak));
extern PyObject *PyInit__opcode(void) __attribute__((weak));
extern PyObject *PyInit__typing(void) __attribute__((weak));
extern PyObject *PyInit__tokenize(void) __attribute__((weak));
extern PyObject *PyInit__symtable(void) __attribute__((weak));
extern PyObject *PyInit_pwd(void) __attribute__((weak));
extern PyObject *PyInit_grp(void) __attribute__((weak));
extern PyObject *PyInit_fcntl(void) __attribute__((weak));
extern PyObject *PyInit__posixsubprocess(void) __attribute__((weak));
extern PyObject *PyInit__socket(void) __attribute__((weak));
extern PyObject *PyInit__md5(void) __attribute__((weak));
extern PyObject *PyInit__sha1(void) __attribute__((weak));
extern PyObject *PyInit__sha256(void) __attribute__((weak));
extern PyObject *PyInit__sha512(void) __attribute__((weak));
extern PyObject *PyInit__sha3(void) __attribute__((weak));
extern PyObject *PyInit__blake2(void) __attribute__((weak));
extern PyObject *PyInit__hashlib(void) __attribute__((weak));
extern PyObject *PyInit__pickle(void) __attribute__((weak));
extern PyObject *PyInit__queue(void) __attribute__((weak));
extern PyObject *PyInit__asyncio(void) __attribute__((weak));
extern PyObject *PyInit__csv(void) __attribute__((weak));
extern PyObject *PyInit__statistics(void) __attribute__((weak));
extern PyObject *PyInit__uuid(void) __attribute__((weak));
extern PyObject *PyInit_resource(void) __attribute__((weak));
extern PyObject *PyInit_termios(void) __attribute__((weak));
extern PyObject *PyInit_mmap(void) __attribute__((weak));
extern PyObject *PyInit__ctypes(void) __attribute__((weak));
extern PyObject *PyInit_readline(void) __attribute__((weak));
extern PyObject *PyInit__testcapi(void) __attribute__((weak));
extern PyObject *PyInit__tracemalloc(void) __attribute__((weak));
extern PyObject *PyInit__ast(void) __attribute__((weak));

struct _inittab _PyImport_Inittab[] = {
    {"_thread", PyInit__thread},
    {"time", PyInit_time},
    {"posix", PyInit_posix},
    {"errno", PyInit_errno},
    {"_stat", PyInit__stat},
    {"_signal", PyInit__signal},
    {"atexit", PyInit_atexit},
    {"itertools", PyInit_itertools},
    {"_collections", PyInit__collections},
    {"_functools", PyInit__functools},
    {"_operator", PyInit__operator},
    {"_weakref", PyInit__weakref},
    {"gc", PyInit_gc},
    {"math", PyInit_math},
    {"cmath", PyInit_cmath},
    {"_io", PyInit__io},
    {"_abc", PyInit__abc},
    {"_ast", PyInit__ast},
    {"_codecs", PyInit__codecs},
    {"_sre", PyInit__sre},
    {"_string", PyInit__string},
    {"_struct", PyInit__struct},
    {"binascii", PyInit_binascii},
    {"select", PyInit_select},
    {"_random", PyInit__random},
    {"_bisect", PyInit__bisect},
    {"_heapq", PyInit__heapq},
    {"_locale", PyInit__locale},
    {"zlib", PyInit_zlib},
    {"array", PyInit_array},
    {"unicodedata", PyInit_unicodedata},
    {"_json", PyInit__json},
    {"_datetime", PyInit__datetime},
    {"_contextvars", PyInit__contextvars},
    {"_warnings", PyInit__warnings},
    {"_imp", PyInit__imp},
    {"marshal", PyInit_marshal},
    {"faulthandler", PyInit_faulthandler},
    {"_opcode", PyInit__opcode},
    {"_typing", PyInit__typing},
    {"_tokenize", PyInit__tokenize},
    {"_symtable", PyInit__symtable},
    {"pwd", PyInit_pwd},
    {"grp", PyInit_grp},
    {"fcntl", PyInit_fcntl},
    {"_posixsubprocess", PyInit__posixsubprocess},
    {"_socket", PyInit__socket},
    {"_md5", PyInit__md5},
    {"_sha1", PyInit__sha1},
    {"_sha256", PyInit__sha256},
    {"_sha512", PyInit__sha512},
    {"_sha3", PyInit__sha3},
    {"_blake2", PyInit__blake2},
    {"_hashlib", PyInit__hashlib},
    {"_pickle", PyInit__pickle},
    {"_queue", PyInit__queue},
    {"_asyncio", PyInit__asyncio},
    {"_csv", PyInit__csv},
    {"_statistics", PyInit__statistics},
    {"_uuid", PyInit__uuid},
    {"resource", PyInit_resource},
    {"termios", PyInit_termios},
    {"mmap", PyInit_mmap},
    {"_ctypes", PyInit__ctypes},
    {"readline", PyInit_readline},
    {"_testcapi", PyInit__testcapi},
    {"_tracemalloc", PyInit__tracemalloc},
    {NULL, NULL},
};
