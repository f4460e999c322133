/* libFuzzer target for the tokenizer, parser and AST dump.
 *
 *   clang -g -O1 -fsanitize=fuzzer,address,undefined -DPy_BUILD_CORE \
 *       -IInclude -IInclude/internal Parser/[a-z]*.c Objects/unicodectype.c \
 *       Objects/unicode_normalize.c Tools/fuzz/fuzz_parser.c -lm \
 *       -o fuzz_parser
 *   ./fuzz_parser -max_len=4096 CORPUS_DIR
 *
 * The first byte picks the mode (exec, eval, single, func_type: bits 0-1)
 * and the flags (bit 2: the source is a str, bit 3: allow incomplete
 * input); the rest is the source.  Any crash, leak, sanitizer report or slow unit
 * (-timeout=5 -report_slow_units=2) is a bug: bad input must end in a
 * syntax error, quickly.  A good seed corpus: every snippet of
 * Lib/test/parser/invalid/ and the stdlib files under 4 kB, each written
 * to its own file behind a zero byte. */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "pycore_parser.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1) {
        return 0;
    }
    int mode = data[0] & 3;
    int flags = 0;
    if (data[0] & 4) {
        flags |= _PyParser_FLAG_SOURCE_IS_STR;
    }
    if (data[0] & 8) {
        flags |= _PyParser_FLAG_ALLOW_INCOMPLETE;
    }
    _PyArena *arena = _PyArena_New();
    if (arena == NULL) {
        return 0;
    }
    _PySyntaxErrorInfo err;
    mod_ty mod = _PyParser_ParseStringEx((const char *)data + 1, size - 1,
                                         "<fuzz>", mode, flags, arena, &err);
    if (mod != NULL) {
        char *text = _PyAST_Dump(mod, 1, &err);
        free(text);
    }
    _PySyntaxErrorInfo_Clear(&err);
    _PyArena_Free(arena);
    return 0;
}
