# list * n and list *= n with an impossible size raise MemoryError
# (in-place repeat used to grow one copy at a time until the OOM killer)
import sys
lst = [0] * 65
del lst[1:]
size = sys.maxsize
for f in (lambda: lst * size,):
    try:
        f()
    except (MemoryError, OverflowError) as e:
        print(type(e).__name__)
try:
    lst *= size
except (MemoryError, OverflowError) as e:
    print(type(e).__name__)
l = [1, 2]
l *= 3
print(l)
l *= 0
print(l)
