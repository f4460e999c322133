/* The parser's only contact with the Unicode database: identifier
   characters, printability (for repr in _astdump), NFKC of identifiers
   and \N{...} names.  All of it comes from Objects/unicodectype.c and
   Objects/unicode_normalize.c (pycore_unicodectype.h). */

#include <stdlib.h>
#include <string.h>

#include "pycore_tokenizer.h"
#include "pycore_unicodectype.h"

int
_PyParser_IsXidStart(unsigned int ch)
{
    return _PyUnicode_IsXidStart(ch);
}

int
_PyParser_IsXidContinue(unsigned int ch)
{
    return _PyUnicode_IsXidContinue(ch);
}

int
_PyParser_IsPrintable(unsigned int ch)
{
    return _PyUnicode_IsPrintable(ch);
}

char *
_PyParser_NormalizeNFKC(const char *s, size_t len, size_t *outlen)
{
    char *out;
    if (_PyUnicode_NormalizeNFKC_UTF8(s, len, &out, outlen) < 0) {
        return NULL;
    }
    return out;
}

int
_PyParser_LookupUnicodeName(const char *name, size_t len, unsigned int *ch)
{
    Py_UCS4 out[_PyUnicode_NAMED_SEQ_MAX];
    int n = _PyUnicodeData_LookupName(_PyUnicode_UCD_CURRENT, name, len, 0,
                                      out);
    if (n != 1) {
        return 0;
    }
    *ch = out[0];
    return 1;
}
